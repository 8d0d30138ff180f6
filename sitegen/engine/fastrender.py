"""Rendering one page faster: :class:`FastRenderer` is the core's
:class:`~sitegen.core.render.Renderer` with two shortcuts, each giving
the same HTML byte for byte.

- ``same_for`` parts are rendered once for each value of their key in a
  build and then reused (a menu, a footer, a card or an event shown on
  many pages).
- Calls from a template to a plain function or macro skip Jinja2's
  question, asked on every call, whether the callable wants the template's
  context passed (see :class:`_Context`).
"""

from __future__ import annotations

import types
from collections import OrderedDict
from collections.abc import Callable
from pathlib import Path
from typing import Any

import jinja2
import jinja2.runtime

from sitegen.core.config import SiteConfig
from sitegen.core.i18n import Strings
from sitegen.core.render import Renderer
from sitegen.core.theme import Theme

# Parts ``same_for`` keeps, the least recently used let go first: the menus
# and footers, used on every page, stay; a card or event is kept while
# the pages around it (a list's next page, the same month in another
# filter) may show it again. A bound on a worker's memory on large sites;
# a timeline page of one kind of event shows thousands, which the same
# events' pages by year and by town show again.
MAX_PARTS = 20_000

# What a template calls most (sitegen's own functions, the theme's macros),
# none of which takes the template's context.
_PLAIN_CALLABLES = frozenset(
    {types.FunctionType, types.MethodType, types.BuiltinFunctionType, jinja2.runtime.Macro}
)


class _Context(jinja2.runtime.Context):
    """Jinja2's template context, with a shorter way through ``call`` for a
    plain function or macro: every ``{{ url(…) }}``, ``{{ t(…) }}`` and
    macro call goes through it, and Jinja2 looks up, on each call, whether
    the callable wants the context passed (``pass_context``), first on the
    callable and then on its ``__call__``. That took a sixth of the time of
    rendering a page. Anything else, or anything marked, goes Jinja2's way."""

    def call(__self, __obj: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        if type(__obj) not in _PLAIN_CALLABLES or hasattr(__obj, "jinja_pass_arg"):
            return super().call(__obj, *args, **kwargs)
        if kwargs:
            kwargs.pop("_block_vars", None)
            kwargs.pop("_loop_vars", None)
        try:
            return __obj(*args, **kwargs)
        except StopIteration:  # as Jinja2 reads it
            return __self.environment.undefined(
                "value was undefined because a callable raised a StopIteration exception"
            )


class FastRenderer(Renderer):
    """The core's renderer, with the shortcuts above."""

    def __init__(
        self, theme: Theme, strings: Strings, config: SiteConfig, static_files: dict[str, Path]
    ) -> None:
        super().__init__(theme, strings, config, static_files)
        self.env.context_class = _Context
        self._parts: OrderedDict[tuple[Any, ...], str] = OrderedDict()
        # the same parts by the identity of their key's objects, which are
        # kept with them (so that no other object takes their id meanwhile)
        self._parts_by_id: dict[tuple[Any, ...], tuple[tuple[Any, ...], str]] = {}

    def same_for(self, *key: Any, caller: Callable[[], str]) -> str:
        """The part between ``{% call same_for(key) %}`` and its end,
        rendered once for each value of the key in this build and then
        reused. A key that cannot be hashed renders every time."""
        code = getattr(getattr(caller, "_func", None), "__code__", None)
        if code is None:
            return caller()
        # First by identity: the pages of a build share their cards and
        # events, which are frozen, and hashing them is a part's main cost.
        ident = (code, *map(id, key))
        kept = self._parts_by_id.get(ident)
        # (a tuple compares its items by identity first: the same objects
        # answer at once, and an id reused by a new object is compared whole)
        if kept is not None and kept[0] == key:
            return kept[1]
        try:
            found = self._parts.get((code, *key))
        except TypeError:  # an unhashable key
            return caller()
        if found is not None:
            self._parts.move_to_end((code, *key))
        else:
            found = self._parts[(code, *key)] = caller()
            if len(self._parts) > MAX_PARTS:
                self._parts.popitem(last=False)
        if len(self._parts_by_id) >= MAX_PARTS:
            self._parts_by_id.clear()
        self._parts_by_id[ident] = (key, found)
        return found
