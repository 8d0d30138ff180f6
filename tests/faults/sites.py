"""The sites the fault tests build, and what they look at afterwards."""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

from tests.helpers import REPO

DATE = "2021-05-01"  # a fixed build date: the same input always gives the same output


def example_site(folder: Path, articles: int = 0) -> Path:
    """A copy of the example site, with ``articles`` more reports in both
    languages, so that a build takes long enough to be interrupted."""
    folder.mkdir(parents=True)
    shutil.copy(REPO / "site.yaml", folder / "site.yaml")
    shutil.copytree(REPO / "content", folder / "content")
    news = folder / "content" / "news"
    for n in range(articles):
        day = f"2019-{1 + n % 12:02d}-{1 + n % 28:02d}"
        zh = f"第{n}期市民自主学习团队在社区学院开展第{n % 7 + 1}次学习交流活动。"
        en = f"Session {n}: the self-learning teams met for exchange number {n % 7 + 1}. "
        bodies = {"zh": (f"社区学习活动第{n}期", zh * 10), "en": (f"Learning session {n}", en * 8)}
        for lang, (title, paragraph) in bodies.items():
            text = f"---\ntitle: {title}\ndate: {day}\ntags: [团队培育]\n---\n\n"
            text += f"{paragraph}\n\n## 小结 {n}\n\n{paragraph}\n"
            (news / f"{day}-session-{n}.{lang}.md").write_text(text, encoding="utf-8")
    return folder


def set_title(site: Path, variant: int) -> None:
    """Give the site another title, which every page shows: a build of each
    variant differs from the others' on every page."""
    config = site / "site.yaml"
    lines = config.read_text(encoding="utf-8").splitlines()
    at = lines.index("title:")
    lines[at + 1 : at + 3] = [f"  zh: 新都社区教育学院 {variant}", f"  en: Xindu College {variant}"]
    config.write_text("\n".join(lines) + "\n", encoding="utf-8")


def command(site: Path, *args: str | os.PathLike[str]) -> list[str]:
    options = [os.fspath(arg) for arg in args]
    return [sys.executable, "-m", "sitegen", "build", os.fspath(site), "--date", DATE,
            "--lang", "en", "-q", *options]  # fmt: skip


def start(site: Path, *args: str | os.PathLike[str]) -> subprocess.Popen[str]:
    """``sitegen build`` in a session of its own, whose process group holds
    its forked workers and Pagefind, so that all of them can be killed."""
    return subprocess.Popen(
        command(site, *args),
        cwd=REPO,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )


def build(site: Path, *args: str | os.PathLike[str]) -> None:
    done = subprocess.run(command(site, *args), cwd=REPO, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr


def digest(root: Path) -> str:
    """One digest of every file under ``root``: its path and its bytes."""
    total = hashlib.sha256()
    for path in sorted(root.rglob("*")):
        if path.is_file():
            data = path.read_bytes()
            name = path.relative_to(root).as_posix().encode()
            total.update(len(name).to_bytes(8, "little") + name + hashlib.sha256(data).digest())
    return total.hexdigest()


def leftovers(out: Path) -> list[str]:
    """What builds into ``out`` may leave beside it: temporary and old
    folders, and the lock file."""
    return sorted(p.name for p in out.parent.iterdir() if p.name.startswith(f".{out.name}."))
