/*
 * Pickers over the catalog: user fields, event fields and events, labelled with what the catalog knows about them.
 */
import {select, percent, formatCount} from './dom.js';

export function fieldOptions(fields, scope) {
  return fields.map(function (f) {
    var detail = scope === 'user' ? f.type + (f.array ? ' list' : '') + ', ' + percent(f.fillRate) : f.type + (f.array ? ' list' : '');
    return {value: f.path, label: f.path + ' — ' + detail};
  });
}


export function eventSelect(ctx, rule, label) {
  const options = (ctx.catalog.events || []).map(function (e) {
    return {value: e.name, label: e.name + ' — ' + formatCount(e.volume) + ' events' + (e.lastSeen ? ', last ' + e.lastSeen.substring(0, 10) : '')};
  });
  return select(label, options, rule.eventName, function (name) {
    rule.eventName = name;
    ctx.changed(true);
  }, {className: 'b-event', 'data-test': 'event'});
}
