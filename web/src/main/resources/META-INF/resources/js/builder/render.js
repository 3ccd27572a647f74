/*
 * Renders the builder's tree of groups and rows into the page and keeps it in step with the model: every edit
 * changes the AST in place, then calls changed(reshaped), which re-renders when the shape changed and reports the
 * valid AST (toAst) to the page.
 */
import {el, select} from './dom.js';
import {isGroup, groupKind, groupRules, setGroupKind, leafComplete, toAst, newSequence} from './state.js';
import {createEditors} from './editors.js';

/** options: {tree, catalog, state, onChange(ast)}; returns {render, changed, state(), setState(node)}. */
export function createBuilder(options) {
  const tree = options.tree;
  const catalog = options.catalog;
  let state = options.state;
  const eventsByName = {};
  (catalog.events || []).forEach(function (e) { eventsByName[e.name] = e; });
  const editors = createEditors({catalog: catalog, eventsByName: eventsByName, changed: changed, negationSelect: negationSelect});
  const fieldEditor = editors.fieldEditor;
  const eventEditor = editors.eventEditor;
  const recencyEditor = editors.recencyEditor;
  const membershipEditor = editors.membershipEditor;
  const subscriptionEditor = editors.subscriptionEditor;

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


  /** Call after every edit: re-render when the shape changed, report the AST, mark incomplete rows. */
  function changed(reshaped) {
    if (reshaped) {
      render();
    }
    markIncomplete();
    options.onChange(toAst(state));
  }

  function markIncomplete() {
    tree.querySelectorAll('[data-leaf]').forEach(function (row) {
      row.classList.toggle('incomplete', !leafComplete(row.__node));
    });
  }

  var GROUP_LABELS = {and: 'All of these', or: 'Any of these', none: 'None of these'};

  // The one add-bar: it sits in the group that new conditions go to (the whole rule at first). Every other group
  // offers "+ Add to this group", which moves the bar there, so the bar is never repeated under each group.
  let addTarget = null;

  function contains(group, target) {
    if (group === target) {
      return true;
    }
    return groupRules(group).some(function (child) { return isGroup(child) && contains(child, target); });
  }

  function renderGroup(group, parent, depth) {
    if (depth === 0 && (!addTarget || !contains(group, addTarget))) {
      addTarget = group;
    }
    var kind = groupKind(group);
    var box = el('div', {className: 'b-group b-group-' + kind + (depth === 0 ? ' b-root' : ''), role: 'group',
      'aria-label': GROUP_LABELS[kind]});
    box.__node = group;
    var head = el('div', {className: 'b-group-head'},
      el('span', {className: 'b-group-intro', text: depth === 0 ? 'Users who match' : 'Match'}),
      select('Group type', [
        {value: 'and', label: 'all of'}, {value: 'or', label: 'any of'}, {value: 'none', label: 'none of'}
      ], kind, function (k) { setGroupKind(group, k); changed(true); }, {'data-test': 'group-kind'}),
      el('span', {className: 'b-group-outro', text: kind === 'none' ? 'these (each one excludes)' : 'these'}));
    if (parent) {
      head.appendChild(rowTools(parent, group));
    }
    box.appendChild(head);
    var list = el('ol', {className: 'b-rules'});
    groupRules(group).forEach(function (child) {
      var item = el('li', {className: 'b-rule-item'});
      item.appendChild(isGroup(child) ? renderGroup(child, group, depth + 1) : renderLeaf(child, group));
      list.appendChild(item);
    });
    box.appendChild(list);
    if (groupRules(group).length === 0) {
      box.appendChild(el('p', {className: 'b-empty', text: depth === 0
        ? 'No conditions yet. Start with a user field (like signupDate) or an event (like purchase).'
        : 'This group is empty.'}));
    }
    if (group === addTarget) {
      box.appendChild(addBar(group, depth));
    } else {
      box.appendChild(el('button', {type: 'button', className: 'b-link b-add-here', 'data-test': 'add-here',
        onclick: function () { addTarget = group; render(); var first = tree.querySelector('.b-addbar button'); if (first) { first.focus(); } }},
        '+ Add to this group'));
    }
    return box;
  }

  function addBar(group, depth) {
    function add(label, make, test) {
      return el('button', {type: 'button', className: 'b-add', 'data-test': test, onclick: function () {
        var made = make();
        groupRules(group).push(made);
        if (isGroup(made)) {
          // A new group is filled next: the add-bar moves into it.
          addTarget = made;
        }
        changed(true);
        var row = Array.prototype.find.call(tree.querySelectorAll('[data-leaf], .b-group'), function (r) { return r.__node === made; });
        var first = row && row.querySelector('select, input, button');
        if (first) {
          first.focus();
        }
      }}, label);
    }
    return el('div', {className: 'b-addbar', role: 'toolbar', 'aria-label': depth === 0 ? 'Add a condition' : 'Add a condition to this group'},
      el('span', {className: 'b-word', text: depth === 0 ? 'Add' : 'Add to this group'}),
      add('+ User field', function () { return {type: 'field', field: [], condition: null}; }, 'add-field'),
      add('+ Event', function () { return {type: 'event', eventName: ''}; }, 'add-event'),
      add('+ Sequence', newSequence, 'add-sequence'),
      add('+ First/last event', function () {
        return {type: 'recency', which: 'LAST', eventName: '', condition: {type: 'withinLast', span: {amount: 30, unit: 'DAY'}}};
      }, 'add-recency'),
      add('+ List', function () { return {type: 'list', listName: ''}; }, 'add-list'),
      add('+ Subscription', function () { return {type: 'subscription', subscribed: true, target: 'MESSAGE_TYPE', name: ''}; }, 'add-subscription'),
      add('+ Segment', function () { return {type: 'segment', segmentName: ''}; }, 'add-segment'),
      add('+ Random bucket', function () { return {type: 'bucket', op: 'LT', value: 10}; }, 'add-bucket'),
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
      case 'sequence': editors.sequenceEditor(body, node, parent); break;
      case 'bucket': editors.bucketEditor(body, leaf); break;
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

  return {
    render: render,
    changed: changed,
    state: function () { return state; },
    setState: function (node) { state = node; }
  };
}
