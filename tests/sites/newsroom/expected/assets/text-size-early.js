// Before the page is drawn: the text size the reader chose on an earlier
// page (see text-size.js), so that the page does not jump when it loads.
// A file rather than an inline script, so that the Content-Security-Policy
// can allow the site's own scripts only.
try {
  var size = localStorage.getItem("sitegen-text-size");
  if (size) document.documentElement.setAttribute("data-text-size", size);
} catch (e) { /* storage blocked: the normal size */ }
