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
    autofocus: true
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
