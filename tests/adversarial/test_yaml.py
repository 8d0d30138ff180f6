"""YAML as editors and attackers write it: tabs, keys given twice, alias
bombs, deep nesting, huge files, dates in local forms, and the words that
YAML 1.1 would silently turn into booleans."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from sitegen.core.yamldoc import MAX_CHARS
from tests.adversarial.sites import PLAIN, article, build, builds_with, fails_with

NEWS = "content/news/2020-04-27-visit.zh.md"
TEAM = "content/teams/xinfan.yaml"
PAGE = "news/2020/04/visit/index.html"
NAME = "name: {zh: 新繁书画院, en: Xinfan Academy}\n"

Build = tuple[Path, pytest.CaptureFixture[str]]


def laughs(levels: int = 9) -> str:
    """Each anchor is a list of nine uses of the one before: 9**levels values."""
    lines = ["l0: &l0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    for n in range(1, levels):
        lines.append(f"l{n}: &l{n} [" + ", ".join([f"*l{n - 1}"] * 9) + "]")
    return "\n".join(lines) + "\n"


def test_a_tab_used_for_indenting_is_named(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = article("title: 参观学习\ndate: 2020-04-27\nimages:\n\t- {src: a.jpg, alt: a}\n")
    outcome = build(tmp_path, capsys, {NEWS: text})
    fails_with(
        outcome,
        f"{NEWS}:5:1: error: invalid YAML: found character '\\t' "
        "that cannot start any token [yaml]",
    )
    assert "hint: indent with spaces, not tabs" in outcome.stderr


# A text of more than this many characters is read by PyYAML's Python
# parser; a shorter one by libyaml, which would take a tab after "key:".
LONG = 20_000


@pytest.mark.parametrize("length", ["short", "long"])
@pytest.mark.parametrize(
    ("name", "text", "where", "hint"),
    [
        pytest.param(
            NEWS,
            "title:\t参观学习\ndate: 2020-04-27\n",
            "2:7",
            "write a space here, not a tab: YAML allows tabs only inside quotes",
            id="after-colon",
        ),
        pytest.param(
            NEWS,
            "title: 参观学习\ndate: 2020-04-27\t\n",
            "3:17",
            "delete the tab at the end of this line",
            id="trailing",
        ),
        pytest.param(
            TEAM,
            NAME + "town: xinfan\nleaders: [a,\tb]\n",
            "3:13",
            "write a space here, not a tab: YAML allows tabs only inside quotes",
            id="record-flow-list",
        ),
    ],
)
def test_a_tab_between_key_and_value_is_named_whatever_the_file_length(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    name: str,
    text: str,
    where: str,
    hint: str,
    length: str,
) -> None:
    if length == "long":  # the same text, made long by a comment after it
        text += "# " + "很长的备注。" * (LONG // 6) + "\n"
        assert len(text) > LONG
    files = {name: article(text) if name == NEWS else text}
    outcome = build(tmp_path, capsys, {NEWS: PLAIN, **files})
    fails_with(
        outcome,
        f"{name}:{where}: error: invalid YAML: found character '\\t' "
        "that cannot start any token [yaml]",
    )
    assert f"hint: {hint}" in outcome.stderr


@pytest.mark.parametrize("length", ["short", "long"])
def test_a_tab_inside_quotes_is_kept_whatever_the_file_length(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], length: str
) -> None:
    text = 'title: 参观学习\ndate: 2020-04-27\nsummary: "新都\t学院"\n'
    if length == "long":
        text += "# " + "很长的备注。" * (LONG // 6) + "\n"
    outcome = build(tmp_path, capsys, {NEWS: article(text)})
    builds_with(outcome)
    assert '<meta name="description" content="新都\t学院">' in outcome.page(PAGE)


@pytest.mark.parametrize(
    ("name", "text", "line", "first"),
    [
        pytest.param(
            NEWS,
            article("title: 参观学习\ndate: 2020-04-27\nsummary: a\ntitle: 另一个标题\n"),
            "5:1",
            "3 lines above",
            id="front-matter",
        ),
        pytest.param(
            TEAM,
            NAME + "town: xinfan\nhonours:\n  - year: 2020\n    year: 2021\n    title: a\n",
            "5:5",
            "1 line above",
            id="record-nested",
        ),
    ],
)
def test_a_key_given_twice_is_an_error_not_last_one_wins(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    name: str,
    text: str,
    line: str,
    first: str,
) -> None:
    files = {NEWS: PLAIN, name: text}
    outcome = build(tmp_path, capsys, files)
    key = "title" if name == NEWS else "year"
    fails_with(
        outcome, f"{name}:{line}: error: key '{key}' is given twice in the same mapping [yaml]"
    )
    assert f"hint: it is first given {first}; keep only one of them" in outcome.stderr


@pytest.mark.parametrize("where", ["front-matter", "record"])
def test_billion_laughs_stop_at_the_value_limit_fast_and_small(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], where: str
) -> None:
    import resource

    if where == "record":
        name, files = TEAM, {NEWS: PLAIN, TEAM: NAME + laughs()}
        line = 7  # 9**6 values: the key l5, after the name
    else:
        name, files = NEWS, {NEWS: article("title: a\ndate: 2020-04-27\n" + laughs())}
        line = 9
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    started = time.perf_counter()
    outcome = build(tmp_path, capsys, files)
    assert time.perf_counter() - started < 5
    assert (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) / 1024 < 200
    fails_with(
        outcome, f"{name}:{line}:1: error: YAML holds more than 100000 values by here [yaml]"
    )
    assert "each use of an alias (*name) counts every value it stands for" in outcome.stderr


def test_a_few_aliases_are_fine(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    text = article("title: &t 参观学习\ndate: 2020-04-27\nsummary: *t\n")
    outcome = build(tmp_path, capsys, {NEWS: text})
    builds_with(outcome)
    assert '<meta name="description" content="参观学习">' in outcome.page(PAGE)


@pytest.mark.parametrize(
    ("value", "where"),
    [
        pytest.param("[" * 10_000 + "]" * 10_000, "4:210", id="flow-10000"),
        pytest.param("{a: " * 10_000 + "1" + "}" * 10_000, "4:807", id="flow-mapping-10000"),
    ],
)
def test_ten_thousand_levels_of_nesting_stop_at_the_depth_limit(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], value: str, where: str
) -> None:
    text = article(f"title: a\ndate: 2020-04-27\nsummary: {value}\n")
    started = time.perf_counter()
    outcome = build(tmp_path, capsys, {NEWS: text})
    assert time.perf_counter() - started < 10
    fails_with(
        outcome, f"{NEWS}:{where}: error: YAML is nested more than 200 levels deep here [yaml]"
    )


def test_deep_block_nesting_in_a_record_stops_at_the_depth_limit(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    deep = "".join(" " * level + f"k{level}:\n" for level in range(400))
    outcome = build(tmp_path, capsys, {NEWS: PLAIN, TEAM: NAME + "contact:\n" + deep})
    fails_with(
        outcome, f"{TEAM}:203:201: error: YAML is nested more than 200 levels deep here [yaml]"
    )


def test_yaml_longer_than_its_limit_is_refused_before_parsing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    members = "members:\n" + "  - {zh: 成员, en: Member}\n" * (MAX_CHARS // 25)
    outcome = build(tmp_path, capsys, {NEWS: PLAIN, "content/studios/big.yaml": NAME + members})
    fails_with(
        outcome,
        "content/studios/big.yaml:1:1: error: "
        f"YAML text is longer than {MAX_CHARS} characters [yaml]",
    )


def test_a_character_yaml_refuses_is_named_where_it_is(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = article("title: 参观学习\ndate: 2020-04-27\nsource: 新都\u0090学院\n")
    outcome = build(tmp_path, capsys, {NEWS: text})
    fails_with(
        outcome, f"{NEWS}:4:11: error: invalid YAML: the character U+0090 is not allowed [yaml]"
    )


def test_python_object_tags_are_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    text = NAME + "contact: !!python/object/apply:os.system ['touch pwned']\n"
    outcome = build(tmp_path, capsys, {NEWS: PLAIN, TEAM: text})
    fails_with(
        outcome,
        f"{TEAM}:2:10: error: invalid YAML: "
        "the tag 'tag:yaml.org,2002:python/object/apply:os.system' is not allowed [yaml]",
    )
    assert not (tmp_path / "pwned").exists() and not Path("pwned").exists()


@pytest.mark.parametrize(
    ("written", "message"),
    [
        ("2020/4/27", "'2020/4/27' is not in the form YYYY-MM-DD; write 2020-04-27"),
        ("2020年4月27日", "'2020年4月27日' is not in the form YYYY-MM-DD; write 2020-04-27"),
        ("April 27", "'April 27' has no year; write the year first: YYYY-04-27"),
        ("27 April 2020", "'27 April 2020' is not in the form YYYY-MM-DD; write 2020-04-27"),
        ("4月27日", "'4月27日' has no year; write the year first: YYYY-04-27"),
    ],
)
def test_dates_in_other_forms_say_the_form_to_use(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], written: str, message: str
) -> None:
    outcome = build(tmp_path, capsys, {NEWS: article(f"title: 参观学习\ndate: {written}\n")})
    fails_with(outcome, f"{NEWS}:3:1: error: 'date': {message} [bad-date]")
    assert "hint: write dates as YYYY-MM-DD, e.g. date: 2020-04-27" in outcome.stderr


def test_dates_in_other_forms_are_explained_in_chinese_too(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    outcome = build(
        tmp_path, capsys, {NEWS: article("title: 参观学习\ndate: April 27\n")}, "--lang", "zh"
    )
    assert outcome.code == 1
    assert (
        f"{NEWS}:3:1: 错误: “date”：“April 27”没有年份；请把年份写在最前面：YYYY-04-27 [bad-date]"
        in outcome.stderr.splitlines()
    )


def test_an_event_date_in_another_form_names_its_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    events = "events:\n  - {date: 2020/3/31, title: 启动}\n"
    text = article("title: 参观学习\ndate: 2020-04-27\n" + events)
    outcome = build(tmp_path, capsys, {NEWS: text})
    fails_with(
        outcome,
        f"{NEWS}:5:1: error: 'date': '2020/3/31' is not in the form YYYY-MM-DD; "
        "write 2020-03-31 [bad-date]",
    )


def test_no_and_on_stay_words(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """YAML 1.1 reads no, on, yes and off as booleans; here they are text."""
    text = article("title: no\ndate: 2020-04-27\nsource: on\nsummary: yes\n")
    towns = "no: {zh: 挪威, en: Norway}\noff: {zh: 关, en: Off}\n"
    team = "name: {zh: 开, en: on}\ntown: no\n"
    outcome = build(
        tmp_path,
        capsys,
        {NEWS: text, "content/towns.yaml": towns, TEAM: team},
    )
    builds_with(outcome)
    page = outcome.page(PAGE)
    assert "<h1>no</h1>" in page and "on" in page
    assert '<meta name="description" content="yes">' in page
    assert "Norway" in outcome.page("en/teams/xinfan/index.html")
    assert "<h1>on</h1>" in outcome.page("en/teams/xinfan/index.html")


def test_draft_no_is_refused_rather_than_guessed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = article("title: 参观学习\ndate: 2020-04-27\ndraft: no\n")
    outcome = build(tmp_path, capsys, {NEWS: text})
    fails_with(outcome, f"{NEWS}:4:1: error: 'draft' must be true or false, not 'no' [wrong-type]")
    assert "hint: write draft: true or draft: false" in outcome.stderr
