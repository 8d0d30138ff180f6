"""Markdown read by markdown-it.rs, several times faster than markdown-it-py.

``markdown-it-pyrs`` binds markdown-it.rs, a Rust port of markdown-it; it
parses CommonMark (with tables, strikethrough and footnotes) ten to fifteen
times faster than markdown-it-py and hands back a syntax tree. :func:`read`
turns that tree into sitegen's Markdown tree (:mod:`sitegen.core.mdtree`),
the same tree markdown-it-py's reading gives, so that one writer makes the
HTML whichever parser read the text. ``tests/unit/test_markdown_engines.py``
reads many documents both ways and compares what is written.

It pays on cold builds: at 5,000 articles (``bench/ab.py``, two cores, three
runs each) a build took 7.72 s with it and 10.30 s with markdown-it-py alone.

Where the two parsers disagree and CommonMark (or GFM, for tables and
strikethrough) sides with markdown-it.rs, its reading is kept: white space
other than spaces and tabs (a full-width indent) at the edges of a
paragraph, heading or cell stays; lists and quotes deeper than
markdown-it-py's 20 levels of tokens keep their content; a run of more
than two tildes strikes nothing; a table under a quote is not lazy text
of it; a header row needs a pipe that is not escaped; a fenced code or
HTML block at the very end of a text without a final line break ends with
one.

markdown-it.rs cannot be trusted on every input, so :func:`read` declines
(returns ``None``) and markdown-it-py reads the document when:

- a line opens containers more than :data:`MAX_PREFIX` characters deep, or a
  stretch of text between blank lines holds more than :data:`MAX_DELIMITERS`
  emphasis or bracket characters: the Rust tree is freed by recursion, and a
  tree some 50,000 levels deep overflows the stack and kills the process;
  deep lists and quotes also take it quadratic time;
- more than :data:`MAX_BRACKET_LINES` lines start with ``[``: it reads a run
  of link reference definitions in quadratic time;
- a ``[`` and a code span left open share a paragraph (it panics), or an
  empty list item follows a line of text (it may read it as lazy text of a
  quote, against CommonMark);
- the text holds ``^[`` (an inline footnote): nested ones make it panic or
  take exponential time;
- a footnote label is defined twice, or a definition follows a line of text
  or may sit inside another: markdown-it.rs reads these otherwise than
  mdit_py_plugins, whose footnote syntax sitegen keeps (CommonMark has
  none);
- a run of ``*``, ``_`` or ``~`` stands next to East-Asian punctuation, or
  between an East-Asian character and punctuation: markdown-it-py reads
  these by the CJK-friendly amendment to CommonMark (``sitegen.core.cjk``);
- something in the tree is not read as markdown-it-py would read it (an
  unknown node, a link whose host markdown-it-py would punycode, an image
  inside an image's description, a code span of spaces only that cannot
  be measured), or the tree is too deep to walk.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Mapping, Sequence
from functools import cache
from typing import Any
from urllib.parse import unquote

from markdown_it.common.normalize_url import normalizeLink, normalizeLinkText
from markdown_it.common.utils import unescapeAll
from markdown_it_pyrs import MarkdownIt
from markdown_it_pyrs import Node as RsNode

from sitegen.core.cjk import reads_otherwise
from sitegen.core.mdtree import HARDBREAK, SCHEME, SOFTBREAK, Inline, Node, skips_a_level

MAX_PREFIX = 64  # characters of ">", list markers and indentation before a line's text
MAX_DELIMITERS = 1_000  # "*", "_", "~" and "[" between two blank lines
MAX_BRACKET_LINES = 1_000

# searched for after a line break rather than at "^" (re.MULTILINE), which
# is tried at every character and took seven times as long
_PREFIX = re.compile(rf"[ \t>*+\-0-9.)]{{{MAX_PREFIX}}}")
_PREFIX_LINE = re.compile(rf"\n[ \t>*+\-0-9.)]{{{MAX_PREFIX}}}")
_BRACKET_LINE = re.compile(r"^[ \t>]*\[", re.MULTILINE)
_BLANK_LINE = re.compile(r"\n[ \t]*\n")
_IMAGE_TOKEN = re.compile(r"\\.|!\[|[\[\]*_]|\n[ \t]*\n")
_BACKTICKS = re.compile(r"`+")
_DELIMITER_RUN = re.compile(r"[*_~]+")
_SCHEME_BYTES = re.compile(rb"(?i)(?:https?|ftp|mailto):")
_FENCE_LINE = re.compile(r"[ \t>*+\-0-9.)]*(?:```|~~~)")
# an empty list item right under a line of text: markdown-it.rs wrongly takes
# it for lazy text of a quote or list above (">1\n-"), CommonMark for a list
_EMPTY_ITEM = re.compile(r"^[ \t>]*(?:[-+*]|\d{1,9}[.)])[ \t]*$", re.MULTILINE)
_EMPTY_ITEM_LINE = re.compile(r"\n[ \t>]*(?:[-+*]|\d{1,9}[.)])[ \t]*(?=\n|\Z)")
# "<!" and a small letter opens an HTML block in CommonMark 0.31 and in
# markdown-it-py; markdown-it.rs knows only capitals ("<!DOCTYPE")
_SMALL_DECLARATION = re.compile(r"<![a-z]")
# what may name a host: after "mailto:", or after "//" (with or without a scheme)
_AUTHORITY = re.compile(r"(?i)(?:mailto:|(?:[a-z][a-z0-9+.\-]*:)?//)([^/?#]*)")
# footnote definitions that markdown-it.rs reads otherwise than mdit_py_plugins,
# whose syntax sitegen keeps: a label defined twice (it keeps the first, the
# plugin the last), a definition right under a line of text (it continues the
# paragraph) and one inside another (it does not nest them)
_FOOTNOTE_DEFINITION = re.compile(r"^([ \t>*+\-0-9.)]*)\[\^([^\]\s]+)\]:", re.MULTILINE)
# a definition whose text starts four spaces or a tab in: code to markdown-it.rs
_INDENTED_NOTE = re.compile(r"^[ \t>*+\-0-9.)]*\[\^[^\]\s]+\]:(?: {4}| {0,3}\t)", re.MULTILINE)
_FOOTNOTE_REF = re.compile(r"\[\^[^\]\s]+\](?!:)")
_NESTED_FOOTNOTE = re.compile(r"\]:[ \t>*+\-0-9.)]*\[\^")

_INLINE = frozenset(
    {
        "text",
        "text_special",
        "softbreak",
        "hardbreak",
        "em",
        "strong",
        "strikethrough",
        "code_inline",
        "link",
        "autolink",
        "image",
        "html_inline",
        "footnote_ref",
        "footnote_ref_anchor",
    }
)
_SPANS = {"em": "em", "strong": "strong", "strikethrough": "s"}
_HIDDEN = {"hidden": True}


_UNESCAPED_PIPE = re.compile(rb"(?<!\\)\|")


class _Declined(Exception):
    """A document left to markdown-it-py."""


@cache
def _parser() -> MarkdownIt:
    return MarkdownIt("commonmark").enable_many(["table", "strikethrough", "footnote"])


def read(body: str) -> Node | None:
    """``body`` as sitegen's Markdown tree, or ``None`` where markdown-it.rs
    is not to be trusted with it or reads it otherwise than markdown-it-py."""
    if "\r" in body or "\0" in body:  # as markdown-it-py's normalize step
        body = re.sub(r"\r\n?", "\n", body).replace("\0", "\ufffd")
    if not fits(body):
        return None
    try:
        tree = _parser().tree(body)
    except BaseException as exc:  # a Rust panic is a BaseException
        if type(exc).__name__ != "PanicException":
            raise
        return None
    try:
        return _Reader(body).document(tree)
    except (_Declined, RecursionError):
        return None


# --- what markdown-it.rs may be given ---------------------------------------


def fits(body: str) -> bool:
    """Whether markdown-it.rs may parse ``body``: nothing in it is nested or
    repeated in a shape that makes it crash or slow (see the module's text)."""
    if "^[" in body or _PREFIX.match(body) or _PREFIX_LINE.search(body):
        return False
    if "[" in body:
        if body.count("[") > MAX_BRACKET_LINES and (
            len(_BRACKET_LINE.findall(body)) > MAX_BRACKET_LINES
        ):
            return False
        if "[^" in body and not _plain_footnotes(body):
            return False
    if _after_text(body, _EMPTY_ITEM, _EMPTY_ITEM_LINE):
        return False
    if "<!" in body and _SMALL_DECLARATION.search(body):
        return False
    if "`" in body and "[" in body and _open_code_after_bracket(body):
        return False
    delimiters = body.count("*") + body.count("_") + body.count("~") + body.count("[")
    if delimiters > MAX_DELIMITERS:
        for part in _BLANK_LINE.split(body):
            count = part.count("*") + part.count("_") + part.count("~") + part.count("[")
            if count > MAX_DELIMITERS:
                return False
    marks = "*" in body or "_" in body or "~" in body
    if marks and not body.isascii() and _east_asian_emphasis(body):
        return False
    return "![" not in body or not _emphasis_in_image(body)


def _east_asian_emphasis(body: str) -> bool:
    """Whether a run of ``*``, ``_`` or ``~`` in ``body`` stands where the
    CJK-friendly amendment to CommonMark, which markdown-it-py follows
    here (see ``sitegen.core.cjk``) and markdown-it.rs does not, may read
    it otherwise."""
    end = len(body)
    for run in _DELIMITER_RUN.finditer(body):
        start, stop = run.span()
        last = body[start - 1] if start else " "
        after = body[stop] if stop < end else " "
        if last > "\x7f" or after > "\x7f":  # East-Asian characters are not ASCII
            if body.count(body[start], start, stop) != stop - start:
                return True  # "*_" and the like: runs that border each other
            if reads_otherwise(last, after):
                return True
    return False


def _plain_footnotes(body: str) -> bool:
    """Whether markdown-it.rs reads the footnote definitions of ``body`` as
    mdit_py_plugins does: each label once, none inside another, none right
    under a line of text, none whose text is indented like code."""
    found = _FOOTNOTE_DEFINITION.findall(body)
    labels = [label for _, label in found]
    if len(labels) != len(set(labels)) or _NESTED_FOOTNOTE.search(body):
        return False
    if any("    " in prefix or "\t" in prefix for prefix, _ in found):
        return False  # perhaps inside another definition
    return not _after_text(body, _FOOTNOTE_DEFINITION) and not _INDENTED_NOTE.search(body)


def _emphasis_in_image(body: str) -> bool:
    """Whether an image's description may hold emphasis: markdown-it.rs
    closes nested emphasis there otherwise than in other text (``![*.*a**](x)``
    is described as ".a" by markdown-it-py, "*.a*" by markdown-it.rs). Any
    ``*`` or ``_`` between an image's ``![`` and its ``]`` counts."""
    depth = 0  # brackets open since the outermost image's "![", else 0
    for found in _IMAGE_TOKEN.finditer(body, body.find("![")):
        token = found.group()
        if token == "![":
            depth += 1
        elif not depth or token[0] == "\\":
            continue
        elif token == "[":
            depth += 1
        elif token == "]":
            depth -= 1
        elif token in "*_":
            return True
        else:  # a blank line, which no description crosses
            depth = 0
    return False


def _after_text(
    body: str, pattern: re.Pattern[str], after_break: re.Pattern[str] | None = None
) -> bool:
    """Whether a line that ``pattern`` finds comes right under a line that
    is neither blank nor one that ``pattern`` finds (a run of footnote
    definitions is read alike). ``after_break``, where given, finds the
    same lines but the first, by the line break before them (faster)."""
    if after_break is None:
        starts = (found.start() for found in pattern.finditer(body))
    else:
        starts = (found.start() + 1 for found in after_break.finditer(body))
    for start in starts:
        if start:
            above = body[body.rfind("\n", 0, start - 1) + 1 : start - 1]
            if above.strip() and not pattern.match(above):
                return True
    return False


def _open_code_after_bracket(body: str) -> bool:
    """Whether a stretch of text holds a ``[`` and a run of backticks that
    no run of the same length closes: markdown-it.rs 0.6 panics on that
    (``[`x``). Checked line by line and cell by cell, which finds more open
    runs than there are, never fewer; fence lines are left out."""
    for part in _BLANK_LINE.split(body):
        if "`" not in part or "[" not in part:
            continue
        for line in part.split("\n"):
            if "`" not in line or _FENCE_LINE.match(line):
                continue
            for cell in line.split("|"):
                if "\\`" in cell:
                    return True  # an escaped backtick opens no run, and shifts the rest
                runs = [len(run) for run in _BACKTICKS.findall(cell)]
                while runs:
                    opener = runs.pop(0)
                    if opener not in runs:
                        return True
                    del runs[: runs.index(opener) + 1]
    return False


# --- from markdown-it.rs's tree to sitegen's ---------------------------------


def _check_url(url: str) -> None:
    """markdown-it-py writes a host of other letters than ASCII in punycode
    (``xn--…``) and trims white space off an address that markdown-it.rs
    percent-encodes: leave such links to the former. Other addresses come
    out the same from both."""
    if "%" in url or "[" in url:
        authority = _AUTHORITY.match(url)
        if authority and ("%" in authority.group(1) or "[" in authority.group(1)):
            raise _Declined(url)
        decoded = unquote(url)
        if decoded != decoded.strip():
            raise _Declined(url)


def _earliest(nodes: Sequence[RsNode]) -> RsNode:
    """The node that starts first among ``nodes`` and all they hold: the
    line of a tight list item's paragraph, which has no node of its own.
    markdown-it.rs may start an emphasis after a link inside it."""
    best, stack = nodes[0], list(nodes)
    while stack:
        node = stack.pop()
        if node.srcmap is not None and (best.srcmap is None or node.srcmap[0] < best.srcmap[0]):
            best = node
        stack.extend(node.children)
    return best


def _has_address(held: Sequence[Inline]) -> bool:
    """Whether text in ``held`` may hold an address (see ``bare_links``)."""
    todo = list(held)
    while todo:
        item = todo.pop()
        if isinstance(item, str):
            if ":" in item and SCHEME.search(item):
                return True
        else:
            todo.extend(item.inline)
    return False


class _Reader:
    """Turns one markdown-it.rs tree into sitegen's."""

    def __init__(self, source: str) -> None:
        self.source = source
        self.data = source.encode()
        self._newlines: list[int] | None = None
        self.notes: dict[int, tuple[int, int]] = {}  # a reference's offset -> number, use
        self.note_order: dict[Any, int] = {}  # a definition's id -> its number
        self.note_uses: dict[int, int] = {}  # a number -> how often it is referred to
        self.placed = 0  # links, pictures and pieces of raw HTML read so far
        self.headings: list[tuple[Node, RsNode]] = []  # each heading read, and where from

    def line(self, node: RsNode) -> int:
        """The 0-based line where ``node`` starts (its srcmap counts bytes)."""
        span = node.srcmap
        if span is None:
            raise _Declined("no position")
        if self._newlines is None:
            self._newlines = [m.start() for m in re.finditer(b"\n", self.data)]
        return bisect_right(self._newlines, span[0] - 1)

    def document(self, root: RsNode) -> Node:
        children = root.children
        if "[^" in self.source:
            self.number_notes(root)
        notes = None
        if children and children[-1].name == "footnote_container":
            notes = children[-1]
            children = children[:-1]
        blocks = self.blocks(children)
        if notes is not None and self.notes:
            blocks.append(self.footnotes(notes))
        if skips_a_level([node.meta["level"] for node, _ in self.headings]):
            for node, block in self.headings:  # said at its line
                node.line = self.line(block)
        return Node("document", blocks)

    def blocks(self, nodes: Sequence[RsNode]) -> list[Node]:
        """The blocks of ``nodes``, a tight list item's text (which has no
        paragraph of its own here) in a hidden paragraph."""
        out: list[Node] = []
        run: list[RsNode] = []
        for node in nodes:
            name = node.name
            if name in _INLINE:
                run.append(node)
                continue
            if run:
                out.append(self.text_of(run, None, _HIDDEN))
                run = []
            out.append(self.block(node))
        if run:
            out.append(self.text_of(run, None, _HIDDEN))
        return out

    def text_of(
        self,
        nodes: Sequence[RsNode],
        block: RsNode | None,
        meta: Mapping[str, Any] | None = None,
        name: str = "paragraph",
    ) -> Node:
        """A block of text, the inline ``nodes`` of ``block`` (or, with
        none, of a tight list item). Its line is found only where the writer
        may place something on it (a heading; a link, written or bare, a
        picture or raw HTML): finding lines took as long as reading the rest."""
        placed = self.placed
        held = self.inline(nodes)
        line = 0
        if self.placed != placed or self.may_link(block, nodes, held):
            line = self.line(block if block is not None else _earliest(nodes))
        node = Node(name, line=line, meta=meta, inline=held)
        if name == "heading" and block is not None:
            self.headings.append((node, block))
        return node

    def may_link(
        self, block: RsNode | None, nodes: Sequence[RsNode], held: Sequence[Inline]
    ) -> bool:
        """Whether the text of ``block`` (its inline ``nodes``, read as
        ``held``) may hold an address: where its source has a colon."""
        if block is not None:
            span = block.srcmap
        else:
            first, last = nodes[0].srcmap if nodes else None, nodes[-1].srcmap if nodes else None
            span = (first[0], last[1]) if first is not None and last is not None else None
        if span is None:
            return _has_address(held)
        colon = self.data.find(b":", span[0], span[1])
        return colon >= 0 and _SCHEME_BYTES.search(self.data, span[0], span[1]) is not None

    def block(self, node: RsNode) -> Node:
        name = node.name
        if name == "paragraph":
            return self.text_of(node.children, node)
        if name == "heading" or name == "lheading":
            span = node.srcmap
            text = self.data[span[0] : span[1]] if span is not None else b"|"
            if b"|" in text and text.rstrip().endswith(b"-") and _UNESCAPED_PIPE.search(text):
                # "a|" over "---": a table of one column, as markdown-it-py and
                # GFM read it ("\|" over "---" is a heading, as this one reads it)
                raise _Declined("a heading underlined under a pipe")
            return self.text_of(node.children, node, {"level": node.meta["level"]}, "heading")
        if name == "bullet_list" or name == "list_item" or name == "blockquote":
            return Node(name, self.blocks(node.children))
        if name == "ordered_list":
            return Node(name, self.blocks(node.children), meta={"start": node.meta.get("start", 1)})
        if name == "fence":
            meta = node.meta
            info = unescapeAll(meta.get("info") or "").strip()
            if meta.get("lang_prefix", "language-") != "language-":
                raise _Declined("fence")
            return Node(name, text=meta["content"], meta={"info": info} if info else None)
        if name == "code_block":
            return Node(name, text=node.meta["content"])
        if name == "html_block":
            return Node(name, text=node.meta["content"], line=self.line(node))
        if name == "table":
            return self.table(node)
        if name == "hr":
            return Node(name)
        raise _Declined(name)

    def table(self, node: RsNode) -> Node:
        if node.srcmap is None:
            raise _Declined("no position")
        header = self.data[node.srcmap[0] :].split(b"\n", 1)[0]
        if b"|" not in header:
            # markdown-it-py reads a table only under a header with a "|"
            # ("1" over ":-" is a paragraph); markdown-it.rs needs none
            raise _Declined("table without a pipe in its header")
        aligns = node.meta.get("alignments", ())
        parts: list[Node] = []
        for part in node.children:
            if part.name not in ("thead", "tbody"):
                raise _Declined(part.name)
            cell = "th" if part.name == "thead" else "td"
            rows: list[Node] = []
            for row in part.children:
                placed = self.placed
                cells = []
                for column, tcell in enumerate(row.children):
                    align = aligns[column] if column < len(aligns) else ""
                    meta = {"align": align} if align in ("left", "center", "right") else None
                    cells.append(Node(cell, meta=meta, inline=self.inline(tcell.children)))
                known = self.placed != placed or self.may_link(row, (), cells)
                rows.append(Node("tr", cells, line=self.line(row) if known else 0))
            parts.append(Node(part.name, rows))
        return Node("table", parts)

    def inline(self, nodes: Sequence[RsNode]) -> list[Inline]:
        out: list[Inline] = []
        for node in nodes:
            name = node.name
            if name == "text" or name == "text_special":
                out.append(node.meta["content"])
            elif name == "softbreak":
                out.append(SOFTBREAK)
            elif name == "hardbreak":
                out.append(HARDBREAK)
            elif name in _SPANS:
                out.append(Node(_SPANS[name], inline=self.inline(node.children)))
            elif name == "link":
                self.placed += 1
                meta = node.meta
                url = meta["url"]
                _check_url(url)
                title = meta.get("title")
                held = self.inline(node.children)
                out.append(
                    Node("link", text=url, meta={"title": title} if title else None, inline=held)
                )
            elif name == "code_inline":
                content = "".join(str(child.meta.get("content", "")) for child in node.children)
                if content and not content.strip(" "):
                    content = self.blank_code(node)
                out.append(Node("code", text=content))
            elif name == "image":
                self.placed += 1
                out.append(self.image(node))
            elif name == "html_inline":
                self.placed += 1
                out.append(Node("html", text=node.meta["content"]))
            elif name == "autolink":
                self.placed += 1
                out.append(self.autolink(node))
            elif name == "footnote_ref":
                out.append(self.footnote_ref(node))
            elif name != "footnote_ref_anchor":  # the backlinks are counted in number_notes()
                raise _Declined(name)
        return out

    def autolink(self, node: RsNode) -> Node:
        """A link whose address and text are as markdown-it-py makes them."""
        children = node.children
        if len(children) != 1 or children[0].name != "text_special":
            raise _Declined("autolink")
        _check_url(str(node.meta.get("url", "")))
        raw = str(children[0].meta["content"])
        url = normalizeLink(raw if ":" in raw else "mailto:" + raw)
        return Node("link", text=url, inline=[normalizeLinkText(raw)])

    def image(self, node: RsNode) -> Node:
        meta = node.meta
        url = meta["url"]
        _check_url(url)
        children = self.inline(node.children)
        if _holds_image(children):
            raise _Declined("image in an image")  # markdown-it-py lists it as written
        title = meta.get("title")
        return Node("image", text=url, meta={"title": title} if title else None, inline=children)

    def blank_code(self, node: RsNode) -> str:
        """A code span of spaces only, which CommonMark keeps whole and
        markdown-it.rs shortens by one space at each end: its spaces
        counted in the source."""
        span, ticks = node.srcmap, int(node.meta.get("marker_len", 0))
        if span is None or not ticks:
            raise _Declined("code span")
        written = self.data[span[0] : span[1]]
        if b"\n" in written or written.strip(b"`") != b" " * (len(written) - 2 * ticks):
            raise _Declined("code span")
        return " " * (len(written) - 2 * ticks)

    # --- footnotes ------------------------------------------------------

    def number_notes(self, root: RsNode) -> None:
        """Number footnotes as mdit_py_plugins does: by their first
        reference in the text, definitions' own references in place."""
        refs = [node for node in root.walk() if node.name in ("footnote_ref", "footnote_inline")]
        order = self.note_order
        uses = self.note_uses
        placed: list[tuple[int, RsNode]] = []
        for ref in refs:
            if ref.name == "footnote_inline" or ref.srcmap is None:
                raise _Declined("inline footnote")
            placed.append((ref.srcmap[0], ref))
        if len(placed) != len(_FOOTNOTE_REF.findall(self.source)):
            # a reference markdown-it.rs dropped (one inside a definition no
            # one refers to, which the plugin still lists) or left as text
            raise _Declined("footnote references")
        placed.sort(key=lambda pair: pair[0])
        for offset, ref in placed:
            number = order.setdefault(ref.meta["def_id"], len(order) + 1)
            self.notes[offset] = (number, uses.get(number, 0))
            uses[number] = uses.get(number, 0) + 1

    def footnote_ref(self, node: RsNode) -> Node:
        span = node.srcmap
        if span is None or span[0] not in self.notes:
            raise _Declined("footnote reference")
        number, use = self.notes[span[0]]
        return Node("footnote_ref", meta={"number": number, "use": use})

    def footnotes(self, container: RsNode) -> Node:
        definitions: dict[Any, RsNode] = {}
        for definition in container.children:
            if definition.name != "footnote_def":
                raise _Declined(definition.name)
            definitions[definition.meta["def_id"]] = definition
        notes: list[Node] = []
        for def_id, number in self.note_order.items():
            if def_id not in definitions:
                raise _Declined("footnote without definition")
            content = [c for c in definitions[def_id].children if c.name != "footnote_ref_anchor"]
            if content and content[0].name == "html_block":
                raise _Declined("raw HTML opening a footnote")  # markdown-it.rs keeps a space
            meta = {"number": number, "uses": self.note_uses[number]}
            notes.append(Node("footnote", self.blocks(content), meta=meta))
        return Node("footnotes", notes)


def _holds_image(nodes: Sequence[Inline]) -> bool:
    stack = list(nodes)
    while stack:
        node = stack.pop()
        if isinstance(node, Node):
            if node.name == "image":
                return True
            stack.extend(node.inline)
    return False
