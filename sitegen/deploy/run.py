"""``sitegen deploy``: the built site to the target site.yaml names.

Reads the folder a build wrote (it never builds), picks the target, and
hands the files to the target's kind: :mod:`sitegen.deploy.s3` or
:mod:`sitegen.deploy.ssh`.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Sequence
from pathlib import Path

import sitegen.deploy.s3 as s3
import sitegen.deploy.ssh as ssh
from sitegen.core.config import DeployTarget
from sitegen.core.diagnostics import did_you_mean
from sitegen.deploy.plan import DeployError, Outcome, scan
from sitegen.deploy.s3 import Report


def choose(targets: Sequence[DeployTarget], name: str | None) -> DeployTarget:
    """The target called ``name``, or the only one there is."""
    names = [target.name for target in targets]
    example = (
        "add e.g.  deploy: {production: {s3: {endpoint: https://s3.oss-cn-chengdu.aliyuncs.com, "
        "bucket: xindu-site}}}  to site.yaml (see the README, Publishing)"
    )
    if not targets:
        raise DeployError("deploy-target", "site.yaml names no deploy target", example)
    if name is None:
        if len(targets) == 1:
            return targets[0]
        raise DeployError(
            "deploy-target",
            f"site.yaml names several deploy targets: {', '.join(names)}",
            f"say which, e.g. sitegen deploy {names[0]}",
        )
    for target in targets:
        if target.name == name:
            return target
    raise DeployError(
        "deploy-target",
        f"site.yaml names no deploy target '{name}'",
        did_you_mean(name, names) or f"use one of: {', '.join(names)}",
    )


def _inside(path: Path, folder: Path) -> bool:
    try:
        path.resolve().relative_to(folder.resolve())
    except ValueError:
        return False
    return True


def deploy(
    site_dir: Path,
    target: DeployTarget,
    built: Path,
    cache: Path,
    *,
    dry_run: bool = False,
    report: Report = lambda what, path: None,
) -> Outcome:
    """Make ``target`` hold the site built in ``built``: upload what it
    lacks or holds otherwise, then delete what the build no longer has.
    ``report`` hears of each file as it is uploaded or deleted (with
    ``dry_run``, as it would be). ``cache``: the build cache's folder,
    where a server's compressed copies are kept."""
    if not (built / "index.html").is_file():
        raise DeployError(
            "deploy-no-build",
            f"there is no built site in {built}",
            "build it first: sitegen build (and give the same --out to deploy --dir)",
        )
    files = scan(built)
    if target.s3 is not None:
        return s3.deploy(target.s3, files, dry_run, report)
    assert target.ssh is not None
    identity = target.ssh.identity_file
    if identity and _inside(site_dir / os.path.expanduser(identity), site_dir):
        raise DeployError(
            "credential",
            f"the key file '{identity}' is in the site folder, which is published with git",
            "move it out of the site folder, e.g. to ~/.ssh/, or leave identity_file out and "
            "use ssh-agent",
        )
    key = hashlib.sha256(f"{site_dir.resolve()}|{target.name}".encode()).hexdigest()[:16]
    work = cache / "deploy" / key
    staged = ssh.stage(files, work / "site", work / "compressed")
    return ssh.deploy(target.ssh, staged, work / "site", dry_run, report)
