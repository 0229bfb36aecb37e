"""What ``newsgraph cypher`` refuses before a query reaches the server.

A READ transaction stops writes to the graph, but not what a read can reach
beyond it: ``LOAD CSV`` reads the server's files and fetches URLs, procedures
and functions of plugins (``apoc.load.*``, ``apoc.export.*``) read and write
files and the network, ``dbms.*`` procedures and the administration commands
(``TERMINATE TRANSACTIONS``, ``CREATE DATABASE``, users, roles, privileges)
act on the whole server, and ``USE`` leaves the store's database. So a query
is read as tokens (strings and comments set aside, so a keyword inside them
does not count and one split by a comment still does) and must

- begin with a reading clause (``MATCH``, ``OPTIONAL MATCH``, ``WITH``,
  ``UNWIND``, ``RETURN``, ``CALL``), optionally after ``EXPLAIN``/``PROFILE``;
- not contain ``LOAD CSV``, ``USE``, ``TERMINATE``, ``GRANT``, ``DENY``, ``REVOKE``;
- call only the procedures of :data:`PROCEDURES`, and namespaced functions
  only from :data:`FUNCTION_NAMESPACES` (functions without a namespace are
  Cypher's built-ins).

Anything else is :class:`~newsgraph.engine.errors.QueryRefused` with one line
that names what was refused.

>>> check_read_only("MATCH (o:Outlet) RETURN o.name, date.truncate('month', o.since) // LOAD CSV in a comment")
>>> check_read_only("CALL db.labels() YIELD label RETURN label")
>>> check_read_only("LOAD /* hidden */ CSV FROM 'file:///etc/passwd' AS l RETURN l")
Traceback (most recent call last):
...
newsgraph.engine.errors.QueryRefused: cypher refuses LOAD CSV: it reads files and URLs from the server
"""

from __future__ import annotations

import re
from typing import Iterator, NamedTuple

from newsgraph.engine.errors import QueryRefused

PROCEDURES = frozenset({
    "db.labels", "db.relationshiptypes", "db.propertykeys", "db.schema.visualization",
    "db.schema.nodetypeproperties", "db.schema.reltypeproperties",
})
"The procedures a read-only query may call (compared without case): the graph's own schema, nothing else."

FUNCTION_NAMESPACES = frozenset({"date", "datetime", "localdatetime", "localtime", "time", "duration", "point",
                                 "vector"})
"Namespaces of Cypher's built-in functions (``date.truncate``, ``point.distance``, ...); plugins' are refused."

_FIRST = frozenset({"MATCH", "OPTIONAL", "WITH", "UNWIND", "RETURN", "CALL"})
_PREFIXES = frozenset({"EXPLAIN", "PROFILE"})
_NEVER = {
    "USE": "USE: the query runs in the store's database only",
    "TERMINATE": "TERMINATE: transactions are administered on the server, not through newsgraph",
    "GRANT": "GRANT: users and privileges are administered on the server",
    "DENY": "DENY: users and privileges are administered on the server",
    "REVOKE": "REVOKE: users and privileges are administered on the server",
    "SHOW": "SHOW: server administration is not run through newsgraph; "
            "for the schema use CALL db.labels() or CALL db.schema.visualization()",
}


class Token(NamedTuple):
    kind: str
    "``name`` (a bare word), ``quoted`` (a backtick name), ``param``, ``string``, ``number`` or ``symbol``."
    text: str


_TOKEN = re.compile(r"""
      (?P<space>\s+)
    | (?P<comment>//[^\n]*|/\*.*?(?:\*/|\Z))
    | (?P<string>'(?:[^'\\]|\\.)*(?:'|\Z)|"(?:[^"\\]|\\.)*(?:"|\Z))
    | (?P<quoted>`(?:[^`]|``)*(?:`|\Z))
    | (?P<param>\$(?:\w+|`(?:[^`]|``)*`))
    | (?P<number>\d[\w.]*)
    | (?P<name>[^\W\d]\w*)
    | (?P<symbol>.)
""", re.S | re.X)


def tokens(query: str) -> Iterator[Token]:
    """The query's tokens, without whitespace and comments.

    >>> [t.text for t in tokens("MATCH (n) // note\\nRETURN n.`my name`")]
    ['MATCH', '(', 'n', ')', 'RETURN', 'n', '.', 'my name']
    """
    for m in _TOKEN.finditer(query):
        kind = m.lastgroup
        if kind in ("space", "comment"):
            continue
        text = m.group()
        if kind == "quoted":
            text = text[1:-1].replace("``", "`") if text.endswith("`") and len(text) > 1 else text[1:]
        yield Token(kind, text)


def _dotted_name(toks: list[Token], i: int) -> tuple[list[str], int]:
    """The parts of the name ``a.b.c`` that starts at ``toks[i]``, and the index after it."""
    parts = []
    while i < len(toks) and toks[i].kind in ("name", "quoted"):
        parts.append(toks[i].text)
        if i + 2 < len(toks) and toks[i + 1].text == "." and toks[i + 2].kind in ("name", "quoted"):
            i += 2
        else:
            i += 1
            break
    return parts, i


def check_read_only(query: str) -> None:
    """Refuse (``QueryRefused``) a query that reaches beyond reading the store's graph; see the module text.

    >>> check_read_only("TERMINATE TRANSACTIONS 'neo4j-transaction-42'")
    Traceback (most recent call last):
    ...
    newsgraph.engine.errors.QueryRefused: cypher refuses TERMINATE: transactions are administered on the server, \
not through newsgraph
    >>> check_read_only("CREATE DATABASE evil")
    Traceback (most recent call last):
    ...
    newsgraph.engine.errors.QueryRefused: cypher runs queries that start with MATCH, OPTIONAL MATCH, WITH, UNWIND, \
RETURN or CALL, and this one starts with CREATE
    >>> check_read_only("RETURN apoc.load.json('http://127.0.0.1/')")
    Traceback (most recent call last):
    ...
    newsgraph.engine.errors.QueryRefused: cypher refuses the function apoc.load.json: only Cypher's own functions \
(date, datetime, duration, localdatetime, localtime, point, time, vector) are allowed
    """
    toks = list(tokens(query))
    words = [t.text.upper() if t.kind == "name" else None for t in toks]
    for i, (tok, word) in enumerate(zip(toks, words)):
        if word is None:
            continue
        # a property key, a label or a map key, not a keyword
        if (i > 0 and toks[i - 1].text in (".", ":")) or (i + 1 < len(toks) and toks[i + 1].text == ":"):
            continue
        if word == "LOAD" and i + 1 < len(words) and words[i + 1] == "CSV":
            raise QueryRefused("cypher refuses LOAD CSV: it reads files and URLs from the server")
        if word in _NEVER:
            raise QueryRefused(f"cypher refuses {_NEVER[word]}")
        if word == "CALL":
            nxt = toks[i + 1] if i + 1 < len(toks) else None
            if nxt is None or nxt.text in ("{", "("):  # a subquery, CALL { ... } or CALL (x) { ... }
                continue
            parts, _ = _dotted_name(toks, i + 1)
            name = ".".join(parts)
            if name.casefold() not in PROCEDURES:
                raise QueryRefused(f"cypher refuses the procedure {name or nxt.text}: it may call only "
                                   f"{', '.join(sorted(PROCEDURES))}")
    start = 0
    while start < len(words) and words[start] in _PREFIXES:
        start += 1
    if start == len(toks):
        raise QueryRefused("cypher needs a query")
    if words[start] not in _FIRST:
        raise QueryRefused("cypher runs queries that start with MATCH, OPTIONAL MATCH, WITH, UNWIND, RETURN or CALL, "
                           f"and this one starts with {toks[start].text}")
    i = 0
    while i < len(toks):
        if toks[i].kind in ("name", "quoted") and (i == 0 or toks[i - 1].text != "."):
            parts, j = _dotted_name(toks, i)
            calling = j < len(toks) and toks[j].text == "("
            called_by = i > 0 and words[i - 1] == "CALL"
            # a quoted part may hold dots itself: the namespace is the whole first part
            namespaced = len(parts) > 1 or "." in parts[0]
            if calling and namespaced and not called_by and parts[0].casefold() not in FUNCTION_NAMESPACES:
                name = ".".join(parts)
                raise QueryRefused(f"cypher refuses the function {name}: only Cypher's own functions "
                                   f"({', '.join(sorted(FUNCTION_NAMESPACES))}) are allowed")
            i = max(j, i + 1)
        else:
            i += 1
