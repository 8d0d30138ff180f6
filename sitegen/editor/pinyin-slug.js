// A new report's 网址名 (its folder's and address's name) follows its
// Chinese title in pinyin, "参观新都社区学院" -> "can-guan-xin-du-she-qu-xue-yuan",
// until the editor types one of their own. Reports already saved keep
// theirs: changing it would change their address.
(function () {
  "use strict";
  var LONGEST = 60;
  var made = ""; // the 网址名 last written here

  function slugOf(title) {
    var words = pinyinPro.pinyin(title, { toneType: "none", type: "array", nonZh: "consecutive" });
    var slug = words.join("-").toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-+|-+$/g, "");
    if (slug.length > LONGEST) slug = slug.slice(0, LONGEST).replace(/-[^-]*$/, "");
    return slug;
  }

  function follow(event) {
    var title = event.target;
    if (!(title instanceof HTMLInputElement) || !/\/new$/.test(location.hash)) return;
    if (!title.closest('section[data-key-path="title"]')) return;
    var form = title.closest("[data-mode=edit]");
    if (!form || form.getAttribute("data-locale") !== "zh") return;
    var slug = form.querySelector('section[data-key-path="slug"] input');
    if (!slug || slug.readOnly || (slug.value && slug.value !== made)) return;
    made = slugOf(title.value);
    // as if typed, so that the form takes it
    Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, "value").set.call(slug, made);
    slug.dispatchEvent(new Event("input", { bubbles: true }));
  }

  if (typeof pinyinPro === "undefined") return;
  // names the dictionary reads otherwise (都 as dōu)
  pinyinPro.customPinyin({ "新都": "xīn dū" });
  document.addEventListener("input", follow, true);
})();
