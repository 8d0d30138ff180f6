"""Pelican settings for the benchmark corpus (bench/corpus.py copies this file).

The default theme (notmyidea), Markdown through the `markdown` package,
Chinese articles with English translations paired by slug and `Lang`, and
the same addresses as sitegen: /news/YYYY/MM/slug/ and /en/news/YYYY/MM/slug/.
"""

AUTHOR = "bench"
SITENAME = "新都社区教育学院"
SITEURL = ""
PATH = "content"
TIMEZONE = "Asia/Shanghai"
DEFAULT_LANG = "zh"
DEFAULT_DATE_FORMAT = "%Y-%m-%d"
DEFAULT_PAGINATION = 10

ARTICLE_PATHS = ["news"]
PAGE_PATHS = ["pages"]
ARTICLE_URL = "news/{date:%Y}/{date:%m}/{slug}/"
ARTICLE_SAVE_AS = ARTICLE_URL + "index.html"
ARTICLE_LANG_URL = "{lang}/news/{date:%Y}/{date:%m}/{slug}/"
ARTICLE_LANG_SAVE_AS = ARTICLE_LANG_URL + "index.html"
PAGE_URL = "{slug}/"
PAGE_SAVE_AS = PAGE_URL + "index.html"
PAGE_LANG_URL = "{lang}/{slug}/"
PAGE_LANG_SAVE_AS = PAGE_LANG_URL + "index.html"
TAG_URL = "tags/{slug}/"
TAG_SAVE_AS = TAG_URL + "index.html"
TAGS_SAVE_AS = "tags/index.html"
YEAR_ARCHIVE_SAVE_AS = "news/{date:%Y}/index.html"
# sitegen has no categories or authors: do not build those pages.
CATEGORY_SAVE_AS = ""
CATEGORIES_SAVE_AS = ""
AUTHOR_SAVE_AS = ""
AUTHORS_SAVE_AS = ""

FEED_ALL_ATOM = "feed.xml"
TRANSLATION_FEED_ATOM = "{lang}/feed.xml"
CATEGORY_FEED_ATOM = None
AUTHOR_FEED_ATOM = None
AUTHOR_FEED_RSS = None
FEED_MAX_ITEMS = 20

MARKDOWN = {
    "extension_configs": {
        "markdown.extensions.extra": {},
        "markdown.extensions.meta": {},
        "markdown.extensions.toc": {},
    },
    "output_format": "html5",
}

LOAD_CONTENT_CACHE = False
CACHE_CONTENT = False
RELATIVE_URLS = False
