"""``published_at`` values: ISO 8601 (no zone = UTC) or epoch seconds/milliseconds.

>>> parse_published_at("2021-05-01T10:00:00+02:00").isoformat()
'2021-05-01T08:00:00+00:00'
>>> parse_published_at(1619863200000).isoformat()
'2021-05-01T10:00:00+00:00'
"""

from __future__ import annotations

import math
import re
from datetime import datetime, timezone

from newsgraph.engine.errors import InputError

MIN_YEAR, MAX_YEAR = 1900, 2100
MS_THRESHOLD = 1e11  # larger epoch values are milliseconds (1e11 s is the year 5138)
# A digit string is an epoch only from 9 digits on (1973 onwards). Shorter ones
# are dates: "20210501" is ISO 8601's basic form, and "2021" read as seconds
# would silently land in January 1970.
_EPOCH_TEXT = re.compile(r"^[+-]?\d{9,}(\.\d*)?$")


def parse_published_at(value: object) -> datetime:
    """An article's publication time as an aware UTC datetime.

    Parameters
    ----------
    value : str, int or float
        An ISO 8601 date or date-time (``2021-05-01``, ``2021-05-01T10:00``,
        ``...Z``, ``...+02:00``; without a zone it is UTC), or epoch seconds
        or milliseconds as a number or a numeric string of 9 or more digits
        (values of 10^11 and above are milliseconds).

    Returns
    -------
    datetime
        Aware, in UTC, with a year in 1900-2100.

    Raises
    ------
    InputError
        With the reason: empty, wrong type, not ISO 8601, impossible
        (``2021-02-30``), or out of range.

    Examples
    --------
    >>> parse_published_at("2021-05-01").isoformat()
    '2021-05-01T00:00:00+00:00'
    >>> parse_published_at("1619863200").isoformat()
    '2021-05-01T10:00:00+00:00'
    >>> parse_published_at("2021-02-30")
    Traceback (most recent call last):
    ...
    newsgraph.engine.errors.InputError: <input>: published_at '2021-02-30' is not a valid ISO 8601 date: day is out of range for month
    """
    if isinstance(value, bool) or value is None:
        raise InputError(f"published_at must be an ISO 8601 date or epoch number, not {value!r}")
    if isinstance(value, str):
        text = value.strip()
        if not text:
            raise InputError("published_at is empty")
        if _EPOCH_TEXT.match(text):
            return _from_epoch(float(text), value)
        return _from_iso(text)
    if isinstance(value, (int, float)):
        return _from_epoch(value, value)
    raise InputError(f"published_at must be a string or a number, not {type(value).__name__}")


def _from_iso(text: str) -> datetime:
    try:
        dt = datetime.fromisoformat(text)
    except ValueError as e:
        raise InputError(f"published_at {text!r} is not a valid ISO 8601 date: {e}") from None
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=timezone.utc)
    try:
        utc = dt.astimezone(timezone.utc)
    except OverflowError:  # an offset pushed year 1 or 9999 off the calendar
        raise InputError(f"published_at {text!r} is outside {MIN_YEAR}-{MAX_YEAR}") from None
    return _checked(utc, text)


def _from_epoch(number: int | float, raw: object) -> datetime:
    if isinstance(number, float) and not math.isfinite(number):
        raise InputError(f"published_at {raw!r} is not a number")
    try:
        seconds = number / 1000 if abs(number) >= MS_THRESHOLD else number
        dt = datetime.fromtimestamp(seconds, tz=timezone.utc)
    except (OverflowError, OSError, ValueError):
        raise InputError(f"published_at {raw!r} is outside {MIN_YEAR}-{MAX_YEAR}") from None
    return _checked(dt, raw)


def _checked(dt: datetime, raw: object) -> datetime:
    if not MIN_YEAR <= dt.year <= MAX_YEAR:
        raise InputError(f"published_at {raw!r} is outside {MIN_YEAR}-{MAX_YEAR}")
    return dt
