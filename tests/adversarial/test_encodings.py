"""Files in the encodings and with the bytes that editors' tools really
produce: GBK and GB18030 from Chinese Windows, UTF-16 ("Unicode" in
Notepad), UTF-8 with a byte-order mark, damaged bytes, NUL and other
control characters, and Windows or old Mac line ends."""

from __future__ import annotations

from pathlib import Path

import pytest

from sitegen.core.textfile import MAX_SOURCE_BYTES
from tests.adversarial.sites import PLAIN, article, build, builds_with, fails_with

NEWS = "content/news/2020-04-27-visit.zh.md"
PAGE = "news/2020/04/visit/index.html"
TEXT = "---\ntitle: 参观学习\ndate: 2020-04-27\n---\n\n正文。\n"


def convert(encoding: str) -> str:
    return f"iconv -f {encoding} -t UTF-8 '{NEWS}' > tmp && mv tmp '{NEWS}'"


@pytest.mark.parametrize(
    ("data", "line", "encoding"),
    [
        pytest.param(TEXT.encode("gbk"), "2:8", "GBK", id="gbk"),
        # 𠀀 is outside GBK: only GB18030 has it
        pytest.param(TEXT.replace("学习", "𠀀").encode("gb18030"), "2:8", "GB18030", id="gb18030"),
        pytest.param(TEXT.encode("utf-16"), "1:1", "UTF-16", id="utf-16-bom"),
        pytest.param(TEXT.encode("utf-16-le"), "1:1", "UTF-16", id="utf-16-le-no-bom"),
        pytest.param(TEXT.encode("utf-16-be"), "1:1", "UTF-16", id="utf-16-be-no-bom"),
    ],
)
def test_a_file_in_another_encoding_is_named_with_the_command_that_converts_it(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    data: bytes,
    line: str,
    encoding: str,
) -> None:
    outcome = build(tmp_path, capsys, {NEWS: data})
    fails_with(
        outcome, f"{NEWS}:{line}: error: file is not UTF-8 (it looks like {encoding}) [encoding]"
    )
    assert (
        "hint: save it as UTF-8: in the editor choose 'Save with encoding: UTF-8', "
        f"or run {convert(encoding)}" in outcome.stderr
    )


def test_damaged_bytes_are_pointed_at(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = TEXT.encode().replace("正文".encode(), b"ab\xff\xfecd")
    outcome = build(tmp_path, capsys, {NEWS: data})
    fails_with(
        outcome,
        f"{NEWS}:6:3: error: file is not valid UTF-8: "
        "byte 0xff here is not part of any character [encoding]",
    )


def test_a_record_in_gbk_is_refused_too(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    record = "name: {zh: 新繁书画院, en: Xinfan Academy}\n".encode("gbk")
    outcome = build(tmp_path, capsys, {NEWS: PLAIN, "content/teams/xinfan.yaml": record})
    fails_with(
        outcome,
        "content/teams/xinfan.yaml:1:12: error: file is not UTF-8 (it looks like GBK) [encoding]",
    )


@pytest.mark.parametrize(
    "data",
    [
        pytest.param(b"\xef\xbb\xbf" + TEXT.encode(), id="utf-8-bom"),
        pytest.param(TEXT.replace("\n", "\r\n").encode(), id="crlf"),
        pytest.param(TEXT.replace("\n", "\r").encode(), id="lone-cr"),
        pytest.param(b"\xef\xbb\xbf" + TEXT.replace("\n", "\r\n").encode(), id="bom-and-crlf"),
    ],
)
def test_bom_and_windows_or_mac_line_ends_build_the_same_page(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], data: bytes
) -> None:
    plain = build(tmp_path / "plain", capsys, {NEWS: TEXT})
    builds_with(plain)
    outcome = build(tmp_path / "other", capsys, {NEWS: data})
    builds_with(outcome)
    page = outcome.page(PAGE)
    assert "<h1>参观学习</h1>" in page and "\r" not in page and "\ufeff" not in page
    assert outcome.files() == plain.files()


@pytest.mark.parametrize("newline", ["\r\n", "\r"], ids=["crlf", "lone-cr"])
def test_lines_are_counted_right_with_windows_or_mac_line_ends(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], newline: str
) -> None:
    text = article("title: 参观学习\nsummary: [a, b\ndate: 2020-04-27\n").replace("\n", newline)
    outcome = build(tmp_path, capsys, {NEWS: text.encode()})
    fails_with(
        outcome,
        f"{NEWS}:3:10: error: invalid YAML: this bracket is never closed "
        "(expected ',' or ']', but got ':') [yaml]",
    )


@pytest.mark.parametrize(
    ("body", "where", "name"),
    [
        pytest.param("正\x00文。", "6:2", "U+0000 NUL", id="nul"),
        pytest.param("正文\x01\x02。\x7f", "6:3", "U+0001", id="other-controls"),
    ],
)
def test_control_characters_are_removed_with_a_warning(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], body: str, where: str, name: str
) -> None:
    outcome = build(tmp_path, capsys, {NEWS: article("title: 参观学习\ndate: 2020-04-27\n", body)})
    count = sum(ch < " " or ch == "\x7f" for ch in body)
    message = (
        f"removed a control character ({name})"
        if count == 1
        else f"removed {count} control characters (the first is {name})"
    )
    builds_with(outcome, f"{NEWS}:{where}: warning: {message} [control-character]")
    page = outcome.page(PAGE)
    assert "<p>正文。</p>" in page
    assert not any(ch in page for ch in "\x00\x01\x02\x7f")


def test_a_control_character_in_front_matter_is_removed_too(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    outcome = build(tmp_path, capsys, {NEWS: article("title: 参观\x00学习\ndate: 2020-04-27\n")})
    builds_with(
        outcome,
        f"{NEWS}:2:10: warning: removed a control character (U+0000 NUL) [control-character]",
    )
    assert "<h1>参观学习</h1>" in outcome.page(PAGE)


def test_control_characters_fail_a_strict_build(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    outcome = build(
        tmp_path, capsys, {NEWS: article("title: a\ndate: 2020-04-27\n", "a\x00b\n")}, "--strict"
    )
    fails_with(
        outcome,
        f"{NEWS}:6:2: warning: removed a control character (U+0000 NUL) [control-character]",
    )


def test_a_nul_byte_in_site_yaml_is_an_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    site_yaml = "title: {zh: 测试, en: Test}\n\x00\n"
    outcome = build(tmp_path, capsys, {NEWS: PLAIN, "site.yaml": site_yaml})
    fails_with(outcome, "site.yaml:2:1: error: file contains a NUL byte [nul-byte]")


@pytest.mark.parametrize(
    ("name", "data", "line", "message"),
    [
        pytest.param(
            "themes/default/templates/base.html",
            "{% extends 'page.html' %}\n<p>中文</p>\n".encode("gbk"),
            "2:4",
            "file is not UTF-8 (it looks like GBK)",
            id="template-gbk",
        ),
        pytest.param(
            "themes/default/templates/partial/note.html",
            b"<p>ok</p>\n\x00\n",
            "2:1",
            "file contains a NUL byte",
            id="template-nul",
        ),
        pytest.param(
            "themes/default/i18n/en.yaml",
            "home: 首页\n".encode("gbk"),
            "1:7",
            "file is not UTF-8 (it looks like GBK)",
            id="strings-gbk",
        ),
    ],
)
def test_a_theme_file_that_is_not_utf8_is_named_where_it_is(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    name: str,
    data: bytes,
    line: str,
    message: str,
) -> None:
    outcome = build(tmp_path, capsys, {NEWS: PLAIN, name: data})
    code = "nul-byte" if "NUL" in message else "encoding"
    fails_with(outcome, f"{name}:{line}: error: {message} [{code}]")


@pytest.mark.parametrize(
    ("name", "content"),
    [
        pytest.param(
            NEWS,
            "---\ntitle: a\ndate: 2020-04-27\n---\n" + "正文" * (MAX_SOURCE_BYTES // 5),
            id="article",
        ),
        pytest.param(
            "content/teams/big.yaml",
            "name: big\n" + "# padding\n" * (MAX_SOURCE_BYTES // 9),
            id="record",
        ),
    ],
)
def test_a_file_over_the_size_limit_is_refused_at_once(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], name: str, content: str
) -> None:
    outcome = build(tmp_path, capsys, {NEWS: PLAIN, name: content})
    fails_with(
        outcome,
        f"{name}: error: file is larger than 4 MB, the most a source file may be [file-too-large]",
    )
    assert "split it into smaller files" in outcome.stderr


def test_a_50_mb_yaml_file_is_refused_quickly_without_reading_it_whole(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import resource
    import time

    site = tmp_path / "site"
    (site / "content" / "teams").mkdir(parents=True)
    (site / "site.yaml").write_text("title: {zh: 测试, en: Test}\n", encoding="utf-8")
    line = b"- {zh: \xe6\x96\xb0\xe7\xb9\x81, en: Xinfan, note: padding padding padding}\n"
    with (site / "content" / "teams" / "huge.yaml").open("wb") as file:
        file.write(b"members:\n")
        for _ in range(50 * 1024 * 1024 // (len(line) * 1000) + 1):
            file.write(line * 1000)
    assert (site / "content" / "teams" / "huge.yaml").stat().st_size >= 50 * 1024 * 1024
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    started = time.perf_counter()
    outcome = build(tmp_path, capsys, {}, site=site)
    assert time.perf_counter() - started < 5
    grown_mb = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) / 1024
    assert grown_mb < 100, f"the build grew by {grown_mb:.0f} MB"
    fails_with(
        outcome,
        "content/teams/huge.yaml: error: "
        "file is larger than 4 MB, the most a source file may be [file-too-large]",
    )
