-- Segmenta schema: deleting a user records its exits. A change's cause may be 'deleted', and the change row keeps
-- the user's email and userId, since the users row (joined for them otherwise) is gone by the time the change log
-- is read or a webhook delivers it.
ALTER TABLE segment_changes DROP CONSTRAINT segment_changes_cause_check;
ALTER TABLE segment_changes ADD CONSTRAINT segment_changes_cause_check
    CHECK (cause IN ('event', 'profile', 'membership', 'time', 'definition', 'recompute', 'deleted'));
ALTER TABLE segment_changes ADD COLUMN email text;
ALTER TABLE segment_changes ADD COLUMN user_id text;
