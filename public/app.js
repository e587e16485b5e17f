// Progressive enhancement only: every page works without this file.
(function () {
  'use strict';
  // Focus the error summary when a form comes back with errors, so screen readers announce it.
  var summary = document.getElementById('resume-erreurs');
  if (summary && typeof summary.focus === 'function') summary.focus();
})();
