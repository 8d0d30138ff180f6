"""Every test builds with a build cache of its own, in its temporary
folder: no test finds another's entries, and none writes a cache into the
sites kept in the repository."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest


def pytest_configure(config: pytest.Config) -> None:
    # for session-wide fixtures (the browser tests' built sites)
    os.environ["SITEGEN_CACHE_DIR"] = tempfile.mkdtemp(prefix="sitegen-test-cache-")


@pytest.fixture(autouse=True)
def own_build_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    folder = tmp_path / "sitegen-cache"
    monkeypatch.setenv("SITEGEN_CACHE_DIR", str(folder))
    yield folder
