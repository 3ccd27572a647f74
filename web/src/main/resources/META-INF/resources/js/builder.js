/*
 * Segmenta's visual rule builder. Its state is the rule's AST JSON (the same JSON the API stores), with two
 * relaxations while editing: a group may have fewer than two rules, and a condition may be incomplete. toAst()
 * collapses one-rule groups and leaves incomplete conditions out, which gives a valid AST (or null when nothing
 * is complete yet). The rule-language tab edits the same AST through the server: /ui/print turns the AST into
 * canonical text, /ui/parse turns text back into the AST.
 *
 * Plain DOM, no framework. User text only ever reaches the page through textContent and input values.
 */
(function () {
  'use strict';

  var root = document.getElementById('builder');
  if (!root) {
    return;
  }
  var form = document.getElementById('editor-form');
  var csrfInput = form.querySelector('input[data-csrf]');
  var csrfHeader = root.dataset.csrfHeader || 'X-CSRF-TOKEN';
  var segmentId = root.dataset.segmentId || '';
  var catalog = JSON.parse(root.dataset.catalog || '{}');
  var ruleInput = document.getElementById('rule-json');
  var modeInput = document.getElementById('mode');
  var dslInput = document.getElementById('dsl');
  var textProblems = document.getElementById('text-problems');
  var preview = document.getElementById('preview');

  var fieldsByPath = {};
  (catalog.fields || []).forEach(function (f) { fieldsByPath[f.path] = f; });
  var eventsByName = {};
  (catalog.events || []).forEach(function (e) { eventsByName[e.name] = e; });

  // ---- tiny DOM helpers ------------------------------------------------------------------------------------

  function el(tag, attrs) {
    var node = document.createElement(tag);
    if (attrs) {
      Object.keys(attrs).forEach(function (k) {
        var v = attrs[k];
        if (v === null || v === undefined || v === false) {
          return;
        }
        if (k === 'text') {
          node.textContent = v;
        } else if (k === 'className') {
          node.className = v;
        } else if (k.indexOf('on') === 0) {
          node.addEventListener(k.substring(2), v);
        } else if (k === 'value') {
          node.value = v;
        } else {
          node.setAttribute(k, v === true ? '' : v);
        }
      });
    }
    for (var i = 2; i < arguments.length; i++) {
      var child = arguments[i];
      if (child === null || child === undefined || child === false) {
        continue;
      }
      node.appendChild(typeof child === 'string' ? document.createTextNode(child) : child);
    }
    return node;
  }

  function select(label, options, current, onChange, extra) {
    var s = el('select', Object.assign({'aria-label': label, onchange: function () { onChange(s.value); }}, extra || {}));
    var found = false;
    options.forEach(function (o) {
      var opt = typeof o === 'string' ? {value: o, label: o} : o;
      var option = el('option', {value: opt.value, text: opt.label});
      if (String(opt.value) === String(current)) {
        option.selected = true;
        found = true;
      }
      s.appendChild(option);
    });
    if (!found && current !== undefined && current !== null && current !== '') {
      // A name the catalog does not know (typed in the rule language): keep it visible rather than lose it.
      var unknown = el('option', {value: current, text: current + ' (not in the catalog)'});
      unknown.selected = true;
      s.appendChild(unknown);
    } else if (!found) {
      var placeholder = el('option', {value: '', text: 'Choose…'});
      placeholder.selected = true;
      s.insertBefore(placeholder, s.firstChild);
    }
    return s;
  }

  function input(label, type, value, onInput, extra) {
    var i = el('input', Object.assign({type: type, 'aria-label': label, value: value === null || value === undefined ? '' : String(value)},
      extra || {}));
    i.addEventListener('input', function () { onInput(i.value); });
    return i;
  }

  function percent(rate) {
    if (rate === null || rate === undefined) {
      return 'fill rate unknown';
    }
    var p = rate * 100;
    return (p >= 10 || p === 0 ? Math.round(p) : p.toFixed(1)) + '% filled';
  }

  function formatCount(n) {
    return Number(n).toLocaleString('en-US');
  }

  // ---- the model: relaxed AST ----------------------------------------------------------------------------

  var NEGATABLE = {event: true, list: true, segment: true};

  function isGroup(n) {
    return n.type === 'and' || n.type === 'or' || (n.type === 'not' && n.rule.type === 'or');
  }

  function groupKind(n) {
    return n.type === 'not' ? 'none' : n.type;
  }

  function groupRules(n) {
    return n.type === 'not' ? n.rule.rules : n.rules;
  }

  function setGroupKind(n, kind) {
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
  function adopt(n) {
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

  function adoptRoot(ast) {
    if (!ast) {
      return {type: 'and', rules: []};
    }
    var n = adopt(ast);
    return isGroup(n) ? n : {type: 'and', rules: [n]};
  }

  function present(v) {
    return v !== null && v !== undefined && v !== '' && !(typeof v === 'number' && isNaN(v));
  }

  function valueComplete(v) {
    if (!v) {
      return false;
    }
    if (v.type === 'date') {
      return timeComplete(v.value);
    }
    return present(v.value);
  }

  function timeComplete(t) {
    return !!t && (t.type === 'day' ? present(t.date) : present(t.dateTime));
  }

  function spanComplete(s) {
    return !!s && present(s.amount) && s.amount >= 0 && present(s.unit);
  }

  function conditionComplete(c) {
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
      default: return false;
    }
  }

  function fieldRuleComplete(r) {
    return r.field && r.field.length > 0 && r.field.every(present) && conditionComplete(r.condition);
  }

  function windowComplete(w) {
    return !w || w.type === 'ever' || conditionComplete(w.condition);
  }

  function aggregateComplete(a) {
    return !a || (a.field && a.field.length > 0 && present(a.value));
  }

  function leafComplete(n) {
    switch (n.type) {
      case 'field': return fieldRuleComplete(n);
      case 'event':
        return present(n.eventName) && (n.where || []).every(fieldRuleComplete) && windowComplete(n.window)
          && aggregateComplete(n.aggregate) && (!n.count || present(n.count.times));
      case 'recency': return present(n.eventName) && (n.where || []).every(fieldRuleComplete) && conditionComplete(n.condition);
      case 'list': return present(n.listName);
      case 'subscription': return present(n.name);
      case 'segment': return present(n.segmentName);
      case 'not': return leafComplete(n.rule);
      default: return false;
    }
  }

  /** The valid AST the builder stands for, or null while no condition is complete. */
  function toAst(n) {
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

  function stripEmpty(n) {
    if (n.type === 'not') {
      stripEmpty(n.rule);
    }
    if ((n.type === 'event' || n.type === 'recency') && n.where && n.where.length === 0) {
      delete n.where;
    }
  }

  // ---- field conditions: operators offered by type ----------------------------------------------------------

  var OPS = {
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
    isSet: {label: 'has a value', arity: 'none'},
    isNotSet: {label: 'has no value', arity: 'none'}
  };

  var OPS_BY_TYPE = {
    string: ['eq', 'ne', 'in', 'notIn', 'contains', 'notContains', 'startsWith', 'endsWith', 'isSet', 'isNotSet'],
    number: ['eq', 'ne', 'gt', 'ge', 'lt', 'le', 'between', 'in', 'notIn', 'isSet', 'isNotSet'],
    boolean: ['isTrue', 'isFalse', 'isSet', 'isNotSet'],
    date: ['withinLast', 'moreThanAgo', 'withinNext', 'before', 'after', 'on', 'dateBetween', 'isSet', 'isNotSet'],
    array: ['contains', 'notContains', 'containsAny', 'containsAll', 'isSet', 'isNotSet'],
    object: ['isSet', 'isNotSet']
  };

  var UNITS = [
    {value: 'MINUTE', label: 'minutes'}, {value: 'HOUR', label: 'hours'}, {value: 'DAY', label: 'days'},
    {value: 'WEEK', label: 'weeks'}, {value: 'MONTH', label: 'months'}
  ];

  var COMPARE_OPS = {EQ: 'eq', NE: 'ne', GT: 'gt', GE: 'ge', LT: 'lt', LE: 'le'};

  function opOf(c) {
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
      default: return c.type;
    }
  }

  /** The values a condition holds, as the strings its inputs show. */
  function valuesOf(c) {
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
      default: return [];
    }
  }

  function valueText(v) {
    if (!v) {
      return '';
    }
    if (v.type === 'date') {
      return timeText(v.value);
    }
    return v.value === null || v.value === undefined ? '' : String(v.value);
  }

  function timeText(t) {
    if (!t) {
      return '';
    }
    return t.type === 'day' ? t.date : t.dateTime;
  }

  function timeOf(text) {
    text = (text || '').trim();
    return /T/.test(text) ? {type: 'moment', dateTime: text} : {type: 'day', date: text};
  }

  function valueOf(text, type) {
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

  function splitList(text) {
    return String(text || '').split(',').map(function (s) { return s.trim(); }).filter(function (s) { return s !== ''; });
  }

  function conditionOf(op, values, type) {
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
      default: return null;
    }
  }

  function carriedValues(oldOp, newOp, old) {
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
    return [];
  }

  function defaultOp(type) {
    return (OPS_BY_TYPE[type] || OPS_BY_TYPE.string)[0];
  }

  // ---- rendering -----------------------------------------------------------------------------------------

  var state = adoptRoot(parseJson(ruleInput.value));
  var tree = document.getElementById('builder-tree');

  function parseJson(text) {
    if (!text) {
      return null;
    }
    try {
      return JSON.parse(text);
    } catch (e) {
      return null;
    }
  }

  var CONTROLS = 'select, input, button';

  function render() {
    // Keep keyboard users where they were: the same input, or else the control at the same position.
    var active = document.activeElement;
    var focusPath = active && tree.contains(active) && active.dataset ? active.dataset.focus : null;
    var position = Array.prototype.indexOf.call(tree.querySelectorAll(CONTROLS), active);
    tree.textContent = '';
    tree.appendChild(renderGroup(state, null, 0));
    var again = focusPath ? tree.querySelector('[data-focus="' + focusPath + '"]') : null;
    if (!again && position >= 0) {
      again = tree.querySelectorAll(CONTROLS)[position];
    }
    if (again) {
      again.focus();
    }
  }

  /** Call after every edit: re-render when the shape changed, keep the hidden field in step, schedule the preview. */
  function changed(reshaped) {
    if (reshaped) {
      render();
    }
    var ast = toAst(state);
    ruleInput.value = ast ? JSON.stringify(ast) : '';
    markIncomplete();
    schedulePreview();
  }

  function markIncomplete() {
    tree.querySelectorAll('[data-leaf]').forEach(function (row) {
      row.classList.toggle('incomplete', !leafComplete(row.__node));
    });
  }

  var GROUP_LABELS = {and: 'All of these', or: 'Any of these', none: 'None of these'};

  function renderGroup(group, parent, depth) {
    var kind = groupKind(group);
    var box = el('div', {className: 'b-group b-group-' + kind + (depth === 0 ? ' b-root' : ''), role: 'group',
      'aria-label': GROUP_LABELS[kind]});
    var head = el('div', {className: 'b-group-head'},
      el('span', {className: 'b-group-intro', text: depth === 0 ? 'Users who match' : 'Match'}),
      select('Group type', [
        {value: 'and', label: 'all of these'}, {value: 'or', label: 'any of these'}, {value: 'none', label: 'none of these'}
      ], kind, function (k) { setGroupKind(group, k); changed(true); }, {'data-test': 'group-kind'}));
    if (parent) {
      head.appendChild(rowTools(parent, group));
    }
    box.appendChild(head);
    var list = el('ol', {className: 'b-rules'});
    groupRules(group).forEach(function (child, i) {
      var item = el('li', {className: 'b-rule-item'});
      if (i > 0) {
        item.appendChild(el('span', {className: 'b-joiner', 'aria-hidden': 'true', text: kind === 'or' ? 'or' : kind === 'none' ? 'nor' : 'and'}));
      }
      item.appendChild(isGroup(child) ? renderGroup(child, group, depth + 1) : renderLeaf(child, group));
      list.appendChild(item);
    });
    box.appendChild(list);
    if (groupRules(group).length === 0) {
      box.appendChild(el('p', {className: 'b-empty', text: depth === 0
        ? 'No conditions yet. Start with a user field (like signupDate) or an event (like purchase).'
        : 'This group is empty.'}));
    }
    box.appendChild(addBar(group));
    return box;
  }

  function addBar(group) {
    function add(label, make, test) {
      return el('button', {type: 'button', className: 'b-add', 'data-test': test, onclick: function () {
        groupRules(group).push(make());
        changed(true);
        var rows = tree.querySelectorAll('[data-leaf], .b-group');
        var last = rows[rows.length - 1];
        var first = last && last.querySelector('select, input');
        if (first) {
          first.focus();
        }
      }}, label);
    }
    return el('div', {className: 'b-addbar'},
      add('+ User field', function () { return {type: 'field', field: [], condition: null}; }, 'add-field'),
      add('+ Event', function () { return {type: 'event', eventName: ''}; }, 'add-event'),
      add('+ First/last event', function () {
        return {type: 'recency', which: 'LAST', eventName: '', condition: {type: 'withinLast', span: {amount: 30, unit: 'DAY'}}};
      }, 'add-recency'),
      add('+ List', function () { return {type: 'list', listName: ''}; }, 'add-list'),
      add('+ Subscription', function () { return {type: 'subscription', subscribed: true, target: 'MESSAGE_TYPE', name: ''}; }, 'add-subscription'),
      add('+ Segment', function () { return {type: 'segment', segmentName: ''}; }, 'add-segment'),
      add('+ Group', function () { return {type: 'or', rules: []}; }, 'add-group'));
  }

  function rowTools(parent, node) {
    var rules = groupRules(parent);
    function move(delta) {
      var i = rules.indexOf(node);
      var j = i + delta;
      if (j < 0 || j >= rules.length) {
        return;
      }
      rules.splice(i, 1);
      rules.splice(j, 0, node);
      changed(true);
    }
    var i = rules.indexOf(node);
    return el('span', {className: 'b-tools'},
      el('button', {type: 'button', className: 'b-tool', 'aria-label': 'Move up', title: 'Move up', disabled: i === 0,
        onclick: function () { move(-1); }}, '↑'),
      el('button', {type: 'button', className: 'b-tool', 'aria-label': 'Move down', title: 'Move down', disabled: i === rules.length - 1,
        onclick: function () { move(1); }}, '↓'),
      el('button', {type: 'button', className: 'b-tool b-remove', 'aria-label': 'Remove', title: 'Remove', 'data-test': 'remove',
        onclick: function () { rules.splice(rules.indexOf(node), 1); changed(true); }}, '×'));
  }

  function renderLeaf(node, parent) {
    var negated = node.type === 'not';
    var leaf = negated ? node.rule : node;
    var row = el('div', {className: 'b-leaf b-leaf-' + leaf.type, 'data-leaf': leaf.type});
    row.__node = node;
    var body = el('div', {className: 'b-leaf-body'});
    switch (leaf.type) {
      case 'field': fieldEditor(body, leaf, catalog.fields || [], 'user'); break;
      case 'event': eventEditor(body, node, parent); break;
      case 'recency': recencyEditor(body, leaf); break;
      case 'list': membershipEditor(body, node, parent, 'list', 'listName', catalog.lists || [], 'list'); break;
      case 'segment': membershipEditor(body, node, parent, 'segment', 'segmentName', catalog.segments || [], 'segment'); break;
      case 'subscription': subscriptionEditor(body, leaf); break;
      default: body.appendChild(el('span', {text: 'Unsupported condition'}));
    }
    row.appendChild(body);
    row.appendChild(rowTools(parent, node));
    row.classList.toggle('incomplete', !leafComplete(node));
    return row;
  }

  /** Replaces {@code node} in its parent group by {@code replacement} (used to toggle a leaf's negation). */
  function replaceIn(parent, node, replacement) {
    var rules = groupRules(parent);
    rules[rules.indexOf(node)] = replacement;
  }

  function negationSelect(node, parent, positive, negative, test) {
    var negated = node.type === 'not';
    return select('Include or exclude', [{value: 'yes', label: positive}, {value: 'no', label: negative}], negated ? 'no' : 'yes',
      function (v) {
        if (v === 'no' && !negated) {
          replaceIn(parent, node, {type: 'not', rule: node});
        } else if (v === 'yes' && negated) {
          replaceIn(parent, node, node.rule);
        }
        changed(true);
      }, {'data-test': test});
  }

  function fieldOptions(fields, scope) {
    return fields.map(function (f) {
      var detail = scope === 'user' ? f.type + (f.array ? ' list' : '') + ', ' + percent(f.fillRate) : f.type + (f.array ? ' list' : '');
      return {value: f.path, label: f.path + ' — ' + detail};
    });
  }

  /** A condition on a user field or, inside an event's "where", on one of the event's data fields. */
  function fieldEditor(container, rule, fields, scope) {
    var byPath = {};
    fields.forEach(function (f) { byPath[f.path] = f; });
    var path = (rule.field || []).join('.');
    var known = byPath[path];
    var type = known ? (known.array ? 'array' : known.type) : guessType(rule.condition);
    var fieldSelect = select(scope === 'user' ? 'User field' : 'Event field', fieldOptions(fields, scope), path, function (p) {
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
    }, {className: 'b-field', 'data-test': scope === 'user' ? 'field' : 'where-field'});
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

  function isArrayOp(op) {
    return op === 'containsAny' || op === 'containsAll';
  }

  function elementType(field, type) {
    if (field && field.array) {
      return field.type === 'array' ? 'string' : field.type;
    }
    return type === 'array' ? 'string' : type;
  }

  function guessType(c) {
    if (!c) {
      return 'string';
    }
    var op = opOf(c);
    if (['withinLast', 'moreThanAgo', 'withinNext', 'before', 'after', 'on', 'dateBetween'].indexOf(op) >= 0) {
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

  function spanInputs(container, amount, unit, onChange, key) {
    var a = amount === null || amount === undefined ? '' : amount;
    var u = unit || 'DAY';
    container.appendChild(input('Amount', 'number', a, function (v) { a = v; onChange(a, u); },
      {className: 'b-value b-narrow', min: '0', step: '1', 'data-test': 'amount', 'data-focus': key}));
    container.appendChild(select('Unit', UNITS, u, function (v) { u = v; onChange(a, u); }, {'data-test': 'unit'}));
  }

  function dateInput(label, value, onInput, key) {
    var moment = value && /T/.test(value);
    return input(label, moment ? 'text' : 'date', value, onInput, {className: 'b-value b-date', 'data-focus': key,
      placeholder: moment ? 'YYYY-MM-DDThh:mmZ' : null});
  }

  function eventSelect(rule, label) {
    var options = (catalog.events || []).map(function (e) {
      return {value: e.name, label: e.name + ' — ' + formatCount(e.volume) + ' events' + (e.lastSeen ? ', last ' + e.lastSeen.substring(0, 10) : '')};
    });
    return select(label, options, rule.eventName, function (name) {
      rule.eventName = name;
      changed(true);
    }, {className: 'b-event', 'data-test': 'event'});
  }

  function whereEditor(container, rule) {
    var fields = eventsByName[rule.eventName] ? eventsByName[rule.eventName].fields : [];
    var where = rule.where || [];
    var box = el('div', {className: 'b-where'});
    where.forEach(function (w, i) {
      var line = el('div', {className: 'b-sub'}, el('span', {className: 'b-word', text: i === 0 ? 'where' : 'and'}));
      fieldEditor(line, w, fields, 'event');
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

  function eventEditor(container, node, parent) {
    var rule = node.type === 'not' ? node.rule : node;
    var main = el('div', {className: 'b-line'},
      negationSelect(node, parent, 'performed', 'did not perform', 'performed'),
      eventSelect(rule, 'Event'));
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

  function setCount(rule, count) {
    // "at least 1 time" is what a rule without a count means: leave it out so the text stays short.
    if (count.op === 'AT_LEAST' && count.times === 1) {
      delete rule.count;
    } else {
      rule.count = {op: count.op, times: count.times};
    }
  }

  var DATE_OPS = ['withinLast', 'moreThanAgo', 'withinNext', 'before', 'after', 'on', 'dateBetween'];

  function recencyEditor(container, rule) {
    var main = el('div', {className: 'b-line'},
      select('First or last', [{value: 'FIRST', label: 'first'}, {value: 'LAST', label: 'last'}], rule.which,
        function (v) { rule.which = v; changed(false); }, {'data-test': 'which'}),
      el('span', {className: 'b-word', text: 'performed'}),
      eventSelect(rule, 'Event'),
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

  // ---- server calls --------------------------------------------------------------------------------------

  function post(path, payload) {
    var headers = {'Content-Type': 'application/json', 'Accept': 'application/json'};
    if (csrfInput) {
      headers[csrfHeader] = csrfInput.value;
    }
    return fetch(path, {method: 'POST', headers: headers, credentials: 'same-origin', body: JSON.stringify(payload)})
      .then(function (response) {
        return response.json().catch(function () { return {}; }).then(function (body) {
          return {ok: response.ok, status: response.status, body: body};
        });
      });
  }

  function problemsOf(result) {
    var body = result.body || {};
    if (body.errors && body.errors.length) {
      return body.errors;
    }
    return [{line: 0, column: 0, message: body.msg || ('The server answered ' + result.status)}];
  }

  function problemText(p) {
    return (p.line > 0 ? 'Line ' + p.line + ', column ' + p.column + ': ' : '') + p.message;
  }

  // ---- tabs: the builder and the rule language edit the same AST -------------------------------------------

  var tabs = Array.prototype.slice.call(document.querySelectorAll('[role="tab"][data-mode]'));
  var busy = false;

  function currentMode() {
    return modeInput.value === 'text' ? 'text' : 'builder';
  }

  function showMode(mode) {
    modeInput.value = mode;
    tabs.forEach(function (t) {
      var on = t.dataset.mode === mode;
      t.setAttribute('aria-selected', on ? 'true' : 'false');
      t.tabIndex = on ? 0 : -1;
      document.getElementById(t.getAttribute('aria-controls')).hidden = !on;
    });
  }

  function switchTo(mode) {
    if (busy || mode === currentMode()) {
      return;
    }
    busy = true;
    textProblems.textContent = '';
    if (mode === 'text') {
      var ast = toAst(state);
      var done = function (text) {
        dslInput.value = text;
        showMode('text');
        busy = false;
        schedulePreview();
      };
      if (!ast) {
        done('');
        return;
      }
      post('/ui/print', {rule: ast}).then(function (r) {
        if (r.ok) {
          done(r.body.dsl);
        } else {
          busy = false;
          showProblems(textProblems, problemsOf(r));
        }
      }).catch(function () { busy = false; });
    } else {
      var text = dslInput.value.trim();
      if (!text) {
        state = adoptRoot(null);
        showMode('builder');
        busy = false;
        changed(true);
        return;
      }
      post('/ui/parse', {dsl: text}).then(function (r) {
        busy = false;
        if (!r.ok) {
          // Stay on the text: the user fixes the line and column we point at, nothing is lost.
          showProblems(textProblems, problemsOf(r));
          return;
        }
        state = adoptRoot(r.body.rule);
        showMode('builder');
        changed(true);
      }).catch(function () { busy = false; });
    }
  }

  tabs.forEach(function (t, i) {
    t.addEventListener('click', function () { switchTo(t.dataset.mode); });
    t.addEventListener('keydown', function (e) {
      if (e.key === 'ArrowRight' || e.key === 'ArrowLeft') {
        var next = tabs[(i + (e.key === 'ArrowRight' ? 1 : tabs.length - 1)) % tabs.length];
        next.focus();
        switchTo(next.dataset.mode);
        e.preventDefault();
      }
    });
  });

  function showProblems(container, problems) {
    container.textContent = '';
    if (!problems.length) {
      return;
    }
    var list = el('ul', {className: 'problems', role: 'alert'});
    problems.forEach(function (p) { list.appendChild(el('li', {text: problemText(p)})); });
    container.appendChild(list);
  }

  dslInput.addEventListener('input', function () {
    textProblems.textContent = '';
    schedulePreview();
  });

  // ---- live preview ----------------------------------------------------------------------------------------

  var timer = null;
  var sequence = 0;

  function schedulePreview() {
    clearTimeout(timer);
    if (!requestBody()) {
      // Nothing to ask the server about: say so at once instead of dimming the panel.
      sequence++;
      preview.classList.remove('is-loading');
      renderEmptyPreview();
      return;
    }
    preview.classList.add('is-loading');
    timer = setTimeout(runPreview, 400);
  }

  function requestBody() {
    if (currentMode() === 'text') {
      var text = dslInput.value.trim();
      return text ? {dsl: text} : null;
    }
    var ast = toAst(state);
    return ast ? {rule: ast} : null;
  }

  function runPreview() {
    var mine = ++sequence;
    var payload = requestBody();
    if (!payload) {
      preview.classList.remove('is-loading');
      renderEmptyPreview();
      return;
    }
    post('/ui/preview', payload).then(function (r) {
      if (mine !== sequence) {
        return;
      }
      preview.classList.remove('is-loading');
      if (!r.ok) {
        renderPreviewProblems(problemsOf(r));
        return;
      }
      renderPreview(r.body);
      if (segmentId) {
        post('/ui/impact/' + encodeURIComponent(segmentId), payload).then(function (i) {
          if (mine === sequence && i.ok) {
            renderImpact(i.body);
          }
        });
      }
    }).catch(function () {
      if (mine === sequence) {
        preview.classList.remove('is-loading');
        renderPreviewProblems([{line: 0, column: 0, message: 'Could not reach Segmenta. Check your connection and try again.'}]);
      }
    });
  }

  function part(name) {
    return preview.querySelector('[data-part="' + name + '"]');
  }

  function renderEmptyPreview() {
    part('count').textContent = '—';
    part('share').textContent = 'Add a condition to see who matches.';
    part('description').textContent = '';
    ['funnel', 'warnings', 'sample', 'problems', 'impact'].forEach(function (p) { part(p).textContent = ''; });
    preview.dataset.state = 'empty';
  }

  function renderPreviewProblems(problems) {
    part('count').textContent = '—';
    part('share').textContent = 'This rule cannot be evaluated yet.';
    showProblems(part('problems'), problems);
    ['funnel', 'sample', 'impact'].forEach(function (p) { part(p).textContent = ''; });
    preview.dataset.state = 'invalid';
  }

  function renderPreview(p) {
    preview.dataset.state = 'ready';
    part('problems').textContent = '';
    part('count').textContent = formatCount(p.count);
    var pct = p.percent >= 10 || p.percent === 0 ? Math.round(p.percent) : p.percent.toFixed(1);
    part('share').textContent = 'users match — ' + pct + '% of ' + formatCount(p.total);
    part('description').textContent = p.description;

    var funnel = part('funnel');
    funnel.textContent = '';
    if (p.funnel && p.funnel.length > 1) {
      funnel.appendChild(el('h3', {text: 'Step by step'}));
      var ol = el('ol', {className: 'funnel'});
      p.funnel.forEach(function (step) {
        var width = p.total > 0 ? Math.max(1, Math.round(100 * step.remaining / p.total)) : 0;
        var bar = el('span', {className: 'funnel-bar'});
        bar.style.width = width + '%';
        ol.appendChild(el('li', null,
          el('span', {className: 'funnel-label', text: step.description}),
          el('span', {className: 'funnel-count', text: formatCount(step.remaining)}),
          el('span', {className: 'funnel-track', 'aria-hidden': 'true'}, bar)));
      });
      funnel.appendChild(ol);
    }

    var warnings = part('warnings');
    warnings.textContent = '';
    if (p.warnings && p.warnings.length) {
      warnings.appendChild(el('h3', {text: 'Worth a look'}));
      var ul = el('ul', {className: 'warnings'});
      p.warnings.forEach(function (w) { ul.appendChild(el('li', {text: w.message})); });
      warnings.appendChild(ul);
    }

    var sample = part('sample');
    sample.textContent = '';
    if (p.sample && p.sample.length) {
      sample.appendChild(el('h3', {text: 'Some of them'}));
      var list = el('ul', {className: 'sample'});
      p.sample.forEach(function (m) {
        var who = m.email || m.userId;
        // A saved segment explains the user against its saved rule; a new one opens the user's profile.
        var href = segmentId && m.email
          ? '/segments/' + encodeURIComponent(segmentId) + '/explain?email=' + encodeURIComponent(m.email)
          : '/users/' + encodeURIComponent(m.id);
        list.appendChild(el('li', null, el('a', {href: href, text: who})));
      });
      sample.appendChild(list);
    }
  }

  function renderImpact(i) {
    var box = part('impact');
    box.textContent = '';
    box.appendChild(el('h3', {text: 'If you save'}));
    if (i.added === 0 && i.removed === 0) {
      box.appendChild(el('p', {text: 'Nobody joins or leaves this segment.'}));
      return;
    }
    box.appendChild(el('p', {className: 'impact'},
      el('span', {className: 'impact-added', text: '+' + formatCount(i.added) + ' join'}),
      ' ',
      el('span', {className: 'impact-removed', text: '−' + formatCount(i.removed) + ' leave'})));
    function who(list, label) {
      if (list && list.length) {
        box.appendChild(el('p', {className: 'impact-who', text: label + ': ' + list.map(function (m) { return m.email || m.userId; }).join(', ')}));
      }
    }
    who(i.sampleAdded, 'Joining');
    who(i.sampleRemoved, 'Leaving');
  }

  // ---- name lint ---------------------------------------------------------------------------------------------

  var nameInput = document.getElementById('segment-name');
  var descriptionInput = document.getElementById('segment-description');
  var nameLint = document.getElementById('name-lint');
  var nameTimer = null;

  function lintName() {
    clearTimeout(nameTimer);
    nameTimer = setTimeout(function () {
      post('/ui/name-lint', {name: nameInput.value, description: descriptionInput.value}).then(function (r) {
        nameLint.textContent = '';
        if (r.ok) {
          r.body.warnings.forEach(function (w) { nameLint.appendChild(el('li', {text: w.message})); });
        }
      });
    }, 400);
  }

  nameInput.addEventListener('input', lintName);
  descriptionInput.addEventListener('input', lintName);

  // ---- save ----------------------------------------------------------------------------------------------------

  form.addEventListener('submit', function () {
    if (currentMode() === 'builder') {
      var ast = toAst(state);
      ruleInput.value = ast ? JSON.stringify(ast) : '';
    }
  });

  // ---- start -----------------------------------------------------------------------------------------------------

  showMode(currentMode());
  render();
  changed(false);
  if (nameInput.value || descriptionInput.value) {
    lintName();
  }
}());
