"""Pages into HTML through the theme's Jinja2 templates.

Templates see ``page`` (a :class:`~sitegen.plan.Page`), ``site`` (a
:class:`SiteView`) and these helpers: ``t(key)`` for a UI string in the
page's language, ``url(path)`` for a link under the base path,
``absolute(path)`` for a full address, ``picture(image)`` for an
article's picture with its smaller copies, and ``same_for(*key)`` for a
part that is the same on every page with the same key.
"""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import re
import types
from collections import OrderedDict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any, Protocol

import jinja2
import jinja2.runtime
from jinja2 import meta
from markupsafe import Markup, escape

from sitegen.cache import key_of
from sitegen.config import SiteConfig
from sitegen.diagnostics import Diagnostic, Diagnostics
from sitegen.i18n import OG_LOCALES, Strings, format_month, language_tag, url_prefix
from sitegen.images import Picture, picture_html
from sitegen.model import Image, Text
from sitegen.pages import Page
from sitegen.parallel import Ahead, fork_map
from sitegen.theme import Theme

_HAN = re.compile(r"[\u3400-\u9fff]")
# Parts ``same_for`` keeps, the least recently used let go first: the menus
# and footers, used on every page, stay; a card or event is kept while
# the pages around it (a list's next page, the same month in another
# filter) may show it again. A bound on a worker's memory on large sites;
# a timeline page of one kind of event shows thousands, which the same
# events' pages by year and by town show again.
_MAX_PARTS = 20_000


@dataclass(frozen=True, slots=True)
class SiteView:
    """What every template may know about the site as a whole."""

    config: SiteConfig
    languages: tuple[str, ...]
    asset_versions: dict[str, str]  # static path -> short content hash

    def title(self, lang: str) -> str:
        return self.config.title.get(lang, self.config.default_language)

    def home(self, lang: str) -> str:
        """The site path of the home page in ``lang``: "/" or "/en/"."""
        return url_prefix(lang, self.config) + "/"


def _picture(image: Image, lazy: bool = True) -> Markup:
    """``picture(image)``: an article's picture with its smaller copies and
    its size, or a plain ``<img>`` for a file that has none."""
    pic = image.picture or Picture(image.src, 0, 0)
    return Markup(picture_html(pic, image.alt, lazy=lazy))


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


class _ByLanguage(dict[str, Callable[..., Markup]]):
    """``make(lang)`` for each language asked for, made once."""

    def __init__(self, make: Callable[[str], Callable[..., Markup]]) -> None:
        super().__init__()
        self.make = make

    def __missing__(self, lang: str) -> Callable[..., Markup]:
        made = self[lang] = self.make(lang)
        return made


class _MissingString(Exception):
    def __init__(self, key: str, lang: str) -> None:
        super().__init__(f"UI string '{key}' is not defined for '{lang}'")
        self.key = key
        self.lang = lang


class Renderer:
    def __init__(
        self,
        theme: Theme,
        strings: Strings,
        config: SiteConfig,
        static_files: dict[str, Path],
    ) -> None:
        self.theme = theme
        self._fingerprints: dict[str, str] = {}
        self._referenced: dict[str, tuple[str, ...]] = {}
        self._parts: OrderedDict[tuple[Any, ...], str] = OrderedDict()
        # the same parts by the identity of their key's objects, which are
        # kept with them (so that no other object takes their id meanwhile)
        self._parts_by_id: dict[tuple[Any, ...], tuple[tuple[Any, ...], str]] = {}
        self.strings = strings
        self.config = config
        self.env = jinja2.Environment(
            loader=jinja2.FileSystemLoader(theme.template_dirs),
            autoescape=True,
            undefined=jinja2.StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=True,
        )
        self.env.context_class = _Context
        # one for each language, shared by its pages: t() keeps the strings it has escaped
        self._translators = _ByLanguage(self.translator)
        self._localizers = _ByLanguage(self.localizer)
        versions = {
            name: hashlib.sha256(path.read_bytes()).hexdigest()[:10]
            for name, path in static_files.items()
            if name.endswith((".css", ".js"))
        }
        self.site = SiteView(config, config.languages, versions)
        self.base = config.base_path.rstrip("/")
        self.asset_versions = versions
        self.env.globals.update(site=self.site, url=self.url, absolute=self.absolute)
        self.env.globals.update(language_tag=language_tag, og_locale=OG_LOCALES.get)
        self.env.globals["picture"] = _picture
        self.env.globals["same_for"] = self.same_for
        self.env.filters["month"] = lambda ym, lang: format_month(ym[0], ym[1], lang)

    def url(self, path: str) -> str:
        """A site path under the base path, e.g. ``/xindu/news/``."""
        version = self.asset_versions.get(path.lstrip("/"))
        return f"{self.base}{path}?v={version}" if version else f"{self.base}{path}"

    def same_for(self, *key: Any, caller: Callable[[], str]) -> str:
        """``{% call same_for(page.lang) %}…{% endcall %}``: what is between,
        rendered once for each value of the key in this build and then
        reused, for a part of a page (a menu, a card, an event) that depends
        on nothing else. A key that cannot be hashed renders every time."""
        code = getattr(getattr(caller, "_func", None), "__code__", None)
        if code is None:
            return caller()
        # First by identity: the pages of a build share their cards and
        # events, which are frozen, and hashing them is a part's main cost.
        ident = (code, *map(id, key))
        kept = self._parts_by_id.get(ident)
        if kept is not None and all(a is b for a, b in zip(kept[0], key, strict=True)):
            return kept[1]
        try:
            found = self._parts.get((code, *key))
        except TypeError:  # an unhashable key
            return caller()
        if found is not None:
            self._parts.move_to_end((code, *key))
        else:
            found = self._parts[(code, *key)] = caller()
            if len(self._parts) > _MAX_PARTS:
                self._parts.popitem(last=False)
        if len(self._parts_by_id) >= _MAX_PARTS:
            self._parts_by_id.clear()
        self._parts_by_id[ident] = (key, found)
        return found

    def absolute(self, path: str) -> str:
        """A full address, e.g. ``https://example.org/xindu/news/``."""
        return self.config.base_url + path.lstrip("/")

    def translator(self, lang: str) -> Callable[..., Markup]:
        plain: dict[tuple[str, str], Markup] = {}  # strings without values, escaped once

        def t(key: str, lang_override: str | None = None, **values: Any) -> Markup:
            use = lang_override or lang
            if not values and (key, use) in plain:
                return plain[key, use]
            text = None
            if values.get("n") == 1:  # English "1 team", not "1 teams"
                text = self.strings.get(use, f"{key}_one")
            text = text or self.strings.get(use, key)
            if text is None:
                raise _MissingString(key, use)
            if not values:
                plain[key, use] = escape(text)
                return plain[key, use]
            return _format(escape(text), values)

        return t

    def fingerprint(self, template: str) -> str:
        """A hash of everything but the page that goes into a page rendered
        with ``template``: the templates it uses, the strings, the asset
        versions and the configuration."""
        if template not in self._fingerprints:
            digest = hashlib.sha256()
            for name in sorted(self.template_closure(template)):
                try:
                    source, _, _ = self.env.loader.get_source(self.env, name)  # type: ignore[union-attr]
                except jinja2.TemplateNotFound:
                    source = ""
                digest.update(f"{name}\0{source}\0".encode())
            digest.update(repr(sorted(self.strings.table.items())).encode())
            digest.update(repr(sorted(self.site.asset_versions.items())).encode())
            digest.update(repr(self.config).encode())
            self._fingerprints[template] = digest.hexdigest()
        return self._fingerprints[template]

    def compile(self, templates: set[str]) -> None:
        """Compile ``templates`` and those they use, and work out their
        fingerprints, so that worker processes forked after this start
        with them made."""
        for name in sorted(set().union(*map(self.template_closure, templates))):
            with contextlib.suppress(jinja2.TemplateError):  # reported where a page uses it
                self.env.get_template(name)
        for name in sorted(templates):
            self.fingerprint(name)

    def template_closure(self, name: str) -> set[str]:
        """``name`` and every template it extends, includes or imports."""
        seen: set[str] = set()
        todo = [name]
        while todo:
            current = todo.pop()
            if current in seen:
                continue
            seen.add(current)
            todo.extend(self._references(current))
        return seen

    def _references(self, name: str) -> tuple[str, ...]:
        """The templates that ``name`` names itself (read once)."""
        found = self._referenced.get(name)
        if found is None:
            try:
                source, _, _ = self.env.loader.get_source(self.env, name)  # type: ignore[union-attr]
                tree = self.env.parse(source)
            except (jinja2.TemplateNotFound, jinja2.TemplateSyntaxError):
                found = ()
            else:
                found = tuple(n for n in meta.find_referenced_templates(tree) if n)
            self._referenced[name] = found
        return found

    def localizer(self, lang: str) -> Callable[[Text], Markup]:
        """``tr(text)``: a record's text in ``lang``, else in the language it has,
        then wrapped in ``<span lang>`` so that screen readers read it right."""

        def tr(text: Text) -> Markup:
            value = text.get(lang, self.config.default_language)
            shown = text_language(text, value, lang, self.config.languages)
            if shown == lang:
                return escape(value)
            return Markup('<span lang="{}">{}</span>').format(language_tag(shown), value)

        return tr

    def render(self, page: Page, diagnostics: Diagnostics) -> str | None:
        try:
            template = self.env.get_template(page.template)
            return template.render(
                page=page, t=self._translators[page.lang], tr=self._localizers[page.lang]
            )
        except jinja2.TemplateSyntaxError as exc:
            diagnostics.error(
                self._template_path(exc.filename or page.template),
                exc.lineno or 0,
                "template-syntax",
                f"template error: {exc.message}",
                "fix the Jinja2 syntax of the template",
            )
        except jinja2.TemplateNotFound as exc:
            diagnostics.error(
                f"themes/{self.theme.name}/templates/{exc.name}",
                0,
                "template-missing",
                f"template '{exc.name}' was not found (needed for {page.url})",
                "add it to the theme, or remove the override that names it",
            )
        except _MissingString as exc:
            diagnostics.error(
                f"themes/{self.theme.name}/i18n/{exc.lang}.yaml",
                0,
                "missing-string",
                f"UI string '{exc.key}' is used by the templates but not defined",
                f"add a line '{exc.key}: …'",
            )
        except jinja2.UndefinedError as exc:
            filename, line = _template_frame(exc)
            path = self._template_path(filename or page.template)
            diagnostics.error(
                path,
                line,
                "template-undefined",
                f"{exc.message}{_FIRST_ON}{page.url})",
                "check the name against the page values documented in the README",
            )
        except (jinja2.TemplateError, TypeError, ValueError, AttributeError, KeyError) as exc:
            filename, line = _template_frame(exc)
            if filename is None:
                raise  # not a template's mistake: a bug in sitegen, to be seen as such
            diagnostics.error(
                self._template_path(filename),
                line,
                "template-error",
                f"template failed: {type(exc).__name__}: {exc}",
                "fix the expression on this line of the template",
            )
        return None

    def _template_path(self, filename: str) -> str:
        for folder in self.theme.dirs:
            try:
                rel = Path(filename).resolve().relative_to(folder.resolve())
            except ValueError:
                continue
            return f"themes/{self.theme.name}/{rel.as_posix()}"
        return filename


def _format(template: Markup, values: dict[str, Any]) -> Markup:
    """``template.format(**values)``: the values escaped, the template not.
    Markup.format escapes through a string.Formatter, many times slower
    than escaping the values first; numbers need no escaping."""
    safe = {
        name: value if type(value) in (int, float) else escape(value)
        for name, value in values.items()
    }
    return Markup(str.format(template, **safe))


def text_language(text: Text, value: str, wanted: str, languages: tuple[str, ...]) -> str:
    """The language ``value`` (taken from ``text``) is written in."""
    for lang, candidate in text.values:
        if candidate == value and lang:
            return lang
    if _HAN.search(value):
        return "zh"
    if not re.search(r"[A-Za-z]", value):
        return wanted
    return wanted if wanted != "zh" else next((x for x in languages if x != "zh"), wanted)


def _template_frame(exc: BaseException) -> tuple[str | None, int]:
    """The innermost template file and line in a traceback."""
    tb = exc.__traceback__
    found: tuple[str | None, int] = (None, 0)
    while tb is not None:
        code = tb.tb_frame.f_code
        if code.co_filename.endswith(".html"):
            found = (code.co_filename, tb.tb_lineno)
        tb = tb.tb_next
    return found


class RenderCache(Protocol):
    rendered: dict[str, tuple[Page, str, bytes]]
    renders: int


class PageStore(Protocol):
    def page_index(self) -> dict[str, str]: ...
    def get_page(self, key: str) -> tuple[bytes, Path, str] | None: ...
    def put_page(
        self, key: str, data: bytes, written: Path | None = None
    ) -> tuple[Path | None, str]: ...
    def save_page_index(self, index: dict[str, str]) -> None: ...


_ASSET = re.compile(rb'(?:href|src)="[^"]*?/((?:assets|pagefind)/[^"?]+\.(?:css|js))')
_ASSET_FOLDERS = (b"/assets/", b"/pagefind/")


def _assets(data: bytes) -> tuple[str, ...]:
    """The theme's style sheets and scripts (and the search's) that the page
    ``data`` loads: what ``_ASSET`` finds, looked for only in the attribute
    values that name one of their folders. Scanning every link of a page
    for them took a tenth of the workers' time."""
    found: set[bytes] = set()
    for folder in _ASSET_FOLDERS:
        at = data.find(folder)
        while at >= 0:
            opening = data.rfind(b'"', 0, at)  # the value's, as no quote is inside it
            closing = data.find(b'"', at)
            stop = closing if closing >= 0 else len(data)
            for name in (b"href=", b"src="):
                start = opening - len(name)
                if opening >= 0 and data.startswith(name, start):
                    match = _ASSET.match(data, start, stop)
                    if match is not None:
                        found.add(match.group(1))
            at = data.find(folder, stop) if closing >= 0 else -1
    return tuple(sorted(m.decode() for m in found))


@dataclass
class RenderedPages:
    html: dict[str, bytes]  # output path -> bytes, unless they went to a sink
    # output path -> (size in bytes, the theme's style sheets and scripts it loads)
    sizes: dict[str, tuple[int, tuple[str, ...]]]


@dataclass(frozen=True, slots=True)
class Spooled:
    """Pages to render that were written to a spool file (see
    :class:`SpoolWriter`) by another process, the one that planned them."""

    file: IO[bytes]
    names: list[tuple[str, str]]  # each page's output path and template, in order
    # files the build made beside the pages (calendars, feeds): their places in the spool's file
    beside: dict[str, tuple[int, int]] = dataclasses.field(default_factory=dict)


def render_pages(
    pages: Sequence[Page],
    renderer: Renderer,
    diagnostics: Diagnostics,
    cache: RenderCache,
    store: PageStore | None = None,
    jobs: int = 1,
    sink: Callable[[str, bytes], Path | None] | None = None,
    place: Callable[[str, Path], None] | None = None,
    weigh: bool = True,
    meanwhile: Callable[[], None] | None = None,
    ahead: Ahead[Page, Made] | None = None,
) -> RenderedPages:
    """Render every page, reusing the HTML of a page whose value and whose
    templates, strings and assets are what they were in this process's
    last build or in the build cache (``store``); the work is spread over
    up to ``jobs`` processes, and ``meanwhile`` is called here while they
    work. With a ``sink``, each page is handed to it where it is made, and
    not kept; a page that is in the cache is handed to ``place`` as its
    cache file instead, to be linked, not written.

    ``ahead`` has rendered the pages planned before ``pages`` (its items
    taken), which are counted with them."""
    result = RenderedPages({}, {})
    current: dict[str, tuple[Page, str, bytes]] = {}
    todo = _changed(pages, renderer, cache.rendered, current)
    for path, (_, _, data) in current.items():
        _keep(result, path, data, sink)
    before = ahead.close() if ahead is not None else []
    names = [(page.output_path, page.template) for page in [*before, *todo]]
    make = PageMaker(renderer, store, sink, place, weigh)
    make.prepare({template for _, template in names[len(before) :]})
    made = fork_map(make, todo, jobs, reuse=True, meanwhile=meanwhile)
    if ahead is not None:
        made = ahead.results() + made
    kept = [*before, *todo]  # for the next build in this process
    return collect(names, made, renderer, diagnostics, cache, store, kept, result, current)


class PageMaker:
    """What a worker does with each page: render it (or take it from the
    build cache), hand it to the sink, and report a :class:`Made`."""

    def __init__(
        self,
        renderer: Renderer,
        store: PageStore | None,
        sink: Callable[[str, bytes], Path | None] | None,
        place: Callable[[str, Path], None] | None,
        weigh: bool,
    ) -> None:
        self.renderer, self.store, self.sink, self.place = renderer, store, sink, place
        self.weigh = weigh
        if store is not None:
            store.page_index()  # read once here, not once in each worker

    def prepare(self, templates: set[str]) -> None:
        """Compile ``templates`` here, not in each worker forked after."""
        self.renderer.compile(templates)

    def __call__(self, page: Page) -> Made:
        renderer, store, sink = self.renderer, self.store, self.sink
        key, file, digest = "", None, ""
        data: bytes | None = None
        if store is not None:
            key = _page_key(page, renderer.fingerprint(page.template))
            found = store.get_page(key)
            if found is not None:
                data, file, digest = found
        made = data is None
        problems = Diagnostics()
        if data is None:
            html = renderer.render(page, problems)
            if html is None:
                return Made(None, 0, (), True, list(problems), "", "")
            data = html.encode("utf-8")
        assets = _assets(data) if self.weigh else ()
        written = None
        if sink is not None:
            if self.place is not None and file is not None:
                self.place(page.output_path, file)
            else:
                written = sink(page.output_path, data)
        if made and store is not None:  # linked from the new site where it was written there
            file, digest = store.put_page(key, data, written)
        kept = None if sink is not None else data
        return Made(kept, len(data), assets, made, list(problems), key, digest)


def collect(
    names: Sequence[tuple[str, str]],
    made: Sequence[Made],
    renderer: Renderer,
    diagnostics: Diagnostics,
    cache: RenderCache,
    store: PageStore | None,
    rendered: Sequence[Page] | None = None,
    result: RenderedPages | None = None,
    current: dict[str, tuple[Page, str, bytes]] | None = None,
) -> RenderedPages:
    """What the workers ``made`` of the pages ``names`` (output path and
    template, in order): their sizes, their HTML where it was kept, their
    problems, each mistake of a template once, and the cache's index.
    ``rendered``: the pages themselves, whose HTML is kept for the next
    build in this process (in ``current``, which holds the pages kept from
    the last), where they are at hand."""
    result = result if result is not None else RenderedPages({}, {})
    current = current if current is not None else {}
    seen: set[Diagnostic] = set(diagnostics)
    # each mistake of a template once, as found on the first page (by output path) it is on
    found: dict[tuple[str, int, str, str], tuple[str, Diagnostic]] = {}
    index: dict[str, str] = {}
    cache.renders = 0
    pages: Sequence[Page | None] = rendered or [None] * len(names)
    for (path, template), page, done in zip(names, pages, made, strict=True):
        for diagnostic in done.problems:
            mistake = _mistake(diagnostic)
            if mistake not in found or path < found[mistake][0]:
                found[mistake] = (path, diagnostic)
        cache.renders += done.made
        if done.key and done.digest:
            index[done.key] = done.digest
        if done.size == 0:
            continue
        result.sizes[path] = (done.size, done.assets)
        if done.data is not None:
            assert page is not None
            result.html[path] = done.data
            current[path] = (page, renderer.fingerprint(template), done.data)
    for _, diagnostic in sorted(found.values(), key=lambda first: first[0]):
        if diagnostic not in seen:
            seen.add(diagnostic)
            diagnostics.add(diagnostic)
    if store is not None:
        if current.keys() - {path for path, _ in names}:
            # pages kept from this process's last build were not looked up
            # in the cache; keep what the index says of them
            index = {**store.page_index(), **index}
        store.save_page_index(index)
    cache.rendered = current
    result.html = dict(sorted(result.html.items()))
    return result


# how a mistake's message names the page it was found on
_FIRST_ON = " (first while rendering "


def _mistake(diagnostic: Diagnostic) -> tuple[str, int, str, str]:
    """What ``diagnostic`` says, whichever page it was found on."""
    message = diagnostic.message.partition(_FIRST_ON)[0]
    return diagnostic.path, diagnostic.line, diagnostic.code, message


def _changed(
    pages: Sequence[Page],
    renderer: Renderer,
    previous: dict[str, tuple[Page, str, bytes]],
    unchanged: dict[str, tuple[Page, str, bytes]],
) -> list[Page]:
    """The pages to render: those that are not, with the same templates,
    strings and assets, in ``previous``; the others go to ``unchanged``."""
    todo: list[Page] = []
    for page in pages:
        hit = previous.get(page.output_path)
        if hit is not None and hit[1] == renderer.fingerprint(page.template) and hit[0] == page:
            unchanged[page.output_path] = hit
        else:
            todo.append(page)
    return todo


def _page_key(page: Page, fingerprint: str) -> str:
    """The build cache's name for ``page`` rendered with templates, strings
    and assets of ``fingerprint``. By repr, not pickle: equal pages may
    pickle differently as their parts are shared differently, but their repr
    is the same. The list of source files (every article, for a news list)
    is joined rather than repr'd, which is many times faster."""
    return key_of(
        "page", fingerprint, repr(dataclasses.replace(page, sources=())), "\0".join(page.sources)
    )


@dataclass(frozen=True, slots=True)
class Made:
    """What a worker reports of one page."""

    data: bytes | None  # None when the page went to the sink, or failed
    size: int
    assets: tuple[str, ...]
    made: bool  # rendered, not found in the cache
    problems: list[Diagnostic]
    key: str  # in the build cache
    digest: str


def _keep(
    result: RenderedPages, out: str, data: bytes, sink: Callable[[str, bytes], Path | None] | None
) -> None:
    assets = _assets(data)
    result.sizes[out] = (len(data), assets)
    if sink is not None:
        sink(out, data)
    else:
        result.html[out] = data
