/*
 * The editor's calls to /ui/*: JSON in and out, with the login session and the page's CSRF token in a header.
 */

function csrf() {
  const form = document.getElementById('editor-form');
  const token = form ? form.querySelector('input[data-csrf]') : null;
  const root = document.getElementById('builder');
  return {header: (root && root.dataset.csrfHeader) || 'X-CSRF-TOKEN', token: token ? token.value : null};
}

export function post(path, payload) {
  const headers = {'Content-Type': 'application/json', 'Accept': 'application/json'};
  const c = csrf();
  if (c.token) {
    headers[c.header] = c.token;
  }
  return fetch(path, {method: 'POST', headers: headers, credentials: 'same-origin', body: JSON.stringify(payload)})
    .then(function (response) {
      return response.json().catch(function () { return {}; }).then(function (body) {
        return {ok: response.ok, status: response.status, body: body};
      });
    });
}

export function problemsOf(result) {
  const body = result.body || {};
  if (body.errors && body.errors.length) {
    return body.errors;
  }
  return [{line: 0, column: 0, message: body.msg || ('The server answered ' + result.status)}];
}
