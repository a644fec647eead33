// A table wider than the page scrolls inside its own box (Material wraps every table in
// .md-typeset__scrollwrap). Keyboard readers can only scroll a box that takes focus, so a box
// that actually scrolls is made focusable and named after the section it belongs to; a box
// that fits gets no extra tab stop. Checked again when the window is resized or a fold opens.
(function () {
  "use strict";

  function sectionName(box) {
    for (var node = box.previousElementSibling; node; node = node.previousElementSibling) {
      if (/^H[1-6]$/.test(node.tagName)) {
        return node.textContent.replace(/¶/g, "").trim();
      }
    }
    return document.title;
  }

  function update(box) {
    if (box.scrollWidth > box.clientWidth + 1) {
      box.setAttribute("tabindex", "0");
      box.setAttribute("role", "region");
      box.setAttribute("aria-label", "Table: " + sectionName(box) + " (scrolls sideways)");
    } else if (box.getAttribute("role") === "region") {
      box.removeAttribute("tabindex");
      box.removeAttribute("role");
      box.removeAttribute("aria-label");
    }
  }

  function updateAll() {
    document.querySelectorAll(".md-typeset__scrollwrap").forEach(update);
  }

  // Material wraps the tables while it mounts the page, after document$ has emitted.
  function soon() {
    window.requestAnimationFrame(updateAll);
  }

  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(soon);
  } else {
    document.addEventListener("DOMContentLoaded", soon);
  }

  // A table inside a fold has no width until the fold opens.
  document.addEventListener("toggle", function (event) {
    if (event.target.open) {
      event.target.querySelectorAll(".md-typeset__scrollwrap").forEach(update);
    }
  }, true);

  var timer = null;
  window.addEventListener("resize", function () {
    clearTimeout(timer);
    timer = setTimeout(updateAll, 150);
  });
})();
