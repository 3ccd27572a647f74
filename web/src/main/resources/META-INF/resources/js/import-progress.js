// Follows a background CSV import: polls its JSON status once a second, updates the bar and the counts, and opens the
// upload report when the import finished (a failed one stays here with its error).
(function () {
  var job = document.getElementById('job');
  if (!job) {
    return;
  }
  function text(id, value) {
    var el = document.getElementById(id);
    if (el) {
      el.textContent = value === null || value === undefined ? '' : String(value);
    }
  }
  function poll() {
    fetch(job.getAttribute('data-status-url'), {headers: {'Accept': 'application/json'}, credentials: 'same-origin'})
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (s) {
        if (!s) {
          setTimeout(poll, 3000);
          return;
        }
        document.getElementById('job-progress').value = s.percent;
        text('job-percent', s.percent + ' %');
        text('job-state-badge', s.state);
        text('job-rows-read', s.rowsRead);
        text('job-rows-accepted', s.rowsAccepted);
        text('job-rows-rejected', s.rowsRejected);
        text('job-elapsed', s.elapsed);
        text('job-rate', s.rate);
        text('job-time-left', s.timeLeft);
        job.setAttribute('data-state', s.state);
        if (s.state === 'finished' && s.reportUrl) {
          window.location.replace(s.reportUrl);
          return;
        }
        if (s.state === 'failed') {
          var error = document.getElementById('job-error');
          error.textContent = s.error;
          error.hidden = false;
          document.getElementById('job-done').hidden = false;
          document.getElementById('job-state-badge').className = 'badge bad';
          return;
        }
        setTimeout(poll, 1000);
      })
      .catch(function () { setTimeout(poll, 3000); });
  }
  var state = job.getAttribute('data-state');
  if (state === 'finished' && job.getAttribute('data-report-url')) {
    window.location.replace(job.getAttribute('data-report-url'));
  } else if (state !== 'failed') {
    setTimeout(poll, 500);
  }
})();
