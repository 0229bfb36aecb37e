"""Build the local Neo4j's database from a store in one offline import: the fast way into an empty Neo4j.

``newsgraph sync`` writes through Bolt, a transaction at a time, and the
server's work per relationship bounds it (docs/benchmarks.md). Into the local
server (:mod:`engine.neo4j_server`), while it is stopped, the graph can instead
be written as CSV files and built by Neo4j's own offline importer (``neo4j-admin
database import full``, part of Neo4j Community and already on the launcher's
class path), which writes the store files directly.

The database comes out as ``sync`` into an empty Neo4j leaves it: the same
nodes, relationships and properties, with what the Neo4j store keeps besides
the declared properties computed here as its Cypher computes them (a story's
``rank``, an article's ``outlet_ids``, a co-mention pair's ``key`` and ranks;
:mod:`graph_schema.cypher`), and the stories' stored key points and sides. The
constraints and indexes are created when the server is next connected to, as
for any database, and :func:`import_graph` does that itself after starting the
server, waiting until every index is online.

Nothing stored is lost by accident: the import refuses a server that is
running, and a data directory that already has a database unless asked to
replace it. A relationship whose end is not in the source is reported before
anything is written.
"""

from __future__ import annotations

import json
import math
import os
import shutil
import subprocess
import tempfile
import time
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any, Callable, Iterable

from newsgraph.engine import neo4j_server
from newsgraph.engine.errors import ConfigError, StoreError
from newsgraph.engine.store.base import GraphStore
from newsgraph.engine.store.neo4j.values import to_epoch_seconds, to_neo4j_time, to_properties
from newsgraph.engine.store.rows import from_iso, summary_rows
from newsgraph.graph_schema import LABELS, RELATIONSHIPS
from newsgraph.graph_schema.model import STORY_SUMMARY
from newsgraph.graph_schema import cypher as q

DATABASE = "neo4j"
"The one user database of Neo4j Community, which the local server serves."

IMPORT_JAVA_OPTS = ("-Xms256m", "-Xmx2g", "-XX:+UseG1GC")

ARRAY_DELIMITER = "\x1f"
"Between the items of a list property in a CSV field: a control character no id holds."

_CSV_TYPES = {"text": "", "json": "", "int": ":long", "float": ":double", "bool": ":boolean",
              "datetime": ":datetime"}


@dataclass
class ImportReport:
    """What an offline import wrote, and how long its parts took (seconds)."""

    nodes: dict[str, int] = field(default_factory=dict)
    relationships: dict[str, int] = field(default_factory=dict)
    summaries: int = 0
    seconds: dict[str, float] = field(default_factory=dict)
    "``files`` (reading the source, writing CSV), ``import`` (Neo4j's importer), ``start`` (server, schema, indexes)."

    @property
    def total(self) -> int:
        return sum(self.nodes.values()) + sum(self.relationships.values())

    def to_dict(self) -> dict[str, Any]:
        return {"nodes": self.nodes, "relationships": self.relationships, "total": self.total,
                "summaries": self.summaries, "seconds": self.seconds}


def database_dir(home: Path) -> Path:
    """Where the local server of ``home`` keeps its graph's store files."""
    return home / "data" / "databases" / DATABASE


def check_target(home: Path, *, replace: bool) -> None:
    """Refuse, with the fix, to import into a running server or over a database not to be replaced."""
    if neo4j_server.status(home).running:
        raise ConfigError(f"the local Neo4j of {home} is running: stop it first (newsgraph neo4j stop), "
                          "the import writes its store files directly")
    if database_dir(home).exists() and not replace:
        raise ConfigError(f"{home} already has a Neo4j database: use --replace to delete it and build it again "
                          "from the source, or sync into it (newsgraph sync), which keeps what it holds")


def import_graph(
    source: GraphStore,
    data: str | Path | None = None,
    *,
    replace: bool = False,
    start: bool = True,
    port: int = neo4j_server.DEFAULT_PORT,
    password: str | None = None,
    pagecache: str = neo4j_server.DEFAULT_PAGECACHE,
    timeout: float = 600.0,
    java_opts: tuple[str, ...] = neo4j_server.DEFAULT_JAVA_OPTS,
    on_progress: Callable[[int], None] | None = None,
    on_stage: Callable[[str], None] | None = None,
) -> ImportReport:
    """Build the local server's database (data directory ``data``) from every node and relationship of ``source``.

    With ``start`` the server is then started (``port``, ``password``, ``pagecache``, ``java_opts`` as for
    :func:`~engine.neo4j_server.start`), its schema created and every index waited for, so the graph is
    ready to read when this returns; without, the first connection creates the schema.
    ``on_progress`` is called with the number of graph elements written to the files so far, ``on_stage``
    with a line saying what starts when the files are written (the importer, the server).
    """
    home = Path(data or neo4j_server.default_data_dir()).resolve()
    check_target(home, replace=replace)
    report = ImportReport()
    home.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix="import-", dir=home))
    try:
        t = time.perf_counter()
        args = _write_files(source, work, report, on_progress)
        report.seconds["files"] = round(time.perf_counter() - t, 3)
        t = time.perf_counter()
        if on_stage:
            on_stage(f"building the database from {report.total} graph elements with Neo4j's importer")
        _run_importer(home, work, args, replace=replace)
        report.seconds["import"] = round(time.perf_counter() - t, 3)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    if start:
        t = time.perf_counter()
        if on_stage:
            on_stage("starting Neo4j on it and building its indexes")
        _start_and_index(home, port=port, password=password, pagecache=pagecache, timeout=timeout,
                         java_opts=java_opts)
        report.seconds["start"] = round(time.perf_counter() - t, 3)
    return report


# -- the CSV files ----------------------------------------------------------------------------------------


def _write_files(source: GraphStore, work: Path, report: ImportReport,
                 on_progress: Callable[[int], None] | None) -> list[str]:
    """Write one CSV file per label and relationship type; return the importer's arguments naming them."""
    done = 0

    def tick(n: int) -> None:
        nonlocal done
        done += n
        if on_progress:
            on_progress(done)

    # an article keeps its publishers' ids (end_keeps), in the order the relationships come, each once
    kept: dict[str, dict[str, list[str]]] = {}
    for rel in RELATIONSHIPS.values():
        if rel.end_keeps:
            lists = kept.setdefault(rel.end, {})
            for row in _relationship_rows(source, rel):
                listed = lists.setdefault(row["end_id"], [])
                if row["start_id"] not in listed:
                    listed.append(row["start_id"])
    args: list[str] = []
    keys: dict[str, set[str]] = {}
    spans: dict[str, tuple[int | None, int | None]] = {}  # story id -> its first and last article, epoch seconds
    for label in LABELS.values():
        path = work / f"{label.table}.csv"
        lists = {rel.end_keeps: kept[label.name] for rel in RELATIONSHIPS.values()
                 if rel.end_keeps and rel.end == label.name}
        extra = [(name, "string[]") for name in lists] + ([("rank", "")] if label.name == "Story" else [])
        columns = [(p.name, _FORMATS[p.type]) for p in label.properties]
        seen = keys[label.name] = set()
        with open(path, "w", encoding="utf-8", newline="") as out:
            out.write(_header(label.name, label.key, label.properties, extra))
            lines = []
            for row in source.iter_nodes(label.name):
                key = row[label.key]
                if key in seen:
                    raise StoreError(f"the source holds two {label.name} nodes with {label.key} {key!r}")
                seen.add(key)
                fields = [fmt(row.get(name)) for name, fmt in columns]
                fields += [_list(held.get(key)) for held in lists.values()]
                if label.name == "Story":
                    rank, spans[key] = _story_keys(row)
                    fields.append(_text(rank))
                lines.append(",".join(fields) + "\n")
                if len(lines) == _LINES:
                    out.writelines(lines)
                    lines.clear()
            out.writelines(lines)
        report.nodes[label.name] = len(seen)
        tick(len(seen))
        args.append(f"--nodes={label.name}={path}")
    for rel in RELATIONSHIPS.values():
        path = work / f"{rel.table}.csv"
        extra = [("key", ""), ("start_rank", ""), ("end_rank", "")] if rel.pair else []
        if rel.name == "ABOUT":
            extra.append(("span", ""))
        columns = [(p.name, _FORMATS[p.type]) for p in rel.properties]
        starts, ends = keys[rel.start], keys[rel.end]
        with open(path, "w", encoding="utf-8", newline="") as out:
            out.write(_relationship_header(rel, extra))
            n = 0
            lines = []
            for row in _relationship_rows(source, rel):
                start, end = row["start_id"], row["end_id"]
                if start not in starts or end not in ends:
                    missing = f"{rel.start} {start!r}" if start not in starts else f"{rel.end} {end!r}"
                    raise StoreError(f"a {rel.name} relationship of the source refers to {missing}, which it does "
                                     "not hold: nothing was imported")
                fields = [_text(start), _text(end), *[fmt(row.get(name)) for name, fmt in columns]]
                if rel.pair:
                    articles = row.get("articles")
                    start_rank, end_rank = q.pair_ranks(start, end, None if articles is None else int(articles))
                    fields += [_text(f"{start} {end}"), _text(start_rank), _text(end_rank)]
                if rel.name == "ABOUT":
                    fields.append(_text(q.about_span(end, *spans[start])))
                lines.append(",".join(fields))
                n += 1
                if len(lines) == _LINES:
                    out.write("\n".join(lines) + "\n")
                    lines.clear()
            if lines:
                out.write("\n".join(lines) + "\n")
        report.relationships[rel.name] = n
        tick(n)
        args.append(f"--relationships={rel.name}={path}")
    path = work / f"{STORY_SUMMARY.table}.csv"
    columns = [(p.name, _FORMATS[p.type]) for p in STORY_SUMMARY.properties]
    with open(path, "w", encoding="utf-8", newline="") as out:
        out.write(_header(STORY_SUMMARY.name, STORY_SUMMARY.key, STORY_SUMMARY.properties, []))
        for row in summary_rows(list(source.iter_story_summaries()), to_neo4j_time):
            out.write(",".join([fmt(row.get(name)) for name, fmt in columns]) + "\n")
            report.summaries += 1
    args.append(f"--nodes={STORY_SUMMARY.name}={path}")
    return args


_LINES = 10_000
"CSV lines written at a time."


def _relationship_rows(source: GraphStore, rel) -> Iterable[dict[str, Any]]:
    """The source's rows of ``rel``; of a type with one per start node, the last row of each start wins, as
    successive writes of the other paths leave it."""
    rows = source.iter_relationships(rel.name)
    if not rel.one_per_start:
        return rows
    return list({r["start_id"]: r for r in rows}.values())


def _story_keys(row: dict[str, Any]) -> tuple[str, tuple[int | None, int | None]]:
    """A story's ``rank`` and its first and last article in epoch seconds (rounded down, as Neo4j's
    ``epochSeconds`` gives them, for its relationships' spans), from the values the Neo4j store writes."""
    props = to_properties(LABELS["Story"].properties, row)
    first, last = (None if props.get(name) is None else to_epoch_seconds(props[name])
                   for name in ("first_published", "last_published"))
    rank = q.story_rank(props["id"], props.get("source_count"), props.get("article_count"),
                        None if first is None else first * 1000)
    return rank, (first, last)


def _header(label: str, key: str, properties, extra: list[tuple[str, str]]) -> str:
    names = [f"{p.name}:ID({label})" if p.name == key else p.name + _CSV_TYPES[p.type] for p in properties]
    names += [name + (":" + kind if kind else "") for name, kind in extra]
    return _line(names)


def _relationship_header(rel, extra: list[tuple[str, str]]) -> str:
    names = [f":START_ID({rel.start})", f":END_ID({rel.end})", *(p.name + _CSV_TYPES[p.type] for p in rel.properties)]
    return _line(names + [name for name, _ in extra])


def _line(names: list[str]) -> str:
    """A header line (the names are the schema's: no comma, no quote)."""
    return ",".join(names) + "\n"


# One CSV field per declared property type, as the importer reads it: text always quoted (an empty text stays a
# property), no value at all an empty field (no property); the values converted as the Neo4j store converts them
# (engine/store/neo4j/values.py: times in UTC to the second, JSON as sorted text)


def _text(value: str | None) -> str:
    """A text field.

    >>> [_text(v) for v in ('say "no" now', "", None)]
    ['"say ""no"" now"', '""', '']
    """
    if value is None:
        return ""
    return '"' + value.replace('"', '""') + '"' if '"' in value else '"' + value + '"'


def _json(value: Any) -> str:
    if value is None or isinstance(value, str):
        return _text(value)
    return _text(json.dumps(value, sort_keys=True, ensure_ascii=False))


def _int(value: Any) -> str:
    return "" if value is None else str(int(value))


def _float(value: Any) -> str:
    """A float field: what Java reads back as the same double.

    >>> [_float(v) for v in (0.1, 2, float("nan"), float("-inf"), None)]
    ['0.1', '2.0', 'NaN', '-Infinity', '']
    """
    if value is None:
        return ""
    value = float(value)
    if math.isnan(value):
        return "NaN"
    if math.isinf(value):
        return "Infinity" if value > 0 else "-Infinity"
    return repr(value)


def _bool(value: Any) -> str:
    return "" if value is None else ("true" if value else "false")


def _datetime(value: Any) -> str:
    if value is None:
        return ""
    return to_neo4j_time(value if isinstance(value, datetime) else from_iso(value)).strftime("%Y-%m-%dT%H:%M:%SZ")


def _list(values: list[str] | None) -> str:
    """A list of texts (an absent or empty one: no property, as the Neo4j store never writes an empty list).

    >>> _list(["cnn.com", "bbc.co.uk"])
    '"cnn.com\\x1fbbc.co.uk"'
    """
    return _text(ARRAY_DELIMITER.join(values)) if values else ""


_FORMATS: dict[str, Callable[[Any], str]] = {"text": _text, "json": _json, "int": _int, "float": _float,
                                               "bool": _bool, "datetime": _datetime}


# -- Neo4j's importer and the first start ----------------------------------------------------------------


def _run_importer(home: Path, work: Path, files: list[str], *, replace: bool) -> None:
    java = neo4j_server.require_java()
    jar = neo4j_server.launcher_jar()
    classpath = os.pathsep.join([str(jar), str(jar.parent / "lib" / "*")])
    args = [java, *IMPORT_JAVA_OPTS, "-cp", classpath, "org.neo4j.cli.AdminTool", "database", "import", "full",
            DATABASE, *files, "--multiline-fields=true", f"--array-delimiter={ARRAY_DELIMITER}",
            f"--report-file={work / 'import.report'}"]
    if replace:
        args.append("--overwrite-destination=true")
    env = {**os.environ, "NEO4J_HOME": str(home)}
    try:
        done = subprocess.run(args, cwd=work, env=env, capture_output=True, text=True)
    except BaseException:  # interrupted: what the importer wrote so far is no database
        _remove_database(home)
        raise
    if done.returncode != 0:
        _remove_database(home)
        lines = [ln for ln in (done.stdout + done.stderr).splitlines() if ln.strip() and not ln.startswith(".")]
        raise StoreError("Neo4j's importer failed (the partial database was removed):\n" + "\n".join(lines[-15:]))


def _remove_database(home: Path) -> None:
    """Delete the store files and transaction logs of the imported database (a failed import leaves them unusable)."""
    shutil.rmtree(database_dir(home), ignore_errors=True)
    shutil.rmtree(home / "data" / "transactions" / DATABASE, ignore_errors=True)


def _start_and_index(home: Path, *, port: int, password: str | None, pagecache: str, timeout: float,
                     java_opts: tuple[str, ...]) -> None:
    """Start the server on the imported database, create its schema and wait until every index is online."""
    import neo4j

    from newsgraph.engine.store.neo4j import Neo4jStore

    state = neo4j_server.start(port=port, data=home, password=password, timeout=timeout, pagecache=pagecache,
                               java_opts=java_opts)
    driver = neo4j.GraphDatabase.driver(state.url, auth=("neo4j", password) if password else None,
                                        notifications_min_severity="OFF")
    try:
        store = Neo4jStore(driver, DATABASE, url=state.url)  # connecting creates the schema
        driver.execute_query(q.AWAIT_INDEXES, seconds=int(timeout), database_=DATABASE)
        store.close()
    finally:
        driver.close()
