// The text-size control: four sizes, remembered across pages in this
// browser (localStorage, no cookie). Without JavaScript the control stays
// hidden and the browser's own zoom does the job.
(function () {
  "use strict";
  var KEY = "sitegen-text-size";
  var root = document.documentElement;
  var group = document.querySelector(".text-size");
  if (!group) return;
  var buttons = Array.prototype.slice.call(group.querySelectorAll("button[data-size]"));
  function show(size) {
    if (size === "normal") root.removeAttribute("data-text-size");
    else root.setAttribute("data-text-size", size);
    buttons.forEach(function (button) {
      button.setAttribute("aria-pressed", String(button.getAttribute("data-size") === size));
    });
  }
  var saved = null;
  try { saved = localStorage.getItem(KEY); } catch (e) { saved = null; }
  show(saved || "normal");
  buttons.forEach(function (button) {
    button.addEventListener("click", function () {
      var size = button.getAttribute("data-size");
      show(size);
      try { localStorage.setItem(KEY, size); } catch (e) { /* private mode: this page only */ }
    });
  });
  group.hidden = false;
})();
