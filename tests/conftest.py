"""Every test builds with a build cache of its own, in its temporary
folder: no test finds another's entries, and none writes a cache into the
sites kept in the repository."""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

SESSION_CACHE = pytest.StashKey[str]()


def pytest_configure(config: pytest.Config) -> None:
    # for session-wide fixtures (the browser tests' built sites); each
    # process of a parallel run (pytest-xdist) makes one of its own
    folder = tempfile.mkdtemp(prefix="sitegen-test-cache-")
    config.stash[SESSION_CACHE] = os.environ["SITEGEN_CACHE_DIR"] = folder


def pytest_unconfigure(config: pytest.Config) -> None:
    shutil.rmtree(config.stash[SESSION_CACHE], ignore_errors=True)


@pytest.fixture(autouse=True)
def own_build_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    folder = tmp_path / "sitegen-cache"
    monkeypatch.setenv("SITEGEN_CACHE_DIR", str(folder))
    yield folder
