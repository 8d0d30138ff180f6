"""Write the demonstration site: the college of a made-up district, with
eighty learning teams in ten towns, their honours over six years, six
master-teacher studios with their yearly reports, and 72 reports, most of
them also in English. Every page says it is sample data.

    python3 examples/district/make.py                  # into examples/district/site/
    sitegen build examples/district/site --out build-district

The content comes from the benchmark's corpus generator (bench/corpus.py)
with a fixed seed, so the same files come out every time; the folder is
kept in the repository as written here, and a test checks that it still is.
"""

from __future__ import annotations

import argparse
import datetime as dt
import shutil
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent.parent / "bench"))

import corpus  # noqa: E402

ARTICLES = 72
TEAMS = 80
STUDIOS = 6
DAYS = (dt.date(2019, 1, 1), dt.date(2024, 12, 31))
# more selections and studio meetings than the benchmark has, so that there
# are honours in most years and studio reports to chart
WEIGHTS = {"selection": 9, "studio": 8}

SITE = """\
# The demonstration site, written by examples/district/make.py: edit that, not this.
title: {zh: 示例区社区教育学院, en: Sample District Community Education College}
description:
  zh: 一个虚构城区的示例网站：学习团队、荣誉、工作室和新闻都是程序生成的示例数据。
  en: >-
    The site of a made-up district: its teams, honours, studios and news
    are sample data made by a program.
banner:
  zh: 示例数据：本站的团队、人物、荣誉和新闻都是程序生成的，并非真实信息。
  en: "Sample data: the teams, people, honours and news on this site are made up by a program."
base_url: https://example.org/district/
"""


def write(out: Path) -> None:
    made = corpus.generate(ARTICLES, teams=TEAMS, studios=STUDIOS, days=DAYS, weights=WEIGHTS)
    if out.exists():
        shutil.rmtree(out)
    corpus.write_sitegen(made, out)
    settings = (out / "site.yaml").read_text(encoding="utf-8").splitlines()
    kept = [
        line
        for line in settings[1:]
        if not line.startswith(("title:", "description:", "base_url:", "  zh:", "  en:"))
    ]
    (out / "site.yaml").write_text(SITE + "\n".join(kept) + "\n", encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=HERE / "site", help="the folder to write")
    write(parser.parse_args(argv).out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
