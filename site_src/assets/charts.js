// Replace each chart's static SVG with the interactive Vega chart, on the first page load
// and after every instant navigation (Material's document$ fires for both), and draw it
// again in the right theme when the reader switches between light and dark.
(function () {
  "use strict";

  function theme() {
    return document.body.getAttribute("data-md-color-scheme") === "slate" ? "dark" : undefined;
  }

  function renderChart(canvas) {
    var url = canvas.getAttribute("data-spec");
    var figure = canvas.closest(".tc-chart");
    return fetch(url)
      .then(function (response) {
        if (!response.ok) throw new Error(url + ": " + response.status);
        return response.json();
      })
      .then(function (spec) {
        var target = canvas.querySelector(".tc-chart__live");
        if (!target) {
          target = document.createElement("div");
          target.className = "tc-chart__live";
          canvas.appendChild(target);
        }
        return window.vegaEmbed(target, spec, {
          actions: false,
          renderer: "svg",
          theme: theme(),
        });
      })
      .then(function () {
        figure.classList.add("tc-chart--live");
      })
      .catch(function (error) {
        // The static chart stays visible; say why the live one is missing.
        console.warn("chart not rendered", error);
      });
  }

  function renderAll() {
    if (typeof window.vegaEmbed !== "function") return;
    document.querySelectorAll(".tc-chart__canvas[data-spec]").forEach(renderChart);
  }

  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(renderAll);
  } else {
    document.addEventListener("DOMContentLoaded", renderAll);
  }

  var lastTheme = theme();
  new MutationObserver(function () {
    if (theme() !== lastTheme) {
      lastTheme = theme();
      renderAll();
    }
  }).observe(document.body, { attributes: true, attributeFilter: ["data-md-color-scheme"] });
})();
