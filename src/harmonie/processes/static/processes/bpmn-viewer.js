/* Renders BPMN 2.0 diagrams with the bpmn-js viewer (served from 'self', no inline script: strict CSP).
   Every element with data-bpmn-url gets the XML from that URL. Afterwards the element carries
   data-bpmn-status="klaar" (or "fout") and data-bpmn-warnings (the number of import warnings). */
(function () {
  "use strict";

  function say(text) {
    var note = document.getElementById("bpmn-melding");
    if (note) note.textContent = text;
  }

  function render(element) {
    var url = element.getAttribute("data-bpmn-url");
    if (!url || typeof window.BpmnJS === "undefined") {
      element.setAttribute("data-bpmn-status", "fout");
      say("Het diagram kan niet worden getoond (de viewer ontbreekt); de tabellen hieronder bevatten dezelfde inhoud.");
      return;
    }
    var viewer = new window.BpmnJS({ container: element });
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/xml" } })
      .then(function (response) {
        if (!response.ok) throw new Error("HTTP " + response.status);
        return response.text();
      })
      .then(function (xml) { return viewer.importXML(xml); })
      .then(function (result) {
        var warnings = (result && result.warnings) || [];
        element.setAttribute("data-bpmn-warnings", String(warnings.length));
        if (warnings.length) {
          element.setAttribute("data-bpmn-warning-text", warnings.map(function (w) { return w.message; }).join(" | "));
        }
        viewer.get("canvas").zoom("fit-viewport");
        element.setAttribute("data-bpmn-status", "klaar");
      })
      .catch(function (error) {
        element.setAttribute("data-bpmn-status", "fout");
        element.setAttribute("data-bpmn-error", String(error && error.message || error));
        say("Het diagram kon niet worden getoond: " + (error && error.message || error) +
            ". De tabellen hieronder bevatten dezelfde inhoud.");
      });
  }

  var elements = document.querySelectorAll("[data-bpmn-url]");
  for (var i = 0; i < elements.length; i++) render(elements[i]);
})();
