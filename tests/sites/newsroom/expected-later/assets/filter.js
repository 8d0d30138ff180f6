// Filters a list in place (the team directory, the timeline). Without
// JavaScript the same links open a page per town or kind, so this only
// spares a page load. Items carry data-filter-item and data-<kind>
// attributes; a filter link's data-filter is "<kind>:<id>", or "" for all.
(function () {
  "use strict";
  var nav = document.querySelector("[data-filters='all']");
  if (!nav) return;
  var cards = Array.prototype.slice.call(document.querySelectorAll("[data-filter-item]"));
  var groups = Array.prototype.slice.call(document.querySelectorAll("[data-group]"));
  var links = Array.prototype.slice.call(nav.querySelectorAll("a[data-filter]"));
  var heading = document.querySelector("h1");
  var count = document.querySelector("[data-filter-count]");

  function show(link) {
    var parts = link.getAttribute("data-filter").split(":");
    var kind = parts[0], id = parts[1];
    var shown = 0;
    cards.forEach(function (card) {
      var match = !kind || card.getAttribute("data-" + kind) === id;
      card.hidden = !match;
      if (match) shown += 1;
    });
    groups.forEach(function (group) {
      var visible = group.querySelectorAll("[data-filter-item]:not([hidden])").length;
      group.hidden = visible === 0;
      var label = group.querySelector("[data-template]");
      if (label) label.textContent = label.getAttribute("data-template").replace("{n}", visible);
    });
    links.forEach(function (other) { other.removeAttribute("aria-current"); });
    link.setAttribute("aria-current", "page");
    heading.textContent = link.getAttribute("data-heading");
    count.textContent = count.getAttribute("data-template").replace("{n}", shown);
  }

  nav.addEventListener("click", function (event) {
    var link = event.target.closest("a[data-filter]");
    if (!link || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey) return;
    event.preventDefault();
    show(link);
    history.replaceState(null, "", link.href);
  });
})();
