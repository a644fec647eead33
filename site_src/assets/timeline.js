// Filter the announcements timeline by company and jurisdiction. Without JavaScript the
// controls stay hidden and the whole list reads in date order.
(function () {
  "use strict";

  function setUp() {
    document.querySelectorAll(".tc-filter[data-filter-for]").forEach(function (filter) {
      var list = document.getElementById(filter.getAttribute("data-filter-for"));
      if (!list) return;
      var selects = filter.querySelectorAll("select[data-filter]");
      var count = filter.querySelector(".tc-filter__count");

      function apply() {
        var shown = 0;
        list.querySelectorAll("li").forEach(function (item) {
          var visible = Array.prototype.every.call(selects, function (select) {
            var wanted = select.value;
            var have = (item.getAttribute("data-" + select.getAttribute("data-filter")) || "").split(" ");
            return !wanted || have.indexOf(wanted) !== -1;
          });
          item.hidden = !visible;
          if (visible) shown += 1;
        });
        var noun = filter.getAttribute("data-noun") || "announcements";
        if (count) count.textContent = shown + " of " + list.children.length + " " + noun;
      }

      selects.forEach(function (select) { select.addEventListener("change", apply); });
      filter.hidden = false;
      apply();
    });
  }

  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(setUp);
  } else {
    document.addEventListener("DOMContentLoaded", setUp);
  }
})();
