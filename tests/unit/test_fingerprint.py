"""The build cache's explicit keys: equal values give equal digests in any
process, and a change anywhere in a value changes its digest."""

from __future__ import annotations

import dataclasses
import datetime as dt
import subprocess
import sys
from pathlib import PurePosixPath

import pytest

from sitegen.core.model import Body
from sitegen.engine.cache import Fingerprints, fingerprint


@dataclasses.dataclass(frozen=True)
class Item:
    title: str
    when: dt.date
    tags: tuple[str, ...]
    extra: dict[str, object]
    body: Body | None = None


ITEM = Item("新都", dt.date(2020, 4, 27), ("a", "b"), {"n": 1, "ok": True}, Body("正文"))


def test_equal_values_have_equal_fingerprints_in_any_process() -> None:
    again = Item("新都", dt.date(2020, 4, 27), ("a", "b"), {"n": 1, "ok": True}, Body("正文"))
    assert fingerprint(ITEM) == fingerprint(again)
    script = (
        "import datetime as dt\n"
        "from sitegen.core.model import Body\n"
        "from sitegen.engine.cache import fingerprint\n"
        "print(fingerprint(('新都', dt.date(2020, 4, 27), Body('正文'), {'n': 1})))\n"
    )
    here = fingerprint(("新都", dt.date(2020, 4, 27), Body("正文"), {"n": 1}))
    other = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True
    ).stdout.strip()
    assert other == here


@pytest.mark.parametrize(
    "changed",
    [
        dataclasses.replace(ITEM, title="新都区"),
        dataclasses.replace(ITEM, when=dt.date(2020, 4, 28)),
        dataclasses.replace(ITEM, tags=("a",)),
        dataclasses.replace(ITEM, tags=("ab",)),
        dataclasses.replace(ITEM, tags=("a", "b", "")),
        dataclasses.replace(ITEM, extra={"n": 2, "ok": True}),
        dataclasses.replace(ITEM, extra={"n": 1, "ok": 1.0}),
        dataclasses.replace(ITEM, body=Body("正文。")),
        dataclasses.replace(ITEM, body=None),
    ],
)
def test_a_change_anywhere_changes_the_fingerprint(changed: Item) -> None:
    assert fingerprint(changed) != fingerprint(ITEM)
    pages = Fingerprints()  # as a build's page keys are made, one after another
    big = Item("长" * 300, ITEM.when, (), {})  # walked once, then known by its digest
    assert pages((ITEM, big)) != pages((changed, big))
    assert pages((big, ITEM)) != pages((big, changed))


def test_shared_parts_give_the_fingerprint_the_whole_walk_gives() -> None:
    """Page keys walk each large part (a card on many pages) once, and
    stand for it by its digest after: the same key whichever came first,
    and in a process that saw neither."""
    card = Item("卡片" * 200, dt.date(2020, 4, 27), ("a",), {}, Body("正文"))
    first, second = ("list", (card, card)), ("year", (card,))
    one, other = Fingerprints(), Fingerprints()
    keys = (one(first), one(second))
    assert keys == (other(first), other(second)) == (Fingerprints()(first), Fingerprints()(second))
    assert other(second) == Fingerprints()(second)
    same_text = Item("卡片" * 200, dt.date(2020, 4, 27), ("a",), {}, Body("正文"))
    assert one(("year", (same_text,))) == keys[1], "equal, not identical, parts"
    assert one(("year", (dataclasses.replace(card, title="卡"),))) != keys[1]


def test_text_is_told_apart_from_where_it_is_cut() -> None:
    assert fingerprint(("ab", "c")) != fingerprint(("a", "bc"))
    assert fingerprint(("1",)) != fingerprint((1,))
    assert fingerprint(PurePosixPath("a/b")) != fingerprint("a/b")


def test_a_value_it_cannot_read_is_refused() -> None:
    with pytest.raises(TypeError, match="no fingerprint for a object"):
        fingerprint((1, object()))
