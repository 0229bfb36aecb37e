"""``published_at`` values: ISO 8601 (no zone = UTC) or epoch seconds/milliseconds.

>>> parse_published_at("2021-05-01T10:00:00+02:00").isoformat()
'2021-05-01T08:00:00+00:00'
>>> parse_published_at(1619863200000).isoformat()
'2021-05-01T10:00:00+00:00'
"""

from __future__ import annotations

from datetime import datetime, timezone

from engine.errors import InputError

MIN_YEAR, MAX_YEAR = 1900, 2100
_MS_THRESHOLD = 1e11  # larger epoch values are milliseconds (1e11 s is the year 5138)


def parse_published_at(value: object) -> datetime:
    """An aware UTC datetime; raises :class:`InputError` saying why the value is unusable."""
    if isinstance(value, bool) or value is None:
        raise InputError(f"published_at must be an ISO 8601 date or epoch number, not {value!r}")
    if isinstance(value, str):
        text = value.strip()
        if not text:
            raise InputError("published_at is empty")
        try:
            number = float(text)
        except ValueError:
            return _from_iso(text)
        return _from_epoch(number, value)
    if isinstance(value, (int, float)):
        return _from_epoch(float(value), value)
    raise InputError(f"published_at must be a string or a number, not {type(value).__name__}")


def _from_iso(text: str) -> datetime:
    try:
        dt = datetime.fromisoformat(text.replace("z", "Z"))
    except ValueError as e:
        raise InputError(f"published_at {text!r} is not a valid ISO 8601 date: {e}") from None
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=timezone.utc)
    return _checked(dt.astimezone(timezone.utc), text)


def _from_epoch(number: float, raw: object) -> datetime:
    if number != number or number in (float("inf"), float("-inf")):
        raise InputError(f"published_at {raw!r} is not a number")
    if abs(number) >= _MS_THRESHOLD:
        number /= 1000.0
    try:
        dt = datetime.fromtimestamp(number, tz=timezone.utc)
    except (OverflowError, OSError, ValueError) as e:
        raise InputError(f"published_at {raw!r} is out of range: {e}") from None
    return _checked(dt, raw)


def _checked(dt: datetime, raw: object) -> datetime:
    if not MIN_YEAR <= dt.year <= MAX_YEAR:
        raise InputError(f"published_at {raw!r} is outside {MIN_YEAR}-{MAX_YEAR}")
    return dt
