"""The story filters as options, ``--since``, ``--until``, ``--entity``, ``--outlet``, and how their values are read.

Analyses and graph exports take them; they select stories as
``GraphStore.coverage_rows`` does (see docs/analyses.md).
"""

from __future__ import annotations

from datetime import datetime, time, timezone
from typing import Any

import typer

OPTIONS = {
    "since": typer.Option(None, "--since", help="Only coverage published on or after this date/time (UTC)."),
    "until": typer.Option(None, "--until", help="Only coverage published on or before this date/time (UTC)."),
    "entity": typer.Option(None, "--entity", help="Only stories about this entity id (e.g. gpe:finland)."),
    "outlet": typer.Option(None, "--outlet", help="Only stories this outlet (domain) covered."),
}
"Each filter's option, by the filter's name in ``engine.analysis.registry.FILTERS``."


def parse_when(text: str | None, *, end_of_day: bool = False) -> datetime | None:
    """A ``--since``/``--until`` value as an aware UTC datetime; a bare date means its start (or end).

    >>> parse_when("2025-04-01", end_of_day=True).isoformat()
    '2025-04-01T23:59:59+00:00'
    """
    if not text:
        return None
    from newsgraph.engine.errors import ConfigError

    try:
        value = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError as e:
        raise ConfigError(f"cannot read {text!r} as a date or time: use YYYY-MM-DD or YYYY-MM-DDTHH:MM") from e
    if len(text) <= 10 and end_of_day:
        value = datetime.combine(value.date(), time(23, 59, 59))
    return value.replace(tzinfo=timezone.utc) if value.tzinfo is None else value.astimezone(timezone.utc)


def story_filters(since: str | None = None, until: str | None = None, entity: str | None = None,
                  outlet: str | None = None) -> dict[str, Any]:
    """The filter options as given, read into the values the store's row queries take.

    >>> story_filters(until="2025-04-02", entity="gpe:finland")["until"].isoformat()
    '2025-04-02T23:59:59+00:00'
    """
    return {"since": parse_when(since), "until": parse_when(until, end_of_day=True), "entity": entity,
            "outlet": outlet}
