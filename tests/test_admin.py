"""The browser editor at /admin/: its form is made from sitegen's schemas,
so every field the build reads is offered, in the editor's own
configuration language (checked against the schema Sveltia CMS
publishes); what the form saves, the build accepts with --strict; the
editor comes only where site.yaml asks for it, loads nothing from another
host, and stays out of the sitemap, the feeds and the search index.
"""

from __future__ import annotations

import dataclasses
import json
import re
import shutil
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml
from PIL import Image

from sitegen.build import BuildOptions, build
from sitegen.core import schema
from sitegen.core.admin import CMS
from sitegen.core.schema import ARTICLE, STUDIO, TEAM, Field, Schema
from tests.helpers import SITES

RECORDS = SITES / "records" / "input"
ADMIN = """
admin:
  backend: gitea
  repo: college/site
  base_url: https://git.example.edu.cn
  app_id: 0123-abcd
"""


def site_with_editor(tmp_path: Path, source: Path = RECORDS, settings: str = ADMIN) -> Path:
    site = tmp_path / "site"
    shutil.copytree(source, site, ignore=shutil.ignore_patterns("build", ".sitegen-cache"))
    with (site / "site.yaml").open("a", encoding="utf-8") as config:
        config.write(settings)
    return site


def built(site: Path, out: Path, search: bool = False) -> Path:
    result = build(site, BuildOptions(out_dir=out, search=search, cache=False, strict=True))
    assert result.ok, [d.format() for d in result.diagnostics]
    return out


@pytest.fixture(scope="module")
def editor(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("admin")
    return built(site_with_editor(root), root / "out")


def config(out: Path) -> dict[str, Any]:
    loaded: dict[str, Any] = yaml.safe_load((out / "admin" / "config.yml").read_text("utf-8"))
    return loaded


def collection(out: Path, name: str) -> dict[str, Any]:
    return next(c for c in config(out)["collections"] if c["name"] == name)


def names(fields: list[dict[str, Any]], prefix: str = "") -> set[str]:
    """The fields of a form, and of its lists of records ("honours.*.year");
    not the languages of a list of bilingual texts (a studio's members)."""
    found = set()
    for field in fields:
        found.add(prefix + field["name"])
        if field["widget"] == "list" and "fields" in field and field["name"] != "members":
            found |= names(field["fields"], f"{prefix}{field['name']}.*.")
    return found


def schema_names(fields: tuple[Field, ...], prefix: str = "") -> set[str]:
    found = set()
    for field in fields:
        found.add(prefix + field.key)
        if field.kind == "objects":
            found |= schema_names(field.fields, f"{prefix}{field.key}.*.")
    return found


@pytest.mark.parametrize(
    ("name", "schema"),
    [("news", ARTICLE), ("news_files", ARTICLE), ("teams", TEAM), ("studios", STUDIO)],
)
def test_every_field_of_every_schema_is_in_the_form(
    editor: Path, name: str, schema: Schema
) -> None:
    fields = collection(editor, name)["fields"]
    wanted = schema_names(schema.fields) | ({"body"} if schema is ARTICLE else set())
    assert names(fields) == wanted
    required = {f["name"] for f in fields if f["required"]}
    # an article's file is named after its 网址名, which the form asks for
    form_needs = {"body", "slug"} if schema is ARTICLE else set()
    assert required == {f.key for f in schema.fields if f.required} | form_needs


def test_a_field_added_to_a_schema_appears_in_the_form(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    added = Field("venue", "string", ("地点", "Venue"))
    grown = dataclasses.replace(schema.ARTICLE, fields=(*schema.ARTICLE.fields, added))
    monkeypatch.setattr(schema, "ARTICLE", grown)
    site = site_with_editor(tmp_path)
    report = site / "content" / "news" / "2020-04-20-excellent-teams.zh.md"
    report.write_text(report.read_text("utf-8").replace("---\n", "---\nvenue: 区社区教育学院\n", 1))
    out = built(site, tmp_path / "out")  # strict: the build knows the key too
    form = {f["name"]: f for f in collection(out, "news")["fields"]}
    assert form["venue"]["label"] == "地点"
    assert form["venue"]["widget"] == "string"


def test_the_configuration_is_valid_for_the_editor(editor: Path) -> None:
    published = json.loads((CMS / "sveltia-cms.schema.json").read_text("utf-8"))
    problems = [
        f"{'/'.join(map(str, e.absolute_path))}: {e.message[:200]}"
        for e in jsonschema.Draft7Validator(published).iter_errors(config(editor))
    ]
    assert problems == []


def test_a_wrong_configuration_would_be_caught(editor: Path) -> None:
    published = json.loads((CMS / "sveltia-cms.schema.json").read_text("utf-8"))
    wrong = config(editor)
    wrong["i18n"]["structure"] = "multiple_file"
    assert list(jsonschema.Draft7Validator(published).iter_errors(wrong))


def test_the_form_pairs_languages_and_pictures_as_the_build_does(editor: Path) -> None:
    settings = config(editor)
    assert settings["i18n"] == {
        "structure": "multiple_files", "locales": ["zh", "en"], "default_locale": "zh"
    }  # fmt: skip
    news = collection(editor, "news")
    assert news["folder"] == "content/news"
    assert news["path"] == "{{year}}-{{month}}-{{day}}-{{slug}}/index"  # <stem>/index.zh.md
    assert (news["media_folder"], news["public_folder"]) == ("", "")  # pictures beside it
    form = {f["name"]: f for f in news["fields"]}
    assert form["title"]["i18n"] is True and form["body"]["i18n"] is True
    assert form["date"]["i18n"] is False, "a translation takes its original's date"
    assert form["draft"]["i18n"] == "duplicate", "a draft is a draft in both languages"
    images = {f["name"]: f for f in form["images"]["fields"]}
    assert images["alt"]["required"] is True and images["src"]["widget"] == "image"
    teams = form["teams"]
    assert (teams["widget"], teams["collection"], teams["multiple"]) == ("relation", "teams", True)
    assert form["tags"]["widget"] == "list", "a site without content/tags.yaml: any topic"
    towns = form["town"]["options"]
    assert {"label": "和平街道（heping）", "value": "heping"} in towns
    assert settings["backend"] == {
        "name": "gitea",
        "repo": "college/site",
        "branch": "main",
        "base_url": "https://git.example.edu.cn",
        "api_root": "https://git.example.edu.cn/api/v1",
        "app_id": "0123-abcd",
    }


# -- what the form saves, the build accepts ----------------------------------------


def sample(field: Field, site: Path) -> Any:
    """A value for ``field`` as the form writes it."""
    ids = {
        "teams": sorted(p.stem for p in (site / "content" / "teams").glob("*.yaml")),
        "studios": sorted(p.stem for p in (site / "content" / "studios").glob("*.yaml")),
        "towns": sorted(yaml.safe_load((site / "content" / "towns.yaml").read_text("utf-8"))),
        "categories": sorted(
            yaml.safe_load((site / "site.yaml").read_text("utf-8"))["team_categories"]
        ),
    }
    kind = field.kind
    values: dict[str, Any] = {
        "string": "示例文字",
        "text": "第一行。\n第二行。",
        "date": "2020-05-04",
        "pinned": "2020-05-10",
        "when": "2020-05",
        "year": 2020,
        "integer": 12,
        "boolean": False,
        "strings": ["学习型城市"],
        "picture": "photo.jpg",
        "bilingual": {"zh": "示例", "en": "Sample"},
        "texts": [{"zh": "王芳", "en": "Wang Fang"}],
    }
    if kind in values:
        return values[kind]
    if kind == "choice":
        return field.choices[0]
    if kind == "id":
        return ids[field.refers][0]
    if kind == "ids":
        return ids[field.refers][:2]
    if kind == "objects":
        return [
            {sub.key: sample(sub, site) for sub in field.fields if sample(sub, site) is not None}
        ]
    raise AssertionError(kind)


def front_matter(data: dict[str, Any]) -> str:
    return "---\n" + yaml.safe_dump(data, allow_unicode=True, sort_keys=False) + "---\n"


def test_an_entry_with_every_field_filled_as_the_form_fills_it_builds_strictly(
    tmp_path: Path,
) -> None:
    site = site_with_editor(tmp_path)
    skipped = {"series", "translated_from", "slug", "article"}  # the site has none / not needed
    article = {f.key: sample(f, site) for f in ARTICLE.fields if f.key not in skipped}
    article["title"] = "示例：编辑在表单里写的新闻"
    article["expires"] = "2099-01-01"
    folder = site / "content" / "news" / "2020-05-04-form-sample"
    folder.mkdir()
    Image.new("RGB", (1200, 800), (40, 90, 160)).save(folder / "photo.jpg", quality=80)
    (folder / "index.zh.md").write_text(
        front_matter(article) + "\n正文第一段。\n\n![学员在书画班练字](photo.jpg)\n", "utf-8"
    )
    english = {
        f.key: article[f.key]
        for f in ARTICLE.fields
        if f.translation != "inherited" and f.key in article
    }
    english["title"] = "Sample: a report written in the form"
    (folder / "index.en.md").write_text(front_matter(english) + "\nFirst paragraph.\n", "utf-8")
    for kind, name in ((TEAM, "form-sample-team"), (STUDIO, "form-sample-studio")):
        record = {f.key: sample(f, site) for f in kind.fields}
        for item in (
            record.get("honours", []) + record.get("activities", []) + record.get("reports", [])
        ):
            item.pop("article", None)
        folder_name = "teams" if kind is TEAM else "studios"
        (site / "content" / folder_name / f"{name}.yaml").write_text(
            yaml.safe_dump(record, allow_unicode=True, sort_keys=False), "utf-8"
        )
    out = built(site, tmp_path / "out")
    page = (out / "news" / "2020" / "05" / "form-sample" / "index.html").read_text("utf-8")
    assert "示例：编辑在表单里写的新闻" in page and 'alt="学员在书画班练字"' in page
    assert (out / "en" / "news" / "2020" / "05" / "form-sample" / "index.html").is_file()
    assert (out / "teams" / "form-sample-team" / "index.html").is_file()


# -- where the editor is, and where it is not ----------------------------------------


def test_no_editor_unless_site_yaml_asks_for_one(tmp_path: Path) -> None:
    out = built(site_with_editor(tmp_path, settings=""), tmp_path / "out")
    assert not (out / "admin").exists()
    assert "admin" not in (out / "robots.txt").read_text("utf-8")


def test_the_editor_is_kept_out_of_sitemap_feeds_search_and_pages(tmp_path: Path) -> None:
    out = built(site_with_editor(tmp_path), tmp_path / "out", search=True)
    assert (out / "admin" / "index.html").is_file() and (out / "admin" / "sveltia-cms.js").is_file()
    page = (out / "admin" / "index.html").read_text("utf-8")
    assert '<meta name="robots" content="noindex, nofollow">' in page
    assert "Disallow: /admin/" in (out / "robots.txt").read_text("utf-8")
    for name in ("sitemap.xml", "feed.xml", "en/feed.xml"):
        assert "/admin" not in (out / name).read_text("utf-8"), name
    for html in out.rglob("*.html"):
        if "admin" not in html.relative_to(out).parts:
            assert 'href="/admin' not in html.read_text("utf-8"), html
    indexed = out / "pagefind"
    without = built(site_with_editor(tmp_path / "plain", settings=""), tmp_path / "plain-out", True)
    assert _pages_indexed(indexed) == _pages_indexed(without / "pagefind") > 0


def _pages_indexed(pagefind: Path) -> int:
    entry = json.loads((pagefind / "pagefind-entry.json").read_text("utf-8"))
    return sum(language["page_count"] for language in entry["languages"].values())


# Addresses on other hosts that the vendored editor still names: loaders of
# what this configuration never uses (the code and map fields), and links.
ON_DEMAND = {
    "https://unpkg.com/@shikijs",
    "https://unpkg.com/@sveltia/ui",
    "https://unpkg.com/${e}",
}


def test_the_vendored_editor_loads_its_texts_and_fonts_from_beside_itself() -> None:
    script = (CMS / "sveltia-cms.js").read_text("utf-8")
    cdn = set(re.findall(r"https://(?:unpkg\.com|cdn\.jsdelivr\.net)[^`'\"\s)]*", script))
    assert cdn <= ON_DEMAND, "scripts/vendor-cms should rewrite these"
    assert "./vendor/sveltia-cms" in script
    for font in ("source-sans-3", "noto-mono", "material-symbols-outlined"):
        assert f"./vendor/fonts/{font}.woff2" in script
        assert (CMS / "vendor" / "fonts" / f"{font}.woff2").stat().st_size > 10_000
    version = dict(line.split() for line in (CMS / "VERSION").read_text("utf-8").splitlines())[
        "@sveltia/cms"
    ]
    assert (CMS / "vendor" / f"sveltia-cms@{version}" / "locales" / "zh-CN.json").is_file()
    assert "MIT License" in (CMS / "LICENSE.txt").read_text("utf-8")
    assert "MIT License" in (CMS / "vendor" / "pinyin-pro.LICENSE.txt").read_text("utf-8")


def test_serve_admin_offers_the_editor_for_this_folder_and_does_not_reload_it(
    tmp_path: Path,
) -> None:
    from sitegen.serve import Server
    from tests.test_serve import example_site, fetch

    (tmp_path / "plain").mkdir()
    (tmp_path / "editing").mkdir()
    plain = Server(example_site(tmp_path / "plain"), port=0)
    plain.start()
    try:
        assert fetch(plain.url + "admin/")[0] == 404, "no editor without --admin"
    finally:
        plain.stop()
    running = Server(example_site(tmp_path / "editing"), port=0, admin=True)
    running.start()
    try:
        status, page = fetch(running.url + "admin/")
        settings = yaml.safe_load(fetch(running.url + "admin/config.yml")[1])
        script = fetch(running.url + "admin/sveltia-cms.js")[0]
        _, home = fetch(running.url)
    finally:
        running.stop()
    assert status == 200 and '<script src="sveltia-cms.js"></script>' in page
    assert "reload.js" not in page, "a rebuild must not reload the form being filled in"
    assert "reload.js" in home, "the pages still reload as the editor saves"
    assert script == 200
    assert settings["collections"][0]["folder"] == "content/news"


def test_topics_are_offered_by_the_names_articles_give_them(tmp_path: Path) -> None:
    from tests.test_serve import example_site

    site = example_site(tmp_path)
    with (site / "site.yaml").open("a", encoding="utf-8") as settings:
        settings.write(ADMIN)
    out = built(site, tmp_path / "out")
    tags = {f["name"]: f for f in collection(out, "news")["fields"]}["tags"]
    assert tags["widget"] == "select" and tags["multiple"] is True
    assert {"团队培育", "名师工作室", "学习型城市"} <= set(tags["options"])
    published = json.loads((CMS / "sveltia-cms.schema.json").read_text("utf-8"))
    assert list(jsonschema.Draft7Validator(published).iter_errors(config(out))) == []
