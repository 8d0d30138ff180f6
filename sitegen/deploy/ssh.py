"""Publishing to a folder of a web server over SSH: with rsync where both
ends have it, else with SFTP, both through OpenSSH's own ``ssh`` and
``sftp`` commands, so that the user's agent, ``~/.ssh/config``, known
hosts and keys work as they do at the terminal. (Paramiko would be a
second SSH implementation with its own idea of each of these.) No
password is ever asked for: ``BatchMode=yes`` makes a missing key an error
rather than a prompt that would hang CI.

The site is first laid out in a staging folder, the built files linked
(not copied) beside their ``.gz`` and ``.br`` copies, which are made once
per content and kept in the cache (see :mod:`sitegen.deploy.headers`).

rsync compares each file's checksum with the server's copy itself
(``--checksum``), so that a file changed or deleted by hand on the server
is put right. It runs twice: the files pages refer to, then everything
with ``--delete-after``, which deletes only once every new file is in
place. SFTP has no checksums: it keeps the manifest of
:mod:`sitegen.deploy.plan` on the server and trusts it.
"""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path, PurePosixPath

import sitegen.deploy.headers as headers
from sitegen.core.config import SshTarget
from sitegen.deploy.plan import (
    MANIFEST,
    DeployError,
    Entry,
    LocalFile,
    Outcome,
    entry_of,
    local_file,
    make_plan,
    manifest_bytes,
    originals,
    outcome,
    read_manifest,
    upload_rank,
)

Report = Callable[[str, str], None]  # (what is done: "upload" or "delete", path)


def destination(target: SshTarget) -> str:
    return f"{target.user}@{target.host}" if target.user else target.host


def _options(target: SshTarget) -> list[str]:
    """The options ssh and sftp share; the site's own first, since ssh
    keeps the first value it is given of each."""
    options: list[str] = []
    for option in target.ssh_options:
        options += ["-o", option]
    options += ["-o", "BatchMode=yes", "-o", "ConnectTimeout=20"]
    if target.identity_file:
        identity = os.path.expanduser(target.identity_file)
        options += ["-i", identity, "-o", "IdentitiesOnly=yes"]
    return options


def ssh_command(target: SshTarget) -> list[str]:
    return ["ssh", *_options(target), "-p", str(target.port)]


def sftp_command(target: SshTarget) -> list[str]:
    return ["sftp", *_options(target), "-P", str(target.port)]


def _failure(target: SshTarget, stderr: str) -> DeployError:
    """One clear message for what ssh, rsync or sftp said on failing."""
    where = f"{destination(target)}:{target.port}"
    lines = [line.strip() for line in stderr.splitlines() if line.strip()]
    said = next(
        (line for line in reversed(lines) if not line.startswith(("Warning: Permanently",))),
        "",
    )
    text = stderr.lower()
    if "host key verification failed" in text or "host key for" in text:
        return DeployError(
            "deploy-host-key",
            f"the server {where} is not among the known hosts",
            f"check its key with the server's administrator, then add it: ssh-keyscan -p "
            f"{target.port} {target.host} >> ~/.ssh/known_hosts (in CI, from a secret)",
        )
    if "permission denied" in text or "too many authentication failures" in text:
        return DeployError(
            "deploy-denied",
            f"the server {where} refused the key",
            "add the key to ssh-agent (ssh-add), or name it in site.yaml as identity_file, and "
            "check that its public half is in the server's authorized_keys",
        )
    unreachable = (
        "could not resolve",
        "connection refused",
        "timed out",
        "no route",
        "unreachable",
    )
    if any(word in text for word in unreachable) or "connection closed" in text:
        return DeployError(
            "deploy-unreachable",
            f"cannot reach {where}",
            "check 'host' and 'port' in site.yaml and the network (a VPN or firewall?)",
        )
    return DeployError("deploy-failed", f"the server {where} said: {said or 'nothing'}")


def _run(command: Sequence[str], target: SshTarget) -> subprocess.CompletedProcess[str]:
    try:
        return subprocess.run(
            command, capture_output=True, text=True, stdin=subprocess.DEVNULL, timeout=120
        )
    except FileNotFoundError:
        raise _missing(command[0]) from None
    except subprocess.TimeoutExpired:
        raise DeployError("deploy-unreachable", f"cannot reach {destination(target)}") from None


def _missing(program: str) -> DeployError:
    return DeployError(
        "deploy-missing-program",
        f"the program '{program}' is not installed on this computer",
        "install it, e.g. apt-get install openssh-client rsync",
    )


def has_rsync(target: SshTarget) -> bool:
    """Whether both this computer and the server have rsync."""
    if target.method != "auto":
        return target.method == "rsync"
    if shutil.which("rsync") is None:
        return False
    probe = [*ssh_command(target), destination(target), "command -v rsync >/dev/null"]
    done = _run(probe, target)
    if done.returncode == 255:  # ssh's own failure: the server was not reached
        raise _failure(target, done.stderr)
    return done.returncode == 0


def stage(files: Sequence[LocalFile], folder: Path, compressed: Path) -> list[LocalFile]:
    """Lay ``files`` out in ``folder`` (made anew) with the ``.gz`` and
    ``.br`` copies of those worth compressing; all of them, sorted. The
    copies are made once per content and kept in ``compressed``."""
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    compressed.mkdir(parents=True, exist_ok=True)
    used: set[str] = set()
    staged: list[LocalFile] = []
    for file in files:
        place = folder / file.path
        place.parent.mkdir(parents=True, exist_ok=True)
        _link(file.source, place)
        staged.append(local_file(file.path, place))
        if not headers.compressible(file.path, file.size):
            continue
        data: bytes | None = None
        for suffix, squeeze in ((".gz", headers.gzipped), (".br", headers.brotli_compressed)):
            kept = compressed / (file.sha256 + suffix)
            if not kept.exists():
                data = file.source.read_bytes() if data is None else data
                partial = kept.with_suffix(".part")
                partial.write_bytes(squeeze(data))
                partial.replace(kept)
            used.add(kept.name)
            copy = folder / (file.path + suffix)
            _link(kept, copy)
            staged.append(local_file(file.path + suffix, copy))
    for old in compressed.iterdir():  # what no file of this build needs
        if old.name not in used:
            old.unlink()
    return sorted(staged, key=lambda f: f.path)


def _link(source: Path, place: Path) -> None:
    try:
        os.link(source, place)
    except OSError:  # another file system, or no hard links there
        shutil.copyfile(source, place)


def deploy(
    target: SshTarget, files: list[LocalFile], staged: Path, dry_run: bool, report: Report
) -> Outcome:
    """Make the server's folder hold the files staged in ``staged``
    (``files``: what :func:`stage` laid out there)."""
    if shutil.which("ssh") is None:
        raise _missing("ssh")
    if has_rsync(target):
        return _rsync_deploy(target, files, staged, dry_run, report)
    if shutil.which("sftp") is None:
        raise _missing("sftp")
    return _sftp_deploy(target, files, dry_run, report)


def _rsync(
    target: SshTarget,
    staged: Path,
    report: Report,
    *,
    only: Sequence[str] | None = None,
    delete: bool = False,
    dry_run: bool = False,
) -> tuple[list[str], list[str]]:
    """One rsync from ``staged`` to the server: the files sent and deleted."""
    command = [
        "rsync", "--recursive", "--links", "--times", "--checksum", "--perms",
        "--chmod=D755,F644", "--timeout=120", "--out-format=%i %n",
        "-e", shlex.join(ssh_command(target)),
    ]  # fmt: skip
    if delete:
        command.append("--delete-after")
    if dry_run:
        command.append("--dry-run")
    with tempfile.NamedTemporaryFile("w", encoding="utf-8", suffix=".list") as listed:
        if only is not None:
            listed.write("".join(path + "\n" for path in only))
            listed.flush()
            command += ["--files-from", listed.name]
        command += [f"{staged}/", f"{destination(target)}:{target.path}/"]
        sent, deleted = [], []
        try:
            process = subprocess.Popen(
                command, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                stderr=subprocess.PIPE, text=True,
            )  # fmt: skip
        except FileNotFoundError:
            raise _missing("rsync") from None
        assert process.stdout is not None and process.stderr is not None
        for line in process.stdout:
            change, path = line[:11], line[12:].rstrip("\n")
            if path.endswith("/") or not path:
                continue
            if change.startswith("*deleting"):
                deleted.append(path)
                report("delete", path)
            elif change[:2] in ("<f", ">f"):
                sent.append(path)
                report("upload", path)
        stderr = process.stderr.read()
        if process.wait() != 0:
            raise _failure(target, stderr)
    return sent, deleted


def _rsync_deploy(
    target: SshTarget, files: list[LocalFile], staged: Path, dry_run: bool, report: Report
) -> Outcome:
    built = [file.path for file in files]
    if dry_run:
        sent, deleted = _rsync(target, staged, report, delete=True, dry_run=True)
    else:
        first = [file.path for file in files if upload_rank(file.path) < 2]
        sent, _ = _rsync(target, staged, report, only=first)
        more, deleted = _rsync(target, staged, report, delete=True)
        sent += more
    uploaded = originals(sent, built)
    everything = originals(built, built)
    return Outcome(
        tuple(uploaded),
        tuple(originals(deleted, [*built, *deleted])),
        len(everything) - len(set(uploaded)),
    )


def _quoted(path: str) -> str:
    return '"' + path.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _sftp(target: SshTarget, lines: Sequence[str], report: Report | None = None) -> None:
    """Run ``lines`` as one sftp batch; a line starting with "-" may fail."""
    with tempfile.NamedTemporaryFile("w", encoding="utf-8", suffix=".sftp") as batch:
        batch.write("".join(line + "\n" for line in lines))
        batch.flush()
        command = [*sftp_command(target), "-b", batch.name, destination(target)]
        try:
            process = subprocess.Popen(
                command, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                stderr=subprocess.PIPE, text=True,
            )  # fmt: skip
        except FileNotFoundError:
            raise _missing("sftp") from None
        assert process.stdout is not None and process.stderr is not None
        for line in process.stdout:
            if report is None or not line.startswith("sftp> "):
                continue
            words = shlex.split(line[6:].lstrip("-"))
            if words[:1] == ["put"] and len(words) == 3:
                report("upload", words[2][len(target.path) + 1 :])
            elif words[:1] == ["rm"] and len(words) == 2:
                report("delete", words[1][len(target.path) + 1 :])
        stderr = process.stderr.read()
        if process.wait() != 0:
            raise _failure(target, stderr)


def _sftp_deploy(
    target: SshTarget, files: list[LocalFile], dry_run: bool, report: Report
) -> Outcome:
    root = target.path
    with tempfile.TemporaryDirectory() as scratch:
        fetched = Path(scratch) / "manifest.json"
        _sftp(target, [f"-get {_quoted(f'{root}/{MANIFEST}')} {_quoted(str(fetched))}"])
        manifest = read_manifest(fetched.read_bytes() if fetched.exists() else None)
        plan = make_plan(files, manifest, None)
        if dry_run:
            for file in plan.uploads:
                report("upload", file.path)
            for path in plan.deletes:
                report("delete", path)
            return outcome(plan)
        folders = sorted(
            {str(parent) for f in plan.uploads for parent in PurePosixPath(f.path).parents} - {"."},
            key=lambda folder: (folder.count("/"), folder),
        )
        lines = [f"-mkdir {_quoted(root)}"]
        lines += [f"-mkdir {_quoted(f'{root}/{folder}')}" for folder in folders]
        lines += [
            f"put {_quoted(str(f.source))} {_quoted(f'{root}/{f.path}')}" for f in plan.uploads
        ]
        lines += [f"-rm {_quoted(f'{root}/{path}')}" for path in plan.deletes]
        emptied = {str(p) for path in plan.deletes for p in PurePosixPath(path).parents} - {"."}
        for folder in sorted(emptied, key=lambda f: (-f.count("/"), f)):  # deepest first
            lines.append(f"-rmdir {_quoted(f'{root}/{folder}')}")  # where nothing is left
        entries: dict[str, Entry] = {f.path: entry_of(f) for f in (*plan.uploads, *plan.unchanged)}
        written = Path(scratch) / MANIFEST
        written.write_bytes(manifest_bytes(entries))
        lines.append(f"put {_quoted(str(written))} {_quoted(f'{root}/{MANIFEST}')}")
        _sftp(
            target,
            lines,
            report=lambda what, path: None if path == MANIFEST else report(what, path),
        )
    return outcome(plan)
