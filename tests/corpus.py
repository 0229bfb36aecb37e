"""A small corpus with known answers: twelve articles, four outlets, three stories.

Written for the tests; every answer the tests check follows from this file.
"""

from __future__ import annotations

import json
from pathlib import Path

OUTLETS_CSV = """domain,name,bias,factuality,ownership,country,rating_source
cnn.com,CNN,left,mixed,media_conglomerate,US,test
nytimes.com,The New York Times,lean_left,high,corporation,US,test
reuters.com,Reuters,center,very_high,corporation,GB,test
foxnews.com,Fox News,right,mixed,media_conglomerate,US,test
"""

_STORIES = {
    "mines": (
        "2025-04-01",
        [
            ("cnn.com", "Finland and Lithuania quit the Ottawa Convention banning landmines",
             "Finland and Lithuania said they will leave the Ottawa Convention, citing the threat from Russia."),
            ("nytimes.com", "Lithuania and Finland to leave landmine treaty over Russia threat",
             "Lithuanian and Finnish leaders said the Ottawa Convention no longer fits their security after Russia's invasion."),
            ("reuters.com", "Finland, Lithuania announce exit from Ottawa Convention on landmines",
             "Finland and Lithuania will withdraw from the Ottawa Convention on anti-personnel landmines, officials said."),
            ("foxnews.com", "Finland and Lithuania ditch landmine ban as Russia looms",
             "Finnish and Lithuanian officials announced plans to exit the Ottawa Convention because of Russia."),
        ],
    ),
    "court": (
        "2025-04-02",
        [
            ("cnn.com", "Supreme Court sides with police officers in qualified immunity cases",
             "The Supreme Court ruled that police officers were entitled to qualified immunity in two cases."),
            ("nytimes.com", "Supreme Court backs police on qualified immunity in two rulings",
             "In two unsigned opinions the Supreme Court granted qualified immunity to police officers."),
            ("reuters.com", "U.S. Supreme Court grants police qualified immunity in excessive force cases",
             "The Supreme Court on Monday said police officers accused of excessive force have qualified immunity."),
            ("foxnews.com", "Supreme Court hands police a win on qualified immunity",
             "The Supreme Court sided with police officers, ruling they have qualified immunity from lawsuits."),
        ],
    ),
    "moon": (
        "2025-04-03",
        [
            ("cnn.com", "NASA delays Artemis moon launch after fuel leak",
             "NASA postponed the Artemis rocket launch to the Moon after engineers found a hydrogen fuel leak."),
            ("nytimes.com", "NASA scrubs Artemis launch to the Moon over hydrogen leak",
             "A hydrogen leak forced NASA to call off the Artemis moon rocket launch from Florida."),
            ("reuters.com", "NASA postpones Artemis moon rocket launch due to fuel leak",
             "NASA said the Artemis launch to the Moon is postponed while engineers fix a fuel leak in Florida."),
            ("foxnews.com", "Fuel leak grounds NASA Artemis moon rocket again",
             "NASA engineers detected a fuel leak, delaying the Artemis moon rocket launch once more."),
        ],
    ),
}

STORY_OF_ARTICLE: dict[str, str] = {}


def articles() -> list[dict]:
    """The corpus as canonical JSONL records; ``gold`` is each article's story."""
    out = []
    for story, (day, items) in _STORIES.items():
        for i, (domain, title, lead) in enumerate(items):
            url = f"https://www.{domain}/{day.replace('-', '/')}/{story}-{i}.html?utm_source=feed"
            out.append(
                {
                    "url": url,
                    "title": title,
                    "published_at": f"{day}T{8 + i:02d}:00:00Z",
                    "lead": lead,
                    "text": lead + " More details followed in the report.",
                    "outlet": domain,
                    "gold": story,
                }
            )
    return out


def write_corpus(directory: Path) -> tuple[Path, Path]:
    """Write the articles (JSONL) and outlet ratings (generic CSV) into ``directory``."""
    directory.mkdir(parents=True, exist_ok=True)
    jsonl = directory / "corpus.jsonl"
    jsonl.write_text("".join(json.dumps(a) + "\n" for a in articles()), encoding="utf-8")
    csv = directory / "outlets.csv"
    csv.write_text(OUTLETS_CSV, encoding="utf-8")
    return jsonl, csv
