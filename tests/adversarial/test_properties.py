"""Properties that hold for any input, checked on inputs hypothesis makes up:
the pure text functions never raise and keep their promises, and a whole
build of a small random site raises nothing, gives the same bytes twice,
and leaves no internal link that leads nowhere."""

from __future__ import annotations

import datetime as dt
import json
import re
import tempfile
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sitegen.build import BuildOptions, build
from sitegen.core.fields import parse_date, parse_when
from sitegen.core.markdown import render_markdown
from sitegen.core.parse import split_front_matter
from sitegen.core.text import SUMMARY_LIMIT, cut_summary, is_slug, slugify, text_length
from sitegen.core.textfile import decode_text
from sitegen.core.yamldoc import YamlDoc, parse_yaml
from tests.helpers import tree

# Text with everything an editor may paste: CJK, punctuation, line ends,
# tabs, emoji; surrogates cannot be encoded and so cannot be in a file.
ANY_TEXT = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=300)
LINES = st.lists(
    st.sampled_from(["---", "...", "--- ", "title: a", "", "正文", "- x", "---x", " ---"]),
    max_size=12,
).map("\n".join)


@given(st.one_of(ANY_TEXT, LINES))
def test_front_matter_splitter_keeps_every_line(text: str) -> None:
    split = split_front_matter(text)
    if split is None:
        return
    lines = text.split("\n")
    assert lines[0].rstrip() == "---"
    assert split.yaml == "\n".join(lines[1 : split.body_line - 2])
    assert split.body == "\n".join(lines[split.body_line - 1 :])
    assert re.fullmatch(r"(---|\.\.\.)[ \t]*", lines[split.body_line - 2])


@given(st.one_of(ANY_TEXT, st.integers(), st.floats(), st.booleans(), st.none(), st.dates()))
def test_date_parsers_give_a_date_or_a_reason(value: object) -> None:
    day, why = parse_date(value)
    assert (day is None) != (why == "")
    when, why = parse_when(value)
    assert (when is None) != (why == "")


@given(st.dates(min_value=dt.date(1000, 1, 1)))
def test_an_iso_date_reads_back_as_itself(day: dt.date) -> None:
    assert parse_date(day.isoformat()) == (day, "")
    assert parse_date(f"{day.year}/{day.month}/{day.day}")[1].endswith(day.isoformat())


@given(ANY_TEXT)
def test_slugs_are_plain_names_and_stable(text: str) -> None:
    slug = slugify(text)
    assert slug == "" or is_slug(slug)
    assert slugify(slug) == slug


@given(ANY_TEXT, st.sampled_from(["zh", "en"]), st.integers(min_value=2, max_value=200))
def test_a_summary_is_a_short_start_of_the_text(text: str, lang: str, limit: int) -> None:
    summary = cut_summary(text, lang, limit)
    flat = " ".join(text.split())
    assert flat.startswith(summary.removesuffix("…").rstrip())
    assert text_length(summary.removesuffix("…"), lang) <= limit
    if text_length(flat, lang) <= limit:
        assert summary == flat


@given(ANY_TEXT)
def test_default_summaries_fit_their_limit(text: str) -> None:
    for lang, limit in SUMMARY_LIMIT.items():
        assert text_length(cut_summary(text, lang).removesuffix("…"), lang) <= limit


@given(st.one_of(ANY_TEXT, LINES, st.text(alphabet="[]{}:-&*!|>'\"#, \n\tab", max_size=80)))
def test_yaml_gives_a_document_or_a_located_error(text: str) -> None:
    parsed = parse_yaml(text)
    if not isinstance(parsed, YamlDoc):
        assert parsed.line >= 1 and parsed.column >= 1 and parsed.message


@given(st.binary(max_size=300))
def test_any_bytes_decode_or_are_refused_with_a_reason(data: bytes) -> None:
    decoded = decode_text(data, "a.md")
    if decoded.text is None:
        assert [p.severity.value for p in decoded.problems] == ["error"]
    else:
        assert not re.search(r"[\x00-\x08\x0b-\x1f\x7f]", decoded.text)


MARKDOWN = st.lists(
    st.one_of(
        ANY_TEXT,
        st.sampled_from(
            [
                "<script>alert(1)</script>",
                "<img src=x onerror=alert(1)>",
                "[a](javascript:alert(1))",
                '<a href="javascript:alert(1)">x</a>',
                "<iframe src=//x></iframe>",
                "| a | b |\n|--:|:-:|\n| 1 | 2 |",
                "> > > - - [x]",
                "[^1]\n\n[^1]: note",
                "<style>*{}</style>",
                "<svg onload=alert(1)>",
            ]
        ),
    ),
    max_size=6,
).map("\n\n".join)


@given(MARKDOWN)
def test_markdown_never_raises_and_allowed_html_stays_inert(body: str) -> None:
    render_markdown(body, allow_html=False)
    html = render_markdown(body, allow_html=True).html
    for tag in re.findall(r"<[a-zA-Z][^>]*>", html):
        assert not re.match(r"<(script|iframe|style|svg|object|embed)\b", tag, re.I), tag
        assert not re.search(r"\s(on[a-z]+|style)\s*=", tag, re.I), tag
        assert not re.search(r'(href|src)="\s*javascript:', tag, re.I), tag


# --- whole builds ------------------------------------------------------------

TITLE = st.text(
    alphabet=st.characters(whitelist_categories=("L", "N", "P", "Zs", "S")), min_size=1, max_size=30
)
WORDS = st.text(alphabet="新都社区教育学院 abcdefg。，！?.:-*_`#>", min_size=0, max_size=200)
ARTICLE = st.fixed_dictionaries(
    {
        "day": st.integers(min_value=1, max_value=28),
        "month": st.integers(min_value=1, max_value=12),
        "slug": st.sampled_from(["visit", "meeting", "class", "fair", "书法"]),
        "lang": st.sampled_from(["zh", "en"]),
        "title": TITLE,
        "tags": st.lists(
            st.sampled_from(["书法", "Tea", "tea", "reading", "团队培育"]), max_size=3
        ),
        "body": st.lists(WORDS, max_size=4),
        "link": st.booleans(),
    }
)


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []
        self.ids: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if value is None:
                continue
            if name == "id":
                self.ids.add(value)
            elif name in ("href", "src"):
                self.links.append(value)
            elif name == "srcset":
                self.links.extend(part.split()[0] for part in value.split(",") if part.strip())


def _site(root: Path, articles: list[dict[str, object]]) -> dict[str, str]:
    files = {
        "site.yaml": "title: {zh: 测试学院, en: Test College}\nbase_url: https://example.org/\n"
    }
    made: list[str] = []
    for spec in articles:
        stem = f"2020-{spec['month']:02d}-{spec['day']:02d}-{spec['slug']}"
        body = "\n\n".join(str(part) for part in spec["body"])  # type: ignore[attr-defined]
        if spec["link"] and made:
            body += f"\n\n[前一篇](/news/2020/{made[-1]}/)"
        front = (
            f"title: {json.dumps(spec['title'], ensure_ascii=False)}\n"
            f"date: 2020-{spec['month']:02d}-{spec['day']:02d}\n"
            f"tags: {json.dumps(spec['tags'], ensure_ascii=False)}\n"
        )
        files[f"content/news/{stem}.{spec['lang']}.md"] = f"---\n{front}---\n\n{body}\n"
        made.append(f"{spec['month']:02d}/{slugify(str(spec['slug']))}")
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return files


def _check_links(out: Path) -> None:
    pages = {p.relative_to(out).as_posix(): p for p in out.rglob("*.html")}
    ids: dict[str, set[str]] = {}
    links: dict[str, list[str]] = {}
    for name, path in pages.items():
        parser = _Links()
        parser.feed(path.read_text(encoding="utf-8"))
        ids[name], links[name] = parser.ids, parser.links
    for name, found in links.items():
        for link in found:
            parts = urlsplit(link)
            if parts.scheme or parts.netloc or not parts.path.startswith("/"):
                if not parts.scheme and not parts.path and parts.fragment:
                    assert unquote(parts.fragment) in ids[name], f"{name}: {link}"
                continue
            if parts.path.startswith("/pagefind/"):
                continue  # the search index, not built here (--no-search)
            target = unquote(parts.path).lstrip("/")
            if target == "" or target.endswith("/"):
                target += "index.html"
            assert (out / target).is_file(), f"{name} links to {link}, which leads nowhere"
            if parts.fragment and target.endswith(".html"):
                assert unquote(parts.fragment) in ids[target], f"{name}: {link}"


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(ARTICLE, min_size=1, max_size=4))
def test_a_random_small_site_builds_the_same_twice_with_every_link_resolving(
    articles: list[dict[str, object]],
) -> None:
    with tempfile.TemporaryDirectory(prefix="sitegen-prop-") as scratch:
        root = Path(scratch)
        site = root / "site"
        _site(site, articles)
        results = []
        for run in ("a", "b"):
            options = BuildOptions(
                out_dir=root / run, search=False, cache=False, today=dt.date(2021, 1, 1)
            )
            results.append(build(site, options))
        first, second = results
        assert first.ok == second.ok
        assert [d.format() for d in first.diagnostics] == [d.format() for d in second.diagnostics]
        if not first.ok:
            assert first.diagnostics and not (root / "a").exists()
            return
        assert tree(root / "a") == tree(root / "b")
        _check_links(root / "a")
