"""Invalid sites print exactly the diagnostics in their ``expected.txt``.

Each folder under ``tests/invalid/`` is a site with one kind of editor
mistake; ``args.txt`` (optional) holds extra build arguments. The build
must exit 1, print those lines (file:line:column, message, hint), name the
output folder as left alone, and print no traceback.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from sitegen.cli import main
from tests.helpers import INVALID

CASES = sorted(p.name for p in INVALID.iterdir() if (p / "expected.txt").is_file())
# expected.txt holds the English messages, expected.zh.txt the Chinese ones.
RUNS = [
    pytest.param(name, lang, id=f"{name}-{lang}")
    for name in CASES
    for lang in ("en", "zh")
    if (INVALID / name / ("expected.txt" if lang == "en" else f"expected.{lang}.txt")).is_file()
]
FAILED = {"en": ("build failed:", "was left as it was"), "zh": ("生成失败：", "保持原样")}


@pytest.mark.parametrize(("name", "lang"), RUNS)
def test_invalid_site_reports_each_mistake(
    name: str,
    lang: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    case = INVALID / name
    args = (case / "args.txt").read_text().split() if (case / "args.txt").is_file() else []
    out = tmp_path / "out"
    monkeypatch.chdir(case)

    code = main(["build", "--out", os.fspath(out), "--lang", lang, *args])

    captured = capsys.readouterr()
    lines = captured.err.splitlines()
    name_of_expected = "expected.txt" if lang == "en" else f"expected.{lang}.txt"
    expected = (case / name_of_expected).read_text(encoding="utf-8").splitlines()
    assert code == 1
    assert lines[:-1] == expected
    assert lines[-1].startswith(FAILED[lang][0]) and FAILED[lang][1] in lines[-1]
    assert "Traceback" not in captured.err + captured.out
    assert not out.exists(), "a failed build must not write an output folder"
