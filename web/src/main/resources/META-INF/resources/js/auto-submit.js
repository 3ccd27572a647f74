// Submits a form when a control marked data-autosubmit changes (the Content-Security-Policy allows no inline handlers).
document.addEventListener('change', function (e) {
  if (e.target.matches && e.target.matches('[data-autosubmit]') && e.target.form) {
    e.target.form.submit();
  }
});
