// 微信扫一扫: the QR code of this page's address, drawn where someone can
// scan it: on a wide screen and on paper. Phones, which share a page from
// the browser's own menu, never load the encoder. The encoder (lean-qr,
// MIT) is a file of this site; nothing is fetched from anywhere else.
(function () {
  "use strict";
  var figure = document.querySelector(".share-qr[data-address]");
  var script = document.currentScript;
  if (!figure || !script || !window.matchMedia || !window.Promise) return;
  var base = script.src;
  var wide = window.matchMedia("(min-width: 48em)");
  var started = false;

  function draw() {
    if (started) return;
    started = true;
    Promise.all([
      import(new URL("vendor/lean-qr-2.7.4/index.js", base).href),
      import(new URL("vendor/lean-qr-2.7.4/svg.js", base).href)
    ]).then(function (modules) {
      var qr = modules[0];
      var code = qr.generate(figure.getAttribute("data-address"), { minCorrectionLevel: qr.correction.M });
      var svg = modules[1].toSvg(code, document, { on: "#000", off: "#fff", pad: 4 });
      svg.removeAttribute("width");
      svg.removeAttribute("height");
      svg.setAttribute("aria-hidden", "true");
      svg.setAttribute("focusable", "false");
      figure.querySelector(".qr-code").appendChild(svg);
      figure.hidden = false;
    }, function () {
      started = false; // offline or an old browser: the address is on the page
    });
  }

  if (wide.matches) draw();
  else if (wide.addEventListener) wide.addEventListener("change", function (event) { if (event.matches) draw(); });
  window.addEventListener("beforeprint", draw);
})();
