"""``sitegen new`` and ``sitegen init``: commented starting files for an
article or a record, and for a whole new site."""

from __future__ import annotations

import datetime as dt
import json
import re
import subprocess
from importlib import metadata, resources
from pathlib import Path

from sitegen.core.load import NEWS_DIR, STUDIOS_DIR, TEAMS_DIR
from sitegen.core.model import ACTIVITY_KINDS
from sitegen.core.parse import PLACEHOLDER_BODIES, PLACEHOLDER_TITLES
from sitegen.core.text import is_slug, slugify

KINDS = ("news", "team", "studio")

NEWS_TEMPLATE = """\
---
# 标题，读者看到的样子 · The headline, as readers see it.
title: {title}
# 活动或报道的日期，写作 YYYY-MM-DD · The day of the event or report.
date: {date}
# 一两句话的摘要，用于列表和搜索引擎（可不写）· One or two sentences for lists.
summary:
# 供稿单位 · Who supplied the report (供稿).
source:
# 作者、摄影、责任编辑、审核（可不写；写姓名，或 {{zh: …, en: …}}）
# Who wrote it, took the photos, edited and reviewed it (optional):
# author: 王老师
# photographer: 李老师
# editor: 张老师
# reviewer: 刘老师
# 标签，用 content/tags.yaml 中的名称 · Topics, by their name in content/tags.yaml.
tags: []
# 报道涉及的团队和工作室的编号（可不写）· Ids of the records it concerns (optional).
teams: []
studios: []
# 所属专题，用 content/series.yaml 中的编号（可不写）· Its series (optional):
# series: teams-2020
# 文章文件夹中的图片（要加图片，请把文章改成文件夹）· Pictures beside this file:
# images: [{{src: photo.jpg, alt: 照片上是什么, caption: 图片说明}}]
# 置顶到某一天为止（true：一直置顶）· On top of the lists until a day (true: for good):
# pinned: 2020-05-10
# 过了某一天就不再出现在列表中，例如报名截止后 · Off the lists after a day:
# expires: 2020-05-31
# 发布后更正的日期 · The day it was corrected after it was published:
# updated: 2020-05-02
# true：写好之前不发布 · true keeps the article off the site until it is ready.
draft: true
---

{body}
"""

TRANSLATION_TEMPLATE = """\
---
# {original} 的译文。日期、标签、团队、专题、置顶和过期都沿用原文：
# 这里只写语言文字。· A translation of {original}. Its date, topics,
# records, series, pinning and expiry are the original's: write here only
# what is language.
# 标题 · The headline, as readers see it.
title: {title}
# 一两句话的摘要（可不写）· One or two sentences for lists (optional).
summary:
# 供稿单位，用这种语言写（可不写）· Who supplied the report (optional).
source:
# true：译好之前不发布 · true keeps the translation off the site until it is ready.
draft: true
---

{body}
"""

TEAM_TEMPLATE = """\
# 市民自主学习团队。文件名就是它的编号：{id}。
# A citizens' self-learning team. The file name is its id: {id}.
# 读者看到的文字写一种，或写成 {{zh: …, en: …}} · Text readers see is one
# string or {{zh: …, en: …}}.
name:
  zh: {name}
  en:
# 所在镇（街道）的编号（见 content/towns.yaml），团队类别（见 site.yaml 的
# team_categories）· Town id from content/towns.yaml, and kind of team from
# team_categories in site.yaml.
town:
category:
founded:            # 成立年份，例如 2015 · the year, e.g. 2015
leader:
members:            # 成员人数 · how many members, a number
description:
  zh:
  en:
contact:            # 只写可以公开的 · only what may be published
# 荣誉，最新的在前；article 是宣布该荣誉的新闻稿文件名（不带 .zh.md）
# Honours, newest first; article is the file name of the news report that
# announced it, without .zh.md.
honours: []
#  - year: {year}
#    title: {{zh: 新都区{year}年优秀市民自主学习团队, en: …}}
#    by: {{zh: …, en: …}}
#    article: {date}-excellent-teams
# 活动，各有类型 · Activities, each with a kind: {kinds}.
activities: []
#  - date: {date}
#    kind: showcase
#    title: {{zh: …, en: …}}
# 按区里标准四个方面的年度评估 · Yearly assessment in the four areas.
assessments: []
#  - year: {year}
#    leadership: …
#    resources: …
#    activities: …
#    results: …
"""

STUDIO_TEMPLATE = """\
# 名师工作室。文件名就是它的编号：{id}。
# A master-teacher studio. The file name is its id: {id}.
# 读者看到的文字写一种，或写成 {{zh: …, en: …}} · Text readers see is one
# string or {{zh: …, en: …}}.
name:
  zh: {name}
  en:
leader:
members: []         # 姓名，例如 [张三, {{zh: 李四, en: Li Si}}] · names
focus:
  zh:
  en:
established:        # 成立年份，例如 2018 · the year, e.g. 2018
# 年度总结（上一年）和计划（下一年）· Yearly reports and plans.
reports: []
#  - year: {last_year}
#    kind: report
#    date: {date}
#    summary: {{zh: …, en: …}}
#    article: {date}-studio-meeting
"""


class ScaffoldError(Exception):
    """Why a file could not be created; the message is for the editor."""


def new_file(
    site_dir: Path, kind: str, name: str, lang: str, today: dt.date, default_lang: str = "zh"
) -> Path:
    """Write a starting file for ``kind`` and return its path (for news,
    in ``lang``; ``default_lang`` is the site's first language)."""
    if kind == "news":
        stem = name if re.match(r"^\d{4}-\d{2}-\d{2}-", name) else f"{today:%Y-%m-%d}-{name}"
        if not slugify(re.sub(r"^\d{4}-\d{2}-\d{2}-", "", stem)):
            raise ScaffoldError(f"'{name}' has no letters or digits to make an address from")
        path = _article_path(site_dir / NEWS_DIR, stem, lang, default_lang)
        original = _original(path, stem, default_lang) if lang != default_lang else None
        template = NEWS_TEMPLATE if original is None else TRANSLATION_TEMPLATE
        text = template.format(
            original=original.relative_to(site_dir).as_posix() if original else "",
            title=PLACEHOLDER_TITLES[0] if lang == "zh" else PLACEHOLDER_TITLES[1],
            date=_named_date(stem) or today.isoformat(),
            body=PLACEHOLDER_BODIES[0] if lang == "zh" else PLACEHOLDER_BODIES[1],
        )
    elif kind in ("team", "studio"):
        if not is_slug(name):
            suggestion = slugify(name)
            raise ScaffoldError(
                f"'{name}' cannot be an id: use a-z, 0-9 and '-'"
                + (f", e.g. {suggestion}" if suggestion else "")
            )
        folder = TEAMS_DIR if kind == "team" else STUDIOS_DIR
        path = site_dir / folder / f"{name}.yaml"
        template = TEAM_TEMPLATE if kind == "team" else STUDIO_TEMPLATE
        text = template.format(
            id=name,
            name="名称",
            year=today.year,
            last_year=today.year - 1,
            date=today.isoformat(),
            kinds=", ".join(ACTIVITY_KINDS),
        )
    else:
        raise ScaffoldError(f"unknown kind '{kind}': use one of {', '.join(KINDS)}")
    if path.exists() or path.with_suffix(".yml").exists():
        raise ScaffoldError(f"{path} already exists; it was left as it is")
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("x", encoding="utf-8") as handle:
        handle.write(text)
    return path


def _named_date(stem: str) -> str:
    """The date a file name such as 2020-05-08-showcase starts with, if a real one."""
    try:
        return dt.date.fromisoformat(stem[:10]).isoformat() if stem[10:11] == "-" else ""
    except ValueError:
        return ""


def _original(path: Path, stem: str, default_lang: str) -> Path | None:
    """The original (in ``default_lang``) that an article about to be
    written at ``path`` translates, if it exists."""
    names = (f"{stem}.{default_lang}.md", f"{stem}.md", f"index.{default_lang}.md", "index.md")
    return next((path.parent / n for n in names if (path.parent / n).is_file()), None)


def _article_path(news: Path, stem: str, lang: str, default_lang: str) -> Path:
    """Where a new article ``stem`` in ``lang`` goes: beside the others, or
    into the article's folder where it has one (with its pictures). An
    article that exists in this language, in either form, is refused."""
    folder = news / stem
    names = [f"{stem}.{lang}.md"] + ([f"{stem}.md"] if lang == default_lang else [])
    inside = [f"index.{lang}.md"] + (["index.md"] if lang == default_lang else [])
    for found in [news / n for n in names] + [folder / n for n in inside]:
        if found.exists():
            raise ScaffoldError(f"{found} already exists; it was left as it is")
    return folder / inside[0] if folder.is_dir() else news / names[0]


STARTER = resources.files("sitegen") / "starter"
DISTRIBUTION = "sitegen-college"  # as pyproject.toml names it; the package is `sitegen`
# `init --ci NAME`: the recipe (a file of starter/ci/, the same as docs/ci/)
# and where it goes in the new site. Those that end in sitegen deploy
# publish to the target `production` of site.yaml's deploy: (see the README).
CI_RECIPES = {
    "github": ("github-actions.yml", ".github/workflows/publish.yml"),
    "gitlab": ("gitlab-ci.yml", ".gitlab-ci.yml"),
    "github-oss": ("github-actions-oss.yml", ".github/workflows/publish.yml"),
    "github-ssh": ("github-actions-ssh.yml", ".github/workflows/publish.yml"),
    "gitlab-deploy": ("gitlab-ci-deploy.yml", ".gitlab-ci.yml"),
}
# What a new site's folder may already hold: a repository just made for it.
_MAY_HOLD = frozenset({".git"})

REQUIREMENTS = """\
# 生成本站所用的 sitegen：CI 按此安装，每次都用同一版本。
# The sitegen that builds this site: CI installs it from here, the same
# one on every run (a pinned git revision or a wheel).
{line}
"""


def init_site(folder: Path, ci: str | None = None) -> tuple[list[Path], bool]:
    """Write a new, empty site into ``folder`` (made if missing; it must be
    empty): its settings, content folders and vocabularies with a commented
    example each, a .gitignore, requirements.txt pinning this sitegen, and
    the CI recipe for ``ci`` ("github" or "gitlab"). Returns the files
    written and whether requirements.txt names where sitegen comes from."""
    if ci is not None and ci not in CI_RECIPES:
        raise ScaffoldError(f"unknown kind '{ci}': use one of {', '.join(CI_RECIPES)}")
    if folder.exists():
        if not folder.is_dir():
            raise ScaffoldError(f"{folder} already exists; it was left as it is")
        held = sorted(p.name for p in folder.iterdir() if p.name not in _MAY_HOLD)
        if held:
            raise ScaffoldError(
                f"{folder} is not empty ({', '.join(held[:3])}); a new site needs an empty folder"
            )
    files: dict[str, str] = {
        "site.yaml": (STARTER / "site.yaml").read_text(encoding="utf-8"),
        ".gitignore": (STARTER / "gitignore").read_text(encoding="utf-8"),
        **{
            f"content/{name}": (STARTER / "content" / name).read_text(encoding="utf-8")
            for name in ("tags.yaml", "towns.yaml", "series.yaml")
        },
        **{f"{kind}/.gitkeep": "" for kind in (NEWS_DIR, TEAMS_DIR, STUDIOS_DIR)},
    }
    spec = pinned_sitegen()
    files["requirements.txt"] = REQUIREMENTS.format(
        line=spec or f"# {DISTRIBUTION} @ git+https://…/sitegen.git@<commit>"
    )
    if ci is not None:
        recipe, place = CI_RECIPES[ci]
        files[place] = (STARTER / "ci" / recipe).read_text(encoding="utf-8")
    written = []
    for name, text in files.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("x", encoding="utf-8") as handle:
            handle.write(text)
        written.append(path)
    return written, spec is not None


def pinned_sitegen() -> str | None:
    """A requirement that installs this very sitegen elsewhere: its git
    repository at the commit it was installed from, where that can be
    known (installed from git, or from a checkout with a remote); ``None``
    otherwise."""
    try:
        dist = metadata.distribution(DISTRIBUTION)
        direct = json.loads(dist.read_text("direct_url.json") or "null")
    except (metadata.PackageNotFoundError, ValueError):
        return None
    if not isinstance(direct, dict):
        return None
    name, url = dist.metadata["Name"], str(direct.get("url", ""))
    vcs = direct.get("vcs_info")
    if isinstance(vcs, dict) and vcs.get("vcs") == "git" and vcs.get("commit_id"):
        return f"{name} @ git+{url}@{vcs['commit_id']}"
    if url.startswith("file://") and "dir_info" in direct:
        checkout = url.removeprefix("file://")
        remote = _git(checkout, "remote", "get-url", "origin")
        commit = _git(checkout, "rev-parse", "HEAD")
        if remote and commit and "://" in remote:
            return f"{name} @ git+{remote}@{commit}"
    return None


def _git(folder: str, *args: str) -> str:
    try:
        done = subprocess.run(
            ["git", "-C", folder, *args], capture_output=True, text=True, timeout=30, check=False
        )
    except (OSError, subprocess.SubprocessError):
        return ""
    return done.stdout.strip() if done.returncode == 0 else ""
