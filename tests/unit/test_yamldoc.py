from __future__ import annotations

import subprocess
import sys

import pytest

from sitegen.core.yamldoc import YamlDoc, YamlError, parse_yaml


def doc(text: str) -> YamlDoc:
    parsed = parse_yaml(text)
    assert isinstance(parsed, YamlDoc), parsed
    return parsed


def error(text: str) -> YamlError:
    parsed = parse_yaml(text)
    assert isinstance(parsed, YamlError), parsed
    return parsed


def test_dates_and_yes_no_stay_text_while_numbers_and_true_false_are_typed() -> None:
    data = doc("date: 2020-04-27\nanswer: no\nswitch: on\ncount: 33\nok: true\nratio: 0.5\n").data
    assert data == {
        "date": "2020-04-27",
        "answer": "no",
        "switch": "on",
        "count": 33,
        "ok": True,
        "ratio": 0.5,
    }


def test_every_key_and_list_item_knows_its_line() -> None:
    parsed = doc("title: a\ntags:\n  - x\n  - y\nimages:\n  - {src: a.jpg, alt: b}\n")
    assert parsed.line("title") == 1
    assert parsed.line("tags", 1) == 4
    assert parsed.line("images", 0, "alt") == 6
    assert parsed.line("nothing", "here") == 1


def test_duplicate_key_is_an_error_at_the_second_one() -> None:
    problem = error("title: a\ndate: 2020-01-01\ntitle: b\n")
    assert (problem.line, problem.column) == (3, 1)
    assert "'title' is given twice" in problem.message
    assert "2 lines above" in problem.hint


def test_unclosed_bracket_is_reported_where_it_opens() -> None:
    problem = error("title: a\ndate: [2020-04-27\nsummary: b\n")
    assert (problem.line, problem.column) == (2, 7)
    assert "never closed" in problem.message


def test_unclosed_quote_is_reported_where_it_opens() -> None:
    problem = error('title: "abc\ndate: 2020-01-01\n')
    assert (problem.line, problem.column) == (1, 8)
    assert "quote is never closed" in problem.message


def test_tab_indentation_gets_a_hint() -> None:
    problem = error("tags:\n\t- a\n")
    assert problem.line == 2
    assert "tabs" in problem.hint


@pytest.mark.parametrize(
    ("text", "where", "hint"),
    [
        ("title:\tvalue\n", (1, 7), "write a space here, not a tab"),
        ("tags: [a,\tb]\n", (1, 10), "write a space here, not a tab"),
        ("title: value\t\n", (1, 13), "delete the tab at the end of this line"),
        ("tags:\n\t- a\n", (2, 1), "indent with spaces, not tabs"),
    ],
)
def test_a_tab_is_refused_the_same_in_short_and_long_texts(
    text: str, where: tuple[int, int], hint: str
) -> None:
    # libyaml reads texts of up to 20,000 characters and would take the
    # first three; the Python parser, which reads longer ones, refuses them.
    long = text + "note: " + "x" * 20_000 + "\n"
    short_problem, long_problem = error(text), error(long)
    assert short_problem == long_problem
    assert (short_problem.line, short_problem.column) == where
    assert (
        short_problem.message == "invalid YAML: found character '\\t' that cannot start any token"
    )
    assert short_problem.hint.startswith(hint)


@pytest.mark.parametrize("text", ['title: "a\tb"\n', "title: |\n  a\tb\n"])
def test_a_tab_inside_quotes_or_a_block_is_text_in_short_and_long_texts(text: str) -> None:
    long = text + "note: " + "x" * 20_000 + "\n"
    assert doc(text).data["title"] == doc(long).data["title"]
    assert "a\tb" in doc(text).data["title"]


def test_colon_in_value_gets_a_quoting_hint() -> None:
    problem = error("title: 会议: 第一次\n")
    assert problem.line == 1
    assert "quotes" in problem.hint


def test_alias_bomb_is_refused_not_expanded() -> None:
    lines = ["a: &a [1, 1, 1, 1, 1, 1, 1, 1, 1, 1]"]
    for name, prev in zip("bcdefgh", "abcdefg", strict=True):
        lines.append(f"{name}: &{name} [" + ", ".join([f"*{prev}"] * 10) + "]")
    problem = error("\n".join(lines))
    assert problem.message == "YAML holds more than 100000 values by here"
    assert (problem.line, problem.column) == (5, 1)  # the key whose aliases went past it


def test_python_tags_are_refused() -> None:
    problem = error("a: !!python/object/apply:os.system ['true']\n")
    assert "invalid YAML" in problem.message


@pytest.mark.parametrize("text", ["", "# only a comment\n"])
def test_empty_document_is_none(text: str) -> None:
    assert doc(text).data is None


def test_nesting_deep_enough_to_crash_libyaml_is_refused_calmly() -> None:
    # libyaml recurses on the C stack per level; 100,000 levels crash a
    # process that hands it the text. Run in a child so a crash fails here.
    code = (
        "from sitegen.core.yamldoc import parse_yaml\n"
        "for text in ('[' * 100_000 + ']' * 100_000, '- ' * 100_000 + 'x'):\n"
        "    print(parse_yaml(text).message)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == ["YAML is nested more than 200 levels deep here"] * 2
