// The reader first sees each chart's static SVG. The live Vega chart (and the Vega runtime,
// the largest file on the site) loads only when the reader interacts with a chart: a pointer
// over it, a tap, or focus inside it. From then on every chart of the page is drawn live,
// and after every instant navigation (Material's document$ fires for each page), and drawn
// again in the right theme when the reader switches between light and dark.
//
// The figure's canvas carries the chart's name and description (role="img"), and the table
// under the chart holds the same figures, so the live SVG is hidden from assistive
// technology: its marks would only repeat the table without a way to reach them by keyboard.
(function () {
  "use strict";

  // About the width of one character of the chart title, in pixels, to wrap it in time.
  var TITLE_CHAR_WIDTH = 7.5;
  var views = new WeakMap();
  // The runtime sits beside this script (assets/vega/vega.js), wherever the site is served from.
  var RUNTIME = new URL("vega/vega.js", document.currentScript.src).href;
  var runtime = null;

  function loadRuntime() {
    if (!runtime) {
      runtime = new Promise(function (resolve, reject) {
        var script = document.createElement("script");
        script.src = RUNTIME;
        script.onload = resolve;
        script.onerror = function () {
          runtime = null; // a later interaction tries again
          reject(new Error(RUNTIME + " did not load"));
        };
        document.head.appendChild(script);
      });
    }
    return runtime;
  }

  function theme() {
    return document.body.getAttribute("data-md-color-scheme") === "slate" ? "dark" : "light";
  }

  // Vega titles never wrap: split a long one into lines that fit the container, so that a
  // phone shows the whole title instead of clipping both ends.
  function titleLines(text, width) {
    var perLine = Math.max(20, Math.floor(width / TITLE_CHAR_WIDTH));
    var lines = [];
    text.split(/\s+/).forEach(function (word) {
      var last = lines.length - 1;
      if (last >= 0 && (lines[last] + " " + word).length <= perLine) {
        lines[last] += " " + word;
      } else {
        lines.push(word);
      }
    });
    return lines;
  }

  // The spec is the static image's, 720 pixels wide; the live chart follows its container.
  // A faceted chart (one panel per company) keeps its panels' width: Vega-Lite sizes only
  // single and layered views by their container.
  // The labels of marked events are black in the spec (as in the static image); the dark
  // theme leaves a mark's own colour alone, so they are made white here, as dark_svg does.
  // Their places are worked out for the static image's width (720 px): a live chart much
  // narrower than that (a phone) shows each mark's number alone, which the list under the
  // chart explains.
  var LABELLED_WIDTH = 600;

  function labelsFor(scheme, layers, width) {
    if (!layers) return layers;
    return layers.map(function (layer) {
      var mark = layer.mark;
      if (!mark || mark.type !== "text" || mark.fill !== "#000") return layer;
      var changed = Object.assign({}, layer);
      if (scheme === "dark") changed.mark = Object.assign({}, mark, { fill: "#fff" });
      if (width < LABELLED_WIDTH && layer.encoding && layer.encoding.text) {
        changed.encoding = Object.assign({}, layer.encoding, { text: { field: "number", type: "nominal" } });
      }
      return changed;
    });
  }

  function fitted(spec, width, scheme) {
    var copy = spec.facet ? Object.assign({}, spec) : Object.assign({}, spec, { width: "container" });
    if (spec.layer) copy.layer = labelsFor(scheme, spec.layer, width);
    var title = spec.title;
    var text = typeof title === "string" ? title : title && title.text;
    if (typeof text === "string") {
      copy.title = Object.assign({}, typeof title === "object" ? title : {}, { text: titleLines(text, width) });
    }
    return copy;
  }

  function lineCount(spec, width) {
    var title = spec && spec.title;
    var text = typeof title === "string" ? title : title && title.text;
    return typeof text === "string" ? titleLines(text, width).length : 0;
  }

  function loadSpec(canvas) {
    var url = canvas.getAttribute("data-spec");
    var known = views.get(canvas);
    if (known && known.url === url) return Promise.resolve(known.spec);
    return fetch(url).then(function (response) {
      if (!response.ok) throw new Error(url + ": " + response.status);
      return response.json();
    });
  }

  function liveTarget(canvas) {
    var target = canvas.querySelector(".tc-chart__live");
    if (!target) {
      target = document.createElement("div");
      target.className = "tc-chart__live";
      target.setAttribute("aria-hidden", "true");
      canvas.appendChild(target);
    }
    return target;
  }

  function draw(canvas) {
    var figure = canvas.closest(".tc-chart");
    var url = canvas.getAttribute("data-spec");
    var scheme = theme();
    return loadSpec(canvas)
      .then(function (spec) {
        var target = liveTarget(canvas);
        var width = target.clientWidth || canvas.clientWidth;
        var previous = views.get(canvas);
        if (previous && previous.result) previous.result.finalize();
        views.set(canvas, { url: url, spec: spec, width: width });
        return window.vegaEmbed(target, fitted(spec, width, scheme), {
          actions: false,
          renderer: "svg",
          theme: scheme === "dark" ? "dark" : undefined,
        }).then(function (result) {
          views.set(canvas, { url: url, spec: spec, width: width, result: result });
        });
      })
      .then(function () {
        figure.classList.add("tc-chart--live");
        // Lets a reader's tools (and the browser tests) see which theme the chart was drawn in.
        figure.setAttribute("data-tc-theme", scheme);
      })
      .catch(function (error) {
        // The static chart stays visible; say why the live one is missing.
        console.warn("chart not rendered", error);
      });
  }

  // A chart may be asked to draw again (theme switch, resize) while it is still drawing. Two
  // Vega views must not draw into one element at once, so drawings of a chart run one after
  // the other, and a drawing that a newer request has overtaken is skipped.
  var requests = new WeakMap();
  var queues = new WeakMap();

  function renderChart(canvas) {
    var request = (requests.get(canvas) || 0) + 1;
    requests.set(canvas, request);
    var queued = (queues.get(canvas) || Promise.resolve()).then(function () {
      if (requests.get(canvas) === request) return draw(canvas);
    });
    queues.set(canvas, queued);
    return queued;
  }

  function canvases() {
    return document.querySelectorAll(".tc-chart__canvas[data-spec]");
  }

  function renderAll() {
    if (typeof window.vegaEmbed !== "function") return;
    canvases().forEach(renderChart);
  }

  // Vega follows the container's width by itself; the title's line breaks do not, so a chart
  // is drawn again when its container is resized enough to need another number of lines.
  function refitTitles() {
    canvases().forEach(function (canvas) {
      var known = views.get(canvas);
      if (!known || !known.result) return;
      var width = canvas.clientWidth;
      if (lineCount(known.spec, width) !== lineCount(known.spec, known.width)) renderChart(canvas);
    });
  }

  // Listened for on the document, so that it holds for pages instant navigation brings in.
  function interacted(event) {
    var target = event.target;
    if (runtime || !target || !target.closest || !target.closest(".tc-chart")) return;
    loadRuntime().then(renderAll, function (error) {
      console.warn("chart not rendered", error);
    });
  }
  ["pointerover", "pointerdown", "touchstart", "focusin"].forEach(function (type) {
    document.addEventListener(type, interacted, { passive: true });
  });

  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(renderAll);
  } else {
    document.addEventListener("DOMContentLoaded", renderAll);
  }

  var resizeTimer = null;
  window.addEventListener("resize", function () {
    clearTimeout(resizeTimer);
    resizeTimer = setTimeout(refitTitles, 150);
  });

  var lastTheme = theme();
  new MutationObserver(function () {
    if (theme() !== lastTheme) {
      lastTheme = theme();
      renderAll();
    }
  }).observe(document.body, { attributes: true, attributeFilter: ["data-md-color-scheme"] });
})();
