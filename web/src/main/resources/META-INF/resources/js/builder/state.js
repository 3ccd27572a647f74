/*
 * The builder's model: the rule's AST JSON (the same JSON the API stores), with two relaxations while editing: a
 * group may have fewer than two rules, and a condition may be incomplete. toAst() collapses one-rule groups and
 * leaves incomplete conditions out, which gives a valid AST (or null when nothing is complete yet). Also the
 * operators each field type offers and the conversions between a condition and the strings its inputs show.
 * No DOM here.
 */

export const NEGATABLE = {event: true, sequence: true, list: true, segment: true};

export function isGroup(n) {
  return n.type === 'and' || n.type === 'or' || (n.type === 'not' && n.rule.type === 'or');
}

export function groupKind(n) {
  return n.type === 'not' ? 'none' : n.type;
}

export function groupRules(n) {
  return n.type === 'not' ? n.rule.rules : n.rules;
}

export function setGroupKind(n, kind) {
  var rules = groupRules(n);
  delete n.rules;
  delete n.rule;
  if (kind === 'none') {
    n.type = 'not';
    n.rule = {type: 'or', rules: rules};
  } else {
    n.type = kind;
    n.rules = rules;
  }
}

/** Brings a stored AST into the builder's shape: every group an and/or/none, negated leaves kept as not(leaf). */
export function adopt(n) {
  if (n.type === 'and' || n.type === 'or') {
    return {type: n.type, rules: n.rules.map(adopt)};
  }
  if (n.type === 'not') {
    if (n.rule.type === 'or') {
      return {type: 'not', rule: {type: 'or', rules: n.rule.rules.map(adopt)}};
    }
    if (NEGATABLE[n.rule.type]) {
      return {type: 'not', rule: adopt(n.rule)};
    }
    return {type: 'not', rule: {type: 'or', rules: [adopt(n.rule)]}};
  }
  return JSON.parse(JSON.stringify(n));
}

export function adoptRoot(ast) {
  if (!ast) {
    return {type: 'and', rules: []};
  }
  var n = adopt(ast);
  return isGroup(n) ? n : {type: 'and', rules: [n]};
}

export function present(v) {
  return v !== null && v !== undefined && v !== '' && !(typeof v === 'number' && isNaN(v));
}

export function valueComplete(v) {
  if (!v) {
    return false;
  }
  if (v.type === 'date') {
    return timeComplete(v.value);
  }
  return present(v.value);
}

export function timeComplete(t) {
  return !!t && (t.type === 'day' ? present(t.date) : present(t.dateTime));
}

export function spanComplete(s) {
  return !!s && present(s.amount) && s.amount >= 0 && present(s.unit);
}

export function conditionComplete(c) {
  if (!c) {
    return false;
  }
  switch (c.type) {
    case 'compare': case 'contains': return valueComplete(c.value);
    case 'between': return valueComplete(c.low) && valueComplete(c.high);
    case 'in': case 'containsSet': return c.values.length > 0 && c.values.every(valueComplete);
    case 'affix': return present(c.text);
    case 'isSet': case 'isBool': return true;
    case 'before': case 'after': return timeComplete(c.time);
    case 'on': return timeComplete(c.day);
    case 'dateBetween': return timeComplete(c.from) && timeComplete(c.to);
    case 'withinLast': case 'moreThanAgo': case 'withinNext': return spanComplete(c.span);
    case 'anniversary': return !c.within || (spanComplete(c.within) && c.within.amount >= 1);
    default: return false;
  }
}

export function fieldRuleComplete(r) {
  return r.field && r.field.length > 0 && r.field.every(present) && conditionComplete(r.condition);
}

export function windowComplete(w) {
  return !w || w.type === 'ever' || conditionComplete(w.condition);
}

export function aggregateComplete(a) {
  return !a || (a.field && a.field.length > 0 && present(a.value));
}

function stepComplete(step) {
  return present(step.eventName) && (step.where || []).every(fieldRuleComplete) && (!step.within || spanComplete(step.within));
}

export function leafComplete(n) {
  switch (n.type) {
    case 'field': return fieldRuleComplete(n);
    case 'event':
      return present(n.eventName) && (n.where || []).every(fieldRuleComplete) && windowComplete(n.window)
        && aggregateComplete(n.aggregate) && (!n.count || present(n.count.times));
    case 'recency': return present(n.eventName) && (n.where || []).every(fieldRuleComplete) && conditionComplete(n.condition);
    case 'sequence': return n.steps.length >= 2 && n.steps.every(stepComplete) && windowComplete(n.window);
    case 'bucket': return present(n.op) && present(n.value) && n.value >= 0 && n.value <= 100;
    case 'list': return present(n.listName);
    case 'subscription': return present(n.name);
    case 'segment': return present(n.segmentName);
    case 'not': return leafComplete(n.rule);
    default: return false;
  }
}

/** The valid AST the builder stands for, or null while no condition is complete. */
export function toAst(n) {
  if (isGroup(n)) {
    var children = groupRules(n).map(toAst).filter(function (c) { return c !== null; });
    if (children.length === 0) {
      return null;
    }
    var kind = groupKind(n);
    var inner = children.length === 1 ? children[0] : {type: kind === 'none' ? 'or' : kind, rules: children};
    return kind === 'none' ? {type: 'not', rule: inner} : inner;
  }
  if (!leafComplete(n)) {
    return null;
  }
  var copy = JSON.parse(JSON.stringify(n));
  stripEmpty(copy);
  return copy;
}

export function stripEmpty(n) {
  if (n.type === 'not') {
    stripEmpty(n.rule);
  }
  if ((n.type === 'event' || n.type === 'recency') && n.where && n.where.length === 0) {
    delete n.where;
  }
  if (n.type === 'sequence') {
    n.steps.forEach(function (step) {
      if (step.where && step.where.length === 0) {
        delete step.where;
      }
      if (!step.negated) {
        delete step.negated;
      }
      if (!step.within) {
        delete step.within;
      }
    });
    if (!n.window) {
      delete n.window;
    }
  }
}

// ---- field conditions: operators offered by type ----------------------------------------------------------

export const OPS = {
  eq: {label: 'is', arity: 'one'},
  ne: {label: 'is not', arity: 'one'},
  gt: {label: 'is more than', arity: 'one'},
  ge: {label: 'is at least', arity: 'one'},
  lt: {label: 'is less than', arity: 'one'},
  le: {label: 'is at most', arity: 'one'},
  between: {label: 'is between', arity: 'two'},
  in: {label: 'is one of', arity: 'many'},
  notIn: {label: 'is none of', arity: 'many'},
  contains: {label: 'contains', arity: 'one'},
  notContains: {label: 'does not contain', arity: 'one'},
  containsAny: {label: 'contains any of', arity: 'many'},
  containsAll: {label: 'contains all of', arity: 'many'},
  startsWith: {label: 'starts with', arity: 'text'},
  endsWith: {label: 'ends with', arity: 'text'},
  isTrue: {label: 'is true', arity: 'none'},
  isFalse: {label: 'is false', arity: 'none'},
  withinLast: {label: 'is in the last', arity: 'span'},
  moreThanAgo: {label: 'is more than … ago', arity: 'span'},
  withinNext: {label: 'is in the next', arity: 'span'},
  before: {label: 'is before', arity: 'date'},
  after: {label: 'is after', arity: 'date'},
  on: {label: 'is on', arity: 'date'},
  dateBetween: {label: 'is between', arity: 'dates'},
  anniversaryToday: {label: 'has its anniversary today', arity: 'none'},
  anniversaryWithin: {label: 'has its anniversary in the next', arity: 'days'},
  isSet: {label: 'has a value', arity: 'none'},
  isNotSet: {label: 'has no value', arity: 'none'}
};

export const OPS_BY_TYPE = {
  string: ['eq', 'ne', 'in', 'notIn', 'contains', 'notContains', 'startsWith', 'endsWith', 'isSet', 'isNotSet'],
  number: ['eq', 'ne', 'gt', 'ge', 'lt', 'le', 'between', 'in', 'notIn', 'isSet', 'isNotSet'],
  boolean: ['isTrue', 'isFalse', 'isSet', 'isNotSet'],
  date: ['withinLast', 'moreThanAgo', 'withinNext', 'before', 'after', 'on', 'dateBetween', 'anniversaryToday', 'anniversaryWithin',
    'isSet', 'isNotSet'],
  array: ['contains', 'notContains', 'containsAny', 'containsAll', 'isSet', 'isNotSet'],
  object: ['isSet', 'isNotSet']
};

/** Units an anniversary window can be written in: whole days only. */
export const DAY_UNITS = [{value: 'DAY', label: 'days'}, {value: 'WEEK', label: 'weeks'}, {value: 'MONTH', label: 'months'}];

export const UNITS = [
  {value: 'MINUTE', label: 'minutes'}, {value: 'HOUR', label: 'hours'}, {value: 'DAY', label: 'days'},
  {value: 'WEEK', label: 'weeks'}, {value: 'MONTH', label: 'months'}
];

export const COMPARE_OPS = {EQ: 'eq', NE: 'ne', GT: 'gt', GE: 'ge', LT: 'lt', LE: 'le'};

export function opOf(c) {
  if (!c) {
    return '';
  }
  switch (c.type) {
    case 'compare': return COMPARE_OPS[c.op];
    case 'between': return 'between';
    case 'in': return c.negated ? 'notIn' : 'in';
    case 'contains': return c.negated ? 'notContains' : 'contains';
    case 'containsSet': return c.quantifier === 'ALL' ? 'containsAll' : 'containsAny';
    case 'affix': return c.kind === 'ENDS_WITH' ? 'endsWith' : 'startsWith';
    case 'isBool': return c.value ? 'isTrue' : 'isFalse';
    case 'isSet': return c.negated ? 'isNotSet' : 'isSet';
    case 'anniversary': return c.within ? 'anniversaryWithin' : 'anniversaryToday';
    default: return c.type;
  }
}

/** The values a condition holds, as the strings its inputs show. */
export function valuesOf(c) {
  if (!c) {
    return [];
  }
  switch (c.type) {
    case 'compare': case 'contains': return [valueText(c.value)];
    case 'between': return [valueText(c.low), valueText(c.high)];
    case 'in': case 'containsSet': return c.values.map(valueText);
    case 'affix': return [c.text];
    case 'before': case 'after': return [timeText(c.time)];
    case 'on': return [timeText(c.day)];
    case 'dateBetween': return [timeText(c.from), timeText(c.to)];
    case 'withinLast': case 'moreThanAgo': case 'withinNext': return [c.span ? c.span.amount : '', c.span ? c.span.unit : 'DAY'];
    case 'anniversary': return c.within ? [c.within.amount, c.within.unit] : [];
    default: return [];
  }
}

export function valueText(v) {
  if (!v) {
    return '';
  }
  if (v.type === 'date') {
    return timeText(v.value);
  }
  return v.value === null || v.value === undefined ? '' : String(v.value);
}

export function timeText(t) {
  if (!t) {
    return '';
  }
  return t.type === 'day' ? t.date : t.dateTime;
}

export function timeOf(text) {
  text = (text || '').trim();
  return /T/.test(text) ? {type: 'moment', dateTime: text} : {type: 'day', date: text};
}

export function valueOf(text, type) {
  text = text === null || text === undefined ? '' : String(text).trim();
  if (type === 'number') {
    return {type: 'number', value: text === '' || isNaN(Number(text)) ? null : Number(text)};
  }
  if (type === 'boolean' && (text === 'true' || text === 'false')) {
    return {type: 'boolean', value: text === 'true'};
  }
  if (type === 'date' && /^\d{4}-\d{2}-\d{2}/.test(text)) {
    return {type: 'date', value: timeOf(text)};
  }
  return {type: 'string', value: text};
}

export function splitList(text) {
  return String(text || '').split(',').map(function (s) { return s.trim(); }).filter(function (s) { return s !== ''; });
}

export function conditionOf(op, values, type) {
  var v = values || [];
  switch (op) {
    case 'eq': case 'ne': case 'gt': case 'ge': case 'lt': case 'le':
      var compareType = op === 'eq' || op === 'ne' ? type : 'number';
      return {type: 'compare', op: op.toUpperCase(), value: valueOf(v[0], compareType)};
    case 'between': return {type: 'between', low: valueOf(v[0], 'number'), high: valueOf(v[1], 'number')};
    case 'in': case 'notIn':
      return {type: 'in', negated: op === 'notIn', values: v.map(function (x) { return valueOf(x, type); })};
    case 'contains': case 'notContains': return {type: 'contains', negated: op === 'notContains', value: valueOf(v[0], type)};
    case 'containsAny': case 'containsAll':
      return {type: 'containsSet', quantifier: op === 'containsAll' ? 'ALL' : 'ANY', values: v.map(function (x) { return valueOf(x, type); })};
    case 'startsWith': case 'endsWith': return {type: 'affix', kind: op === 'endsWith' ? 'ENDS_WITH' : 'STARTS_WITH', text: v[0] || ''};
    case 'isTrue': case 'isFalse': return {type: 'isBool', value: op === 'isTrue'};
    case 'isSet': case 'isNotSet': return {type: 'isSet', negated: op === 'isNotSet'};
    case 'withinLast': case 'moreThanAgo': case 'withinNext':
      var amount = v[0] === '' || v[0] === undefined || isNaN(Number(v[0])) ? null : Math.floor(Number(v[0]));
      return {type: op, span: {amount: amount, unit: v[1] || 'DAY'}};
    case 'before': case 'after': return {type: op, time: timeOf(v[0])};
    case 'on': return {type: 'on', day: {type: 'day', date: (v[0] || '').substring(0, 10)}};
    case 'dateBetween': return {type: 'dateBetween', from: timeOf(v[0]), to: timeOf(v[1])};
    case 'anniversaryToday': return {type: 'anniversary'};
    case 'anniversaryWithin':
      return {type: 'anniversary', within: {amount: v[0] === '' || v[0] === undefined || isNaN(Number(v[0])) ? null : Math.floor(Number(v[0])),
        unit: v[1] || 'DAY'}};
    default: return null;
  }
}

export function carriedValues(oldOp, newOp, old) {
  var from = OPS[oldOp] ? OPS[oldOp].arity : 'none';
  var to = OPS[newOp].arity;
  if (from === to) {
    return old;
  }
  if ((from === 'one' || from === 'text') && (to === 'many' || to === 'one' || to === 'text')) {
    return old.slice(0, 1);
  }
  if (to === 'span') {
    return ['30', 'DAY'];
  }
  if (to === 'days') {
    return ['7', 'DAY'];
  }
  return [];
}

export function defaultOp(type) {
  return (OPS_BY_TYPE[type] || OPS_BY_TYPE.string)[0];
}

export function parseJson(text) {
  if (!text) {
    return null;
  }
  try {
    return JSON.parse(text);
  } catch (e) {
    return null;
  }
}

export function isArrayOp(op) {
  return op === 'containsAny' || op === 'containsAll';
}

export function elementType(field, type) {
  if (field && field.array) {
    return field.type === 'array' ? 'string' : field.type;
  }
  return type === 'array' ? 'string' : type;
}

export function guessType(c) {
  if (!c) {
    return 'string';
  }
  var op = opOf(c);
  if (['withinLast', 'moreThanAgo', 'withinNext', 'before', 'after', 'on', 'dateBetween', 'anniversaryToday', 'anniversaryWithin'].indexOf(op) >= 0) {
    return 'date';
  }
  if (op === 'isTrue' || op === 'isFalse') {
    return 'boolean';
  }
  if (isArrayOp(op)) {
    return 'array';
  }
  var v = c.value || c.low || (c.values && c.values[0]);
  return v && v.type === 'number' ? 'number' : 'string';
}

export function setCount(rule, count) {
  // "at least 1 time" is what a rule without a count means: leave it out so the text stays short.
  if (count.op === 'AT_LEAST' && count.times === 1) {
    delete rule.count;
  } else {
    rule.count = {op: count.op, times: count.times};
  }
}

export const DATE_OPS = ['withinLast', 'moreThanAgo', 'withinNext', 'before', 'after', 'on', 'dateBetween'];

/** A new two-step sequence: "performed A then B". */
export function newSequence() {
  return {type: 'sequence', steps: [{eventName: ''}, {eventName: ''}]};
}

export const MAX_STEPS = 5;

/** The bucket comparisons offered, with the share of users (in %) each keeps for a value v (buckets 0 to 99). */
export const BUCKET_OPS = [
  {value: 'LT', label: 'is below', share: function (v) { return Math.min(100, v); }},
  {value: 'LE', label: 'is at most', share: function (v) { return Math.min(100, v + 1); }},
  {value: 'GE', label: 'is at least', share: function (v) { return Math.max(0, 100 - v); }},
  {value: 'GT', label: 'is above', share: function (v) { return Math.max(0, 99 - v); }},
  {value: 'EQ', label: 'is', share: function (v) { return v < 100 ? 1 : 0; }},
  {value: 'NE', label: 'is not', share: function (v) { return v < 100 ? 99 : 100; }}
];
