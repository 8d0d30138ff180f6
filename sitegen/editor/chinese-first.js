// The browser editor's interface in Chinese first: it speaks the first
// language of the browser it knows, and an office computer set to English
// still gets Chinese, unless the editor picks another in its settings.
(function () {
  "use strict";
  var wanted = ["zh-CN"].concat(navigator.languages || [navigator.language]);
  Object.defineProperty(navigator, "languages", { get: function () { return wanted; } });
})();
