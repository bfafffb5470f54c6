/* Zeichnet die Diagramme der Seite mit Plotly (liegt im selben Ordner). Ohne JavaScript bleiben Beschreibung und
   Tabelle: Sie enthalten alle Werte. */
(function () {
  "use strict";
  if (!window.Plotly) { return; }
  var nodes = document.querySelectorAll("[data-chart]");
  for (var i = 0; i < nodes.length; i++) {
    var el = nodes[i];
    var source = document.getElementById(el.getAttribute("data-chart"));
    if (!source) { continue; }
    var spec = JSON.parse(source.textContent);
    if (window.matchMedia && window.matchMedia("(max-width: 40rem)").matches) {
      spec.layout.height = 360;
      spec.layout.legend = {orientation: "h", x: 0, y: -0.2, yanchor: "top", font: {size: 13}};
    }
    el.classList.add("gezeichnet");
    Plotly.newPlot(el, spec.data, spec.layout, {displayModeBar: false, responsive: true, scrollZoom: false});
  }
})();
