// Harmonie: small progressive enhancements. Everything works without it.
(function () {
  "use strict";
  // Move focus to the error summary so screen-reader and keyboard users
  // hear what went wrong first (GOV.UK / NL Design System pattern).
  document.addEventListener("DOMContentLoaded", function () {
    var summary = document.querySelector("[data-error-summary]");
    if (summary) summary.focus();
  });
})();
