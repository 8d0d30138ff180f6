"""``site.yaml`` read into a typed, validated :class:`SiteConfig`."""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from pathlib import Path
from urllib.parse import urlsplit

from sitegen.core.diagnostics import Diagnostic, Diagnostics
from sitegen.core.fields import FieldReader
from sitegen.core.model import Text
from sitegen.core.text import is_slug
from sitegen.core.textfile import decode_source, outside_site, read_file
from sitegen.core.yamldoc import YamlDoc, parse_yaml

CONFIG_FILE = "site.yaml"
SUPPORTED_LANGUAGES = ("zh", "en")
_KNOWN_KEYS = (
    "title",
    "description",
    "base_url",
    "languages",
    "theme",
    "news_per_page",
    "allow_html",
    "updated_from_git",
    "team_categories",
)


@dataclass(frozen=True, slots=True)
class SiteConfig:
    title: Text
    description: Text
    base_url: str  # absolute, ends with "/"; may carry a sub-path
    languages: tuple[str, ...]  # the first is the default, served at the root
    theme: str = "default"
    news_per_page: int = 10
    allow_html: bool = False
    # an article's updated date, where it gives none, from the last commit
    # that changed its file (see sitegen.core.gitdates)
    updated_from_git: bool = False
    team_categories: dict[str, Text] = field(default_factory=dict)  # id -> names

    @property
    def default_language(self) -> str:
        return self.languages[0]

    @property
    def base_path(self) -> str:
        """The path part of ``base_url``: "/" or e.g. "/xindu/"."""
        return urlsplit(self.base_url).path or "/"

    def with_base_url(self, base_url: str) -> SiteConfig:
        return replace(self, base_url=normalize_base_url(base_url))


def normalize_base_url(url: str) -> str:
    url = url.strip()
    return url if url.endswith("/") else url + "/"


def base_url_problem(url: str) -> str:
    """Why ``url`` cannot be a base URL, or the empty string."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return f"'{url}' is not an absolute http(s) URL"
    if parts.query or parts.fragment:
        return f"'{url}' must not have a query or fragment"
    return ""


def read_config(text: str, path: str, diagnostics: Diagnostics) -> SiteConfig:
    """Parse the text of ``site.yaml``; problems go to ``diagnostics``."""
    parsed = parse_yaml(text)
    if not isinstance(parsed, YamlDoc):
        diagnostics.error(path, parsed.line, "yaml", parsed.message, parsed.hint, parsed.column)
        parsed = YamlDoc({})
    elif parsed.data is not None and not isinstance(parsed.data, dict):
        diagnostics.error(path, 1, "yaml", "site.yaml must be a mapping of settings")
        parsed = YamlDoc({})
    fields = FieldReader(parsed, path, diagnostics, what="site.yaml")
    fields.unknown_keys(_KNOWN_KEYS)

    languages = _languages(fields)

    base_url = normalize_base_url(fields.string("base_url") or "http://localhost/")
    problem = base_url_problem(base_url)
    if problem:
        fields.error(
            ("base_url",),
            "bad-base-url",
            problem,
            "write the address the site is published at, e.g. https://example.org/xindu/",
        )
        base_url = "http://localhost/"

    theme = fields.string("theme") or "default"
    if not re.fullmatch(r"[A-Za-z0-9_-]+", theme):
        fields.error(("theme",), "bad-theme", f"theme name '{theme}' must be a plain folder name")
        theme = "default"

    title = fields.text("title", languages, required=True)
    categories = _categories(parsed, path, fields, languages, diagnostics)
    return SiteConfig(
        title=title if title.values else Text.plain("sitegen"),
        description=fields.text("description", languages),
        base_url=base_url,
        languages=languages,
        theme=theme,
        news_per_page=fields.integer("news_per_page", 10, minimum=1),
        allow_html=fields.boolean("allow_html"),
        updated_from_git=fields.boolean("updated_from_git"),
        team_categories=categories,
    )


def _languages(fields: FieldReader) -> tuple[str, ...]:
    """The site's languages, each once, those sitegen supports; all of
    them where none is given."""
    languages = tuple(fields.string_list("languages")) or SUPPORTED_LANGUAGES
    for index, lang in enumerate(languages):
        if lang not in SUPPORTED_LANGUAGES:
            fields.error(
                ("languages", index),
                "unknown-language",
                f"language '{lang}' is not supported",
                f"sitegen supports: {', '.join(SUPPORTED_LANGUAGES)}",
            )
    languages = tuple(dict.fromkeys(lang for lang in languages if lang in SUPPORTED_LANGUAGES))
    return languages or SUPPORTED_LANGUAGES


def _categories(
    parsed: YamlDoc,
    path: str,
    fields: FieldReader,
    languages: tuple[str, ...],
    diagnostics: Diagnostics,
) -> dict[str, Text]:
    """The team categories' names by id, from ``team_categories``."""
    categories: dict[str, Text] = {}
    raw = fields.data.get("team_categories")
    if raw is not None and not isinstance(raw, dict):
        fields.error(
            ("team_categories",),
            "wrong-type",
            "'team_categories' maps ids to names",
            "write e.g.  team_categories: {calligraphy: {zh: 书画, en: Calligraphy}}",
        )
    elif raw:
        group = FieldReader(
            parsed, path, diagnostics, prefix=("team_categories",), what="team_categories"
        )
        for key in raw:
            if not is_slug(str(key)):
                group.error((key,), "bad-id", f"category id '{key}' may use only a-z, 0-9, '-'")
                continue
            categories[str(key)] = group.text(key, languages, required=True)
    return categories


def load_config(site_dir: Path, diagnostics: Diagnostics) -> SiteConfig | None:
    """Read ``site_dir/site.yaml``; ``None`` (with an error) when it is
    absent, cannot be read, or is a link that leads out of the site folder
    or something other than a file (a named pipe would never end)."""
    path = site_dir / CONFIG_FILE
    outside = outside_site(site_dir, path)
    if outside is not None:
        diagnostics.add(outside)
        return None
    if not path.exists():
        diagnostics.error(
            CONFIG_FILE,
            0,
            "no-config",
            f"no {CONFIG_FILE} in {site_dir}",
            "run sitegen in the site folder, or give the folder: sitegen build SITE_DIR",
        )
        return None
    data = read_file(site_dir, path)
    text = data if isinstance(data, Diagnostic) else decode_source(data, CONFIG_FILE)
    if isinstance(text, Diagnostic):
        diagnostics.add(text)
        return None
    return read_config(text, CONFIG_FILE, diagnostics)
