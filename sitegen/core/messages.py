"""The message catalog: every diagnostic's text in English and in Chinese.

Diagnostics are made in English, the catalog's reference language. To show
one in another language, :func:`translate` finds the catalog entry of the
diagnostic's code whose English template matches the text in full, and fills
that entry's template in the other language with the matched values, which
are translated in turn where the catalog knows them (a date's reason, the
kind of a value). Text the catalog does not know is shown in English.

Templates name their values in braces: ``'{key}' must be text, not {kind}``.
"""

from __future__ import annotations

import re
from functools import cache

LANGUAGES = ("en", "zh")

# code -> ((English, Chinese), ...): messages and hints of that code.
# The code "*" holds fragments that appear inside other messages.
CATALOG: dict[str, tuple[tuple[str, str], ...]] = {
    "*": (
        ("a list", "列表"),
        ("a mapping", "映射（键值对）"),
        ("true/false", "true/false"),
        ("a number", "数字"),
        ("text", "文字"),
        ("front matter", "文件头（front matter）"),
        ("team record", "团队记录"),
        ("studio record", "工作室记录"),
        ("site.yaml", "site.yaml"),
        ("item {n} of '{key}'", "“{key}”的第 {n} 项"),
        (
            "'{value}' is not in the form YYYY-MM-DD; write {fixed}",
            "“{value}”不是 YYYY-MM-DD 格式，请写作 {fixed}",
        ),
        ("'{value}' is not a date in the form YYYY-MM-DD", "“{value}”不是 YYYY-MM-DD 格式的日期"),
        (
            "'{value}' has no year; write the year first: YYYY-{rest}",
            "“{value}”没有年份；请把年份写在最前面：YYYY-{rest}",
        ),
        ("'{value}' is not a real date ({why})", "“{value}”不是真实存在的日期（{why}）"),
        ("the date is empty", "日期是空的"),
        (
            "the range ends ({end}) before it starts ({start})",
            "日期范围的结束（{end}）早于开始（{start}）",
        ),
        ("'{value}' has no month {month}", "“{value}”中没有第 {month} 月"),
        ("{value} is not a plausible year", "{value} 不像是一个年份"),
        ("'{value}' is not a date", "“{value}”不是日期"),
        ("day is out of range for month", "该月没有这一天"),
        ("did you mean '{guess}'?", "是不是“{guess}”？"),
        ("use one of: {values}", "请使用其中之一：{values}"),
        ("month must be in 1..12", "月份必须在 1 到 12 之间"),
    ),
    "missing-field": (
        ("{what} has no '{key}'", "{what}缺少“{key}”"),
        ("add a line '{key}: {example}'", "请添加一行“{key}: {example}”"),
        ("town '{town}' has no name", "镇（街道）“{town}”没有名称"),
    ),
    "wrong-type": (
        ("'{key}' must be text, not {kind}", "“{key}”应当是文字，而不是{kind}"),
        ('write it as {key}: "…"', '请写作 {key}: "…"'),
        (
            "'{key}' must be text or {{zh: …, en: …}}, not {kind}",
            "“{key}”应当是文字或 {{zh: …, en: …}}，而不是{kind}",
        ),
        ("'{key}.{lang}' must be text", "“{key}.{lang}”应当是文字"),
        (
            "'{key}' must be true or false, not '{value}'",
            "“{key}”应当是 true 或 false，而不是“{value}”",
        ),
        ("write {key}: true or {key}: false", "请写作 {key}: true 或 {key}: false"),
        ("'{key}' must be a whole number, not '{value}'", "“{key}”应当是整数，而不是“{value}”"),
        (
            "'{key}' must be a year written as a number, not '{value}'",
            "“{key}”应当是用数字写的年份，而不是“{value}”",
        ),
        ("'{key}' must be a list, not {kind}", "“{key}”应当是列表，而不是{kind}"),
        ("'{key}' must be a list", "“{key}”应当是列表"),
        ("write {key}: [first, second]", "请写作 {key}: [第一项, 第二项]"),
        ("write {key}: [a, b]", "请写作 {key}: [甲, 乙]"),
        ("item {n} of '{key}' must be text", "“{key}”的第 {n} 项应当是文字"),
        ("item {n} of '{key}' must be a mapping", "“{key}”的第 {n} 项应当是键值对"),
        ("'{key}' must be a list of mappings", "“{key}”应当是由键值对组成的列表"),
        (
            "write {key}: [{{…}}] or one '- …' line per item",
            "请写作 {key}: [{{…}}]，或每项一行“- …”",
        ),
        ("front matter must be 'key: value' lines", "文件头应当由“键: 值”的行组成"),
        ("a {what} record must be 'key: value' lines", "{what}记录应当由“键: 值”的行组成"),
        ("the tag list must map ids to names", "标签表应当把编号对应到名称"),
        ("write {key}: {value}", "请写作 {key}: {value}"),
    ),
    "out-of-range": (
        (
            "'{key}' must be at least {minimum}, not {value}",
            "“{key}”至少应为 {minimum}，而不是 {value}",
        ),
        ("'{key}' {value} is not a plausible year", "“{key}”的 {value} 不像是一个年份"),
    ),
    "bad-date": (
        ("'{key}': {reason}", "“{key}”：{reason}"),
        (
            "write dates as YYYY-MM-DD, e.g. date: 2020-04-27",
            "日期请写作 YYYY-MM-DD，例如 date: 2020-04-27",
        ),
        (
            "write a day 2020-04-27, a month 2020-03, a year 2020, or a range of days "
            "2020-04-27/2020-04-29",
            "请写作某一天 2020-04-27、某个月 2020-03、某一年 2020，或一段日子 2020-04-27/2020-04-29",
        ),
    ),
    "unknown-field": (
        ("unknown key '{name}' in {what}", "{what}中有未知的键“{name}”"),
        ("known keys: {keys}", "可用的键：{keys}"),
    ),
    "unknown-kind": (("'{value}' is not a known {key}", "“{value}”不是可用的 {key}"),),
    "unknown-language": (
        (
            "'{key}' has text in '{lang}', which is not a language of this site",
            "“{key}”有“{lang}”语言的文字，但本站没有这种语言",
        ),
        (
            "'{lang}' in the file name is not a language of this site",
            "文件名中的“{lang}”不是本站的语言",
        ),
        (
            "name the file {name} or one of: {languages}",
            "请把文件命名为 {name}，语言可选：{languages}",
        ),
    ),
    "yaml": (
        ("invalid YAML: this quote is never closed", "YAML 格式错误：这个引号没有结束"),
        ("end the text with the same quote mark it starts with", "请用开头的那种引号结束这段文字"),
        (
            "invalid YAML: this bracket is never closed ({problem})",
            "YAML 格式错误：这个括号没有闭合（{problem}）",
        ),
        ("invalid YAML: {problem}", "YAML 格式错误：{problem}"),
        ("key '{key}' is given twice in the same mapping", "键“{key}”在同一处写了两次"),
        (
            "it is first given {n} line above; keep only one of them",
            "它在上面 {n} 行处已经写过；请只保留一个",
        ),
        (
            "it is first given {n} lines above; keep only one of them",
            "它在上面 {n} 行处已经写过；请只保留一个",
        ),
        ("YAML is nested more than {depth} levels deep here", "YAML 在这里嵌套超过了 {depth} 层"),
        (
            "a record needs only a few levels: keys, lists of mappings and {{zh: …, en: …}} texts",
            "记录只需要几层：键、由键值对组成的列表，以及 {{zh: …, en: …}} 形式的文字",
        ),
        ("YAML holds more than {nodes} values by here", "YAML 到这里已超过 {nodes} 个值"),
        (
            "each use of an alias (*name) counts every value it stands for; keep records small and write each value once",
            "别名（*名称）每用一次，都要把它代表的所有值计算一遍；请让记录保持简短，每个值只写一次",
        ),
        ("YAML text is longer than {limit} characters", "YAML 内容超过了 {limit} 个字符"),
        (
            "split it into several records; no record needs to be this long",
            "请拆分成几条记录；没有哪条记录需要这么长",
        ),
        (
            "invalid YAML: the character U+{code} is not allowed",
            "YAML 格式错误：不允许使用字符 U+{code}",
        ),
        (
            "it is invisible or not a character at all; delete it and type the text again",
            "它是看不见的字符或根本不是字符；请删除它，重新输入这段文字",
        ),
        ("indent with spaces, not tabs", "请用空格缩进，不要用 Tab 键"),
        (
            "write a space here, not a tab: YAML allows tabs only inside quotes",
            "这里请用空格，不要用 Tab 键：YAML 只允许在引号内使用 Tab",
        ),
        ("delete the tab at the end of this line", "请删除这一行末尾的 Tab"),
        (
            "put quotes around a value that contains ': ', e.g. title: \"a: b\"",
            '值里含有“: ”时请加引号，例如 title: "a: b"',
        ),
        (
            "every line of a mapping needs 'key: value'; check the line above for a missing colon",
            "每一行都应当是“键: 值”；请检查上一行是否漏了冒号",
        ),
        ("a list written [a, b] needs its closing ']'", "写成 [a, b] 的列表需要结尾的“]”"),
        ("a mapping written {{a: b}} needs its closing '}}'", "写成 {{a: b}} 的映射需要结尾的“}}”"),
        (
            "an '*name' needs a matching '&name' earlier in the file",
            "“*名称”需要在前面有对应的“&名称”",
        ),
        (
            "check the indentation and that every quote and bracket is closed",
            "请检查缩进，以及每个引号和括号是否都已闭合",
        ),
        ("check the YAML syntax near this line", "请检查这一行附近的 YAML 写法"),
        ("write plain text, numbers, lists and mappings only", "请只写文字、数字、列表和键值对"),
        ("site.yaml must be a mapping of settings", "site.yaml 应当由“设置项: 值”组成"),
    ),
    "encoding": (
        (
            "file is not UTF-8 (it looks like {encoding})",
            "文件不是 UTF-8 编码（看起来是 {encoding}）",
        ),
        (
            "save it as UTF-8: in the editor choose 'Save with encoding: UTF-8', or run {command}",
            "请另存为 UTF-8：在编辑器中选择“以 UTF-8 编码保存”，或运行 {command}",
        ),
        (
            "file is not valid UTF-8: byte {byte} here is not part of any character",
            "文件不是有效的 UTF-8：这里的字节 {byte} 不属于任何字符",
        ),
        (
            "the file may be damaged or saved in another encoding; open it in an editor and save it again as UTF-8",
            "文件可能已损坏，或用了别的编码保存；请用编辑器打开，重新保存为 UTF-8",
        ),
    ),
    "file-too-large": (
        (
            "file is larger than {limit} MB, the most a source file may be",
            "文件超过了源文件的上限 {limit} MB",
        ),
        (
            "it has at least {size} MB; split it into smaller files, and keep pictures and documents beside the article instead of inside its text",
            "它至少有 {size} MB；请拆分成几个较小的文件，图片和文档请放在文章旁边，而不要写进正文",
        ),
    ),
    "control-character": (
        ("removed a control character ({name})", "已删除一个控制字符（{name}）"),
        (
            "removed {count} control characters (the first is {name})",
            "已删除 {count} 个控制字符（第一个是 {name}）",
        ),
        (
            "such characters are invisible and cannot be shown on a web page; check the text here and save the file again",
            "这类字符看不见，也不能在网页上显示；请检查这里的文字，然后重新保存文件",
        ),
    ),
    "nul-byte": (
        ("file contains a NUL byte", "文件中含有 NUL 字节"),
        (
            "the file may be binary or damaged; remove the NUL character or save it again as text",
            "文件可能是二进制文件或已损坏；请删除 NUL 字符，或重新保存为文本",
        ),
    ),
    "front-matter": (
        ("the file does not start with front matter", "文件开头没有文件头（front matter）"),
        ("start the file with:\n{example}", "请以这样的内容开头：\n{example}"),
        (
            "front matter starts with '---' on line 1 but is never closed",
            "文件头在第 1 行以“---”开始，但没有结束",
        ),
        ("add a line '---' after the last front-matter line", "请在文件头最后一行之后加一行“---”"),
    ),
    "raw-html": (
        (
            "raw HTML is not allowed in articles; it is shown as plain text",
            "文章中不允许直接写 HTML；它会按普通文字显示",
        ),
        (
            "use Markdown instead, or set allow_html: true in site.yaml if the site trusts it",
            "请改用 Markdown；若本站信任所有编辑，可在 site.yaml 中设置 allow_html: true",
        ),
    ),
    "unsafe-html": (
        ("{what} is removed from this raw HTML", "这段 HTML 中的 {what} 已被删除"),
        (
            "scripts, frames, styles, on… attributes and links other than http(s), mailto and tel never reach a page, even with allow_html: true",
            "即使设置了 allow_html: true，脚本、框架、样式、on… 属性以及 http(s)、mailto、tel 以外的链接也不会出现在网页上",
        ),
    ),
    "missing-alt": (
        ("image '{src}' has no alt text", "图片“{src}”没有替代文字（alt）"),
        (
            "describe the picture for readers who cannot see it: ![what it shows](photo.jpg)",
            "请为看不到图片的读者描述图片内容：![图片内容](photo.jpg)",
        ),
    ),
    "external-image": (
        (
            "image '{src}' is on another website; pages may only load files of this site",
            "图片“{src}”在别的网站上；本站页面只能加载本站的文件",
        ),
        (
            "save the picture in the article's folder and refer to it by file name",
            "请把图片保存到文章的文件夹里，并用文件名引用它",
        ),
    ),
    "bad-image-path": (
        (
            "image '{src}' must be a file in the article's own folder",
            "图片“{src}”必须是文章自己文件夹里的文件",
        ),
        ("write just the file name, e.g. photo.jpg", "只写文件名即可，例如 photo.jpg"),
    ),
    "missing-image": (
        ("image '{src}' is not in the article's folder", "文章的文件夹里没有图片“{src}”"),
        ("files in the article's folder: {files}", "文章文件夹里的文件：{files}"),
        (
            "make the article a folder: {folder} with {src} beside it",
            "请把文章改成文件夹形式：{folder}，并把 {src} 放在旁边",
        ),
    ),
    "bad-image": (
        ("this picture cannot be read: {reason}", "无法读取这张图片：{reason}"),
        (
            "a smaller copy of this picture could not be made: {reason}",
            "无法为这张图片生成缩小的副本：{reason}",
        ),
        (
            "open it in a photo editor and save it again as JPEG or PNG",
            "请用图片编辑软件打开它，重新保存为 JPEG 或 PNG",
        ),
        ("the file is damaged or not a picture", "文件已损坏，或者不是图片"),
        ("the picture has too many pixels", "图片的像素太多"),
        ("it is a {fmt} file, whatever its name says", "不管文件名怎么写，它其实是 {fmt} 文件"),
        ("no <svg> element at the start of the file", "文件开头没有 <svg> 元素"),
    ),
    "not-an-image": (
        ("'{src}' is not a picture that pages can show", "“{src}”不是网页能显示的图片"),
        (
            "use a JPEG, PNG, WebP, GIF or SVG file; link to other files with [text](file)",
            "请使用 JPEG、PNG、WebP、GIF 或 SVG 文件；其他文件请用 [文字](文件名) 链接",
        ),
    ),
    "image-name-taken": (
        (
            "this file has the name of a smaller copy that is made of {source}",
            "这个文件的名字与 {source} 自动生成的缩小副本重名",
        ),
        (
            "rename it, so that it does not end in -{width}w",
            "请给它改名，不要以 -{width}w 结尾",
        ),
    ),
    "duplicate-url": (
        (
            "{files} would be published at the same address {url}",
            "{files} 会发布到同一个网址 {url}",
        ),
        (
            "give one of the articles another slug (slug: … in its front matter) or file name",
            "请给其中一篇文章换一个网址名（在文件头写 slug: …）或换一个文件名",
        ),
    ),
    "case-collision": (
        ("{files} differ only in letter case", "{files} 只在字母大小写上不同"),
        (
            "a host or computer that ignores letter case (Windows, macOS) keeps only one of them; rename one of the files",
            "不区分大小写的主机或电脑（Windows、macOS）只会保留其中一个；请给其中一个文件改名",
        ),
    ),
    "reserved-name": (
        (
            "{path} has a part named '{name}', which Windows keeps for a device",
            "{path} 中有一段名为“{name}”，这是 Windows 留给设备用的名字",
        ),
        (
            "rename it (a slug, an id or a file name): such a file cannot be copied to a Windows computer",
            "请改名（网址名、编号或文件名）：这样的文件无法复制到 Windows 电脑上",
        ),
    ),
    "tag-collision": (
        (
            "tag '{name}' would have the same address {url} as the tag '{other}'",
            "标签“{name}”的网址 {url} 会与标签“{other}”相同",
        ),
        (
            "write a tag the same way in every article, or give each tag an id of its own in content/tags.yaml",
            "请在每篇文章里用同样的写法写同一个标签，或在 content/tags.yaml 中给每个标签单独的编号",
        ),
    ),
    "duplicate-article": (
        (
            "this file and {other} are both the '{lang}' version of '{stem}'",
            "本文件和 {other} 都是“{stem}”的“{lang}”版本",
        ),
        (
            "delete one of them, or rename one to a different name",
            "请删除其中一个，或给其中一个改名",
        ),
    ),
    "duplicate-id": (
        ("this file and {other} have the same id '{id}'", "本文件和 {other} 的编号都是“{id}”"),
        (
            "ids must differ by more than letter case or .yml/.yaml; rename or merge one",
            "编号不能只在大小写或 .yml/.yaml 上不同；请改名或合并",
        ),
    ),
    "bad-id": (
        (
            "the file name '{name}' cannot be a record id: use a-z, 0-9 and '-'",
            "文件名“{name}”不能作为记录编号：请只用 a-z、0-9 和“-”",
        ),
        ("rename the file to {name}", "请把文件改名为 {name}"),
    ),
    "bad-slug": (
        ("slug '{slug}' may use only a-z, 0-9 and '-'", "网址名“{slug}”只能使用 a-z、0-9 和“-”"),
        ("write slug: {slug}", "请写作 slug: {slug}"),
    ),
    "unknown-tag": (
        (
            "tag '{name}' is not in content/tags.yaml, so it has no translation",
            "标签“{name}”不在 content/tags.yaml 中，因此没有译名",
        ),
        ("add it: {entry}", "请添加：{entry}"),
    ),
    "broken-link": (
        (
            "link '{href}' leads nowhere: no such page on this site",
            "链接“{href}”无效：本站没有这个页面",
        ),
        (
            "link '{href}' leads nowhere: no such anchor #{anchor} on this site",
            "链接“{href}”无效：页面上没有锚点 #{anchor}",
        ),
        (
            "check the address; a news link looks like /news/2020/04/pujiang-visit/",
            "请检查网址；新闻链接的样子是 /news/2020/04/pujiang-visit/",
        ),
    ),
    "unknown-article": (("there is no news article '{stem}'", "没有名为“{stem}”的新闻文章"),),
    "draft-article": (
        (
            "article '{stem}' is a draft, so this record cannot link to it",
            "文章“{stem}”是草稿，记录不能链接到它",
        ),
        (
            "publish the article (draft: false) or remove the reference",
            "请发布这篇文章（draft: false），或删除这个引用",
        ),
    ),
    "no-config": (
        ("no site.yaml in {folder}", "{folder} 中没有 site.yaml"),
        (
            "run sitegen in the site folder, or give the folder: sitegen build SITE_DIR",
            "请在网站文件夹中运行 sitegen，或指明文件夹：sitegen build 网站文件夹",
        ),
    ),
    "unreadable": (
        ("cannot read file: {why}", "无法读取文件：{why}"),
        (
            "let the build read it (for example: chmod a+r on the file), or remove it",
            "请让构建能读取它（例如对该文件执行 chmod a+r），或删除它",
        ),
    ),
    "outside-site": (
        (
            "a link to {target}, outside the site folder, so it is not read",
            "这是指向网站文件夹之外（{target}）的链接，因此不会读取",
        ),
        (
            "copy the file into the site folder instead of linking to it",
            "请把文件复制到网站文件夹里，而不要用链接指向它",
        ),
        (
            "copy the folder into the site folder instead of linking to it",
            "请把文件夹复制到网站文件夹里，而不要用链接指向它",
        ),
    ),
    "special-file": (
        (
            "this is a {kind}, not a regular file, so it is not read",
            "这是{kind}，不是普通文件，因此不会读取",
        ),
        (
            "remove it: a site folder holds only files and folders, and reading this "
            "would make the build wait forever",
            "请删除它：网站文件夹里只应有文件和文件夹，读取它会让生成一直等下去",
        ),
        ("named pipe (FIFO)", "命名管道（FIFO）"),
        ("socket", "套接字"),
        ("character device", "字符设备"),
        ("block device", "块设备"),
        ("special file", "特殊文件"),
    ),
    "ignored-file": (
        ("not a Markdown file, so it is not published", "不是 Markdown 文件，因此不会发布"),
        (
            "articles end in .zh.md or .en.md; put images in an article's folder",
            "文章文件以 .zh.md 或 .en.md 结尾；图片请放在文章的文件夹里",
        ),
        ("not a .yaml record, so it is not published", "不是 .yaml 记录，因此不会发布"),
        ("each record is one file such as {example}", "每条记录是一个文件，例如 {example}"),
        (
            "Markdown file in an article folder that is not an index file; not published",
            "文章文件夹中的这个 Markdown 文件不是 index 文件，不会发布",
        ),
        (
            "an article folder holds index.zh.md, index.en.md and its images",
            "文章文件夹里放 index.zh.md、index.en.md 和文章的图片",
        ),
    ),
    "empty-bundle": (
        (
            "article folder has no index.zh.md or index.en.md, so nothing in it is published",
            "文章文件夹里没有 index.zh.md 或 index.en.md，因此其中的内容都不会发布",
        ),
        ("add {file}", "请添加 {file}"),
    ),
    "write-failed": (
        ("could not write the site: {why}", "无法写出网站：{why}"),
        (
            "check free disk space and permissions; the previous site was left as it was",
            "请检查磁盘空间和权限；原来的网站保持原样",
        ),
    ),
    "bad-base-url": (
        ("'{url}' is not an absolute http(s) URL", "“{url}”不是完整的 http(s) 网址"),
        ("'{url}' must not have a query or fragment", "“{url}”不能带查询参数或 # 片段"),
        (
            "write the address the site is published at, e.g. https://example.org/xindu/",
            "请写网站发布的网址，例如 https://example.org/xindu/",
        ),
        (
            "give an absolute address, e.g. https://example.org/xindu/",
            "请给出完整网址，例如 https://example.org/xindu/",
        ),
    ),
    "translation-slug": (
        (
            "slug '{slug}' differs from '{original}' in {path}; the original's is used so that both languages share one address",
            "网址名“{slug}”与 {path} 中的“{original}”不同；将使用原文的网址名，使两种语言共用一个网址",
        ),
        ("remove the slug from the translation", "请删除译文中的 slug"),
    ),
    "translation-date": (
        (
            "date {date} differs from {original} in {path}",
            "日期 {date} 与 {path} 中的 {original} 不同",
        ),
        (
            "a translation keeps the original's date; its address uses the original's",
            "译文应与原文同一日期；网址按原文的日期生成",
        ),
    ),
    "unsafe-output": (
        (
            "--out is the site folder or holds it; a build would replace the site folder itself",
            "--out 是网站文件夹本身或包含它的文件夹；生成会把整个网站替换掉",
        ),
        (
            "choose a folder of its own, such as build/ inside the site folder",
            "请另选一个专用的文件夹，例如网站文件夹中的 build/",
        ),
        ("--out is inside {keep}/, which the build reads", "--out 位于生成时要读取的 {keep}/ 之中"),
        (
            "choose a folder outside content/ and themes/, such as build/",
            "请选择 content/ 和 themes/ 以外的文件夹，例如 build/",
        ),
        ("--out is a file, not a folder", "--out 是一个文件，而不是文件夹"),
        ("remove it or choose another folder", "请删除它，或另选一个文件夹"),
        ("--out cannot be read: {why}", "无法读取 --out：{why}"),
        ("choose another folder", "请另选一个文件夹"),
        (
            "--out holds files sitegen did not write ({names}); a build would delete them",
            "--out 中有不是 sitegen 写出的文件（{names}）；生成会把它们删除",
        ),
        (
            "choose a new or empty folder, or add --force to replace this one and all it holds",
            "请选择一个新的或空的文件夹；若确实要替换此文件夹及其中的一切，请加上 --force",
        ),
    ),
}

for _what, _name in (
    ("town", "镇（街道）"),
    ("category", "类别"),
    ("team", "团队"),
    ("studio", "工作室"),
):
    CATALOG[f"unknown-{_what}"] = (
        (f"unknown {_what} id '{{value}}'", f"未知的{_name}编号“{{value}}”"),
        (
            f"event names unknown {_what} id '{{value}}'",
            f"大事记中写了未知的{_name}编号“{{value}}”",
        ),
        ("did you mean '{guess}'? {rest}", "是不是“{guess}”？{rest}"),
        ("the ids are in {where}", "编号列在 {where} 中"),
        ("there are none yet: add it to {where}", "目前还没有：请添加到 {where}"),
    )

SUMMARY: dict[str, tuple[str, str]] = {
    "built": (
        "built {pages} pages ({files} files) into {out} in {seconds} s",
        "已生成 {pages} 个页面（{files} 个文件），位于 {out}，用时 {seconds} 秒",
    ),
    "up-to-date": (
        "site is up to date: {pages} pages in {out} (nothing changed since the last build)",
        "网站已是最新：{out} 中有 {pages} 个页面（自上次生成以来没有任何改动）",
    ),
    "failed": (
        "build failed: {counts}; {out} was left as it was",
        "生成失败：{counts}；{out} 保持原样",
    ),
    "counts": ("{errors} errors, {warnings} warnings", "{errors} 个错误，{warnings} 个警告"),
    "checked": (
        "checked: {errors} errors, {warnings} warnings",
        "检查完成：{errors} 个错误，{warnings} 个警告",
    ),
}


@cache
def _pattern(template: str) -> tuple[re.Pattern[str], tuple[str, ...]]:
    """A regular expression that matches text made from ``template``."""
    parts = re.split(r"(\{\{|\}\}|\{[a-z_]+\})", template)
    regex, names = "", []
    for part in parts:
        if part == "{{":
            regex += re.escape("{")
        elif part == "}}":
            regex += re.escape("}")
        elif part.startswith("{") and part.endswith("}") and len(part) > 2:
            name = part[1:-1]
            if name in names:
                regex += f"(?P={name})"
            else:
                names.append(name)
                regex += f"(?P<{name}>.+?)"
        else:
            regex += re.escape(part)
    return re.compile(regex, re.DOTALL), tuple(names)


def translate(code: str, text: str, lang: str) -> str:
    """``text`` (English, made by a diagnostic of ``code``) in ``lang``."""
    if lang == "en" or not text:
        return text
    for entries in (CATALOG.get(code, ()), CATALOG["*"]):
        for english, other in entries:
            pattern, _names = _pattern(english)
            match = pattern.fullmatch(text)
            if match is None:
                continue
            values = {
                name: translate(code, value, lang) for name, value in match.groupdict().items()
            }
            return other.format(**values)
    return text


def summary(key: str, lang: str, **values: object) -> str:
    english, chinese = SUMMARY[key]
    return (chinese if lang == "zh" else english).format(**values)
