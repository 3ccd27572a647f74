/*
 * Tiny DOM helpers for the builder. User text only ever reaches the page through textContent and input values.
 */

export function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  if (attrs) {
    Object.keys(attrs).forEach(function (k) {
      const v = attrs[k];
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
  children.forEach(function (child) {
    if (child === null || child === undefined || child === false) {
      return;
    }
    node.appendChild(typeof child === 'string' ? document.createTextNode(child) : child);
  });
  return node;
}

export function select(label, options, current, onChange, extra) {
  const s = el('select', Object.assign({'aria-label': label, onchange: function () { onChange(s.value); }}, extra || {}));
  let found = false;
  options.forEach(function (o) {
    const opt = typeof o === 'string' ? {value: o, label: o} : o;
    const option = el('option', {value: opt.value, text: opt.label});
    if (String(opt.value) === String(current)) {
      option.selected = true;
      found = true;
    }
    s.appendChild(option);
  });
  if (!found && current !== undefined && current !== null && current !== '') {
    // A name the catalog does not know (typed in the rule language): keep it visible rather than lose it.
    const unknown = el('option', {value: current, text: current + ' (not in the catalog)'});
    unknown.selected = true;
    s.appendChild(unknown);
  } else if (!found) {
    const placeholder = el('option', {value: '', text: 'Choose…'});
    placeholder.selected = true;
    s.insertBefore(placeholder, s.firstChild);
  }
  return s;
}

export function input(label, type, value, onInput, extra) {
  const i = el('input', Object.assign({type: type, 'aria-label': label, value: value === null || value === undefined ? '' : String(value)},
    extra || {}));
  i.addEventListener('input', function () { onInput(i.value); });
  return i;
}

export function percent(rate) {
  if (rate === null || rate === undefined) {
    return 'fill rate unknown';
  }
  const p = rate * 100;
  return (p >= 10 || p === 0 ? Math.round(p) : p.toFixed(1)) + '% filled';
}

export function formatCount(n) {
  return Number(n).toLocaleString('en-US');
}

export function problemText(p) {
  return (p.line > 0 ? 'Line ' + p.line + ', column ' + p.column + ': ' : '') + p.message;
}

export function showProblems(container, problems) {
  container.textContent = '';
  if (!problems.length) {
    return;
  }
  const list = el('ul', {className: 'problems', role: 'alert'});
  problems.forEach(function (p) { list.appendChild(el('li', {text: problemText(p)})); });
  container.appendChild(list);
}
