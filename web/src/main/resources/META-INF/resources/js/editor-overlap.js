// Editor: how many of the users the rule being edited matches are also in a chosen saved segment.
// Separate from builder.js: it reads the rule the builder keeps in the form (#rule-json, #dsl, #mode) and
// refreshes whenever the live preview shows a new count.
(function () {
  'use strict';
  var box = document.getElementById('overlap');
  var form = document.getElementById('editor-form');
  if (!box || !form || !window.fetch) {
    return;
  }
  var select = box.querySelector('select');
  var result = box.querySelector('[data-part="overlap-result"]');
  var csrfInput = form.querySelector('input[data-csrf]');
  var editing = box.dataset.segmentId || '';
  var sequence = 0;

  function post(path, payload) {
    var headers = {'Content-Type': 'application/json', 'Accept': 'application/json'};
    if (csrfInput) {
      headers['X-CSRF-TOKEN'] = csrfInput.value;
    }
    return fetch(path, {method: 'POST', headers: headers, credentials: 'same-origin', body: JSON.stringify(payload)})
      .then(function (response) {
        return response.json().catch(function () { return {}; }).then(function (body) {
          return {ok: response.ok, body: body};
        });
      });
  }

  function currentRule() {
    var mode = document.getElementById('mode');
    if (mode && mode.value === 'text') {
      var text = document.getElementById('dsl').value.trim();
      return text ? {dsl: text} : null;
    }
    var json = document.getElementById('rule-json').value;
    if (!json) {
      return null;
    }
    try {
      var rule = JSON.parse(json);
      return rule ? {rule: rule} : null;
    } catch (e) {
      return null;
    }
  }

  function percent(part, whole) {
    if (!whole) {
      return '0';
    }
    var p = 100 * part / whole;
    return p >= 10 || p === 0 ? String(Math.round(p)) : p.toFixed(1);
  }

  function show(text) {
    result.textContent = text;
  }

  function refresh() {
    var mine = ++sequence;
    var rule = currentRule();
    if (!select.value || !rule) {
      show('');
      return;
    }
    show('Comparing…');
    var payload = Object.assign({segmentId: Number(select.value)}, rule);
    post('/ui/overlap', payload).then(function (r) {
      if (mine !== sequence) {
        return;
      }
      if (!r.ok) {
        show(r.body && r.body.msg ? r.body.msg : 'The overlap cannot be computed for this rule yet.');
        return;
      }
      var o = r.body;
      // From a sampled engine the sizes are estimates (bothEstimate etc.): say so.
      show((o.bothEstimate ? 'Estimate: about ' : '') + o.both.toLocaleString() + ' users are in both: ' + percent(o.both, o.ruleSize) + ' % of this rule\u2019s '
        + o.ruleSize.toLocaleString() + ', ' + percent(o.both, o.segmentSize) + ' % of \u201c' + o.segmentName + '\u201d ('
        + o.segmentSize.toLocaleString() + ').');
    }).catch(function () {
      if (mine === sequence) {
        show('Could not reach Segmenta.');
      }
    });
  }

  fetch('/ui/overlap/segments', {credentials: 'same-origin', headers: {'Accept': 'application/json'}})
    .then(function (r) { return r.ok ? r.json() : {segments: []}; })
    .then(function (body) {
      (body.segments || []).forEach(function (s) {
        if (String(s.id) !== editing) {
          var option = document.createElement('option');
          option.value = s.id;
          option.textContent = s.name;
          select.appendChild(option);
        }
      });
      box.hidden = select.options.length <= 1;
    });

  select.addEventListener('change', refresh);
  // The live preview writes its count when it has evaluated an edit: compare again then.
  var count = document.querySelector('#preview [data-part="count"]');
  if (count && window.MutationObserver) {
    new MutationObserver(function () { if (select.value) { refresh(); } })
      .observe(count, {childList: true, characterData: true, subtree: true});
  }
}());
