"""Every team's name, for the name finder of a large team directory:
``/teams/names.json`` and ``/en/teams/names.json``, which the directory's
``finder.js`` fetches only when a reader starts typing in it.

A directory of up to TEAMS_INLINE teams lists them all and filters them in
place; past that it lists towns and categories, and the finder is how a
reader who knows a team's name goes straight to it.
"""

from __future__ import annotations

import json

from sitegen.core.config import SiteConfig
from sitegen.core.i18n import url_prefix
from sitegen.core.model import Site
from sitegen.core.plan_records import TEAMS_INLINE, finder_path


def finder_files(site: Site, config: SiteConfig) -> dict[str, bytes]:
    """Output path → JSON: for each team, its name in the page's language,
    its name in the others (so that a Chinese name finds an English page's
    team), its town and category, and its page's address, by the team's id."""
    if len(site.teams) <= TEAMS_INLINE:
        return {}
    made = {}
    base = config.base_path.rstrip("/")
    for lang in config.languages:
        prefix = base + url_prefix(lang, config)
        teams = []
        for team in sorted(site.teams.values(), key=lambda t: t.id):
            name = team.name.get(lang, config.default_language)
            others = sorted({value for _, value in team.name.values} - {name})
            where = [
                found.name.get(lang, config.default_language)
                for found in (site.towns.get(team.town), site.categories.get(team.category))
                if found is not None
            ]
            teams.append(
                {"name": name, "also": others, "where": " · ".join(where),
                 "url": f"{prefix}/teams/{team.id}/"}
            )  # fmt: skip
        data = json.dumps(teams, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
        made[finder_path(lang, config).lstrip("/")] = data.encode("utf-8") + b"\n"
    return made
