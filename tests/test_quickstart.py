"""The README's quick start works as written on a machine whose only Python
is Debian's own: it installs, builds the example and serves it."""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest

from tests.helpers import REPO

SYSTEM_PYTHON = Path("/usr/bin/python3")


def quick_start() -> str:
    """The first command of the README's quick start."""
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Quick start", 1)[1].split("\n## ", 1)[0]
    found = re.search(r"```sh\n(.+?)\n```", section, re.S)
    assert found is not None, "the quick start gives no command"
    return found.group(1)


def test_the_quick_start_installs_builds_and_serves_with_the_system_python(
    tmp_path: Path,
) -> None:
    if not SYSTEM_PYTHON.is_file():
        if os.environ.get("CI") == "true":
            pytest.fail("CI runs on Debian, which has /usr/bin/python3")
        pytest.skip("no system Python at /usr/bin/python3")
    folder = tmp_path / "sitegen"
    listed = subprocess.run(
        ["git", "-C", str(REPO), "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        check=True,
        capture_output=True,
    ).stdout.decode()
    for name in filter(None, listed.split("\0")):
        source = REPO / name
        if source.is_file() or source.is_symlink():
            (folder / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, folder / name, follow_symlinks=False)
    environment = {
        "HOME": os.environ.get("HOME", str(tmp_path)),
        "PATH": f"{SYSTEM_PYTHON.parent}:/bin",  # python3 is Debian's, with no package added
        "LANG": "C.UTF-8",
    }
    server = subprocess.Popen(
        ["bash", "-c", quick_start()],
        cwd=folder,
        env=environment,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    said: list[str] = []
    try:
        assert server.stdout is not None
        deadline = time.monotonic() + 600
        for line in server.stdout:
            said.append(line)
            if line.startswith("serving ") or time.monotonic() > deadline:
                break
        assert said and said[-1].startswith("serving "), "".join(said[-20:])
        assert any(line.startswith("built ") for line in said), "".join(said[-20:])
        address = said[-1].split(" at ", 1)[1].split()[0]
        with urllib.request.urlopen(address, timeout=30) as response:
            home = response.read().decode("utf-8")
        assert "<title>新都社区教育学院</title>" in home
        venv = (folder / ".venv/pyvenv.cfg").read_text(encoding="utf-8")
        assert f"home = {SYSTEM_PYTHON.parent}" in venv  # made from the system's Python
    finally:
        os.killpg(server.pid, signal.SIGINT)
        server.wait(timeout=60)
