"""``site.yaml`` read into a typed, validated :class:`SiteConfig`."""

from __future__ import annotations

import re
from collections.abc import Hashable
from dataclasses import dataclass, field, replace
from pathlib import Path, PurePosixPath
from urllib.parse import urlsplit

from sitegen.core.diagnostics import Diagnostic, Diagnostics, did_you_mean
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
    "deploy",
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


DEPLOY_KINDS = ("s3", "ssh")
S3_KEYS = ("endpoint", "bucket", "region", "prefix", "addressing_style", "website", "profile")
SSH_KEYS = ("host", "user", "path", "port", "identity_file", "ssh_options", "method")
SSH_METHODS = ("auto", "rsync", "sftp")
ADDRESSING_STYLES = ("virtual", "path", "auto")
# Key names that hold a secret: never in site.yaml, which git publishes.
_CREDENTIAL = re.compile(
    r"secret|passw|passphrase|access_key|key_id|token|credential|private_key|api_key", re.I
)


@dataclass(frozen=True, slots=True)
class S3Target:
    """A bucket of S3-compatible object storage (Aliyun OSS, Tencent COS,
    Huawei OBS, AWS, MinIO); the keys come from the environment or the
    standard credential files, never from here."""

    endpoint: str  # e.g. https://s3.oss-cn-chengdu.aliyuncs.com
    bucket: str
    region: str = ""
    prefix: str = ""  # a folder of the bucket, "" or e.g. "xindu/" (ends with "/")
    addressing_style: str = "virtual"  # OSS and COS accept only virtual-hosted addresses
    website: bool = False  # also set the bucket's website index and 404 page (AWS, MinIO)
    profile: str = ""  # a named profile of ~/.aws/credentials


@dataclass(frozen=True, slots=True)
class SshTarget:
    """A folder on a web server reached over SSH; the key comes from the
    user's SSH agent or key files, never from here."""

    host: str
    path: str  # the folder the web server serves, e.g. /srv/www/xindu
    user: str = ""
    port: int = 22
    identity_file: str = ""  # a private key file outside the site folder, e.g. ~/.ssh/deploy
    ssh_options: tuple[str, ...] = ()  # extra `-o` options, e.g. "ConnectTimeout=10"
    method: str = "auto"  # rsync where both ends have it, else SFTP


@dataclass(frozen=True, slots=True)
class DeployTarget:
    """One place ``sitegen deploy`` publishes the built site to."""

    name: str
    s3: S3Target | None = None
    ssh: SshTarget | None = None

    @property
    def kind(self) -> str:
        return "s3" if self.s3 is not None else "ssh"


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
    deploy: tuple[DeployTarget, ...] = ()  # where `sitegen deploy` publishes, by name
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
        deploy=_deploy(fields),
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


def _deploy(fields: FieldReader) -> tuple[DeployTarget, ...]:
    """The places ``sitegen deploy`` publishes to, from ``deploy:``: each
    a name over one ``s3:`` or ``ssh:`` mapping. Any mistake is an error
    (an unknown key too: a misspelt ``prefix`` would publish into, and
    delete from, the bucket's root), and a credential is refused."""
    deploy = fields.mapping("deploy")
    if deploy is None or _credentials(deploy):  # nothing is read until the secret is gone
        return ()
    targets: list[DeployTarget] = []
    for name in deploy.data:
        if not isinstance(name, str) or not re.fullmatch(r"[A-Za-z0-9_-]+", name):
            deploy.error(
                (name,), "bad-id", f"deploy target name '{name}' may use only a-z, 0-9, '-', '_'"
            )
            continue
        target = deploy.mapping(name)
        if target is None:
            continue
        target.what = f"deploy target '{name}'"
        kinds = [kind for kind in DEPLOY_KINDS if kind in target.data]
        _unknown_keys(target, DEPLOY_KINDS)
        if len(kinds) != 1:
            target.error(
                (),
                "bad-deploy",
                f"deploy target '{name}' needs one of 's3:' or 'ssh:'",
                "write e.g.  production: {s3: {endpoint: https://s3.oss-cn-chengdu.aliyuncs.com, "
                "bucket: xindu-site}}  or  school-server: {ssh: {host: web.example.edu.cn, "
                "path: /srv/www/xindu}}",
            )
            continue
        settings = target.mapping(kinds[0])
        if settings is None:
            continue
        settings.what = f"deploy target '{name}'"
        if kinds[0] == "s3":
            targets.append(DeployTarget(name, s3=_s3_target(settings)))
        else:
            targets.append(DeployTarget(name, ssh=_ssh_target(settings)))
    return tuple(targets)


def _credentials(reader: FieldReader) -> bool:
    """Report every key under ``reader`` named like a secret (its value is
    never shown); whether there was one."""
    found = False

    def walk(data: object, key_path: tuple[Hashable, ...]) -> None:
        nonlocal found
        if not isinstance(data, dict):
            return
        for key, value in data.items():
            if _CREDENTIAL.search(str(key)):
                found = True
                reader.error(
                    (*key_path, key),
                    "credential",
                    f"'{key}' is a secret, and site.yaml is published with the site's files",
                    "delete the line, and give the secret in an environment variable instead "
                    "(AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY for object storage, the SSH "
                    "agent for a server; in CI, the service's secrets)",
                )
            else:
                walk(value, (*key_path, key))

    walk(reader.data, ())
    return found


def _unknown_keys(reader: FieldReader, known: tuple[str, ...]) -> None:
    """Unknown keys, as errors: in ``deploy:`` a misspelt key must stop it."""
    for key in reader.data:
        if str(key) not in known:
            hint = did_you_mean(str(key), known) or f"known keys: {', '.join(sorted(known))}"
            reader.error((key,), "unknown-field", f"unknown key '{key}' in {reader.what}", hint)


def _s3_target(settings: FieldReader) -> S3Target:
    _unknown_keys(settings, S3_KEYS)
    endpoint = settings.string(
        "endpoint", required=True, example="https://s3.oss-cn-chengdu.aliyuncs.com"
    )
    if endpoint and not re.match(r"https?://[^/\s]+/?$", endpoint):
        settings.error(
            ("endpoint",), "bad-endpoint", f"'{endpoint}' is not the address of a storage service",
            "write the region's address, e.g. endpoint: https://s3.oss-cn-chengdu.aliyuncs.com "
            "(without the bucket's name)",
        )  # fmt: skip
    bucket = settings.string("bucket", required=True, example="xindu-site")
    if bucket and not re.fullmatch(r"[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]", bucket):
        settings.error(
            ("bucket",), "bad-bucket", f"'{bucket}' is not a bucket name",
            "a bucket name has 3 to 63 small letters, digits, '-' and '.', e.g. bucket: xindu-site",
        )  # fmt: skip
    prefix = settings.string("prefix").strip("/")
    return S3Target(
        endpoint=endpoint.rstrip("/"),
        bucket=bucket,
        region=settings.string("region"),
        prefix=prefix + "/" if prefix else "",
        addressing_style=choice(settings, "addressing_style", ADDRESSING_STYLES, "virtual"),
        website=settings.boolean("website"),
        profile=settings.string("profile"),
    )


def _ssh_target(settings: FieldReader) -> SshTarget:
    _unknown_keys(settings, SSH_KEYS)
    host = settings.string("host", required=True, example="web.example.edu.cn")
    if host and not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9.:-]*", host):
        settings.error(
            ("host",), "bad-host", f"'{host}' is not a host name",
            "write the server's name or address alone, e.g. host: web.example.edu.cn, "
            "and the user apart: user: deploy",
        )  # fmt: skip
    path = settings.string("path", required=True, example="/srv/www/xindu")
    if path and not path.startswith("/"):
        settings.error(
            ("path",), "bad-path", f"'{path}' is not a folder's full path on the server",
            "write it from the root, e.g. path: /srv/www/xindu",
        )  # fmt: skip
    user = settings.string("user")
    if user and not re.fullmatch(r"[A-Za-z0-9_][A-Za-z0-9_.-]*", user):
        settings.error(("user",), "bad-user", f"'{user}' is not a user name")
    port = settings.integer("port", 22, minimum=1)
    options = settings.string_list("ssh_options")
    for index, option in enumerate(options):
        if not re.fullmatch(r"[A-Za-z]+=\S+", option):
            settings.error(
                ("ssh_options", index), "bad-ssh-option",
                f"'{option}' is not an SSH option",
                "write each as Name=value, e.g. ssh_options: [ConnectTimeout=10]",
            )  # fmt: skip
    return SshTarget(
        host=host,
        path=path.rstrip("/") or "/",
        user=user,
        port=port,
        identity_file=settings.string("identity_file"),
        ssh_options=tuple(options),
        method=choice(settings, "method", SSH_METHODS, "auto"),
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
