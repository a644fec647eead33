// The theme asks for the search index (every page's text) as soon as a page loads: Material
// for search/search_index.json, Zensical for search.json. This holds that one request until
// the reader opens search (focus in the search box or on the search button, the magnifier that
// opens it on a phone, or a keyboard shortcut), so that a reader who never searches never
// downloads it. Loaded before the theme's own script (overrides/main.html).
(function () {
  "use strict";

  var INDEX = /\/search\/search_index\.json$|\/search\.json$/;
  var held = new WeakSet();
  var waiting = [];
  var opened = false;

  function open() {
    if (opened) return;
    opened = true;
    waiting.splice(0).forEach(function (send) { send(); });
  }

  var openRequest = XMLHttpRequest.prototype.open;
  var sendRequest = XMLHttpRequest.prototype.send;
  XMLHttpRequest.prototype.open = function (method, url) {
    if (INDEX.test(String(url).split(/[?#]/)[0])) held.add(this);
    return openRequest.apply(this, arguments);
  };
  XMLHttpRequest.prototype.send = function () {
    var request = this;
    var args = arguments;
    if (opened || !held.has(request)) return sendRequest.apply(request, args);
    waiting.push(function () { sendRequest.apply(request, args); });
  };

  document.addEventListener("focusin", function (event) {
    if (event.target.closest && event.target.closest(".md-search")) open();
  });
  document.addEventListener("change", function (event) {
    if (event.target.id === "__search" && event.target.checked) open();
  });
  // A reader who followed a search result (the address carries the query, ?h=) gets the words
  // highlighted, which the theme finds with the index.
  if (new URLSearchParams(location.search).has("h")) open();
  // Zensical's shortcut. Zensical listens for it only once its search has the index, so the
  // first press opens search through its button instead. (Material's shortcuts focus its
  // search box, which opens the index above.)
  document.addEventListener("keydown", function (event) {
    if (opened || !(event.ctrlKey || event.metaKey) || event.key !== "k") return;
    var button = document.querySelector(".md-search__button");
    open();
    if (button) {
      event.preventDefault();
      button.click();
    }
  });
})();
