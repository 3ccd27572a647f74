/*
 * The editors of the builder's leaf rows: a field condition with its operator and value inputs, an event rule with
 * where / count / window / aggregate, a first/last event rule, list and segment membership, subscriptions. Each
 * edits its part of the AST in place and calls ctx.changed(reshaped) afterwards.
 */
import {el, select, input} from './dom.js';
import {OPS, OPS_BY_TYPE, UNITS, DAY_UNITS, DATE_OPS, MAX_STEPS, BUCKET_OPS, opOf, valuesOf, conditionOf, carriedValues, defaultOp, elementType, guessType,
  splitList, setCount} from './state.js';
import {picker, userFieldGroups, eventFieldGroups, eventSelect} from './pickers.js';

/** ctx: {catalog, eventsByName, changed(reshaped), negationSelect(node, parent, positive, negative, test)}. */
export function createEditors(ctx) {
  const catalog = ctx.catalog;
  const eventsByName = ctx.eventsByName;
  const changed = ctx.changed;
  const negationSelect = ctx.negationSelect;

  function fieldEditor(container, rule, fields, scope, eventName) {
    var byPath = {};
    fields.forEach(function (f) { byPath[f.path] = f; });
    var path = (rule.field || []).join('.');
    var known = byPath[path];
    var type = known ? (known.array ? 'array' : known.type) : guessType(rule.condition);
    var fieldSelect = picker({label: scope === 'user' ? 'User field' : 'Event field', current: path, className: 'b-field',
      test: scope === 'user' ? 'field' : 'where-field',
      groups: scope === 'user' ? userFieldGroups(fields) : eventFieldGroups(eventName, fields), onPick: function (p) {
      rule.field = p ? p.split('.') : [];
      var f = byPath[p];
      var t = f ? (f.array ? 'array' : f.type) : 'string';
      var op = opOf(rule.condition);
      var allowed = OPS_BY_TYPE[t] || OPS_BY_TYPE.string;
      if (allowed.indexOf(op) < 0) {
        op = defaultOp(t);
        rule.condition = conditionOf(op, op === 'withinLast' ? ['30', 'DAY'] : [], elementType(f, t));
      } else {
        rule.condition = conditionOf(op, valuesOf(rule.condition), elementType(f, t));
      }
      changed(true);
    }});
    container.appendChild(fieldSelect);
    if (!path) {
      return;
    }
    var op = opOf(rule.condition);
    var ops = (OPS_BY_TYPE[type] || Object.keys(OPS)).slice();
    if (op && ops.indexOf(op) < 0) {
      ops.push(op);
    }
    if (!op) {
      op = ops[0];
      rule.condition = conditionOf(op, op === 'withinLast' ? ['30', 'DAY'] : [], elementType(known, type));
    }
    container.appendChild(select('Operator', ops.map(function (o) { return {value: o, label: OPS[o].label}; }), op, function (o) {
      rule.condition = conditionOf(o, carriedValues(op, o, valuesOf(rule.condition)), elementType(known, type));
      changed(true);
    }, {className: 'b-op', 'data-test': 'op'}));
    valueInputs(container, rule, op, elementType(known, type));
  }
  function valueInputs(container, rule, op, type) {
    var values = valuesOf(rule.condition);
    function update(i, v) {
      values[i] = v;
      rule.condition = conditionOf(op, values, type);
      changed(false);
    }
    var numeric = type === 'number' || ['gt', 'ge', 'lt', 'le', 'between'].indexOf(op) >= 0;
    switch (OPS[op].arity) {
      case 'one':
        if (type === 'boolean') {
          container.appendChild(select('Value', ['true', 'false'], values[0], function (v) { update(0, v); }));
        } else {
          container.appendChild(input('Value', numeric ? 'number' : 'text', values[0], function (v) { update(0, v); },
            {className: 'b-value', step: numeric ? 'any' : null, 'data-test': 'value', 'data-focus': focusKey(rule, 0)}));
        }
        break;
      case 'text':
        container.appendChild(input('Text', 'text', values[0], function (v) { update(0, v); },
          {className: 'b-value', 'data-test': 'value', 'data-focus': focusKey(rule, 0)}));
        break;
      case 'two':
        container.appendChild(input('From', 'number', values[0], function (v) { update(0, v); },
          {className: 'b-value b-narrow', step: 'any', 'data-focus': focusKey(rule, 0)}));
        container.appendChild(el('span', {className: 'b-word', text: 'and'}));
        container.appendChild(input('To', 'number', values[1], function (v) { update(1, v); },
          {className: 'b-value b-narrow', step: 'any', 'data-focus': focusKey(rule, 1)}));
        break;
      case 'many':
        var many = input('Values, separated by commas', 'text', values.join(', '), function (v) {
          values = splitList(v);
          rule.condition = conditionOf(op, values, type);
          changed(false);
        }, {className: 'b-value b-wide', placeholder: 'e.g. CA, NY, TX', 'data-test': 'values', 'data-focus': focusKey(rule, 0)});
        container.appendChild(many);
        break;
      case 'span':
        spanInputs(container, values[0], values[1], function (amount, unit) {
          values = [amount, unit];
          rule.condition = conditionOf(op, values, type);
          changed(false);
        }, focusKey(rule, 0));
        if (op === 'moreThanAgo') {
          container.appendChild(el('span', {className: 'b-word', text: 'ago'}));
        }
        break;
      case 'days':
        spanInputs(container, values[0], values[1], function (amount, unit) {
          values = [amount, unit];
          rule.condition = conditionOf(op, values, type);
          changed(false);
        }, focusKey(rule, 0), DAY_UNITS, '1');
        break;
      case 'date':
        container.appendChild(dateInput('Date', values[0], function (v) { update(0, v); }, focusKey(rule, 0)));
        break;
      case 'dates':
        container.appendChild(dateInput('From date', values[0], function (v) { update(0, v); }, focusKey(rule, 0)));
        container.appendChild(el('span', {className: 'b-word', text: 'and'}));
        container.appendChild(dateInput('To date', values[1], function (v) { update(1, v); }, focusKey(rule, 1)));
        break;
      default:
        break;
    }
  }

  var focusIds = new WeakMap();
  var nextFocusId = 1;

  /** A stable key per rule and input, so focus survives a re-render. */
  function focusKey(obj, i) {
    if (!focusIds.has(obj)) {
      focusIds.set(obj, nextFocusId++);
    }
    return focusIds.get(obj) + ':' + i;
  }

  function spanInputs(container, amount, unit, onChange, key, units, min, test) {
    var a = amount === null || amount === undefined ? '' : amount;
    var u = unit || 'DAY';
    container.appendChild(input('Amount', 'number', a, function (v) { a = v; onChange(a, u); },
      {className: 'b-value b-narrow', min: min || '0', step: '1', 'data-test': (test || '') + 'amount', 'data-focus': key}));
    container.appendChild(select('Unit', units || UNITS, u, function (v) { u = v; onChange(a, u); }, {'data-test': (test || '') + 'unit'}));
  }

  function dateInput(label, value, onInput, key) {
    var moment = value && /T/.test(value);
    return input(label, moment ? 'text' : 'date', value, onInput, {className: 'b-value b-date', 'data-focus': key,
      placeholder: moment ? 'YYYY-MM-DDThh:mmZ' : null});
  }
  function whereEditor(container, rule) {
    var fields = eventsByName[rule.eventName] ? eventsByName[rule.eventName].fields : [];
    var where = rule.where || [];
    var box = el('div', {className: 'b-where'});
    where.forEach(function (w, i) {
      var line = el('div', {className: 'b-sub'}, el('span', {className: 'b-word', text: i === 0 ? 'where' : 'and'}));
      fieldEditor(line, w, fields, 'event', rule.eventName);
      line.appendChild(el('button', {type: 'button', className: 'b-tool b-remove', 'aria-label': 'Remove filter', title: 'Remove filter',
        onclick: function () { where.splice(where.indexOf(w), 1); rule.where = where; changed(true); }}, '×'));
      box.appendChild(line);
    });
    container.appendChild(box);
    return el('button', {type: 'button', className: 'b-link', 'data-test': 'add-where', onclick: function () {
      rule.where = where;
      where.push({type: 'field', field: [], condition: null});
      changed(true);
    }}, '+ where…');
  }

  var WINDOW_KINDS = [
    {value: 'ever', label: 'ever'}, {value: 'withinLast', label: 'in the last'}, {value: 'before', label: 'before'},
    {value: 'after', label: 'after'}, {value: 'dateBetween', label: 'between'}
  ];

  /** The window of an event rule or a sequence: ever, in the last N units, before, after or between dates. */
  function windowInputs(countLine, rule) {
    var w = rule.window;
    var kind = !w || w.type === 'ever' ? 'ever' : w.condition.type;
    countLine.appendChild(select('When', WINDOW_KINDS, kind, function (k) {
      if (k === 'ever') {
        rule.window = null;
      } else {
        rule.window = {type: 'during', condition: conditionOf(k, k === 'withinLast' ? ['30', 'DAY'] : [], 'date')};
      }
      changed(true);
    }, {'data-test': 'window'}));
    if (kind !== 'ever') {
      var wc = rule.window.condition;
      var wv = valuesOf(wc);
      if (kind === 'withinLast') {
        spanInputs(countLine, wv[0], wv[1], function (amount, unit) {
          rule.window.condition = conditionOf('withinLast', [amount, unit], 'date');
          changed(false);
        }, focusKey(rule, 'window'));
      } else if (kind === 'dateBetween') {
        countLine.appendChild(dateInput('From date', wv[0], function (v) { wv[0] = v; rule.window.condition = conditionOf(kind, wv, 'date'); changed(false); },
          focusKey(rule, 'w0')));
        countLine.appendChild(el('span', {className: 'b-word', text: 'and'}));
        countLine.appendChild(dateInput('To date', wv[1], function (v) { wv[1] = v; rule.window.condition = conditionOf(kind, wv, 'date'); changed(false); },
          focusKey(rule, 'w1')));
      } else {
        countLine.appendChild(dateInput('Date', wv[0], function (v) { rule.window.condition = conditionOf(kind, [v], 'date'); changed(false); },
          focusKey(rule, 'w0')));
      }
    }
  }

  function eventEditor(container, node, parent) {
    var rule = node.type === 'not' ? node.rule : node;
    var main = el('div', {className: 'b-line'},
      negationSelect(node, parent, 'performed', 'did not perform', 'performed'),
      eventSelect(ctx, rule, 'Event'));
    container.appendChild(main);
    if (!rule.eventName) {
      return;
    }
    var details = el('div', {className: 'b-details'});
    var addWhere = whereEditor(details, rule);

    // How many times.
    var count = rule.count || {op: 'AT_LEAST', times: 1};
    var countLine = el('div', {className: 'b-sub'},
      select('How many times', [{value: 'AT_LEAST', label: 'at least'}, {value: 'AT_MOST', label: 'at most'}, {value: 'EXACTLY', label: 'exactly'}],
        count.op, function (v) { count.op = v; setCount(rule, count); changed(false); }, {'data-test': 'count-op'}),
      input('Times', 'number', count.times, function (v) {
        count.times = v === '' ? null : Math.max(0, Math.floor(Number(v)));
        setCount(rule, count);
        changed(false);
      }, {className: 'b-value b-narrow', min: '0', step: '1', 'data-test': 'count', 'data-focus': focusKey(rule, 'count')}),
      el('span', {className: 'b-word', text: count.times === 1 ? 'time,' : 'times,'}));

    // When.
    windowInputs(countLine, rule);
    details.appendChild(countLine);

    // With a total / average / min / max.
    var numericFields = (eventsByName[rule.eventName] ? eventsByName[rule.eventName].fields : [])
      .filter(function (f) { return f.type === 'number'; });
    var addAggregate = null;
    if (rule.aggregate) {
      var a = rule.aggregate;
      var aggLine = el('div', {className: 'b-sub'},
        el('span', {className: 'b-word', text: 'with'}),
        select('Aggregate', [{value: 'SUM', label: 'total'}, {value: 'AVG', label: 'average'}, {value: 'MIN', label: 'smallest'}, {value: 'MAX', label: 'largest'}],
          a.function, function (v) { a.function = v; changed(false); }),
        el('span', {className: 'b-word', text: 'of'}),
        select('Aggregated field', numericFields.map(function (f) { return f.path; }), (a.field || []).join('.'),
          function (v) { a.field = v ? v.split('.') : []; changed(false); }),
        select('Comparison', [{value: 'GE', label: '≥'}, {value: 'GT', label: '>'}, {value: 'EQ', label: '='}, {value: 'NE', label: '≠'},
          {value: 'LE', label: '≤'}, {value: 'LT', label: '<'}], a.op, function (v) { a.op = v; changed(false); }),
        input('Amount', 'number', a.value, function (v) { a.value = v === '' ? null : Number(v); changed(false); },
          {className: 'b-value b-narrow', step: 'any', 'data-focus': focusKey(a, 0)}),
        el('button', {type: 'button', className: 'b-tool b-remove', 'aria-label': 'Remove total condition', title: 'Remove',
          onclick: function () { delete rule.aggregate; changed(true); }}, '×'));
      details.appendChild(aggLine);
    } else if (numericFields.length > 0) {
      addAggregate = el('button', {type: 'button', className: 'b-link', onclick: function () {
        rule.aggregate = {function: 'SUM', field: [numericFields[0].path], op: 'GE', value: null};
        changed(true);
      }}, '+ with total/average…');
    }
    details.appendChild(el('div', {className: 'b-more'}, addWhere, addAggregate));
    container.appendChild(details);
  }
  function recencyEditor(container, rule) {
    var main = el('div', {className: 'b-line'},
      select('First or last', [{value: 'FIRST', label: 'first'}, {value: 'LAST', label: 'last'}], rule.which,
        function (v) { rule.which = v; changed(false); }, {'data-test': 'which'}),
      el('span', {className: 'b-word', text: 'performed'}),
      eventSelect(ctx, rule, 'Event'),
      select('When', DATE_OPS.map(function (o) { return {value: o, label: OPS[o].label.replace(/^is /, '')}; }), opOf(rule.condition),
        function (o) {
          rule.condition = conditionOf(o, carriedValues(opOf(rule.condition), o, valuesOf(rule.condition)), 'date');
          changed(true);
        }, {'data-test': 'op'}));
    var wrap = el('span', {className: 'b-inline'});
    valueInputs(wrap, rule, opOf(rule.condition), 'date');
    main.appendChild(wrap);
    container.appendChild(main);
    if (rule.eventName) {
      var details = el('div', {className: 'b-details'});
      var addWhere = whereEditor(details, rule);
      details.appendChild(el('div', {className: 'b-more'}, addWhere));
      container.appendChild(details);
    }
  }

  function membershipEditor(container, node, parent, kind, key, names, test) {
    var rule = node.type === 'not' ? node.rule : node;
    container.appendChild(el('div', {className: 'b-line'},
      negationSelect(node, parent, 'is in ' + kind, 'is not in ' + kind, 'in-' + test),
      select(kind === 'list' ? 'List' : 'Segment', names, rule[key], function (v) { rule[key] = v; changed(false); },
        {'data-test': test})));
  }

  function subscriptionEditor(container, rule) {
    var names = rule.target === 'CHANNEL' ? catalog.channels || [] : catalog.messageTypes || [];
    container.appendChild(el('div', {className: 'b-line'},
      select('Subscribed or unsubscribed', [{value: 'true', label: 'is subscribed to'}, {value: 'false', label: 'is unsubscribed from'}],
        String(rule.subscribed), function (v) { rule.subscribed = v === 'true'; changed(false); }),
      select('Channel or message type', [{value: 'MESSAGE_TYPE', label: 'message type'}, {value: 'CHANNEL', label: 'channel'}], rule.target,
        function (v) { rule.target = v; rule.name = ''; changed(true); }),
      select('Name', names, rule.name, function (v) { rule.name = v; changed(false); }, {'data-test': 'subscription'})));
  }

  /**
   * "performed A [where …] then [not] B [where …] within N units …", with the sequence's window after the first step,
   * as the rule language writes it. Only the last step may be "then not"; the first has no time after a previous step.
   */
  function sequenceEditor(container, node, parent) {
    var rule = node.type === 'not' ? node.rule : node;
    var steps = rule.steps;
    steps.forEach(function (step, i) {
      var last = i === steps.length - 1;
      var line = el('div', {className: 'b-line b-step', 'data-test': 'step'});
      if (i === 0) {
        line.appendChild(negationSelect(node, parent, 'performed', 'did not perform', 'performed'));
      } else if (last) {
        line.appendChild(select('Then or then not', [{value: 'then', label: 'then'}, {value: 'not', label: 'then not'}],
          step.negated ? 'not' : 'then', function (v) {
            step.negated = v === 'not';
            if (step.negated && !step.within) {
              // "then not" without a time means "never afterwards"; a time is what people usually mean (and the linter asks for one).
              step.within = {amount: 1, unit: 'DAY'};
            }
            changed(true);
          }, {'data-test': 'step-kind'}));
      } else {
        line.appendChild(el('span', {className: 'b-word', text: 'then'}));
      }
      line.appendChild(eventSelect(ctx, step, i === 0 ? 'First event' : 'Event of step ' + (i + 1)));
      if (i > 0) {
        line.appendChild(select('Time after the previous step', [{value: 'any', label: 'any time later'}, {value: 'within', label: 'within'}],
          step.within ? 'within' : 'any', function (v) {
            step.within = v === 'within' ? {amount: 1, unit: 'DAY'} : null;
            changed(true);
          }, {'data-test': 'step-time'}));
        if (step.within) {
          spanInputs(line, step.within.amount, step.within.unit, function (amount, unit) {
            step.within = {amount: amount === '' || isNaN(Number(amount)) ? null : Math.floor(Number(amount)), unit: unit};
            changed(false);
          }, focusKey(step, 'within'), UNITS, '0', 'step-');
        }
        if (steps.length > 2) {
          line.appendChild(el('button', {type: 'button', className: 'b-tool b-remove', 'aria-label': 'Remove step ' + (i + 1), title: 'Remove step',
            onclick: function () { steps.splice(steps.indexOf(step), 1); changed(true); }}, '×'));
        }
      }
      container.appendChild(line);
      if (step.eventName) {
        var details = el('div', {className: 'b-details'});
        var addWhere = whereEditor(details, step);
        var more = el('div', {className: 'b-more'}, addWhere);
        details.appendChild(more);
        if (i === 0) {
          var when = el('div', {className: 'b-sub'}, el('span', {className: 'b-word', text: 'every step'}));
          windowInputs(when, rule);
          details.insertBefore(when, more);
        }
        container.appendChild(details);
      }
    });
    var tail = steps[steps.length - 1];
    if (steps.length < MAX_STEPS && !tail.negated) {
      container.appendChild(el('div', {className: 'b-more'}, el('button', {type: 'button', className: 'b-link', 'data-test': 'add-step',
        onclick: function () { steps.push({eventName: ''}); changed(true); }}, '+ then another event')));
    }
  }

  /** "random bucket < 10": a stable bucket 0-99 per user; the hint says which share of users the rule keeps. */
  function bucketEditor(container, rule) {
    var op = BUCKET_OPS.find(function (o) { return o.value === rule.op; }) || BUCKET_OPS[0];
    var share = el('span', {className: 'b-word', 'data-test': 'bucket-share'});
    function updateShare() {
      share.textContent = typeof rule.value === 'number' && !isNaN(rule.value) && rule.value >= 0 && rule.value <= 100
        ? '(' + op.share(rule.value) + ' % of users, the same ones every time)'
        : '(a whole number from 0 to 100)';
    }
    updateShare();
    container.appendChild(el('div', {className: 'b-line'},
      el('span', {className: 'b-word', text: 'random bucket (0–99)'}),
      select('Bucket comparison', BUCKET_OPS.map(function (o) { return {value: o.value, label: o.label}; }), rule.op, function (v) {
        rule.op = v;
        op = BUCKET_OPS.find(function (o) { return o.value === v; });
        updateShare();
        changed(false);
      }, {'data-test': 'bucket-op'}),
      input('Bucket', 'number', rule.value, function (v) {
        rule.value = v === '' || isNaN(Number(v)) ? null : Math.floor(Number(v));
        updateShare();
        changed(false);
      }, {className: 'b-value b-narrow', min: '0', max: '100', step: '1', 'data-test': 'bucket-value', 'data-focus': focusKey(rule, 'bucket')}),
      share));
  }

  return {fieldEditor, eventEditor, recencyEditor, membershipEditor, subscriptionEditor, sequenceEditor, bucketEditor};
}
