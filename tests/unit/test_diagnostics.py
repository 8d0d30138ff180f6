from __future__ import annotations

from sitegen.core.diagnostics import Diagnostic, Diagnostics, Severity, did_you_mean
from sitegen.core.textfile import decode_source, guess_encoding


def test_format_names_file_line_column_and_hint() -> None:
    d = Diagnostic("content/a.md", 3, 7, Severity.ERROR, "yaml", "bad", "fix it\nlike this")
    assert d.format() == (
        "content/a.md:3:7: error: bad [yaml]\n    hint: fix it\n          like this"
    )
    assert Diagnostic("site.yaml", 0, 0, Severity.WARNING, "x", "m").format() == (
        "site.yaml: warning: m [x]"
    )


def test_sorted_by_file_then_line_without_duplicates() -> None:
    bag = Diagnostics()
    bag.error("b.md", 1, "c", "m")
    bag.error("a.md", 10, "c", "m")
    bag.warning("a.md", 2, "c", "m")
    bag.warning("a.md", 2, "c", "m")
    assert [(d.path, d.line) for d in bag.sorted()] == [("a.md", 2), ("a.md", 10), ("b.md", 1)]
    assert len(bag.errors) == 2 and len(bag.warnings) == 2


def test_did_you_mean() -> None:
    assert did_you_mean("summery", ["summary", "source"]) == "did you mean 'summary'?"
    assert did_you_mean("zzz", ["summary"]) == ""


def test_gbk_file_is_named_with_line_and_conversion_hint() -> None:
    data = "---\ntitle: 参观学习\n".encode("gbk")
    problem = decode_source(data, "a.md")
    assert isinstance(problem, Diagnostic)
    assert problem.line == 2
    assert "looks like GBK" in problem.message
    assert "iconv -f GBK -t UTF-8" in problem.hint


def test_utf16_is_recognised() -> None:
    assert guess_encoding("标题".encode("utf-16")) == "UTF-16"


def test_bom_and_crlf_are_accepted() -> None:
    assert decode_source("\ufefftitle: a\r\nb\rc\n".encode(), "a.md") == "title: a\nb\nc\n"


def test_nul_byte_is_reported() -> None:
    problem = decode_source(b"a\nb\x00c\n", "a.md")
    assert isinstance(problem, Diagnostic) and problem.line == 2
