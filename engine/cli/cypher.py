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
    as_json: bool = JsonOpt,
) -> None:
    """Run a read-only Cypher query against a Neo4j store; writes are refused."""
    from newsgraph.engine.config import get_settings
    from newsgraph.engine.errors import ConfigError
    from newsgraph.engine.store.open import NEO4J_SCHEMES

    try:
        url = get_settings(store=store).store
    except ConfigError as e:
        fail(str(e), EXIT_USAGE)
    if url.split("://", 1)[0] not in NEO4J_SCHEMES:
        fail(f"cypher needs a Neo4j store and the store is {url}; copy the graph into Neo4j first: "
             f"newsgraph sync --from {url} --to bolt://HOST:PORT, then --store bolt://HOST:PORT", EXIT_USAGE)
    params = parse_params(param or [])
    with store_session(url) as (st, _):
        columns, rows = st.run_read_query(query, params)
    if as_json:
        emit_json({"columns": columns, "data": [dict(zip(columns, r)) for r in rows], "count": len(rows)})
        return
    typer.echo("\t".join(columns))
    for r in rows:
        typer.echo("\t".join(v if isinstance(v, str) else json.dumps(v, ensure_ascii=False, default=str) for v in r))
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
