/* Renders BPMN 2.0 diagrams with the bpmn-js viewer (served from 'self', no inline script: strict CSP).
   Every element with data-bpmn-url gets the XML from that URL. Afterwards the element carries
   data-bpmn-status="klaar" (or "fout") and data-bpmn-warnings (the number of import warnings). */
(function () {
  "use strict";

  function say(text) {
    var note = document.getElementById("bpmn-melding");
    if (note) note.textContent = text;
  }

  var MIN_ZOOM = 0.6;  // below this the labels are unreadable
  var START_ZOOM = 0.8;  // used instead when fitting would go below MIN_ZOOM

  /* Fit the diagram when that keeps it readable (zoom >= MIN_ZOOM); otherwise grow the canvas to the diagram at
     START_ZOOM so the surrounding frame (.processes-bpmn-scroll) scrolls. Sizes are set through the CSSOM,
     which the strict CSP allows (no style attributes in the markup). */
  function fit(canvas, element) {
    var zoom = canvas.zoom("fit-viewport");
    var inner = canvas.viewbox().inner;
    var pad = 40;
    var z = zoom >= MIN_ZOOM ? Math.min(zoom, 1) : START_ZOOM;
    if (zoom < MIN_ZOOM) {
      element.style.inlineSize = Math.ceil(inner.width * z + 2 * pad) + "px";
    }
    // as high as the diagram needs (at least 12.5rem), so a one-lane diagram is not a strip in a big box
    element.style.blockSize = Math.max(200, Math.ceil(inner.height * z + 2 * pad)) + "px";
    canvas.resized();
    canvas.viewbox({ x: inner.x - pad / z, y: inner.y - pad / z,
                     width: element.clientWidth / z, height: element.clientHeight / z });
    element.setAttribute("data-bpmn-zoom", String(Math.round(z * 100) / 100));
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
        fit(viewer.get("canvas"), element);
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
