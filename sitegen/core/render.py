"""Pages into HTML through the theme's Jinja2 templates.

Templates see ``page`` (a :class:`~sitegen.core.plan.Page`), ``site`` (a
:class:`SiteView`) and these helpers: ``t(key)`` for a UI string in the
page's language, ``url(path)`` for a link under the base path,
``absolute(path)`` for a full address, ``picture(image)`` for an
article's picture with its smaller copies, and ``same_for(*key)`` for a
part that is the same on every page with the same key.
"""

from __future__ import annotations

import contextlib
import hashlib
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jinja2
from jinja2 import meta
from markupsafe import Markup, escape

from sitegen.core.charts import Chart, draw
from sitegen.core.config import SiteConfig
from sitegen.core.diagnostics import Diagnostics
from sitegen.core.i18n import OG_LOCALES, Strings, format_month, language_tag, url_prefix
from sitegen.core.images import Picture, picture_html
from sitegen.core.model import Image, Text
from sitegen.core.pages import Page, ShareImage, site_square
from sitegen.core.theme import Theme

_HAN = re.compile(r"[\u3400-\u9fff]")


@dataclass(frozen=True, slots=True)
class SiteView:
    """What every template may know about the site as a whole."""

    config: SiteConfig
    languages: tuple[str, ...]
    asset_versions: dict[str, str]  # static path -> short content hash
    square: ShareImage  # the square picture of a shared link to a page without its own

    def title(self, lang: str) -> str:
        return self.config.title.get(lang, self.config.default_language)

    def home(self, lang: str) -> str:
        """The site path of the home page in ``lang``: "/" or "/en/"."""
        return url_prefix(lang, self.config) + "/"


def _picture(base: str) -> Callable[..., Markup]:
    def picture(image: Image, lazy: bool = True) -> Markup:
        """``picture(image)``: an article's picture with its smaller copies
        and its size, or a plain ``<img>`` for a file that has none."""
        pic = image.picture or Picture(image.src, 0, 0)
        return Markup(picture_html(pic, image.alt, lazy=lazy, base=base))

    return picture


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


# how a mistake's message names the page it was found on
FIRST_ON = " (first while rendering "


class Renderer:
    def __init__(
        self,
        theme: Theme,
        strings: Strings,
        config: SiteConfig,
        static_files: dict[str, Path],
    ) -> None:
        self.theme = theme
        self._referenced: dict[str, tuple[str, ...]] = {}
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
        # one for each language, shared by its pages: t() keeps the strings it has escaped
        self._translators = _ByLanguage(self.translator)
        self._localizers = _ByLanguage(self.localizer)
        versions = {
            name: hashlib.sha256(path.read_bytes()).hexdigest()[:10]
            for name, path in static_files.items()
            if name.endswith((".css", ".js"))
        }
        self.site = SiteView(config, config.languages, versions, site_square(config))
        self.base = config.base_path.rstrip("/")
        self.asset_versions = versions
        self.env.globals.update(site=self.site, url=self.url, absolute=self.absolute)
        self.env.globals.update(language_tag=language_tag, og_locale=OG_LOCALES.get)
        self.env.globals["picture"] = _picture(self.base)
        self.env.globals["same_for"] = self.same_for
        self.env.globals["chart_svg"] = _chart_svg
        self.env.globals["series_names"] = _series_names
        self.env.filters["month"] = lambda ym, lang: format_month(ym[0], ym[1], lang)

    def url(self, path: str) -> str:
        """A site path under the base path, e.g. ``/xindu/news/``."""
        version = self.asset_versions.get(path.lstrip("/"))
        return f"{self.base}{path}?v={version}" if version else f"{self.base}{path}"

    def same_for(self, *key: Any, caller: Callable[[], str]) -> str:
        """``{% call same_for(page.lang) %}…{% endcall %}``: what is between,
        for a part of a page (a menu, a card, an event) that depends on
        nothing but the key, so that it may be rendered once for each value
        of the key and reused (as the engine's renderer does). Here it is
        rendered every time."""
        return caller()

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

    def template_source(self, name: str) -> str:
        """The text of the template ``name``; "" where there is none."""
        try:
            source, _, _ = self.env.loader.get_source(self.env, name)  # type: ignore[union-attr]
        except jinja2.TemplateNotFound:
            return ""
        return source

    def compile(self, templates: set[str]) -> None:
        """Compile ``templates`` and those they use, so that worker
        processes forked after this start with them made."""
        for name in sorted(set().union(*map(self.template_closure, templates))):
            with contextlib.suppress(jinja2.TemplateError):  # reported where a page uses it
                self.env.get_template(name)

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

    def render(self, page: Page, diagnostics: Diagnostics, template_name: str = "") -> str | None:
        """``page`` through its template, or through ``template_name`` (the
        WeChat copy of an article, say); None, with the mistake said, where
        the theme's template fails."""
        try:
            template = self.env.get_template(template_name or page.template)
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
                f"{exc.message}{FIRST_ON}{page.url})",
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


def _series_names(chart: Chart, t: Callable[..., Markup]) -> list[str]:
    """A chart's series' names in the page's language."""
    return [s.name or (str(t(s.key)) if s.key else "") for s in chart.series]


def _chart_svg(chart: Chart, t: Callable[..., Markup]) -> Markup:
    return Markup(draw(chart, _series_names(chart, t)))
