"""A site overrides single strings, templates and static files of the theme."""

from __future__ import annotations

import shutil
from pathlib import Path

from sitegen.build import BuildOptions, build
from tests.helpers import SITES


def test_site_files_win_over_the_built_in_theme(tmp_path: Path) -> None:
    site = tmp_path / "site"
    shutil.copytree(SITES / "basic" / "input", site)
    theme = site / "themes" / "default"
    (theme / "i18n").mkdir(parents=True)
    (theme / "i18n" / "en.yaml").write_text("latest_news: Fresh from the college\n")
    (theme / "templates").mkdir()
    (theme / "templates" / "404.html").write_text(
        '{% extends "base.html" %}{% block main %}<h1>{{ t("not_found_title") }}!</h1>'
        "{% endblock %}\n"
    )
    (theme / "static").mkdir()
    (theme / "static" / "robots.txt").write_text("User-agent: *\n")

    result = build(site, BuildOptions(out_dir=tmp_path / "out", strict=True))

    assert result.ok, [d.format() for d in result.diagnostics]
    out = tmp_path / "out"
    assert "Fresh from the college" in (out / "en/index.html").read_text()
    assert "最新动态" in (out / "index.html").read_text()  # other strings are kept
    assert "<h1>Page not found!</h1>" in (out / "en/404.html").read_text()
    assert (out / "robots.txt").read_text() == "User-agent: *\n"
    assert (out / "assets/site.css").is_file()  # the built-in static files stay


def test_template_error_names_the_template_and_line(tmp_path: Path) -> None:
    site = tmp_path / "site"
    shutil.copytree(SITES / "basic" / "input", site)
    templates = site / "themes" / "default" / "templates"
    templates.mkdir(parents=True)
    (templates / "404.html").write_text(
        '{% extends "base.html" %}\n{% block main %}\n{{ page.view.no_such_field }}\n'
        "{% endblock %}\n"
    )

    result = build(site, BuildOptions(out_dir=tmp_path / "out"))

    assert not result.ok
    [problem] = [d for d in result.diagnostics if d.code == "template-undefined"]
    assert (problem.path, problem.line) == ("themes/default/templates/404.html", 3)
    assert "no_such_field" in problem.message
    assert not (tmp_path / "out").exists()


def test_a_page_depends_on_its_template_and_those_it_uses(tmp_path: Path) -> None:
    from sitegen.core.config import load_config
    from sitegen.core.diagnostics import Diagnostics
    from sitegen.core.i18n import load_strings
    from sitegen.core.render import Renderer
    from sitegen.core.theme import find_theme
    from sitegen.engine.rendering import template_digest

    site = SITES / "basic" / "input"
    diagnostics = Diagnostics()
    config = load_config(site, diagnostics)
    assert config is not None
    theme = find_theme(site, config, diagnostics)
    assert theme is not None
    renderer = Renderer(theme, load_strings(theme, site, config, diagnostics), config, {})
    assert renderer.template_closure("team.html") == {"team.html", "base.html", "_macros.html"}
    assert renderer.template_closure("404.html") == {"404.html", "base.html"}
    assert template_digest(renderer, "404.html") != template_digest(renderer, "team.html")


def test_a_same_for_part_is_rendered_once_per_key(tmp_path: Path) -> None:
    site = tmp_path / "site"
    shutil.copytree(SITES / "basic" / "input", site)
    templates = site / "themes" / "default" / "templates"
    templates.mkdir(parents=True)
    # Each part shows the address of the page it was rendered for.
    (templates / "article.html").write_text(
        '{% extends "base.html" %}{% block main %}'
        "{% call same_for(page.lang) %}<p>lang:{{ page.url }}</p>{% endcall %}"
        "{% call same_for([page.url]) %}<p>list:{{ page.url }}</p>{% endcall %}"
        "{% endblock %}\n"
    )

    result = build(site, BuildOptions(out_dir=tmp_path / "out", jobs=1, search=False))

    assert result.ok, [d.format() for d in result.diagnostics]
    assert result.plan is not None
    shown: dict[str, set[str]] = {}
    for page in result.plan.pages:
        if page.template == "article.html":
            html = (tmp_path / "out" / page.output_path).read_text()
            shown.setdefault(page.lang, set()).add(html.split("<p>lang:")[1].split("<")[0])
            # a key that cannot be hashed (a list) renders the part every time
            assert f"<p>list:{page.url}</p>" in html
    # one rendering per language, reused on that language's other articles
    assert {lang: len(urls) for lang, urls in shown.items()} == {"zh": 1, "en": 1}
    assert sum(1 for p in result.plan.pages if p.template == "article.html") > 2
