/*
 * Segmenta's segment editor: the page's entry module. It wires the visual builder (builder/render.js over the AST
 * model in builder/state.js), the rule-language tab, the live preview (builder/preview.js), the name lint and the
 * save. The rule-language tab edits the same AST through the server: /ui/print turns the AST into canonical text,
 * /ui/parse turns text back into the AST.
 *
 * Plain DOM and ES modules, no framework, no build step. User text only ever reaches the page through textContent
 * and input values.
 */
import {el, showProblems} from './builder/dom.js';
import {post, problemsOf} from './builder/server.js';
import {adoptRoot, toAst, parseJson} from './builder/state.js';
import {createBuilder} from './builder/render.js';
import {createPreview} from './builder/preview.js';

const root = document.getElementById('builder');
if (root) {
  start(root);
}

function start(root) {
  const form = document.getElementById('editor-form');
  const segmentId = root.dataset.segmentId || '';
  const catalog = JSON.parse(root.dataset.catalog || '{}');
  const ruleInput = document.getElementById('rule-json');
  const modeInput = document.getElementById('mode');
  const dslInput = document.getElementById('dsl');
  const textProblems = document.getElementById('text-problems');

  const preview = createPreview({panel: document.getElementById('preview'), segmentId: segmentId, requestBody: requestBody, catalog: catalog});
  const builder = createBuilder({
    tree: document.getElementById('builder-tree'),
    catalog: catalog,
    state: adoptRoot(parseJson(ruleInput.value)),
    onChange: function (ast) {
      ruleInput.value = ast ? JSON.stringify(ast) : '';
      preview.schedule();
      ruleChanged();
    }
  });

  function requestBody() {
    if (currentMode() === 'text') {
      const text = dslInput.value.trim();
      return text ? {dsl: text} : null;
    }
    const ast = toAst(builder.state());
    return ast ? {rule: ast} : null;
  }

  // ---- tabs: the builder and the rule language edit the same AST -------------------------------------------

  const tabs = Array.prototype.slice.call(document.querySelectorAll('[role="tab"][data-mode]'));
  let busy = false;

  function currentMode() {
    return modeInput.value === 'text' ? 'text' : 'builder';
  }

  function showMode(mode) {
    modeInput.value = mode;
    tabs.forEach(function (t) {
      const on = t.dataset.mode === mode;
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
      const ast = toAst(builder.state());
      const done = function (text) {
        dslInput.value = text;
        showMode('text');
        busy = false;
        preview.schedule();
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
      const text = dslInput.value.trim();
      if (!text) {
        builder.setState(adoptRoot(null));
        showMode('builder');
        busy = false;
        builder.changed(true);
        return;
      }
      post('/ui/parse', {dsl: text}).then(function (r) {
        busy = false;
        if (!r.ok) {
          // Stay on the text: the user fixes the line and column we point at, nothing is lost.
          showProblems(textProblems, problemsOf(r));
          return;
        }
        builder.setState(adoptRoot(r.body.rule));
        showMode('builder');
        builder.changed(true);
      }).catch(function () { busy = false; });
    }
  }

  tabs.forEach(function (t, i) {
    t.addEventListener('click', function () { switchTo(t.dataset.mode); });
    t.addEventListener('keydown', function (e) {
      if (e.key === 'ArrowRight' || e.key === 'ArrowLeft') {
        const next = tabs[(i + (e.key === 'ArrowRight' ? 1 : tabs.length - 1)) % tabs.length];
        next.focus();
        switchTo(next.dataset.mode);
        e.preventDefault();
      }
    });
  });

  dslInput.addEventListener('input', function () {
    textProblems.textContent = '';
    preview.schedule();
    ruleChanged();
  });

  // ---- name lint ---------------------------------------------------------------------------------------------
  // The name and description are checked together with the rule as it stands (unsaved, from the builder or the text
  // tab), so the editor says when the name promises what the rule no longer does ("the name says '30 days' but the
  // rule's time window is 14 days"). Debounced; an answer that arrives after a newer request was sent is dropped.

  const nameInput = document.getElementById('segment-name');
  const descriptionInput = document.getElementById('segment-description');
  const nameLint = document.getElementById('name-lint');
  let nameTimer = null;
  let nameAsked = 0;

  function lintName() {
    clearTimeout(nameTimer);
    nameTimer = setTimeout(function () {
      const asked = ++nameAsked;
      const payload = Object.assign({name: nameInput.value, description: descriptionInput.value}, requestBody() || {});
      post('/ui/name-lint', payload).then(function (r) {
        if (asked !== nameAsked) {
          return;
        }
        nameLint.textContent = '';
        if (r.ok) {
          r.body.warnings.forEach(function (w) {
            nameLint.appendChild(el('li', {text: w.message, 'data-code': w.code, className: w.code === 'name-drift' ? 'drift' : null}));
          });
        }
      });
    }, 400);
  }

  /** A rule edit re-checks the name only once there is a name or description to check (not on a blank new segment). */
  function ruleChanged() {
    if (nameInput.value || descriptionInput.value) {
      lintName();
    }
  }

  nameInput.addEventListener('input', lintName);
  descriptionInput.addEventListener('input', lintName);

  // ---- save ----------------------------------------------------------------------------------------------------

  form.addEventListener('submit', function () {
    if (currentMode() === 'builder') {
      const ast = toAst(builder.state());
      ruleInput.value = ast ? JSON.stringify(ast) : '';
    }
  });

  // ---- start -----------------------------------------------------------------------------------------------------

  showMode(currentMode());
  builder.render();
  builder.changed(false);
  if (nameInput.value || descriptionInput.value) {
    lintName();
  }
}
