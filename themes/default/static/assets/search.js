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

  // -- excerpts of whole sentences ---------------------------------------
  // Pagefind cuts a fixed number of words around the first match, often
  // mid-sentence. Each excerpt is widened here to the sentences it falls
  // in, read from the page's own text: short ones joined up to about three
  // phone lines, a long one cut at the edges with "…".
  var SHORTEST = 60; // in widths: a Chinese character 2, a Latin letter 1
  var LONGEST = 240;
  var STOP = /[。！？；!?;]|\.(?=\s|$)/g; // Pagefind joins blocks with ". "
  var WIDE = /[\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef]/;
  var parser = new DOMParser();

  function text(html) { return parser.parseFromString(html, "text/html").body.textContent || ""; }
  function width(s) {
    var w = 0;
    for (var i = 0; i < s.length; i++) w += WIDE.test(s.charAt(i)) ? 2 : 1;
    return w;
  }
  function stops(content) {
    var found = [0];
    var match;
    STOP.lastIndex = 0;
    while ((match = STOP.exec(content))) found.push(match.index + match[0].length);
    if (found[found.length - 1] !== content.length) found.push(content.length);
    return found;
  }
  function escape(s) {
    return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
  }
  function marked(plain, words) {
    var pattern = words.slice().sort(function (a, b) { return b.length - a.length; })
      .map(function (word) { return escape(word).replace(/[.*+?^${}()|[\]\\]/g, "\\$&"); });
    return escape(plain).replace(new RegExp(pattern.join("|"), "gi"), "<mark>$&</mark>");
  }
  function tidy(s) {
    // a block boundary after Chinese reads as a gap, not as "."
    return s.replace(/([\u2e80-\u9fff\uff00-\uffef])\. /g, "$1　").replace(/([\u2e80-\u9fff\uff00-\uffef])\.$/, "$1").trim();
  }
  function sentences(excerpt, content) {
    if (!excerpt || !content) return excerpt;
    var shown = parser.parseFromString(excerpt, "text/html").body;
    var words = Array.prototype.map.call(shown.querySelectorAll("mark"), function (m) {
      return m.textContent.replace(/[\s.,;:!?。，；：！？、]+$/, "");
    }).filter(Boolean);
    var plain = shown.textContent;
    var at = content.indexOf(plain);
    if (!words.length || at < 0) return excerpt;
    var hit = at + plain.indexOf(words[0]);
    var bounds = stops(content);
    var first = 0;
    while (first + 1 < bounds.length && bounds[first + 1] <= hit) first++;
    var start = bounds[first];
    var last = first + 1;
    var end = bounds[last];
    // join short sentences: the next ones first, then the ones before
    while (width(content.slice(start, end)) < SHORTEST) {
      if (last + 1 < bounds.length && width(content.slice(start, bounds[last + 1])) <= LONGEST) end = bounds[++last];
      else if (first > 0 && width(content.slice(bounds[first - 1], end)) <= LONGEST) start = bounds[--first];
      else break;
    }
    var cut = content.slice(start, end);
    var before = "", after = "";
    if (width(cut) > LONGEST) { // one long sentence: a window around the match
      var from = Math.max(0, hit - start - 20), to = from;
      while (to < cut.length && width(cut.slice(from, to)) < LONGEST) to++;
      before = from > 0 ? "…" : "";
      after = to < cut.length ? "…" : "";
      cut = cut.slice(from, to);
    }
    return before + marked(tidy(cut), words) + after;
  }

  new PagefindUI({
    element: "#search",
    bundlePath: box.getAttribute("data-base"),
    showImages: false,
    showSubResults: true,
    resetStyles: false,
    autofocus: true,
    processResult: function (result) {
      var content = text(result.content || "");
      result.excerpt = sentences(result.excerpt, content);
      (result.sub_results || []).forEach(function (sub) { sub.excerpt = sentences(sub.excerpt, content); });
      // what each result is and when: "新闻动态 · 2020年4月28日", above its excerpt
      var meta = result.meta || {};
      var said = [meta.kind, meta.date].filter(Boolean).join(" · ");
      delete meta.kind; // said once, above the excerpt, not again as "Kind: …" below it
      delete meta.date;
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
