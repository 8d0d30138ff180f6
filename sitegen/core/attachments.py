"""Attachments (附件): the forms, notices and slides an article's folder
holds beside its pictures.

A notice often ends "附件：申报表.docx、通知.pdf". Each file an article links
is published once, under ``/media/`` in a folder named by its content (as
pictures are, see :mod:`sitegen.core.images`), the link says what it is and
how large ("PDF · 1.2 MB"), so that a reader on mobile data can tell a
form from a scan before opening it, and the article closes with a list of
them. Only the kinds of file in :data:`KINDS` are published: a web page or
a script in an article's folder would run on the site's own address.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import PurePosixPath
from urllib.parse import quote

from sitegen.core.images import IMAGE_SUFFIXES, media_path

# What each kind of file is called on the page, by its ending.
KINDS = {
    ".pdf": "PDF",
    ".doc": "Word",
    ".docx": "Word",
    ".xls": "Excel",
    ".xlsx": "Excel",
    ".ppt": "PowerPoint",
    ".pptx": "PowerPoint",
    ".wps": "WPS",
    ".et": "WPS",
    ".dps": "WPS",
    ".odt": "ODF",
    ".ods": "ODF",
    ".odp": "ODF",
    ".txt": "TXT",
    ".csv": "CSV",
    ".zip": "ZIP",
    ".rar": "RAR",
    ".7z": "7Z",
    ".mp3": "MP3",
    ".m4a": "M4A",
    ".mp4": "MP4",
}


def kind_of(name: str) -> str | None:
    """What a file called ``name`` is on the page ("PDF"), or ``None`` for a
    kind that is not published."""
    return KINDS.get(PurePosixPath(name).suffix.lower())


@dataclass(frozen=True, slots=True)
class FileInfo:
    """A file of an article's folder that is not a picture."""

    name: str  # relative to the article's folder, with "/"
    size: int  # bytes
    digest: str  # sha256 of its bytes, hex

    @property
    def file(self) -> str:
        return self.name.rsplit("/", 1)[-1]


@dataclass(frozen=True, slots=True)
class Attachment:
    """A file an article links, as published."""

    name: str  # in the article's folder
    kind: str  # "PDF"
    size: int
    folder: str  # the site path it is published in: /media/<content>/

    @property
    def href(self) -> str:
        return self.folder + quote(self.file)

    @property
    def file(self) -> str:
        return self.name.rsplit("/", 1)[-1]

    @property
    def size_text(self) -> str:
        return size_text(self.size)

    def note(self, lang: str) -> str:
        """What a link to it says after its text: "（PDF · 1.2 MB）"."""
        text = f"{self.kind} · {self.size_text}"
        return f"（{text}）" if lang == "zh" else f" ({text})"


def names_a_file(name: str) -> bool:
    """Whether ``name`` (a link, unquoted) names a file of the article's own
    folder: a bare name ending as an attachment or a picture does."""
    suffix = PurePosixPath(name).suffix.lower()
    return (
        bool(name)
        and "/" not in name
        and ":" not in name
        and (suffix in KINDS or suffix in IMAGE_SUFFIXES)
    )


def attachment(info: FileInfo) -> Attachment | None:
    """``info`` as published, or ``None`` for a kind that is not."""
    kind = kind_of(info.name)
    if kind is None:
        return None
    return Attachment(info.name, kind, info.size, media_path(info.digest, "file"))


def size_text(size: int) -> str:
    """A file's size as readers know it from their phones: 20 KB, 1.2 MB."""
    if size < 1024 * 1024:
        return f"{max(1, round(size / 1024))} KB"
    megabytes = size / (1024 * 1024)
    return f"{megabytes:.1f} MB" if megabytes < 100 else f"{round(megabytes)} MB"
