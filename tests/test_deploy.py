"""``sitegen deploy`` as an editor and CI run it: to a local S3-compatible
server (moto) and to a local OpenSSH server, each on a loopback port.

The example site is built twice: as it is, then with one article edited
and another removed. What each deploy must upload and delete is the
difference of the two build folders, computed here, never listed by hand.
What was really sent is seen on the wire (a relay in front of each server
records the requests, and can slow them down to stop a deploy mid-way)
and on the server's disk.
"""

from __future__ import annotations

import base64
import contextlib
import datetime as dt
import getpass
import gzip
import hashlib
import logging
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import boto3
import brotli
import pytest
import yaml
from moto.server import ThreadedMotoServer

from sitegen.build import BuildOptions, build
from tests.helpers import REPO, tree

EDITED = "content/news/2020-04-27-pujiang-visit.zh.md"
REMOVED = (
    "content/news/2020-04-30-april-meeting.zh.md",
    "content/news/2020-04-30-april-meeting.en.md",
)
MANIFEST = ".sitegen-deploy.json"
KEY_ID, SECRET = "AKIASITEGENTESTKEY01", "sitegen-test-secret-7f3a9c2e4b1d"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


# ---------------------------------------------------------------- the builds


@dataclass(frozen=True)
class Builds:
    before: Path
    after: Path

    def changed(self) -> tuple[set[str], set[str]]:
        """(files new or different in ``after``, files ``after`` lacks)."""
        old, new = site_files(self.before), site_files(self.after)
        return {p for p in new if old.get(p) != new[p]}, set(old) - set(new)


def site_files(folder: Path) -> dict[str, bytes]:
    return {path: data for path, data in tree(folder).items() if path != ".sitegen-output"}


@pytest.fixture(scope="module")
def builds(tmp_path_factory: pytest.TempPathFactory) -> Builds:
    """The example site built as it is, and after an edit and a removal.
    (Copied without sitegen/, which in the working folder would shadow the
    package.)"""
    root = tmp_path_factory.mktemp("builds")
    site = root / "site"
    site.mkdir()
    shutil.copy(REPO / "site.yaml", site / "site.yaml")
    shutil.copytree(REPO / "content", site / "content")
    options = {"today": dt.date(2026, 12, 6), "cache_dir": root / "cache"}
    done = build(site, BuildOptions(out_dir=root / "before", **options))  # type: ignore[arg-type]
    assert done.ok, done.diagnostics
    article = site / EDITED
    text = article.read_text(encoding="utf-8")
    article.write_text(text.replace("学习", "学习交流", 1), encoding="utf-8")
    for name in REMOVED:
        (site / name).unlink()
    done = build(site, BuildOptions(out_dir=root / "after", **options))  # type: ignore[arg-type]
    assert done.ok, done.diagnostics
    result = Builds(root / "before", root / "after")
    changed, removed = result.changed()
    assert "news/2020/04/pujiang-visit/index.html" in changed
    assert "news/2020/04/april-meeting/index.html" in removed
    assert len(changed) < len(site_files(result.after)) / 2, "most files stay as they were"
    return result


def deploy_site(folder: Path, targets: dict[str, Any]) -> Path:
    """A site folder whose site.yaml names ``targets``."""
    folder.mkdir(exist_ok=True)
    config = yaml.safe_load((REPO / "site.yaml").read_text(encoding="utf-8"))
    config["deploy"] = targets
    text = yaml.safe_dump(config, allow_unicode=True, sort_keys=False)
    (folder / "site.yaml").write_text(text, encoding="utf-8")
    return folder


def environment(**more: str) -> dict[str, str]:
    env = {**os.environ, "PYTHONPATH": str(REPO), "AWS_ACCESS_KEY_ID": KEY_ID}
    env["AWS_SECRET_ACCESS_KEY"] = SECRET
    for name in ("AWS_PROFILE", "AWS_SESSION_TOKEN", "AWS_CONFIG_FILE", "LANG", "LC_ALL"):
        env.pop(name, None)
    env["AWS_SHARED_CREDENTIALS_FILE"] = os.devnull  # no key of the machine's own
    env.update(more)
    return env


def sitegen(site: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "sitegen", "deploy", "--site", str(site), *args],
        capture_output=True, text=True, env=environment(**env), timeout=300,
    )  # fmt: skip


def listed(output: str, what: str) -> set[str]:
    """The files ``deploy -v`` says it ``what`` ("uploaded", "deleted")."""
    return set(re.findall(rf"^{what} (.+)$", output, re.MULTILINE))


# ---------------------------------------------------------------- a relay


@dataclass
class Relay:
    """A TCP relay to ``port`` on 127.0.0.1 that keeps what clients send
    and, while ``delay`` is set, waits that long before passing each piece
    on: a slow network link."""

    port: int
    delay: float = 0.0
    sent: list[bytearray] = field(default_factory=list)
    address: int = 0

    def __post_init__(self) -> None:
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.address = self.listener.getsockname()[1]
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            upstream = socket.create_connection(("127.0.0.1", self.port))
            record = bytearray()
            self.sent.append(record)
            threading.Thread(
                target=self._pump, args=(client, upstream, record), daemon=True
            ).start()
            threading.Thread(target=self._pump, args=(upstream, client, None), daemon=True).start()

    def _pump(self, source: socket.socket, sink: socket.socket, record: bytearray | None) -> None:
        try:
            while data := source.recv(16384):
                if record is not None:
                    record += data
                    if self.delay:
                        time.sleep(self.delay)
                sink.sendall(data)
        except OSError:  # either end closed the connection: so does the relay
            pass
        finally:
            for end in (source, sink):
                with contextlib.suppress(OSError):
                    end.shutdown(socket.SHUT_RDWR)

    def requests(self, method: str) -> list[str]:
        """The paths of the HTTP requests of ``method`` clients sent."""
        pattern = re.compile(rb"(?:^|\r\n)" + method.encode() + rb" (/\S*) HTTP/1\.1\r\n")
        return [unquote(m.group(1).decode()) for r in self.sent for m in pattern.finditer(r)]

    def close(self) -> None:
        self.listener.close()


def interrupt(site: Path, target: str, after: int) -> None:
    """Run ``sitegen deploy -v TARGET`` and kill it, with every process it
    started (rsync, ssh), once it has reported ``after`` uploads."""
    process = subprocess.Popen(
        [sys.executable, "-m", "sitegen", "deploy", "--site", str(site), "-v", target],
        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, env=environment(),
        start_new_session=True,
    )  # fmt: skip
    assert process.stdout is not None
    seen = 0
    for line in process.stdout:
        seen += line.startswith("uploaded ")
        if seen >= after:
            break
    os.killpg(process.pid, signal.SIGKILL)
    process.wait()
    assert seen >= after, "the deploy ended before it could be stopped"


# ---------------------------------------------------------------- object storage


@pytest.fixture(scope="module")
def moto_port() -> Iterator[int]:
    logging.getLogger("werkzeug").setLevel(logging.WARNING)  # not a line per request
    port = free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    yield port
    server.stop()


@dataclass
class Bucket:
    name: str
    relay: Relay
    client: Any

    def objects(self) -> dict[str, bytes]:
        listing = self.client.list_objects_v2(Bucket=self.name).get("Contents", [])
        return {
            item["Key"]: self.client.get_object(Bucket=self.name, Key=item["Key"])["Body"].read()
            for item in listing
        }

    def target(self, **more: Any) -> dict[str, Any]:
        s3 = {
            "endpoint": f"http://127.0.0.1:{self.relay.address}",
            "bucket": self.name,
            "region": "us-east-1",
            "addressing_style": "path",  # moto on a bare address: no bucket host names
        }
        return {"s3": {**s3, **more}}


@pytest.fixture
def bucket(moto_port: int, request: pytest.FixtureRequest) -> Iterator[Bucket]:
    client = boto3.client(
        "s3", endpoint_url=f"http://127.0.0.1:{moto_port}", region_name="us-east-1",
        aws_access_key_id=KEY_ID, aws_secret_access_key=SECRET,
    )  # fmt: skip
    name = re.sub(r"[^a-z0-9]+", "-", request.node.name.lower())[:50].strip("-")
    client.create_bucket(Bucket=name)
    relay = Relay(moto_port)
    yield Bucket(name, relay, client)
    relay.close()


def test_object_storage_gets_only_what_changed_with_its_headers(
    tmp_path: Path, builds: Builds, bucket: Bucket
) -> None:
    site = deploy_site(tmp_path / "site", {"production": bucket.target()})
    first = sitegen(site, "--dir", str(builds.before))
    assert first.returncode == 0, first.stderr
    files = site_files(builds.before)
    assert (
        first.stdout == f"deployed to production: uploaded {len(files)}, deleted 0, unchanged 0\n"
    )
    assert {k: v for k, v in bucket.objects().items() if k != MANIFEST} == files

    expected = {
        "index.html": ("text/html; charset=utf-8", "public, max-age=300"),
        "en/news/2020/04/pujiang-visit/index.html": (
            "text/html; charset=utf-8",
            "public, max-age=300",
        ),
        "assets/site.css": ("text/css; charset=utf-8", "public, max-age=300"),
        "assets/care.js": ("text/javascript; charset=utf-8", "public, max-age=300"),
        "feed.xml": ("application/atom+xml; charset=utf-8", "public, max-age=300"),
        "sitemap.xml": ("application/xml; charset=utf-8", "public, max-age=300"),
        "events.ics": ("text/calendar; charset=utf-8", "public, max-age=300"),
        "pagefind/pagefind.js": ("text/javascript; charset=utf-8", "public, max-age=300"),
        "404.html": ("text/html; charset=utf-8", "public, max-age=300"),
    }
    picture = next(p for p in files if p.startswith("media/") and p.endswith(".webp"))
    expected[picture] = ("image/webp", "public, max-age=31536000, immutable")
    fragment = next(p for p in files if p.startswith("pagefind/fragment/"))
    expected[fragment] = ("application/octet-stream", "public, max-age=31536000, immutable")
    for key, (kind, cache) in expected.items():
        head = bucket.client.head_object(Bucket=bucket.name, Key=key)
        assert (head["ContentType"], head["CacheControl"]) == (kind, cache), key

    bucket.relay.sent.clear()
    second = sitegen(site, "-v", "--dir", str(builds.after))
    assert second.returncode == 0, second.stderr
    changed, removed = builds.changed()
    assert listed(second.stdout, "uploaded") == changed
    assert listed(second.stdout, "deleted") == removed
    puts = bucket.relay.requests("PUT")
    prefix = f"/{bucket.name}/"
    assert sorted(puts) == sorted(prefix + p for p in [*changed, MANIFEST]), "only these were sent"
    unchanged = len(site_files(builds.after)) - len(changed)
    assert second.stdout.splitlines()[-1] == (
        f"deployed to production: uploaded {len(changed)}, deleted {len(removed)}, "
        f"unchanged {unchanged:,}"
    )
    assert {k: v for k, v in bucket.objects().items() if k != MANIFEST} == site_files(builds.after)
    # pages only once what they link to is in place: the edited article's
    # new search fragment before the article's page
    order = [p.removeprefix(prefix) for p in puts]
    new_fragments = [p for p in changed if p.startswith("pagefind/fragment/")]
    assert new_fragments
    page = order.index("news/2020/04/pujiang-visit/index.html")
    assert all(order.index(f) < page for f in new_fragments)
    assert order[-1] == MANIFEST, "the manifest is written last"
    # each deletion of many objects says its Content-MD5, which OSS and COS require
    deletions = [r for r in bucket.relay.sent if re.match(rb"POST /\S*\?delete", r)]
    assert deletions
    for request in deletions:
        head, _, body = bytes(request).partition(b"\r\n\r\n")
        said = re.search(rb"(?i)\r\ncontent-md5: (\S+)\r\n", head + b"\r\n")
        assert said, "a deletion without Content-MD5"
        assert said.group(1) == base64.b64encode(hashlib.md5(body).digest())

    again = sitegen(site, "--lang", "zh", "--dir", str(builds.after))
    total = len(site_files(builds.after))
    assert again.stdout == f"已发布到 production：上传 0 个，删除 0 个，未变 {total:,} 个\n"


def test_a_dry_run_lists_what_would_change_and_changes_nothing(
    tmp_path: Path, builds: Builds, bucket: Bucket
) -> None:
    site = deploy_site(tmp_path / "site", {"production": bucket.target()})
    assert sitegen(site, "--dir", str(builds.before)).returncode == 0
    before = bucket.objects()
    bucket.relay.sent.clear()
    dry = sitegen(site, "--dry-run", "--dir", str(builds.after))
    assert dry.returncode == 0, dry.stderr
    changed, removed = builds.changed()
    assert listed(dry.stdout, "would upload") == changed
    assert listed(dry.stdout, "would delete") == removed
    assert "nothing was changed" in dry.stdout.splitlines()[-1]
    assert bucket.relay.requests("PUT") == [] and bucket.relay.requests("POST") == []
    assert bucket.objects() == before


def test_a_file_deleted_by_hand_is_uploaded_again(
    tmp_path: Path, builds: Builds, bucket: Bucket
) -> None:
    site = deploy_site(tmp_path / "site", {"production": bucket.target()})
    assert sitegen(site, "--dir", str(builds.before)).returncode == 0
    bucket.client.delete_object(Bucket=bucket.name, Key="assets/site.css")
    again = sitegen(site, "-v", "--dir", str(builds.before))
    assert listed(again.stdout, "uploaded") == {"assets/site.css"}
    assert {k: v for k, v in bucket.objects().items() if k != MANIFEST} == site_files(builds.before)


def test_an_interrupted_deploy_to_object_storage_finishes_when_run_again(
    tmp_path: Path, builds: Builds, bucket: Bucket
) -> None:
    site = deploy_site(tmp_path / "site", {"production": bucket.target()})
    (site / "build").symlink_to(builds.before)
    bucket.relay.delay = 0.1
    interrupt(site, "production", after=10)
    bucket.relay.delay = 0.0
    held = bucket.objects()
    files = site_files(builds.before)
    assert MANIFEST not in held and 10 <= len(held) < len(files), "stopped half-way"
    again = sitegen(site)
    assert again.returncode == 0, again.stderr
    assert {k: v for k, v in bucket.objects().items() if k != MANIFEST} == files


def test_no_key_reaches_the_site_folder_the_build_the_target_or_the_log(
    tmp_path: Path, builds: Builds, bucket: Bucket
) -> None:
    site = deploy_site(tmp_path / "site", {"production": bucket.target()})
    runs = [
        sitegen(site, "-v", "--dir", str(builds.before)),
        sitegen(site, "--dry-run", "--dir", str(builds.after)),
        sitegen(site, "-v", "--dir", str(builds.after)),
    ]
    assert [run.returncode for run in runs] == [0, 0, 0]
    bad = deploy_site(
        tmp_path / "bad", {"production": bucket.target(endpoint="http://127.0.0.1:9")}
    )  # nothing listens on port 9: the storage cannot be reached
    runs.append(sitegen(bad, "--dir", str(builds.after), AWS_MAX_ATTEMPTS="1"))
    assert runs[-1].returncode == 1
    assert "cannot reach http://127.0.0.1:9" in runs[-1].stderr
    assert "Traceback" not in runs[-1].stderr
    places = [tmp_path, builds.before, builds.after]
    written = {p: p.read_bytes() for place in places for p in place.rglob("*") if p.is_file()}
    assert written, "the deploys wrote their cache and the builds are there"
    for secret in (KEY_ID, SECRET):
        for run in runs:
            assert secret not in run.stdout + run.stderr
        for path, data in written.items():
            assert secret.encode() not in data, path
        for key, data in bucket.objects().items():
            assert secret.encode() not in data, key


# ---------------------------------------------------------------- site.yaml


def test_a_key_in_site_yaml_is_refused_without_showing_it(tmp_path: Path, builds: Builds) -> None:
    site = tmp_path / "site"
    site.mkdir()
    (site / "site.yaml").write_text(
        "title: 新都\n"
        "deploy:\n"
        "  production:\n"
        "    s3:\n"
        "      endpoint: https://s3.oss-cn-chengdu.aliyuncs.com\n"
        "      bucket: xindu-site\n"
        f"      secret_access_key: {SECRET}\n",
        encoding="utf-8",
    )
    for lang, said in (
        ("en", "site.yaml:7:1: error: 'secret_access_key' is a secret, and site.yaml is "
               "published with the site's files [credential]"),
        ("zh", "site.yaml:7:1: 错误: “secret_access_key”是密钥，而 site.yaml 会随网站文件一起公开 "
               "[credential]"),
    ):  # fmt: skip
        done = sitegen(site, "--lang", lang, "--dir", str(builds.before))
        assert done.returncode == 1
        assert done.stderr.splitlines()[0] == said
        assert "AWS_SECRET_ACCESS_KEY" in done.stderr
        assert SECRET not in done.stdout + done.stderr
    # and the build refuses it too, without showing it
    built = subprocess.run(
        [sys.executable, "-m", "sitegen", "build", str(site)],
        capture_output=True, text=True, env=environment(), timeout=300,
    )  # fmt: skip
    assert built.returncode == 1 and "[credential]" in built.stderr
    assert SECRET not in built.stdout + built.stderr


@pytest.mark.parametrize(
    ("deploy", "english", "chinese"),
    [
        (
            "  production:\n    s3: {endpoint: https://s3.oss-cn-chengdu.aliyuncs.com, "
            "bucket: xindu-site, prefx: xindu}\n",
            "site.yaml:4:1: error: unknown key 'prefx' in deploy target 'production' "
            "[unknown-field]\n    hint: did you mean 'prefix'?",
            "site.yaml:4:1: 错误: 发布目标“production”中有未知的键“prefx” [unknown-field]\n"
            "    提示: 是不是“prefix”？",
        ),
        (
            "  production:\n    s3:\n      endpoint: https://s3.oss-cn-chengdu.aliyuncs.com\n",
            "site.yaml:4:1: error: deploy target 'production' has no 'bucket' [missing-field]\n"
            "    hint: add a line 'bucket: xindu-site'",
            "site.yaml:4:1: 错误: 发布目标“production”缺少“bucket” [missing-field]\n"
            "    提示: 请添加一行“bucket: xindu-site”",
        ),
        (
            "  school-server:\n    ssh: {host: deploy@web.example.edu.cn, path: /srv/www}\n",
            "site.yaml:4:1: error: 'deploy@web.example.edu.cn' is not a host name [bad-host]",
            "site.yaml:4:1: 错误: “deploy@web.example.edu.cn”不是主机名 [bad-host]",
        ),
    ],
)
def test_a_mistake_in_the_deploy_settings_is_named_at_its_line(
    tmp_path: Path, builds: Builds, deploy: str, english: str, chinese: str
) -> None:
    site = tmp_path / "site"
    site.mkdir()
    (site / "site.yaml").write_text("title: 新都\ndeploy:\n" + deploy, encoding="utf-8")
    for lang, said in (("en", english), ("zh", chinese)):
        done = sitegen(site, "--lang", lang, "--dir", str(builds.before))
        assert done.returncode == 1
        assert done.stderr.startswith(said), done.stderr
        assert "Traceback" not in done.stderr


def test_the_target_must_be_named_where_there_are_several_and_the_build_must_exist(
    tmp_path: Path,
) -> None:
    targets = {
        "staging": {
            "s3": {"endpoint": "https://s3.oss-cn-chengdu.aliyuncs.com", "bucket": "a-b-c"}
        },
        "production": {"ssh": {"host": "web.example.edu.cn", "path": "/srv/www"}},
    }
    site = deploy_site(tmp_path / "site", targets)
    done = sitegen(site)
    assert done.returncode == 2
    assert done.stderr == (
        "sitegen: error: site.yaml names several deploy targets: staging, production\n"
        "    hint: say which, e.g. sitegen deploy staging\n"
    )
    done = sitegen(site, "--lang", "zh", "stagin")
    assert done.stderr.startswith("sitegen: error: site.yaml 中没有名为“stagin”的发布目标\n")
    assert "是不是“staging”？" in done.stderr
    done = sitegen(site, "staging")
    assert done.returncode == 1
    assert done.stderr == (
        f"sitegen: error: there is no built site in {site / 'build'}\n"
        "    hint: build it first: sitegen build (and give the same --out to deploy --dir)\n"
    )


# ---------------------------------------------------------------- a server over SSH


@dataclass
class Server:
    folder: Path
    key: Path
    relay: Relay

    def target(self, name: str, **more: Any) -> dict[str, Any]:
        ssh = {
            "host": "127.0.0.1",
            "port": self.relay.address,
            "user": getpass.getuser(),
            "path": str(self.folder / name),
            "identity_file": str(self.key),
            "ssh_options": [
                "StrictHostKeyChecking=no", "UserKnownHostsFile=/dev/null", "LogLevel=ERROR",
            ],
        }  # fmt: skip
        return {"ssh": {**ssh, **more}}


def needed(program: str) -> str:
    found = shutil.which(program) or shutil.which(program, path="/usr/sbin:/sbin")
    if found is None:
        reason = f"{program} is missing (Debian packages openssh-server, openssh-client, rsync)"
        if os.environ.get("CI") == "true":
            pytest.fail(reason)
        pytest.skip(reason)
    return found


@pytest.fixture(scope="module")
def sshd(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """OpenSSH's server on a loopback port, run as this user with its own
    host key and a user key made here, and nothing of the system's."""
    daemon = needed("sshd")
    for program in ("ssh", "sftp", "ssh-keygen", "rsync"):
        needed(program)
    home = tmp_path_factory.mktemp("sshd")
    for name in ("host", "user"):
        subprocess.run(
            ["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", str(home / name)], check=True
        )
    (home / "authorized_keys").write_bytes((home / "user.pub").read_bytes())
    sftp_server = next(
        (
            p
            for p in ("/usr/lib/openssh/sftp-server", "/usr/libexec/sftp-server")
            if Path(p).exists()
        ),
        "internal-sftp",
    )
    port = free_port()
    (home / "sshd_config").write_text(
        f"Port {port}\nListenAddress 127.0.0.1\nHostKey {home / 'host'}\n"
        f"AuthorizedKeysFile {home / 'authorized_keys'}\nPidFile {home / 'sshd.pid'}\n"
        "StrictModes no\nUsePAM no\nPasswordAuthentication no\n"
        "KbdInteractiveAuthentication no\nPermitRootLogin prohibit-password\n"
        f"Subsystem sftp {sftp_server}\n",
        encoding="utf-8",
    )
    if os.geteuid() == 0:
        Path("/run/sshd").mkdir(exist_ok=True)  # where root's sshd drops its privileges
    process = subprocess.Popen(
        [daemon, "-D", "-e", "-f", str(home / "sshd_config")],
        stdout=subprocess.DEVNULL, stderr=(home / "sshd.log").open("w"),
    )  # fmt: skip
    for _ in range(100):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            break
        except OSError:
            assert process.poll() is None, (home / "sshd.log").read_text()
            time.sleep(0.05)
    www = home / "www"
    www.mkdir()
    relay = Relay(port)
    yield Server(www, home / "user", relay)
    relay.close()
    process.terminate()
    process.wait(10)


def served(folder: Path) -> dict[str, bytes]:
    return {p: d for p, d in tree(folder).items() if p != MANIFEST}


def assert_serves(folder: Path, build: Path) -> None:
    """``folder`` holds the build's files and, beside those worth it, their
    .gz and .br copies, which decompress to them; nothing else."""
    files, there = site_files(build), served(folder)
    copies = {p: d for p, d in there.items() if p.endswith((".gz", ".br")) and p[:-3] in files}
    assert {p: d for p, d in there.items() if p not in copies} == files
    for path, data in copies.items():
        original = files[path[:-3]]
        unpacked = gzip.decompress(data) if path.endswith(".gz") else brotli.decompress(data)
        assert unpacked == original, path
    for page in (
        "index.html",
        "feed.xml",
        "assets/site.css",
        "news/2020/04/pujiang-visit/index.html",
    ):
        assert page + ".gz" in copies and page + ".br" in copies, page
    assert not any(p.startswith("media/") and p.endswith((".gz", ".br")) for p in copies)


def test_a_server_gets_only_what_changed_with_compressed_copies(
    tmp_path: Path, builds: Builds, sshd: Server
) -> None:
    site = deploy_site(tmp_path / "site", {"school-server": sshd.target("rsync")})
    folder = sshd.folder / "rsync"
    folder.mkdir()
    first = sitegen(site, "--dir", str(builds.before))
    assert first.returncode == 0, first.stderr
    files = site_files(builds.before)
    assert first.stdout == (
        f"deployed to school-server: uploaded {len(files)}, deleted 0, unchanged 0\n"
    )
    assert_serves(folder, builds.before)
    gz = (folder / "index.html.gz").read_bytes()
    assert gz[4:8] == b"\0\0\0\0", "no time in the gzip header: the same bytes every time"

    inodes = {p: (folder / p).stat().st_ino for p in served(folder)}
    second = sitegen(site, "-v", "--dir", str(builds.after))
    assert second.returncode == 0, second.stderr
    changed, removed = builds.changed()
    said = listed(second.stdout, "uploaded")
    assert {p for p in said if not p.endswith((".gz", ".br"))} == changed
    assert {
        p for p in listed(second.stdout, "deleted") if not p.endswith((".gz", ".br"))
    } == removed
    assert_serves(folder, builds.after)
    # rsync puts a new file in place of each it sends: the others keep their inode
    kept = set(inodes) & set(served(folder))
    replaced = {p for p in kept if (folder / p).stat().st_ino != inodes[p]}
    assert {p for p in replaced if not p.endswith((".gz", ".br"))} == changed & kept
    unchanged = len(site_files(builds.after)) - len(changed)
    assert second.stdout.splitlines()[-1] == (
        f"deployed to school-server: uploaded {len(changed)}, deleted {len(removed)}, "
        f"unchanged {unchanged:,}"
    )


def test_a_server_without_rsync_is_served_over_sftp(
    tmp_path: Path, builds: Builds, sshd: Server
) -> None:
    site = deploy_site(tmp_path / "site", {"school-server": sshd.target("sftp", method="sftp")})
    folder = sshd.folder / "sftp"
    first = sitegen(site, "--dir", str(builds.before))
    assert first.returncode == 0, first.stderr
    assert_serves(folder, builds.before)
    assert (folder / MANIFEST).is_file()
    second = sitegen(site, "-v", "--dir", str(builds.after))
    assert second.returncode == 0, second.stderr
    changed, removed = builds.changed()
    assert {
        p for p in listed(second.stdout, "uploaded") if not p.endswith((".gz", ".br"))
    } == changed
    assert {
        p for p in listed(second.stdout, "deleted") if not p.endswith((".gz", ".br"))
    } == removed
    assert_serves(folder, builds.after)
    assert not (folder / "news/2020/04/april-meeting").exists(), "emptied folders go too"


@pytest.mark.parametrize("method", ["rsync", "sftp"])
def test_an_interrupted_deploy_to_a_server_finishes_when_run_again(
    tmp_path: Path, builds: Builds, sshd: Server, method: str
) -> None:
    site = deploy_site(
        tmp_path / "site", {"school-server": sshd.target(f"stopped-{method}", method=method)}
    )
    folder = sshd.folder / f"stopped-{method}"
    folder.mkdir()
    (site / "build").symlink_to(builds.before)
    sshd.relay.delay = 0.02
    try:
        interrupt(site, "school-server", after=5)
    finally:
        sshd.relay.delay = 0.0
    files = site_files(builds.before)
    assert not set(files) <= set(served(folder)), "stopped half-way"
    again = sitegen(site)
    assert again.returncode == 0, again.stderr
    assert_serves(folder, builds.before)


def test_an_unreachable_or_refusing_server_is_one_clear_message(
    tmp_path: Path, builds: Builds, sshd: Server
) -> None:
    closed = free_port()
    site = deploy_site(
        tmp_path / "site",
        {
            "gone": sshd.target("gone", port=closed),
            "refused": sshd.target("refused", identity_file=str(tmp_path / "no-such-key")),
        },
    )
    done = sitegen(site, "gone", "--dir", str(builds.before))
    assert done.returncode == 1
    assert done.stderr.startswith(
        f"sitegen: error: cannot reach {getpass.getuser()}@127.0.0.1:{closed}\n"
    )
    done = sitegen(site, "--lang", "zh", "refused", "--dir", str(builds.before))
    assert done.returncode == 1
    assert done.stderr.startswith("sitegen: error: 服务器 "), done.stderr
    assert "拒绝了密钥" in done.stderr and "Traceback" not in done.stderr
