"""YAML parsed into plain values, with the line of every key kept.

Editors' YAML is read with a deliberately small schema, closer to YAML 1.2
than PyYAML's default 1.1:

- only ``true``/``false`` are booleans (``no``, ``on``, ``yes`` stay text,
  so a town called "No" or an answer "on" is never silently a boolean);
- dates stay text (``2020-04-27``), parsed later by the field that wants a
  date, which can then say exactly what is wrong with it;
- a key given twice in one mapping is an error, not last-one-wins;
- a text longer than :data:`MAX_CHARS`, nested deeper than :data:`MAX_DEPTH`
  or holding more than :data:`MAX_NODES` values (an alias counting all the
  values it stands for, each time it is used) is refused, with the line where
  the limit was passed, so that no file can make a build slow or huge.

Positions are 1-based and relative to the start of the text; callers add
the offset of the text inside its file (front matter starts on line 2).
"""

from __future__ import annotations

import re
from collections.abc import Hashable
from dataclasses import dataclass, field
from typing import Any

import yaml
from yaml.composer import Composer
from yaml.constructor import SafeConstructor
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode
from yaml.parser import Parser
from yaml.reader import Reader, ReaderError
from yaml.resolver import BaseResolver
from yaml.scanner import Scanner

_PLAIN_TAGS = {"tag:yaml.org,2002:seq", "tag:yaml.org,2002:map"}

MAX_NODES = 100_000
MAX_DEPTH = 200
MAX_CHARS = 250_000

Key = tuple[Hashable, ...]


class _Resolver(BaseResolver):
    pass


_Resolver.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
)
_Resolver.add_implicit_resolver(
    "tag:yaml.org,2002:int", re.compile(r"^[-+]?[0-9]+$"), list("-+0123456789")
)
_Resolver.add_implicit_resolver(
    "tag:yaml.org,2002:float",
    re.compile(r"^[-+]?(?:[0-9]+\.[0-9]*|\.[0-9]+)(?:[eE][-+]?[0-9]+)?$"),
    list("-+0123456789."),
)
_Resolver.add_implicit_resolver(
    "tag:yaml.org,2002:null", re.compile(r"^(?:~|null|Null|NULL|)$"), ["~", "n", "N", ""]
)


class _TooBig(Exception):
    """A limit passed: ``what`` is "depth" or "nodes"; 0-based position."""

    def __init__(self, what: str, line: int, column: int) -> None:
        super().__init__(what)
        self.what = what
        self.line = line
        self.column = column


class _Loader(Reader, Scanner, Parser, Composer, SafeConstructor, _Resolver):
    def __init__(self, text: str) -> None:
        Reader.__init__(self, text)
        Scanner.__init__(self)
        Parser.__init__(self)
        Composer.__init__(self)
        SafeConstructor.__init__(self)
        _Resolver.__init__(self)
        self.composed = 0
        self.depth = -1  # the root is at depth 0, as in _build

    def compose_node(self, parent: Node | None, index: int) -> Node | None:
        """Compose as PyYAML does, but stop at the limits: the composer
        recurses once per level and keeps every node of the text."""
        self.composed += 1
        self.depth += 1
        try:
            if self.composed > MAX_NODES or self.depth > MAX_DEPTH:
                what = "depth" if self.depth > MAX_DEPTH else "nodes"
                mark = self.peek_event().start_mark  # type: ignore[no-untyped-call]
                raise _TooBig(what, mark.line, mark.column)
            return super().compose_node(parent, index)
        finally:
            self.depth -= 1


_CLoader: type | None = None
# libyaml composes by recursion on the C stack, one call per level, with no
# limit of its own: a text of 100,000 "[" crashes the process. A text of at
# most this many characters cannot nest that deep; longer ones are read by
# the Python parser, which stops at MAX_DEPTH.
_C_MAX_CHARS = 20_000
if yaml.__with_libyaml__:
    from yaml._yaml import CParser

    class _LibYamlLoader(CParser, SafeConstructor, _Resolver):
        def __init__(self, text: str) -> None:
            CParser.__init__(self, text)
            SafeConstructor.__init__(self)
            _Resolver.__init__(self)

    _CLoader = _LibYamlLoader


@dataclass(frozen=True, slots=True)
class YamlError:
    """Why a YAML text could not be read, at a 1-based position."""

    line: int
    column: int
    message: str
    hint: str = ""


@dataclass(frozen=True, slots=True)
class YamlDoc:
    """A parsed YAML value and the position of every mapping key in it."""

    data: Any
    positions: dict[Key, tuple[int, int]] = field(default_factory=dict)

    def line(self, *key: Hashable) -> int:
        """The line of ``key`` (a path of mapping keys and list indexes).

        Falls back to the closest enclosing key that has a position, so a
        message about a list item or a nested value still names a line.
        """
        path: Key = tuple(key)
        while path:
            if path in self.positions:
                return self.positions[path][0]
            path = path[:-1]
        return self.positions.get((), (1, 1))[0]


class _Duplicate(Exception):
    def __init__(self, key: str, node: Node, first: int) -> None:
        super().__init__(key)
        self.key = key
        self.node = node
        self.first = first


def _hint_for(problem: str, line: str = "", column: int = 0) -> str:
    """What to do about ``problem``, found at 0-based ``column`` of ``line``."""
    if "'\\t'" in problem or "tab" in problem:
        after = line[column:].strip(" \t")
        if not line[:column].strip():
            return "indent with spaces, not tabs"
        if not after:
            return "delete the tab at the end of this line"
        return "write a space here, not a tab: YAML allows tabs only inside quotes"
    if "mapping values are not allowed" in problem:
        return "put quotes around a value that contains ': ', e.g. title: \"a: b\""
    if "could not find expected ':'" in problem:
        return (
            "every line of a mapping needs 'key: value'; check the line above for a missing colon"
        )
    if "expected ',' or ']'" in problem:
        return "a list written [a, b] needs its closing ']'"
    if "expected ',' or '}'" in problem:
        return "a mapping written {a: b} needs its closing '}'"
    if "found undefined alias" in problem:
        return "an '*name' needs a matching '&name' earlier in the file"
    if "expected <block end>" in problem or "did not find expected" in problem:
        return "check the indentation and that every quote and bracket is closed"
    return "check the YAML syntax near this line"


# a key followed by a full-width colon, where YAML needs ": "
_WIDE_COLON = re.compile(r"^(\s*(?:-\s+)?)([A-Za-z_][\w.-]*)(\s*)：")
_OPENED_CONTEXTS = ("flow sequence", "flow mapping", "quoted scalar")


def _syntax_error(exc: yaml.MarkedYAMLError, text: str) -> YamlError:
    """Locate a syntax error where the editor made it.

    For an unclosed bracket or quote PyYAML notices the problem lines later;
    the mistake is where the bracket or quote was opened (the context mark).
    """
    problem = exc.problem or exc.context or "invalid YAML"
    mark = exc.problem_mark or exc.context_mark
    context = exc.context or ""
    if exc.context_mark is not None and any(c in context for c in _OPENED_CONTEXTS):
        opened = exc.context_mark
        if "quoted" in context:
            return YamlError(
                opened.line + 1,
                opened.column + 1,
                "invalid YAML: this quote is never closed",
                "end the text with the same quote mark it starts with",
            )
        return YamlError(
            opened.line + 1,
            opened.column + 1,
            f"invalid YAML: this bracket is never closed ({problem})",
            _hint_for(problem),
        )
    if mark is None:
        return YamlError(1, 1, f"invalid YAML: {problem}", _hint_for(problem))
    lines = text.split("\n")
    for number in range(mark.line, max(mark.line - 2, -1), -1):  # this line, or the one above
        wide = _WIDE_COLON.match(lines[number]) if number < len(lines) else None
        if wide is not None:
            key = wide.group(2)
            return YamlError(
                number + 1,
                wide.end(2) + 1 + len(wide.group(3)),
                f"invalid YAML: the colon after '{key}' is a full-width '：'",
                f"type ':' (an English colon) and a space instead: {key}: …",
            )
    where = lines[mark.line] if mark.line < len(lines) else ""
    return YamlError(
        mark.line + 1,
        mark.column + 1,
        f"invalid YAML: {problem}",
        _hint_for(problem, where, mark.column),
    )


def _too_big(exc: _TooBig) -> YamlError:
    line, column = exc.line + 1, exc.column + 1
    if exc.what == "depth":
        return YamlError(
            line,
            column,
            f"YAML is nested more than {MAX_DEPTH} levels deep here",
            "a record needs only a few levels: keys, lists of mappings and {zh: …, en: …} texts",
        )
    return YamlError(
        line,
        column,
        f"YAML holds more than {MAX_NODES} values by here",
        "each use of an alias (*name) counts every value it stands for; "
        "keep records small and write each value once",
    )


def _unreadable(exc: ReaderError, text: str) -> YamlError:
    """A character YAML does not allow (a C1 control, U+FFFE), where it is."""
    index = min(max(exc.position, 0), len(text))
    line = text.count("\n", 0, index) + 1
    column = index - (text.rfind("\n", 0, index) + 1) + 1
    code = exc.character if isinstance(exc.character, int) else ord(str(exc.character)[:1] or " ")
    return YamlError(
        line,
        column,
        f"invalid YAML: the character U+{code:04X} is not allowed",
        "it is invisible or not a character at all; delete it and type the text again",
    )


def parse_yaml(text: str) -> YamlDoc | YamlError:
    """Parse ``text`` into a :class:`YamlDoc`, or say where and why it failed.

    libyaml reads the text when PyYAML has it (several times faster); a text
    it refuses is read again by the Python parser, whose messages the hints
    are written for. A text holding a tab goes to the Python parser
    straight away: libyaml accepts a tab after ``key:`` or between flow
    items, where the Python parser refuses it, and a file must not be read
    one way or the other depending on its length (longer texts always go
    to the Python parser).
    """
    if len(text) > MAX_CHARS:
        return YamlError(
            1,
            1,
            f"YAML text is longer than {MAX_CHARS} characters",
            "split it into several records; no record needs to be this long",
        )
    if _CLoader is not None and len(text) <= _C_MAX_CHARS and "\t" not in text:
        fast = _CLoader(text)
        try:
            return _document(fast, fast.get_single_node())
        except (yaml.YAMLError, RecursionError):
            pass
        finally:
            fast.dispose()
    try:
        loader = _Loader(text)
    except ReaderError as exc:
        return _unreadable(exc, text)
    try:
        root = loader.get_single_node()
    except ReaderError as exc:
        return _unreadable(exc, text)
    except yaml.MarkedYAMLError as exc:
        return _syntax_error(exc, text)
    except _TooBig as exc:
        return _too_big(exc)
    except yaml.YAMLError as exc:
        return YamlError(1, 1, f"invalid YAML: {exc}", "check the YAML syntax")
    finally:
        loader.dispose()
    return _document(loader, root)


def _document(loader: Any, root: Node | None) -> YamlDoc | YamlError:
    if root is None:
        return YamlDoc(None, {(): (1, 1)})
    positions: dict[Key, tuple[int, int]] = {}
    counter = [0]
    try:
        data = _build(loader, root, (), positions, counter, 0)
    except _TooBig as exc:
        return _too_big(exc)
    except _Duplicate as dup:
        mark = dup.node.start_mark
        above = mark.line + 1 - dup.first
        return YamlError(
            mark.line + 1,
            mark.column + 1,
            f"key '{dup.key}' is given twice in the same mapping",
            f"it is first given {above} line{'s' * (above != 1)} above; keep only one of them",
        )
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        problem = exc.problem or "invalid value"
        return YamlError(
            line,
            column,
            f"invalid YAML: {problem}",
            "write plain text, numbers, lists and mappings only",
        )
    positions.setdefault((), (root.start_mark.line + 1, root.start_mark.column + 1))
    return YamlDoc(data, positions)


def _build(
    loader: Any,
    node: Node,
    path: Key,
    positions: dict[Key, tuple[int, int]],
    counter: list[int],
    depth: int,
) -> Any:
    counter[0] += 1
    if depth > MAX_DEPTH:
        raise _TooBig("depth", node.start_mark.line, node.start_mark.column)
    if counter[0] > MAX_NODES:
        # An alias's node (and so an item's position) marks where its anchor
        # is; name instead the key being read, which is where it was used.
        keys = [path[:n] for n in range(len(path), 0, -1) if not isinstance(path[n - 1], int)]
        where = next((positions[key] for key in keys if key in positions), (1, 1))
        line, column = where[0] - 1, where[1] - 1
        raise _TooBig("nodes", line, column)
    if isinstance(node, ScalarNode):
        return loader.construct_object(node)
    if node.tag not in _PLAIN_TAGS:
        raise yaml.constructor.ConstructorError(
            None, None, f"the tag '{node.tag}' is not allowed", node.start_mark
        )
    if isinstance(node, SequenceNode):
        items = []
        for index, child in enumerate(node.value):
            positions[(*path, index)] = (child.start_mark.line + 1, child.start_mark.column + 1)
            items.append(_build(loader, child, (*path, index), positions, counter, depth + 1))
        return items
    if isinstance(node, MappingNode):
        result: dict[Hashable, Any] = {}
        for key_node, value_node in node.value:
            key = _build(loader, key_node, path, {}, counter, depth + 1)
            if not isinstance(key, Hashable) or isinstance(key, (list, dict)):
                raise yaml.constructor.ConstructorError(
                    None, None, "a mapping key must be plain text", key_node.start_mark
                )
            here = (key_node.start_mark.line + 1, key_node.start_mark.column + 1)
            if key in result:
                raise _Duplicate(str(key), key_node, positions[(*path, key)][0])
            positions[(*path, key)] = here
            result[key] = _build(loader, value_node, (*path, key), positions, counter, depth + 1)
        return result
    raise yaml.constructor.ConstructorError(None, None, "unsupported YAML node", node.start_mark)
