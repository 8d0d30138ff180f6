// 长辈模式 (easy reading): colours, spacing, a large pointer, a reading
// line, reading mode, and reading aloud with the browser's own voices.
// Each choice is kept in this browser (localStorage, no cookie) and applied
// on every page before it is drawn (text-size-early.js); nothing is sent
// anywhere. Without JavaScript the panel stays hidden and says why.
(function () {
  "use strict";
  var KEY = "sitegen-care";
  var root = document.documentElement;
  var toggle = document.querySelector(".care-toggle");
  var panel = document.getElementById("care-panel");
  if (!toggle || !panel) return;

  // -- settings: each a data-care-* attribute of <html> ----------------------
  var settings = {};
  try { settings = JSON.parse(localStorage.getItem(KEY) || "{}") || {}; } catch (e) { settings = {}; }
  var buttons = Array.prototype.slice.call(panel.querySelectorAll("button[data-care]"));

  function apply() {
    ["contrast", "spacing", "pointer", "guide", "reading", "point"].forEach(function (name) {
      if (settings[name]) root.setAttribute("data-care-" + name, settings[name]);
      else root.removeAttribute("data-care-" + name);
    });
    buttons.forEach(function (button) {
      var name = button.getAttribute("data-care");
      var value = button.getAttribute("data-value");
      button.setAttribute("aria-pressed", String((settings[name] || "") === value));
    });
  }
  function save() {
    try { localStorage.setItem(KEY, JSON.stringify(settings)); } catch (e) { /* this page only */ }
  }
  buttons.forEach(function (button) {
    button.addEventListener("click", function () {
      var name = button.getAttribute("data-care");
      var value = button.getAttribute("data-value");
      var toggles = panel.querySelectorAll('button[data-care="' + name + '"]').length === 1;
      settings[name] = toggles && settings[name] === value ? "" : value;
      if (!settings[name]) delete settings[name];
      if (name === "point" && !settings.point) stop();
      apply();
      save();
    });
  });
  var reset = panel.querySelector("button[data-care-reset]");
  if (reset) {
    reset.addEventListener("click", function () {
      settings = {};
      stop();
      apply();
      try {
        localStorage.removeItem(KEY);
        localStorage.removeItem("sitegen-text-size");
      } catch (e) { /* nothing kept */ }
      root.removeAttribute("data-text-size");
      var normal = document.querySelector('.text-size button[data-size="normal"]');
      if (normal) normal.click();
    });
  }

  toggle.addEventListener("click", function () {
    var open = toggle.getAttribute("aria-expanded") !== "true";
    toggle.setAttribute("aria-expanded", String(open));
    panel.hidden = !open;
    try { sessionStorage.setItem(KEY + "-open", open ? "1" : ""); } catch (e) { /* closed */ }
  });
  try {
    if (sessionStorage.getItem(KEY + "-open")) {
      toggle.setAttribute("aria-expanded", "true");
      panel.hidden = false;
    }
  } catch (e) { /* closed */ }
  apply();

  // -- the reading line: a band that follows the pointer (mouse only) -------
  var line = document.createElement("div");
  line.className = "care-line";
  line.setAttribute("aria-hidden", "true");
  document.body.appendChild(line);
  document.addEventListener("mousemove", function (event) {
    if (settings.guide) line.style.top = event.clientY + "px";
  });

  // -- reading aloud ---------------------------------------------------------
  var status = panel.querySelector(".care-status");
  var pauseButton = panel.querySelector('button[data-speak="pause"]');
  var pauseLabel = pauseButton ? pauseButton.textContent : "";
  var speech = window.speechSynthesis;
  var lang = root.lang && root.lang.indexOf("zh") === 0 ? "zh-CN" : "en-GB";
  var queue = [];
  var speaking = null;

  function say(message) { if (status) status.textContent = message; }
  function hasVoice() {
    var voices = speech.getVoices();
    if (!voices || !voices.length) return true; // not listed yet: let the browser choose
    var want = lang.slice(0, 2);
    return voices.some(function (voice) { return (voice.lang || "").toLowerCase().indexOf(want) === 0; });
  }
  function mark(element) {
    if (speaking) speaking.classList.remove("care-speaking");
    speaking = element;
    if (element) element.classList.add("care-speaking");
  }
  function stop() {
    queue = [];
    mark(null);
    if (speech) speech.cancel();
    if (pauseButton) pauseButton.textContent = pauseLabel;
  }
  function next() {
    var element = queue.shift();
    if (!element) { mark(null); return; }
    var text = (element.innerText || element.textContent || "").replace(/\s+/g, " ").trim();
    if (!text) { next(); return; }
    var utterance = new window.SpeechSynthesisUtterance(text);
    utterance.lang = lang;
    utterance.rate = 0.9;
    utterance.onend = next;
    utterance.onerror = function () { mark(null); };
    mark(element);
    speech.speak(utterance);
  }
  function read(elements) {
    if (!speech || !window.SpeechSynthesisUtterance) { say(status.getAttribute("data-no-speech")); return; }
    if (!hasVoice()) { say(status.getAttribute("data-no-voice")); return; }
    say("");
    stop();
    queue = elements;
    next();
  }
  // The page in reading order: the article's title, its dates and source,
  // its text and captions; elsewhere the headings and paragraphs of <main>.
  function blocks() {
    var scope = document.querySelector("main .article") || document.querySelector("main");
    if (!scope) return [];
    var found = scope.querySelectorAll(
      "h1, h2, h3, h4, .article-meta, .status-note, .prose p, .prose li, .prose td, figcaption, " +
      ".card-title, .card-summary, p:not(.care-status)");
    var seen = [];
    Array.prototype.forEach.call(found, function (element) {
      if (element.closest(".care-panel, .print-only, .share-qr, [hidden]")) return;
      if (seen.some(function (outer) { return outer.contains(element); })) return;
      seen.push(element);
    });
    return seen;
  }
  panel.addEventListener("click", function (event) {
    var button = event.target.closest("button[data-speak]");
    if (!button) return;
    var what = button.getAttribute("data-speak");
    if (what === "all") read(blocks());
    else if (what === "stop") stop();
    else if (what === "pause" && speech) {
      if (speech.paused) { speech.resume(); button.textContent = pauseLabel; }
      else if (speech.speaking) { speech.pause(); button.textContent = button.getAttribute("data-resume"); }
    }
  });
  // 指读: with it on, a block clicked, or a link or button reached by the
  // keyboard, is read.
  var READABLE = "main h1, main h2, main h3, main h4, main p, main li, main td, main figcaption, main dt, main dd";
  document.addEventListener("click", function (event) {
    if (!settings.point || event.target.closest(".care-panel, a, button, input, label")) return;
    var block = event.target.closest(READABLE);
    if (block) read([block]);
  });
  document.addEventListener("focusin", function (event) {
    if (!settings.point || event.target.closest(".care-panel, .text-size")) return;
    if (event.target.matches("a, button")) read([event.target]);
  });
  window.addEventListener("pagehide", stop);
})();
