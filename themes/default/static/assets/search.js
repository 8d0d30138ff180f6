// The search page: Pagefind's interface over the index built with the site.
// Pagefind picks the index of the page's own language from <html lang>.
(function () {
  "use strict";
  var box = document.getElementById("search");
  if (!box) return;
  if (typeof PagefindUI === "undefined") {
    box.textContent = box.getAttribute("data-unavailable");
    return;
  }
  new PagefindUI({
    element: "#search",
    bundlePath: box.getAttribute("data-base"),
    showImages: false,
    showSubResults: true,
    resetStyles: false,
    autofocus: true,
    // what each result is and when: "新闻动态 · 2020年4月28日", above its excerpt
    processResult: function (result) {
      var meta = result.meta || {};
      var said = [meta.kind, meta.date].filter(Boolean).join(" · ");
      if (said) {
        var span = document.createElement("span");
        span.className = "result-meta";
        span.textContent = said;
        result.excerpt = span.outerHTML + (result.excerpt || "");
      }
      return result;
    }
  });
  // Give the input the interface creates a visible label.
  var tries = 0;
  (function connect() {
    var input = box.querySelector("input[type='text'], input[type='search']");
    if (input) {
      input.id = "search-input";
      var label = document.createElement("label");
      label.htmlFor = "search-input";
      label.className = "search-label";
      label.textContent = box.getAttribute("data-label");
      box.parentNode.insertBefore(label, box);
    } else if (tries++ < 100) {
      requestAnimationFrame(connect);
    }
  })();
})();
