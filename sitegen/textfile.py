"""Source bytes into text: UTF-8 only, with a useful message otherwise."""

from __future__ import annotations

import re

from sitegen.diagnostics import Diagnostic, Severity

_CJK = re.compile(r"[\u4e00-\u9fff]")


def guess_encoding(data: bytes) -> str:
    """Name the encoding that ``data`` most likely uses, for a message."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "UTF-16"
    for name, label in (("gbk", "GBK"), ("gb18030", "GB18030"), ("big5", "Big5")):
        try:
            text = data.decode(name)
        except UnicodeDecodeError:
            continue
        if _CJK.search(text):
            return label
    return "an unknown encoding"


def decode_source(data: bytes, path: str) -> str | Diagnostic:
    """Decode UTF-8 (a BOM is allowed) and normalise line ends to ``\\n``."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        column = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        encoding = guess_encoding(data)
        source = "GBK" if encoding == "an unknown encoding" else encoding
        return Diagnostic(
            path,
            line,
            column,
            Severity.ERROR,
            "encoding",
            f"file is not UTF-8 (it looks like {encoding})",
            f"save it as UTF-8: in the editor choose 'Save with encoding: UTF-8', or run "
            f"iconv -f {source} -t UTF-8 '{path}' > tmp && mv tmp '{path}'",
        )
    if "\x00" in text:
        index = text.index("\x00")
        line = text.count("\n", 0, index) + 1
        return Diagnostic(
            path,
            line,
            1,
            Severity.ERROR,
            "nul-byte",
            "file contains a NUL byte",
            "the file may be binary or damaged; remove the NUL character or save it again as text",
        )
    return text.replace("\r\n", "\n").replace("\r", "\n")
