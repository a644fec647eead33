// Filter the announcements timeline by company and jurisdiction. Without JavaScript the
// controls stay hidden and the whole list reads in date order. The filters are kept in the
// address (?company=apple&jurisdiction=HK), so a filtered list can be linked to and reloaded.
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

      function restore() {
        var params = new URLSearchParams(window.location.search);
        selects.forEach(function (select) {
          var wanted = params.get(select.getAttribute("data-filter"));
          if (wanted !== null && Array.prototype.some.call(select.options, function (o) { return o.value === wanted; })) {
            select.value = wanted;
          }
        });
      }

      function remember() {
        var params = new URLSearchParams(window.location.search);
        selects.forEach(function (select) {
          if (select.value) {
            params.set(select.getAttribute("data-filter"), select.value);
          } else {
            params.delete(select.getAttribute("data-filter"));
          }
        });
        var query = params.toString();
        window.history.replaceState(window.history.state, "",
          window.location.pathname + (query ? "?" + query : "") + window.location.hash);
      }

      restore();
      selects.forEach(function (select) {
        select.addEventListener("change", function () { apply(); remember(); });
      });
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
