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
from sitegen.engine.cache import fingerprint


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


def test_text_is_told_apart_from_where_it_is_cut() -> None:
    assert fingerprint(("ab", "c")) != fingerprint(("a", "bc"))
    assert fingerprint(("1",)) != fingerprint((1,))
    assert fingerprint(PurePosixPath("a/b")) != fingerprint("a/b")


def test_a_value_it_cannot_read_is_refused() -> None:
    with pytest.raises(TypeError, match="no fingerprint for a object"):
        fingerprint((1, object()))
