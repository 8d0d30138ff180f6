"""Source bytes into text: UTF-8 only, with a useful message otherwise.

A source file is refused when it is larger than :data:`MAX_SOURCE_BYTES`
(no article or record comes near it, and a parser handed a file of tens of
megabytes would take minutes), when it is not UTF-8, and when it is UTF-16
(which Windows editors call "Unicode"). A byte-order mark, CRLF and lone CR
line ends are accepted; invisible control characters such as NUL are
removed from articles and records with a warning (:func:`decode_text`).

A build reads nothing outside the site folder: :func:`outside_site` is the
one check, for every file and folder a build reads there, that a path does
not lead out of it through a link. Nor does it open anything but regular
files: :func:`special_file` names a named pipe, socket or device, which
would make a build wait forever (or read without end), and
:func:`read_file` checks it before opening.
"""

from __future__ import annotations

import os
import re
import stat
from dataclasses import dataclass
from pathlib import Path

from sitegen.core.diagnostics import Diagnostic, Severity

MAX_SOURCE_BYTES = 4 * 1024 * 1024

_CJK = re.compile(r"[\u4e00-\u9fff]")
# C0 controls other than tab and the line ends, and DEL: never part of a text
# an editor means to publish, and not allowed in YAML or shown in HTML.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
# The same characters as bytes: a text decoded from bytes without any of
# them (UTF-8, GBK, UTF-16) holds none of the characters.
_CONTROL_BYTES = bytes([*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20), 0x7F])


@dataclass(frozen=True, slots=True)
class Decoded:
    """A source file's text (``None`` when it cannot be read) and its problems."""

    text: str | None
    problems: tuple[Diagnostic, ...] = ()


def outside_site(site_dir: Path, path: Path) -> Diagnostic | None:
    """The error for ``path`` (written as a path inside ``site_dir``) when
    it leads out of the site folder through a link, its own or a folder's
    above it; such a file or folder must not be read."""
    target = Path(os.path.realpath(path))
    if target.is_relative_to(os.path.realpath(site_dir)):
        return None
    kind = "folder" if target.is_dir() else "file"
    return Diagnostic(
        path.relative_to(site_dir).as_posix(),
        0,
        1,
        Severity.ERROR,
        "outside-site",
        f"a link to {target}, outside the site folder, so it is not read",
        f"copy the {kind} into the site folder instead of linking to it",
    )


_SPECIAL_KINDS = (
    (stat.S_ISFIFO, "named pipe (FIFO)"),
    (stat.S_ISSOCK, "socket"),
    (stat.S_ISCHR, "character device"),
    (stat.S_ISBLK, "block device"),
)


def special_file(site_dir: Path, path: Path) -> Diagnostic | None:
    """The error for ``path`` (written as a path inside ``site_dir``) when it
    is, or links to, something other than a regular file or a folder; it
    must never be opened. A path that does not exist is not this error."""
    try:
        mode = os.stat(path).st_mode
    except OSError:
        return None
    return _special(path.relative_to(site_dir).as_posix(), mode)


def _special(rel: str, mode: int) -> Diagnostic | None:
    if stat.S_ISREG(mode) or stat.S_ISDIR(mode):
        return None
    kind = next((name for test, name in _SPECIAL_KINDS if test(mode)), "special file")
    return Diagnostic(
        rel,
        0,
        1,
        Severity.ERROR,
        "special-file",
        f"this is a {kind}, not a regular file, so it is not read",
        "remove it: a site folder holds only files and folders, and reading this "
        "would make the build wait forever",
    )


def read_file(site_dir: Path, path: Path, rel: str | None = None) -> bytes | Diagnostic:
    """The bytes of a source file (at most one more than
    :data:`MAX_SOURCE_BYTES`, enough to tell that it is too large), or why
    it cannot be read. Anything but a regular file is refused unopened;
    ``rel`` (``path`` relative to ``site_dir``), where the caller gives it,
    says that the caller has just seen a regular file there."""
    if rel is None:
        rel = path.relative_to(site_dir).as_posix()
        special = special_file(site_dir, path)
        if special is not None:
            return special
    try:
        # O_NONBLOCK: should a pipe take the file's place after the check,
        # opening it does not wait for a writer, and fstat refuses it.
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC)
        with os.fdopen(fd, "rb") as file:
            special = _special(rel, os.fstat(fd).st_mode)
            return special if special is not None else file.read(MAX_SOURCE_BYTES + 1)
    except OSError as exc:
        return unreadable(rel, exc)


def unreadable(rel: str, exc: OSError) -> Diagnostic:
    """The error for a file at ``rel`` that could not be read."""
    return Diagnostic(
        rel,
        0,
        1,
        Severity.ERROR,
        "unreadable",
        f"cannot read file: {exc.strerror}",
        "let the build read it (for example: chmod a+r on the file), or remove it",
    )


def _looks_utf16(data: bytes) -> bool:
    """Whether ``data`` is UTF-16 without a byte-order mark: a quarter or more
    of its odd (or even) bytes are NUL, as in the ASCII parts of such a file,
    and hardly any of the others."""
    if len(data) < 4 or len(data) % 2:
        return False
    half = len(data) // 2
    even, odd = data[0::2].count(0), data[1::2].count(0)
    return max(even, odd) >= max(4, half * 0.25) and min(even, odd) <= half * 0.05


def guess_encoding(data: bytes) -> str:
    """Name the encoding that ``data`` most likely uses, for a message."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")) or _looks_utf16(data):
        return "UTF-16"
    for name, label in (("gbk", "GBK"), ("gb18030", "GB18030"), ("big5", "Big5")):
        try:
            text = data.decode(name)
        except UnicodeDecodeError:
            continue
        if _CJK.search(text):
            return label
    return "an unknown encoding"


def _position(data: bytes, index: int) -> tuple[int, int]:
    line = data.count(b"\n", 0, index) + 1
    return line, index - (data.rfind(b"\n", 0, index) + 1) + 1


def _not_utf8(data: bytes, path: str, index: int) -> Diagnostic:
    encoding = guess_encoding(data)
    line, column = _position(data, index)
    if encoding == "UTF-16":
        line, column = 1, 1
    if encoding == "an unknown encoding":
        return Diagnostic(
            path,
            line,
            column,
            Severity.ERROR,
            "encoding",
            f"file is not valid UTF-8: byte 0x{data[index]:02x} here is not part of any character",
            "the file may be damaged or saved in another encoding; "
            "open it in an editor and save it again as UTF-8",
        )
    return Diagnostic(
        path,
        line,
        column,
        Severity.ERROR,
        "encoding",
        f"file is not UTF-8 (it looks like {encoding})",
        f"save it as UTF-8: in the editor choose 'Save with encoding: UTF-8', or run "
        f"iconv -f {encoding} -t UTF-8 '{path}' > tmp && mv tmp '{path}'",
    )


def _too_large(data: bytes, path: str) -> Diagnostic:
    megabytes = f"{len(data) / 1024 / 1024:.1f}"
    limit = MAX_SOURCE_BYTES // 1024 // 1024
    return Diagnostic(
        path,
        0,
        1,
        Severity.ERROR,
        "file-too-large",
        f"file is larger than {limit} MB, the most a source file may be",
        f"it has at least {megabytes} MB; split it into smaller files, and keep pictures "
        "and documents beside the article instead of inside its text",
    )


def _text(data: bytes, path: str) -> str | Diagnostic:
    """UTF-8 text (a BOM is dropped) with ``\\n`` line ends, or the problem."""
    if len(data) > MAX_SOURCE_BYTES:
        return _too_large(data, path)
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return _not_utf8(data, path, 0)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        return _not_utf8(data, path, exc.start)
    if "\x00" in text and _looks_utf16(data):
        return _not_utf8(data, path, 0)
    return text.replace("\r\n", "\n").replace("\r", "\n")


def decode_source(data: bytes, path: str) -> str | Diagnostic:
    """Decode a settings or strings file: UTF-8 (a BOM is allowed), line ends
    normalised to ``\\n``; a NUL byte is an error here."""
    text = _text(data, path)
    if isinstance(text, Diagnostic) or "\x00" not in text:
        return text
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


def decode_text(data: bytes, path: str) -> Decoded:
    """Decode an article or record: as :func:`decode_source`, but invisible
    control characters (NUL and the like) are removed with a warning at the
    first of them, so that the rest of the text still builds."""
    text = _text(data, path)
    if isinstance(text, Diagnostic):
        return Decoded(None, (text,))
    if len(data.translate(None, _CONTROL_BYTES)) == len(data):  # most files: 20 times faster
        return Decoded(text)
    found = _CONTROL.search(text)
    if found is None:
        return Decoded(text)
    count = len(_CONTROL.findall(text))
    index = found.start()
    line = text.count("\n", 0, index) + 1
    column = index - (text.rfind("\n", 0, index) + 1) + 1
    name = f"U+{ord(found.group()):04X}" + (" NUL" if found.group() == "\x00" else "")
    message = (
        f"removed a control character ({name})"
        if count == 1
        else f"removed {count} control characters (the first is {name})"
    )
    warning = Diagnostic(
        path,
        line,
        column,
        Severity.WARNING,
        "control-character",
        message,
        "such characters are invisible and cannot be shown on a web page; "
        "check the text here and save the file again",
    )
    return Decoded(_CONTROL.sub("", text), (warning,))
