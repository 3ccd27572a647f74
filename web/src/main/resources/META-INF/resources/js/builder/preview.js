/*
 * The live preview: 400 ms after the last change, post the rule to /ui/preview (and /ui/impact for a saved
 * segment) and show the count, share, description, funnel, warnings and a sample. Answers to older requests are
 * dropped, so a slow answer never overwrites a newer one.
 */
import {el, formatCount, showProblems} from './dom.js';
import {aboutCount, estimateNote} from './estimate.js';
import {post, problemsOf} from './server.js';
import {picker, userFieldGroups} from './pickers.js';

/** options: {panel, segmentId, requestBody(), catalog}; returns {schedule}. */
export function createPreview(options) {
  const preview = options.panel;
  const segmentId = options.segmentId;
  const requestBody = options.requestBody;

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
  function runPreview() {
    var mine = ++sequence;
    var payload = requestBody();
    if (!payload) {
      preview.classList.remove('is-loading');
      renderEmptyPreview();
      return;
    }
    post('/ui/preview', columns.length ? Object.assign({columns: columns}, payload) : payload).then(function (r) {
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
    var pct = p.percent >= 10 || p.percent === 0 ? Math.round(p.percent) : p.percent.toFixed(1);
    var share = part('share');
    if (p.estimate) {
      // A sampled engine answered: the count is a point estimate with a 95 % interval (docs/spark.md).
      part('count').textContent = 'about ' + aboutCount(p.count);
      share.textContent = '';
      share.appendChild(el('span', {className: 'estimate-badge', 'data-test': 'preview-estimate', text: 'Estimate'}));
      share.appendChild(document.createTextNode(' users, ' + estimateNote(p.count, p.estimate) + ' — about ' + pct + '% of '
        + formatCount(p.total)));
    } else {
      part('count').textContent = formatCount(p.count);
      share.textContent = 'users match — ' + pct + '% of ' + formatCount(p.total);
    }
    if (p.fallback) {
      // SQL answered instead of the configured engine (e.g. a sampled engine still loading): say which, and why.
      share.appendChild(el('span', {className: 'engine-note', 'data-test': 'preview-engine-note',
        text: ' (computed by SQL: ' + p.fallback + ')'}));
    }
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
          el('span', {className: 'funnel-count', text: step.estimate ? '≈ ' + aboutCount(step.remaining) : formatCount(step.remaining),
            title: step.estimate ? 'Estimate: ' + estimateNote(step.remaining, step.estimate) : null}),
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
      var shown = p.columns || [];
      var head = el('tr', null, el('th', {scope: 'col', text: 'email / userId'}));
      shown.forEach(function (c) { head.appendChild(el('th', {scope: 'col', text: c})); });
      var body = el('tbody');
      p.sample.forEach(function (m) {
        var who = m.email || m.userId;
        // A saved segment explains the user against its saved rule; a new one opens the user's profile.
        var href = segmentId && m.email
          ? '/segments/' + encodeURIComponent(segmentId) + '/explain?email=' + encodeURIComponent(m.email)
          : '/users/' + encodeURIComponent(m.id);
        var row = el('tr', null, el('td', null, el('a', {href: href, text: who})));
        (m.values || []).forEach(function (v) { row.appendChild(el('td', {text: v})); });
        body.appendChild(row);
      });
      sample.appendChild(el('div', {className: 'sample-scroll'}, el('table', {className: 'sample'}, el('thead', null, head), body)));
    }
  }

  // ---- chosen columns of the sample ------------------------------------------------------------------------

  var columns = [];
  var columnsBox = preview.querySelector('[data-part="columns"]');

  function renderColumns() {
    if (!columnsBox) {
      return;
    }
    columnsBox.textContent = '';
    var chips = el('ul', {className: 'b-chips', 'aria-label': 'Columns of the sample'});
    columns.forEach(function (c) {
      chips.appendChild(el('li', {className: 'b-chip'}, el('span', {text: c}),
        el('button', {type: 'button', className: 'b-tool b-remove', 'aria-label': 'Remove column ' + c, title: 'Remove column',
          onclick: function () { columns.splice(columns.indexOf(c), 1); renderColumns(); schedulePreview(); }}, '×')));
    });
    columnsBox.appendChild(el('span', {className: 'b-word', text: 'Columns: email / userId'}));
    columnsBox.appendChild(chips);
    columnsBox.appendChild(picker({label: 'Add a column', test: 'add-column', current: '', className: 'b-add-column', placeholder: '+ Add a column',
      groups: userFieldGroups((options.catalog && options.catalog.fields) || []), onPick: function (path) {
        if (columns.indexOf(path) < 0) {
          columns.push(path);
        }
        renderColumns();
        schedulePreview();
      }}));
  }

  renderColumns();

  function renderImpact(i) {
    var box = part('impact');
    box.textContent = '';
    box.appendChild(el('h3', {text: 'If you save'}));
    if (i.added === 0 && i.removed === 0) {
      box.appendChild(el('p', {text: 'Nobody joins or leaves this segment.'}));
      return;
    }
    if (i.addedEstimate) {
      box.appendChild(el('p', {className: 'impact'},
        el('span', {className: 'estimate-badge', text: 'Estimate'}), ' ',
        el('span', {className: 'impact-added', text: '+about ' + aboutCount(i.added) + ' join',
          title: estimateNote(i.added, i.addedEstimate)}),
        ' ',
        el('span', {className: 'impact-removed', text: '−about ' + aboutCount(i.removed) + ' leave',
          title: estimateNote(i.removed, i.removedEstimate)})));
    } else {
      box.appendChild(el('p', {className: 'impact'},
        el('span', {className: 'impact-added', text: '+' + formatCount(i.added) + ' join'}),
        ' ',
        el('span', {className: 'impact-removed', text: '−' + formatCount(i.removed) + ' leave'})));
    }
    function who(list, label) {
      if (list && list.length) {
        box.appendChild(el('p', {className: 'impact-who', text: label + ': ' + list.map(function (m) { return m.email || m.userId; }).join(', ')}));
      }
    }
    who(i.sampleAdded, 'Joining');
    who(i.sampleRemoved, 'Leaving');
  }

  return {schedule: schedulePreview};
}
