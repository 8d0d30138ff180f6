/* sitegen serve: the 复制到公众号 control on an article's page. It asks the
   preview server for the article's WeChat copy and puts it on the clipboard
   as rich text (and plain text), then says so. Added by the preview server
   only; never part of the published site. */
(function () {
  "use strict";
  var me = document.currentScript;
  var zh = me && me.getAttribute("data-lang") === "zh";
  var T = zh ? {
    region: "公众号", copy: "复制到公众号", view: "预览公众号排版",
    copying: "正在复制……",
    copied: "已复制。打开公众号编辑器，在正文处粘贴（Ctrl+V）即可。",
    failed: "没能复制：", note: "请注意："
  } : {
    region: "WeChat", copy: "Copy for WeChat (复制到公众号)", view: "Preview the WeChat copy",
    copying: "Copying…",
    copied: "Copied. Open the 公众号 editor and paste (Ctrl+V) into the article body.",
    failed: "Could not copy: ", note: "Please note:"
  };
  var page = location.pathname;
  var address = "/__sitegen/wechat?page=" + encodeURIComponent(page);

  var style = document.createElement("link");
  style.rel = "stylesheet";
  style.href = "/__sitegen/wechat.css";
  document.head.appendChild(style);

  var bar = document.createElement("section");
  bar.className = "sitegen-wechat";
  bar.lang = zh ? "zh-CN" : "en";  // its words' language, whatever the page's
  bar.setAttribute("aria-label", T.region);
  var button = document.createElement("button");
  button.type = "button";
  button.textContent = T.copy;
  var view = document.createElement("a");
  view.href = "/__sitegen/wechat/view?page=" + encodeURIComponent(page);
  view.textContent = T.view;
  var status = document.createElement("div");
  status.className = "sitegen-wechat-status";
  status.setAttribute("role", "status");
  bar.appendChild(button);
  bar.appendChild(view);
  bar.appendChild(status);
  var main = document.querySelector("main") || document.body;
  main.insertBefore(bar, main.firstChild);

  function say(text, problems, failed) {
    status.textContent = "";
    status.className = "sitegen-wechat-status" + (failed ? " sitegen-wechat-failed" : "");
    var line = document.createElement("p");
    line.textContent = text;
    status.appendChild(line);
    if (problems && problems.length) {
      var head = document.createElement("p");
      head.textContent = T.note;
      status.appendChild(head);
      var list = document.createElement("ul");
      problems.forEach(function (problem) {
        var item = document.createElement("li");
        item.textContent = problem;
        list.appendChild(item);
      });
      status.appendChild(list);
    }
  }

  function copyByEvent(data) {
    // Where the Clipboard API is not offered (an address other than this
    // computer's, over http): the copy event of the older way.
    function fill(event) {
      event.clipboardData.setData("text/html", data.html);
      event.clipboardData.setData("text/plain", data.text);
      event.preventDefault();
    }
    document.addEventListener("copy", fill);
    try {
      return document.execCommand("copy");
    } finally {
      document.removeEventListener("copy", fill);
    }
  }

  button.addEventListener("click", function () {
    say(T.copying, [], false);
    var asked = fetch(address, { cache: "no-store" }).then(function (answer) {
      return answer.json();
    });
    var written;
    if (navigator.clipboard && window.ClipboardItem) {
      // The item is made at once, with the copy still on its way, so that
      // the click still counts as the reader's when it is written.
      var usable = asked.then(function (data) {
        if (data.error) { throw data; }
        return data;
      });
      var item = new ClipboardItem({
        "text/html": usable.then(function (data) { return new Blob([data.html], { type: "text/html" }); }),
        "text/plain": usable.then(function (data) { return new Blob([data.text], { type: "text/plain" }); })
      });
      written = navigator.clipboard.write([item]).then(function () { return asked; });
    } else {
      written = asked.then(function (data) {
        if (data.error) { throw data; }
        if (!copyByEvent(data)) { throw { error: "document.execCommand('copy')" }; }
        return data;
      });
    }
    written.then(function (data) {
      say(T.copied, data.problems, false);
    }, function (reason) {
      asked.then(function (data) {
        say(T.failed + (data.error || reason), data.problems || [], true);
      }, function () {
        say(T.failed + reason, [], true);
      });
    });
  });
})();
