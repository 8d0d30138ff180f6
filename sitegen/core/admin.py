"""The browser editor at ``/admin/`` (Sveltia CMS), for editors who do not
use git: its configuration, made from sitegen's own schemas (``schema.py``)
and the site's towns, kinds of team and series, so that the form offers
exactly what the build accepts.

The editor itself is vendored in ``sitegen/cms/`` (``scripts/vendor-cms``)
and copied into a site's ``/admin/`` only where ``site.yaml`` has an
``admin:`` section (or for ``sitegen serve --admin``). No page of the site
links to it, and it is kept out of the sitemap, the search index and the
feeds.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

import sitegen.core.schema as schema
from sitegen.core.config import AdminSettings, SiteConfig
from sitegen.core.i18n import Strings
from sitegen.core.model import Site
from sitegen.core.schema import Field, Schema

CMS = Path(__file__).resolve().parent.parent / "cms"  # vendored (scripts/vendor-cms)
EDITOR = Path(__file__).resolve().parent.parent / "editor"  # sitegen's own scripts for it
ADMIN = "admin"  # the folder of the site it goes in

# Dates in the form the build reads them.
_DAY = {"format": "YYYY-MM-DD", "date_format": "YYYY-MM-DD", "time_format": False}
_WHEN = r"^\d{4}(-\d{2}(-\d{2}(/\d{4}-\d{2}-\d{2})?)?)?$"
_SLUG = r"^[a-z0-9]+(-[a-z0-9]+)*$"


def admin_files(
    site: Site, config: SiteConfig, strings: Strings, settings: AdminSettings | None = None
) -> dict[str, bytes]:
    """Output path → bytes: the editor's page and configuration, where the
    site has an editor (``settings`` overrides site.yaml's)."""
    settings = settings or config.admin
    if settings is None:
        return {}
    versions = dict(
        line.split() for line in (CMS / "VERSION").read_text(encoding="utf-8").splitlines()
    )
    page = _PAGE.format(version=versions["@sveltia/cms"])
    return {
        f"{ADMIN}/index.html": page.encode("utf-8"),
        f"{ADMIN}/config.yml": cms_config_yaml(site, config, strings, settings).encode("utf-8"),
    }


def admin_copies() -> dict[str, Path]:
    """Output path → file: the vendored editor, its texts and fonts, and
    sitegen's scripts for it."""
    return {
        f"{ADMIN}/{path.relative_to(folder).as_posix()}": path
        for folder in (CMS, EDITOR)
        for path in sorted(folder.rglob("*"))
        if path.is_file() and path.name not in ("VERSION", "sveltia-cms.schema.json")
    }


def cms_config_yaml(
    site: Site, config: SiteConfig, strings: Strings, settings: AdminSettings
) -> str:
    data = cms_config(site, config, strings, settings)
    head = "# Made by sitegen from its schemas and this site's records: do not edit.\n"
    return head + yaml.dump(data, Dumper=_Plain, allow_unicode=True, sort_keys=False, width=100)


class _Plain(yaml.SafeDumper):
    """YAML without anchors: the collections' shared parts written out."""

    def ignore_aliases(self, data: Any) -> bool:
        return True


def cms_config(
    site: Site, config: SiteConfig, strings: Strings, settings: AdminSettings
) -> dict[str, Any]:
    """The editor's configuration (Sveltia CMS's ``config.yml``)."""
    form = _Form(site, config, strings)
    languages = list(config.languages)
    news = {
        "folder": "content/news",
        "create": True,
        "i18n": True,
        "format": "frontmatter",
        "extension": "md",
        "sortable_fields": {
            "fields": ["date", "title"],
            "default": {"field": "date", "direction": "descending"},
        },
        "summary": "{{date}} {{title}}",
        # the file's name, from the 网址名 field, which the form therefore asks for
        "slug": {"template": "{{fields.slug}}"},
        "fields": [*form.fields(schema.ARTICLE, article=True, needed=("slug",)), form.body()],
    }
    return {
        "backend": _backend(settings),
        "publish_mode": "simple",
        "media_folder": "content/news",
        "public_folder": "",
        "site_url": config.base_url,
        "output": {"omit_empty_optional_fields": True, "yaml": {"quote": "none"}},
        "slug": {"encoding": "ascii", "clean_accents": True, "timezone": "local"},
        "i18n": {
            "structure": "multiple_files",
            "locales": languages,
            "default_locale": config.default_language,
        },
        "collections": [
            {
                "name": "news",
                "label": "新闻（带图片的文件夹）",
                "label_singular": "新闻",
                "description": "每篇新闻一个文件夹，中文稿、英文稿和图片都放在里面。",
                "path": "{{year}}-{{month}}-{{day}}-{{slug}}/index",
                "media_folder": "",
                "public_folder": "",
                **news,
            },
            {
                "name": "news_files",
                "label": "新闻（单个文件）",
                "label_singular": "新闻",
                "description": (
                    "没有图片的旧稿，每种语言一个文件。新稿请在“新闻（带图片的文件夹）”里写。"
                ),
                "path": "{{year}}-{{month}}-{{day}}-{{slug}}",
                **{**news, "create": False},
            },
            _records("teams", schema.TEAM, form, "content/teams"),
            _records("studios", schema.STUDIO, form, "content/studios"),
        ],
    }


def _records(name: str, record: Schema, form: _Form, folder: str) -> dict[str, Any]:
    return {
        "name": name,
        "label": record.label[0],
        "folder": folder,
        "format": "yaml",
        "extension": "yaml",
        "create": True,
        "identifier_field": "name.zh",
        "summary": "{{name.zh}}",
        "slug": {
            "template": "{{fields.name.en}}",
            "editable": ["create"],
            "pattern": [_SLUG, "只用小写字母、数字和“-” / a-z, 0-9 and '-' only"],
            "hint": "编号即文件名，建好后不再改：用拼音，如 xinfan-calligraphy",
        },
        "fields": form.fields(record, article=False),
    }


def _backend(settings: AdminSettings) -> dict[str, Any]:
    backend: dict[str, Any] = {
        "name": settings.backend,
        "repo": settings.repo,
        "branch": settings.branch,
    }
    if settings.base_url:
        backend["base_url"] = settings.base_url
    if settings.api_root:
        backend["api_root"] = settings.api_root
    elif settings.backend == "gitea" and settings.base_url:
        backend["api_root"] = settings.base_url + "/api/v1"
    if settings.auth_endpoint:
        backend["auth_endpoint"] = settings.auth_endpoint
    if settings.app_id:
        backend["app_id"] = settings.app_id
        if settings.backend == "gitlab":
            backend["auth_type"] = "pkce"
    # signing in through the host needs its OAuth application (GitLab,
    # Gitea) or an OAuth service (GitHub); without, an access token it is
    oauth = settings.app_id if settings.backend != "github" else settings.base_url
    if not oauth:
        backend["auth_methods"] = ["token"]
    return backend


class _Form:
    """The editor's fields for sitegen's schemas."""

    def __init__(self, site: Site, config: SiteConfig, strings: Strings) -> None:
        self.site = site
        self.config = config
        self.strings = strings

    def body(self) -> dict[str, Any]:
        return {
            "name": "body",
            "label": "正文",
            "widget": "markdown",
            "required": True,
            "i18n": True,
            "hint": "每段之间空一行。图片先上传到本篇的文件夹，再插入。",
        }

    def fields(
        self, of: Schema, article: bool, needed: tuple[str, ...] = ()
    ) -> list[dict[str, Any]]:
        """The form's fields for ``of``; those ``needed`` are required in the
        form though the build does without them."""
        made = [self.field(f, article) for f in of.fields]
        for field in made:
            if field["name"] in needed:
                field["required"] = True
                field["hint"] = "文件夹名和网址的最后一段：用小写拼音或英文，如 xindu-visit"
                field["pattern"] = [_SLUG, "只用小写字母、数字和“-”，如 xindu-visit"]
        return made

    def field(self, f: Field, article: bool, nested: bool = False) -> dict[str, Any]:
        made: dict[str, Any] = {"name": f.key, "label": f.label[0]}
        if f.hint[0]:
            made["hint"] = f.hint[0]
        made.update(self.widget(f, article))
        made["required"] = f.required
        if article:
            made["i18n"] = _i18n(f, nested)
        return made

    def widget(self, f: Field, article: bool) -> dict[str, Any]:
        kind = f.kind
        if kind in ("string", "text", "boolean"):
            return {"widget": kind}
        if kind in ("date", "pinned"):
            return {"widget": "datetime", **_DAY}
        if kind == "when":
            return {"widget": "string", "pattern": [_WHEN, "如 2020、2020-03、2020-04-27"]}
        if kind in ("year", "integer"):
            low, high = (1900, 2100) if kind == "year" else (0, 100_000)
            return {"widget": "number", "value_type": "int", "min": low, "max": high}
        if kind == "choice":
            return {"widget": "select", "options": [self.option(f.key, c) for c in f.choices]}
        if kind in ("id", "ids") and f.refers in ("teams", "studios"):
            return {
                "widget": "relation",
                "collection": f.refers,
                "value_field": "{{slug}}",
                "search_fields": ["name.zh", "name.en"],
                "display_fields": ["name.zh"],
                "multiple": kind == "ids",
            }
        if kind in ("id", "ids"):
            options = self.ids(f.refers)
            if not options:  # none listed yet: the build says if one is unknown
                return {"widget": "list"} if kind == "ids" else {"widget": "string"}
            return {"widget": "select", "options": options, "multiple": kind == "ids"}
        if kind == "strings" and f.refers == "tags" and self.site.tags:
            # the topics of content/tags.yaml, by the names articles give them
            lang = self.config.default_language
            names = sorted({t.name.get(lang) for t in self.site.tags.values()})
            return {"widget": "select", "multiple": True, "options": names}
        if kind == "strings":
            return {"widget": "list"}
        if kind == "picture":
            return {"widget": "image", "choose_url": False}
        if kind == "bilingual":
            return {"widget": "object", "fields": self.languages(required=f.required)}
        if kind == "texts":
            return {"widget": "list", "fields": self.languages(required=True)}
        if kind == "objects":
            return {
                "widget": "list",
                "fields": [self.field(sub, article, nested=True) for sub in f.fields],
            }
        raise AssertionError(kind)  # schema.KINDS lists no other

    def languages(self, required: bool) -> list[dict[str, Any]]:
        """A text in each language, the first required where the text is."""
        return [
            {
                "name": lang,
                "label": self.strings.get(self.config.default_language, f"lang_{lang}") or lang,
                "widget": "string",
                "required": required and index == 0,
            }
            for index, lang in enumerate(self.config.languages)
        ]

    def option(self, key: str, value: str) -> dict[str, str]:
        """A choice, named as readers see it where the theme names it."""
        lang = self.config.default_language
        names = (f"event_kind_{value}", f"kind_{value.replace('-', '_')}")
        named = next((found for n in names if (found := self.strings.get(lang, n))), "")
        return {"label": f"{named}（{value}）" if named else value, "value": value}

    def ids(self, refers: str) -> list[dict[str, str]]:
        lang = self.config.default_language
        if refers == "towns":
            named = {k: t.name for k, t in self.site.towns.items()}
        elif refers == "categories":
            named = dict(self.config.team_categories)
        elif refers == "series":
            named = {k: s.name for k, s in self.site.series.items()}
        else:
            raise AssertionError(refers)
        return [
            {"label": f"{name.get(lang)}（{key}）", "value": key} for key, name in named.items()
        ]


def _i18n(f: Field, nested: bool) -> bool | str:
    """How a field of an article is written in each language's file: its
    own (``true``), copied from the first language's (``duplicate``), or
    only in the first language's, which the build lends to the others
    (``false``). Inside a list every language has the list, so what the
    build would lend is copied."""
    if f.translation == "own":
        return True
    if f.translation == "copied" or nested:
        return "duplicate"
    return False


_PAGE = """<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex, nofollow">
<title>内容管理 · sitegen</title>
<!-- Sveltia CMS {version}, vendored by sitegen (sitegen/cms/, MIT licence: LICENSE.txt) -->
<script src="chinese-first.js"></script>
</head>
<body>
<script src="vendor/pinyin-pro.js"></script>
<script src="pinyin-slug.js"></script>
<script src="sveltia-cms.js"></script>
</body>
</html>
"""
