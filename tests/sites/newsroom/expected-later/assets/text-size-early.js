// Before the page is drawn: the text size and the reading aids the reader
// chose on an earlier page (see text-size.js and care.js), so that the page
// does not change when it has loaded. A file rather than an inline script,
// so that the Content-Security-Policy can allow the site's own scripts only.
try {
  var size = localStorage.getItem("sitegen-text-size");
  if (size) document.documentElement.setAttribute("data-text-size", size);
  var care = JSON.parse(localStorage.getItem("sitegen-care") || "{}") || {};
  ["contrast", "spacing", "pointer", "guide", "reading", "point"].forEach(function (name) {
    if (care[name]) document.documentElement.setAttribute("data-care-" + name, care[name]);
  });
} catch (e) { /* storage blocked: the standard page */ }
