"""sitegen: a bilingual static news-and-records site generator."""

from __future__ import annotations

__version__ = "0.1.0"
