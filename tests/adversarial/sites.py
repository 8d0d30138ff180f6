"""Small sites written into a temporary folder and built through the
command line, as an editor or CI would run ``sitegen build``.

Every build here asserts what any outcome must show: no traceback, and on
failure exit status 1 with the previous output folder left exactly as it
was (a file of an earlier build is put there first to prove it).
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest

from sitegen.cli import main
from sitegen.engine.write import MARKER
from tests.helpers import tree

SITE_YAML = "title: {zh: 测试学院, en: Test College}\nbase_url: https://example.org/\n"
# An earlier build: a page, and the marker by which sitegen knows its own output.
EARLIER = {"index.html": b"<!doctype html><title>an earlier build</title>\n", MARKER: b"\n"}


def article(front: str, body: str = "正文。\n") -> str:
    """An article file: ``front`` is the YAML between the two ``---`` lines."""
    return f"---\n{front}---\n\n{body}"


PLAIN = article("title: 参观学习\ndate: 2020-04-27\n")


@dataclass(frozen=True)
class Outcome:
    code: int
    stderr: str
    stdout: str
    site: Path
    out: Path

    @property
    def problems(self) -> list[str]:
        """The diagnostic lines printed (not their hints, not the summary)."""
        return [
            line
            for line in self.stderr.splitlines()
            if ": error: " in line or ": warning: " in line
        ]

    def page(self, path: str) -> str:
        return (self.out / path).read_text(encoding="utf-8")

    def files(self) -> dict[str, bytes]:
        return tree(self.out)


_READ_EVENTS = {"open", "os.listdir", "os.scandir"}
_reads: list[str] | None = None


def _audit(event: str, args: tuple[object, ...]) -> None:
    if _reads is not None and event in _READ_EVENTS and args:
        where = args[0]
        if isinstance(where, (str, bytes, os.PathLike)):
            _reads.append(os.path.realpath(os.fsdecode(where)))


sys.addaudithook(_audit)


@contextmanager
def reads() -> Iterator[list[str]]:
    """Every file opened and folder listed in this process meanwhile, where
    it really is (links followed)."""
    global _reads
    _reads = found = []
    try:
        yield found
    finally:
        _reads = None


def write_site(root: Path, files: dict[str, str | bytes]) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    if "site.yaml" not in files:
        (root / "site.yaml").write_text(SITE_YAML, encoding="utf-8")
    for name, data in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(data, str):
            path.write_bytes(data.encode("utf-8"))
        else:
            path.write_bytes(data)
    return root


def build(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    files: dict[str, str | bytes],
    *args: str,
    site: Path | None = None,
) -> Outcome:
    """Write ``files`` (path → text or bytes) as a site and build it with
    ``args``; a failed build must have left the earlier output alone."""
    site = site or write_site(tmp_path / "site", files)
    out = tmp_path / "out"
    out.mkdir(exist_ok=True)
    for name, data in EARLIER.items():
        (out / name).write_bytes(data)
    before = tree(out)
    code = main(
        [
            "build",
            os.fspath(site),
            "--out",
            os.fspath(out),
            "--no-search",
            "--no-cache",
            "--date",
            "2020-05-01",
            "--lang",
            "en",
            "-q",
            *args,
        ]
    )
    captured = capsys.readouterr()
    outcome = Outcome(code, captured.err, captured.out, site, out)
    assert "Traceback" not in captured.err + captured.out, captured.err
    assert code in (0, 1), captured.err
    if code == 1:
        assert tree(out) == before, "a failed build changed the output folder"
        last = captured.err.splitlines()[-1]
        assert "was left as it was" in last or "保持原样" in last
    return outcome


def fails_with(outcome: Outcome, *expected: str) -> None:
    """The build failed and printed exactly the diagnostic lines ``expected``."""
    assert outcome.code == 1, outcome.stderr
    assert outcome.problems == list(expected), outcome.stderr


def builds_with(outcome: Outcome, *expected: str) -> None:
    """The build succeeded and printed exactly the warnings ``expected``."""
    assert outcome.code == 0, outcome.stderr
    assert outcome.problems == list(expected), outcome.stderr
