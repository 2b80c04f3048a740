// Sum helper for the 100-point questions: shows the running total per topic.
// Optional: the server checks the totals as well, so the form works without JavaScript.
(function () {
  "use strict";
  function update(group) {
    var total = 0;
    group.querySelectorAll("input[type=number]").forEach(function (input) {
      var value = parseInt(input.value, 10);
      if (!isNaN(value)) total += value;
    });
    var output = group.querySelector("[data-points-output]");
    var line = group.querySelector("[data-points-total]");
    if (!output || !line) return;
    output.textContent = String(total);
    line.hidden = false;
    line.classList.toggle("people-points__total--off", total !== 100);
  }
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-points-group]").forEach(function (group) {
      var line = group.querySelector("[data-points-total]");
      if (line) line.setAttribute("aria-live", "polite");
      update(group);
      group.addEventListener("input", function () { update(group); });
    });
  });
})();
