"""An article's copy for the college's WeChat official account (公众号), from
a build kept in memory: what ``sitegen export wechat`` writes to a file and
what the preview's 复制到公众号 puts on the clipboard (see
:mod:`sitegen.core.wechat` for how the copy is made).

The copy names pictures and pages at the site's published address
(``base_url`` in site.yaml), whatever address the build was made for (the
preview's own), since the 公众号 editor fetches each picture from there.
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urljoin

import sitegen.core.wechat as wechat
from sitegen.build import BuildResult
from sitegen.core.config import SiteConfig
from sitegen.core.diagnostics import Diagnostic, Diagnostics, Severity
from sitegen.core.pages import Page
from sitegen.core.render import Renderer


@dataclass(frozen=True, slots=True)
class WeChatCopy:
    page: Page
    copy: wechat.Copy | None  # None where it could not be made (said in ``problems``)
    problems: tuple[Diagnostic, ...]


def article_pages(result: BuildResult) -> dict[str, Page]:
    """The article pages of a build kept in memory, by address (site path)."""
    if result.plan is None:
        return {}
    return {page.url: page for page in result.plan.pages if page.template == "article.html"}


def make(result: BuildResult, page: Page, site_dir: Path, published: SiteConfig) -> WeChatCopy:
    """The WeChat copy of the article ``page`` of ``result`` (a build made
    with ``keep``), naming what it links at the address of ``published``
    (site.yaml's settings), with what WeChat would not take of it."""
    settings = result.settings
    if settings is None or settings.theme is None or settings.strings is None:
        raise ValueError("the build kept no settings: build with keep=True")
    article = page.view.article
    problems = Diagnostics()
    missing = wechat.no_address(published)
    if missing is not None:
        return WeChatCopy(page, None, (missing,))
    built = settings.config
    renderer = Renderer(settings.theme, settings.strings, built, settings.theme.files("static"))
    base_url = published.base_url
    renderer.env.globals["absolute"] = lambda path: base_url + path.lstrip("/")
    rendered = renderer.render(page, problems, wechat.TEMPLATE)
    css = renderer.template_source(wechat.STYLE)
    if rendered is None:
        return WeChatCopy(page, None, tuple(problems.sorted()))

    def address(href: str) -> str:
        return wechat.published(urljoin(built.base_path + page.url.lstrip("/"), href),
                                built.base_path, base_url)  # fmt: skip

    copy = wechat.make_copy(rendered, css, address)
    problems.extend(wechat.source_problems(site_dir, article.path, article.bundle_dir))
    why = "a draft" if article.draft else "dated after today" if page.view.scheduled else ""
    if why:
        problems.add(Diagnostic(
            article.path, 0, 1, Severity.NOTE, "wechat-not-published",
            f"this article is not on the website yet ({why}), so the 公众号 editor cannot "
            "fetch its pictures from there",
            "publish it on the website first, then paste the copy; or add its pictures in "
            "the 公众号 editor by hand",
        ))  # fmt: skip
    return WeChatCopy(page, copy, tuple(problems.sorted()))


def document(copy: WeChatCopy, lang: str) -> str:
    """The copy as a page of its own, for ``export`` to write: the same HTML
    as the clipboard's, in a document a browser shows at a phone's width."""
    assert copy.copy is not None
    title = html.escape(copy.page.view.article.title)
    return (
        f'<!doctype html>\n<html lang="{"zh-CN" if lang == "zh" else lang}">\n<head>\n'
        '<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{title}</title>\n</head>\n"
        '<body style="margin:0;background:#ededed">\n'
        '<div style="max-width:375px;margin:0 auto;background:#fff;padding:20px 16px">\n'
        f"{copy.copy.html}</div>\n</body>\n</html>\n"
    )


def site_of(path: Path) -> Path | None:
    """The site folder ``path`` is in: the nearest folder above it with a site.yaml."""
    for folder in (path, *path.parents):
        if (folder / "site.yaml").is_file():
            return folder
    return None


def find_article(result: BuildResult, site_dir: Path, path: Path, lang: str | None) -> Page | str:
    """The page of the article at ``path`` (its file or its folder) in
    ``lang`` (default: the file's own language, or the site's first), or
    why there is none, as a message to say with ``phrase``."""
    try:
        rel = path.relative_to(site_dir).as_posix()
    except ValueError:
        return "{path} is not in the site folder"
    pages = article_pages(result).values()
    named = [p for p in pages if rel in (p.view.article.path, p.view.article.bundle_dir)]
    if not named:
        return (
            "{path} is not a news article of the site (a Markdown file or folder in content/news/)"
        )
    own = next((p.lang for p in named if p.view.article.path == rel), None)
    settings = result.settings
    wanted = lang or own or (settings.config.default_language if settings else named[0].lang)
    key = named[0].view.article.key
    found = next((p for p in pages if p.view.article.key == key and p.lang == wanted), None)
    return found if found is not None else "{path} has no version in '{lang}'"
