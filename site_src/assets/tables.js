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

// A table marked data-sortable sorts by a column when its heading is selected: each heading
// becomes a button, and aria-sort says which column orders the rows and which way. Cells may
// carry data-sort, what they sort by (a number, an ISO date); without JavaScript the table
// stays in the order it was written.
(function () {
  "use strict";

  function key(cell, type) {
    var value = cell.hasAttribute("data-sort") ? cell.getAttribute("data-sort") : cell.textContent.trim();
    return type === "number" ? (value === "" ? -Infinity : Number(value)) : value.toLowerCase();
  }

  function sort(table, column, type, ascending) {
    var body = table.tBodies[0];
    var rows = Array.prototype.slice.call(body.rows);
    rows.sort(function (a, b) {
      var x = key(a.cells[column], type), y = key(b.cells[column], type);
      var order = x < y ? -1 : x > y ? 1 : 0;
      return ascending ? order : -order;
    });
    rows.forEach(function (row) { body.appendChild(row); });
    Array.prototype.forEach.call(table.tHead.rows[0].cells, function (heading, index) {
      if (index === column) {
        heading.setAttribute("aria-sort", ascending ? "ascending" : "descending");
      } else {
        heading.removeAttribute("aria-sort");
      }
    });
  }

  function mount(table) {
    if (table.hasAttribute("data-sort-ready")) {
      return;
    }
    table.setAttribute("data-sort-ready", "");
    Array.prototype.forEach.call(table.tHead.rows[0].cells, function (heading, index) {
      var button = document.createElement("button");
      button.type = "button";
      button.className = "tc-sort";
      while (heading.firstChild) {
        button.appendChild(heading.firstChild);
      }
      heading.appendChild(button);
      button.addEventListener("click", function () {
        var ascending = heading.getAttribute("aria-sort") !== "ascending";
        sort(table, index, heading.getAttribute("data-sort-type") || "text", ascending);
      });
    });
  }

  function mountAll() {
    document.querySelectorAll("table[data-sortable]").forEach(mount);
  }

  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(mountAll);
  } else {
    document.addEventListener("DOMContentLoaded", mountAll);
  }
})();
