-- A test delivery sent from the browser is logged with the others, as kind 'test'; it never moves a cursor.
ALTER TABLE webhook_deliveries DROP CONSTRAINT webhook_deliveries_kind_check;
ALTER TABLE webhook_deliveries ADD CONSTRAINT webhook_deliveries_kind_check CHECK (kind IN ('changes', 'alerts', 'test'));
