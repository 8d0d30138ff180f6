"""``site.yaml`` read into a typed, validated :class:`SiteConfig`."""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from pathlib import Path, PurePosixPath
from urllib.parse import urlsplit

from sitegen.core.diagnostics import Diagnostic, Diagnostics
from sitegen.core.fields import FieldReader, choice
from sitegen.core.model import Text
from sitegen.core.text import is_slug
from sitegen.core.textfile import decode_source, outside_site, read_file
from sitegen.core.yamldoc import YamlDoc, parse_yaml

CONFIG_FILE = "site.yaml"
SUPPORTED_LANGUAGES = ("zh", "en")
_KNOWN_KEYS = (
    "title",
    "description",
    "banner",
    "base_url",
    "languages",
    "theme",
    "news_per_page",
    "allow_html",
    "updated_from_git",
    "team_categories",
    "admin",
    # who runs the site (see Identity)
    "organisation",
    "logo",
    "address",
    "phone",
    "email",
    "opening_hours",
    "icp_filing",
    "police_filing",
    "footer_links",
)
NO_TEXT = Text(())
ICP_LOOKUP = "https://beian.miit.gov.cn/"
POLICE_LOOKUP = "https://beian.mps.gov.cn/#/query/webSearch?code="


ADMIN_BACKENDS = ("github", "gitlab", "gitea")
ADMIN_KEYS = ("backend", "repo", "branch", "base_url", "api_root", "auth_endpoint", "app_id")


@dataclass(frozen=True, slots=True)
class AdminSettings:
    """Where the browser editor at /admin/ saves: the git host and the
    repository (``admin:`` in site.yaml; no /admin/ without it)."""

    backend: str  # one of ADMIN_BACKENDS
    repo: str  # owner/name
    branch: str = "main"
    base_url: str = ""  # the host's address (GitLab, Gitea) or GitHub's OAuth service
    api_root: str = ""  # the host's API, where it is not the usual one
    auth_endpoint: str = ""  # the OAuth path on base_url, where it is not the usual one
    app_id: str = ""  # the OAuth application's client id (GitLab, Gitea)


# The editor of ``serve --admin`` for a site.yaml without ``admin:``: it
# edits the files of this computer (the editor's local mode), and the
# host settings are not used. Named a Gitea repository: with GitHub the
# editor would ask GitHub's status page, on another host, at every load.
LOCAL_ADMIN = AdminSettings(backend="gitea", repo="local/site")


@dataclass(frozen=True, slots=True)
class Identity:
    """Who runs the site and how to reach them, for every page's header and
    footer; all optional. The filing numbers are those every site hosted
    in China shows, linked to the pages that look them up."""

    organisation: Text = NO_TEXT
    logo: str = ""  # an image in the site folder, shown beside the site's name
    address: Text = NO_TEXT
    phone: str = ""
    email: str = ""
    opening_hours: Text = NO_TEXT
    icp_filing: str = ""  # ICP备案号: 蜀ICP备12345678号-1
    police_filing: str = ""  # 公安备案号: 川公网安备51011402000123号
    links: tuple[tuple[Text, str], ...] = ()  # (title, address) of the footer's links

    @property
    def police_lookup(self) -> str:
        """The public-security filing's page on the ministry's site."""
        return POLICE_LOOKUP + "".join(re.findall(r"\d", self.police_filing))

    @property
    def icp_lookup(self) -> str:
        return ICP_LOOKUP

    @property
    def logo_url(self) -> str:
        """Where the logo is published: /logo.png, whatever its name."""
        return "/logo" + PurePosixPath(self.logo).suffix.lower() if self.logo else ""

    def __bool__(self) -> bool:
        return any(
            (self.organisation.values, self.logo, self.address.values, self.phone, self.email,
             self.opening_hours.values, self.icp_filing, self.police_filing, self.links)
        )  # fmt: skip


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
    identity: Identity = Identity()
    admin: AdminSettings | None = None  # the browser editor, where site.yaml enables it
    # a line on top of every page, e.g. 示例数据 on a demonstration site
    banner: Text = field(default_factory=lambda: Text(()))

    @property
    def default_language(self) -> str:
        return self.languages[0]

    @property
    def base_path(self) -> str:
        """The path part of ``base_url``: "/" or e.g. "/xindu/"."""
        return urlsplit(self.base_url).path or "/"

    @property
    def published(self) -> bool:
        """Whether ``base_url`` names a public address (not the ``localhost``
        stand-in of a site.yaml without one): what a QR code may point at."""
        host = urlsplit(self.base_url).hostname or ""
        return host not in ("localhost", "127.0.0.1", "::1")

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
        banner=fields.text("banner", languages),
        base_url=base_url,
        languages=languages,
        theme=theme,
        news_per_page=fields.integer("news_per_page", 10, minimum=1),
        allow_html=fields.boolean("allow_html"),
        updated_from_git=fields.boolean("updated_from_git"),
        team_categories=categories,
        identity=_identity(fields, languages),
        admin=_admin(fields),
    )


def _admin(fields: FieldReader) -> AdminSettings | None:
    """The browser editor's settings, from ``admin:``."""
    admin = fields.mapping("admin")
    if admin is None:
        return None
    admin.unknown_keys(ADMIN_KEYS)
    backend = choice(admin, "backend", ADMIN_BACKENDS, "github")
    repo = admin.string("repo", required=True, example="college/site")
    if repo and not re.fullmatch(r"[\w.-]+(/[\w.-]+)+", repo):
        admin.error(
            ("repo",), "bad-repo", f"'{repo}' is not a repository's owner/name",
            "write it as in the repository's address, e.g. repo: college/site",
        )  # fmt: skip
    base_url = admin.string("base_url")
    if backend == "gitea" and not base_url:
        admin.error(
            ("backend",), "missing-field", "a Gitea editor needs the Gitea server's address",
            "add  base_url: https://git.example.edu.cn  under admin:",
        )  # fmt: skip
    return AdminSettings(
        backend=backend,
        repo=repo,
        branch=admin.string("branch") or "main",
        base_url=base_url.rstrip("/"),
        api_root=admin.string("api_root").rstrip("/"),
        auth_endpoint=admin.string("auth_endpoint"),
        app_id=admin.string("app_id"),
    )


def _identity(fields: FieldReader, languages: tuple[str, ...]) -> Identity:
    """The site's identity: who runs it, how to reach them, its filings."""
    icp, police, email = (fields.string(k) for k in ("icp_filing", "police_filing", "email"))
    if icp and not re.search(r"ICP备\d+号", icp):
        fields.warning(
            ("icp_filing",),
            "bad-filing",
            f"'{icp}' does not look like an ICP filing number",
            "write it as the filing shows it, e.g. icp_filing: 蜀ICP备12345678号-1",
        )
    if police and len(re.findall(r"\d", police)) != 14:
        fields.warning(
            ("police_filing",),
            "bad-filing",
            f"'{police}' does not look like a public-security filing number",
            "write it with its 14 digits, e.g. police_filing: 川公网安备51011402000123号",
        )
    if email and "@" not in email:
        fields.warning(("email",), "bad-email", f"'{email}' is not an e-mail address")
    links: list[tuple[Text, str]] = []
    for item in fields.mapping_list("footer_links"):
        item.unknown_keys(("title", "url"))
        title = item.text("title", languages, required=True)
        url = item.string("url", required=True, example="https://www.example.gov.cn/")
        if url and not re.match(r"https?://|/", url):
            item.error(
                ("url",),
                "bad-link",
                f"'{url}' is not a web address",
                "write a full address, e.g. https://www.example.gov.cn/, or a path of this site",
            )
        elif title.values and url:
            links.append((title, url))
    return Identity(
        organisation=fields.text("organisation", languages),
        logo=fields.string("logo"),
        address=fields.text("address", languages),
        phone=fields.string("phone"),
        email=email,
        opening_hours=fields.text("opening_hours", languages),
        icp_filing=icp,
        police_filing=police,
        links=tuple(links),
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
