"""``newsgraph cypher``: a read-only Cypher query against a Neo4j store."""

from __future__ import annotations

import json
from typing import Optional

import typer

from newsgraph.engine.cli.common import EXIT_USAGE, JsonOpt, emit_json, fail, store_session

app = typer.Typer()


@app.command("cypher")
def cypher_command(
    query: str = typer.Argument(..., help='A read-only Cypher query, e.g. "MATCH (s:Story) RETURN s.title LIMIT 5".'),
    param: Optional[list[str]] = typer.Option(
        None, "--param", "-p",
        help="A query parameter NAME=VALUE (VALUE read as JSON if it parses, else text); repeatable."),
    store: Optional[str] = typer.Option(None, "--store", envvar="NEWSGRAPH_STORE",
                                        help="A Neo4j store URL: bolt://HOST:PORT or neo4j://HOST:PORT."),
    timeout: Optional[float] = typer.Option(
        None, "--timeout", min=0.001,
        help="Seconds the query may run before the server stops it [default: NEWSGRAPH_CYPHER_TIMEOUT, 30]."),
    max_rows: Optional[int] = typer.Option(
        None, "--max-rows", min=1,
        help="Rows returned at most; the rest is not fetched [default: NEWSGRAPH_CYPHER_MAX_ROWS, 10000]."),
    as_json: bool = JsonOpt,
) -> None:
    """Run a read-only Cypher query against a Neo4j store; writes, LOAD CSV, administration and procedures
    outside a short allow-list are refused (docs/cypher.md)."""
    from newsgraph.engine.config import get_settings
    from newsgraph.engine.errors import ConfigError
    from newsgraph.engine.store.open import NEO4J_SCHEMES

    try:
        settings = get_settings(store=store, cypher_timeout=timeout, cypher_max_rows=max_rows)
    except ConfigError as e:
        fail(str(e), EXIT_USAGE)
    url = settings.store
    if url.split("://", 1)[0] not in NEO4J_SCHEMES:
        fail(f"cypher needs a Neo4j store and the store is {url}; copy the graph into Neo4j first: "
             f"newsgraph sync --from {url} --to bolt://HOST:PORT, then --store bolt://HOST:PORT", EXIT_USAGE)
    params = parse_params(param or [])
    with store_session(url, read_only=True) as (st, _):
        out = st.run_read_query(query, params, timeout=settings.cypher_timeout, max_rows=settings.cypher_max_rows)
    columns, rows = out.columns, out.rows
    if as_json:
        emit_json({"columns": columns, "data": [dict(zip(columns, r)) for r in rows], "count": len(rows),
                   "truncated": out.truncated})
        return
    typer.echo("\t".join(columns))
    for r in rows:
        typer.echo("\t".join(v if isinstance(v, str) else json.dumps(v, ensure_ascii=False, default=str) for v in r))
    if out.truncated:
        typer.echo(f"({len(rows)} rows, stopped at the row limit: raise --max-rows for more)")
    else:
        typer.echo(f"({len(rows)} rows)")


def parse_params(items: list[str]) -> dict:
    """``NAME=VALUE`` pairs as query parameters; a VALUE that parses as JSON is that value.

    >>> parse_params(["entity=law:ottawa-convention", "n=3", 'ids=["a","b"]'])
    {'entity': 'law:ottawa-convention', 'n': 3, 'ids': ['a', 'b']}
    """
    out = {}
    for item in items:
        name, sep, raw = item.partition("=")
        if not sep or not name.isidentifier():
            fail(f"--param {item!r} is not NAME=VALUE", EXIT_USAGE)
        try:
            out[name] = json.loads(raw)
        except ValueError:
            out[name] = raw
    return out
