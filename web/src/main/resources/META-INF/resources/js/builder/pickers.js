/*
 * Pickers over the catalog: a button that shows the current choice and opens a type-ahead list, grouped (system,
 * profile and nested user fields; events; an event's own fields), each entry with its type, fill rate and a few
 * sample values. Native button + input + listbox (the ARIA combobox pattern): Up/Down move, Enter picks, Escape
 * closes. Typing filters on the name and on the sample values, so 200+ fields stay usable.
 */
import {el, percent, formatCount} from './dom.js';

const GROUPS = [
  {key: 'profile', label: 'Profile fields'},
  {key: 'nested', label: 'Nested fields'},
  {key: 'system', label: 'System fields'}
];

let nextId = 1;

function typeLabel(f) {
  return f.type + (f.array ? ' list' : '');
}

/** The groups of user fields, busiest first within each group (the catalog's order). */
export function userFieldGroups(fields) {
  return GROUPS.map(function (g) {
    return {label: g.label, items: fields.filter(function (f) { return (f.group || 'profile') === g.key; }).map(fieldItem)};
  }).filter(function (g) { return g.items.length > 0; });
}

export function eventFieldGroups(eventName, fields) {
  return [{label: 'Fields of ' + eventName, items: fields.map(fieldItem)}];
}

function fieldItem(f) {
  return {value: f.path, title: f.path, detail: typeLabel(f) + ' · ' + percent(f.fillRate), samples: f.samples || []};
}

export function eventGroups(events) {
  return [{label: 'Events, busiest first', items: events.map(function (e) {
    return {value: e.name, title: e.name,
      detail: formatCount(e.volume) + ' events' + (e.lastSeen ? ' · last ' + e.lastSeen.substring(0, 10) : ''),
      samples: (e.fields || []).slice(0, 4).map(function (f) { return f.path; })};
  })}];
}

/**
 * A type-ahead picker. options: {label, test, current, groups, onPick(value), className, placeholder}. The button carries
 * data-test={test} and value={current}; the search box data-test="picker-search"; each entry role="option",
 * data-value={value}.
 */
export function picker(options) {
  const all = [];
  options.groups.forEach(function (g) { g.items.forEach(function (item) { all.push(item); }); });
  const known = all.find(function (i) { return i.value === options.current; });
  const wrap = el('span', {className: 'b-picker'});
  const button = el('button', {type: 'button', className: 'b-picker-button ' + (options.className || ''), 'data-test': options.test,
    'aria-haspopup': 'listbox', 'aria-expanded': 'false', 'aria-label': options.label + (options.current ? ': ' + options.current : ''),
    value: options.current || ''},
  el('span', {className: 'b-picker-title', text: options.current ? options.current : (options.placeholder || 'Choose…')}),
  options.current ? el('span', {className: 'b-picker-detail', text: known ? known.detail : 'not in the catalog'}) : null);
  wrap.appendChild(button);
  let pop = null;

  function close(refocus) {
    if (!pop) {
      return;
    }
    pop.remove();
    pop = null;
    button.setAttribute('aria-expanded', 'false');
    document.removeEventListener('mousedown', outside, true);
    if (refocus) {
      button.focus();
    }
  }

  function outside(e) {
    if (!wrap.contains(e.target)) {
      close(false);
    }
  }

  function open() {
    const listId = 'picker-list-' + (nextId++);
    const search = el('input', {type: 'search', className: 'b-picker-search', role: 'combobox', 'aria-autocomplete': 'list',
      'aria-expanded': 'true', 'aria-controls': listId, 'aria-label': 'Search ' + options.label.toLowerCase(), 'data-test': 'picker-search',
      placeholder: 'Type to search ' + all.length + (all.length === 1 ? ' entry' : ' entries'), autocomplete: 'off'});
    const list = el('ul', {className: 'b-picker-list', role: 'listbox', id: listId, 'aria-label': options.label});
    let shown = [];
    let active = -1;

    function mark(i) {
      shown.forEach(function (o, j) { o.node.setAttribute('aria-selected', j === i ? 'true' : 'false'); });
      active = i;
      if (i >= 0 && shown[i]) {
        search.setAttribute('aria-activedescendant', shown[i].node.id);
        shown[i].node.scrollIntoView({block: 'nearest'});
      } else {
        search.removeAttribute('aria-activedescendant');
      }
    }

    function fill() {
      const words = search.value.toLowerCase().split(/\s+/).filter(Boolean);
      list.textContent = '';
      shown = [];
      options.groups.forEach(function (g) {
        const items = g.items.filter(function (item) {
          const hay = (item.title + ' ' + item.samples.join(' ')).toLowerCase();
          return words.every(function (w) { return hay.indexOf(w) >= 0; });
        });
        if (!items.length) {
          return;
        }
        list.appendChild(el('li', {role: 'presentation', className: 'b-picker-group', text: g.label + ' (' + items.length + ')'}));
        items.forEach(function (item) {
          const node = el('li', {role: 'option', id: listId + '-' + shown.length, 'data-value': item.value, 'data-test': 'picker-option',
            className: 'b-picker-option', 'aria-selected': 'false',
            onmousedown: function (e) { e.preventDefault(); },
            onclick: function () { choose(item.value); }},
          el('code', {text: item.title}),
          el('span', {className: 'b-picker-detail', text: item.detail}),
          item.samples.length ? el('span', {className: 'b-picker-samples', text: 'e.g. ' + item.samples.join(', ')}) : null);
          shown.push({item: item, node: node});
          list.appendChild(node);
        });
      });
      if (!shown.length) {
        list.appendChild(el('li', {role: 'presentation', className: 'b-picker-none', text: 'Nothing matches “' + search.value + '”.'}));
      }
      mark(shown.length ? 0 : -1);
    }

    function choose(value) {
      close(false);
      options.onPick(value);
    }

    search.addEventListener('input', fill);
    search.addEventListener('keydown', function (e) {
      if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
        if (shown.length) {
          mark((active + (e.key === 'ArrowDown' ? 1 : shown.length - 1)) % shown.length);
        }
        e.preventDefault();
      } else if (e.key === 'Enter') {
        e.preventDefault();
        if (active >= 0 && shown[active]) {
          choose(shown[active].item.value);
        }
      } else if (e.key === 'Escape') {
        e.preventDefault();
        close(true);
      }
    });
    pop = el('div', {className: 'b-picker-pop'}, search, list);
    wrap.appendChild(pop);
    button.setAttribute('aria-expanded', 'true');
    document.addEventListener('mousedown', outside, true);
    fill();
    search.focus();
  }

  button.addEventListener('click', function () {
    if (pop) {
      close(true);
    } else {
      open();
    }
  });
  button.addEventListener('keydown', function (e) {
    if (e.key === 'ArrowDown' && !pop) {
      e.preventDefault();
      open();
    }
  });
  return wrap;
}

export function eventSelect(ctx, rule, label) {
  return picker({label: label, test: 'event', current: rule.eventName, className: 'b-event', groups: eventGroups(ctx.catalog.events || []),
    onPick: function (name) {
      rule.eventName = name;
      ctx.changed(true);
    }});
}
