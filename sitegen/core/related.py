"""Related reports: up to five articles to read after one, chosen by what
they share with it.

An article's related reports are those that concern one of its team or
studio records, or carry one of its topics: the more records they share
first, then the more topics, then the nearest in date (the newer of two
as near), then by address, so that the choice is the same in every build.
Articles of its own series are left out (the series box shows them), as
are articles off the lists (expired). An article that shares nothing has
none.

Candidates are, for each record and topic of the article, the few reports
nearest to it in date: a topic carried by thousands of reports does not
make every article read them all, so a site of 20,000 articles chooses in
a second or so.
"""

from __future__ import annotations

import bisect
import datetime as dt
from collections import defaultdict

from sitegen.core.model import Site, originals

RELATED = 5
# Of each record's and topic's reports, this many on each side of the
# article (by date) are candidates.
WINDOW = 8


class RelatedReports:
    """The related reports of every article of ``site`` listed on ``today``."""

    def __init__(self, site: Site, languages: tuple[str, ...], today: dt.date) -> None:
        self.originals = originals(site.articles, languages)  # by key, newest first
        self.keys = list(self.originals)
        self.position = {key: index for index, key in enumerate(self.keys)}
        listed = {k for k, a in self.originals.items() if not a.expired(today)}
        # the positions (newest first) of the listed articles of each record and topic
        self.members: dict[str, list[int]] = defaultdict(list)
        self.records: dict[str, list[str]] = defaultdict(list)  # key -> "teams/<id>", …
        for record, keys in site.mentions.items():
            for key in keys:
                self.records[key].append(record)
                if key in listed:
                    self.members[record].append(self.position[key])
        for key in listed:
            for tag in self.originals[key].tags:
                self.members["tags/" + tag].append(self.position[key])
        for found in self.members.values():
            found.sort()
        self.chosen: dict[tuple[str, int], tuple[str, ...]] = {}  # each language asks again

    def of(self, key: str, limit: int = RELATED) -> tuple[str, ...]:
        """The keys of up to ``limit`` reports related to the article of
        ``key``, most related first."""
        found = self.chosen.get((key, limit))
        if found is None:
            found = self.chosen[key, limit] = self._choose(key, limit)
        return found

    def _choose(self, key: str, limit: int) -> tuple[str, ...]:
        article = self.originals.get(key)
        if article is None:
            return ()
        here = self.position[key]
        records = self.records.get(key, ())
        topics = ["tags/" + tag for tag in article.tags]
        shared: dict[int, list[int]] = {}  # position -> [records, topics] shared
        for which, groups in ((0, records), (1, topics)):
            for group in groups:
                members = self.members.get(group)
                if not members:
                    continue
                at = bisect.bisect_left(members, here)
                for position in members[max(0, at - WINDOW) : at + WINDOW + 1]:
                    if position != here:
                        counts = shared.setdefault(position, [0, 0])
                        counts[which] += 1
        if not shared:
            return ()
        date = article.date.toordinal()
        ranked: list[tuple[int, int, int, int, str]] = []
        for position, (in_records, in_topics) in shared.items():
            other_key = self.keys[position]
            other = self.originals[other_key]
            if article.series and other.series == article.series:
                continue
            distance = abs(other.date.toordinal() - date)
            newer = 0 if other.date >= article.date else 1
            ranked.append((-in_records, -in_topics, distance, newer, other_key))
        ranked.sort()
        return tuple(item[-1] for item in ranked[:limit])
