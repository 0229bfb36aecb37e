"""A local Neo4j Community server for development and CI.

The server is Neo4j embedded in the small JVM launcher kept in
``engine/neo4j_launcher`` (a Maven project). On first use it is built with
Maven into a cache directory keyed by a hash of its sources, so an edited
launcher is rebuilt and an unchanged one never is. The server runs in the
background with Bolt on a loopback port; a state file in its data directory
records its pid and URL so that ``stop`` and ``status`` find it again.

Users with their own server or cluster need none of this: they set
``NEWSGRAPH_STORE=bolt://...`` (or ``neo4j://...``).

>>> launcher_hash() == launcher_hash()
True
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from dataclasses import asdict, dataclass
from pathlib import Path

from newsgraph.engine.errors import ConfigError, StoreUnavailable

LAUNCHER_SOURCE = Path(__file__).parent / "neo4j_launcher"
JAR_NAME = "newsgraph-neo4j-launcher.jar"
STATE_FILE = "newsgraph-neo4j.json"
LOG_FILE = "newsgraph-neo4j.log"
DEFAULT_PORT = 7687
DEFAULT_JAVA_OPTS = ("-Xms256m", "-Xmx1g", "-XX:+UseG1GC")
DEFAULT_PAGECACHE = "256m"
_PAGECACHE = re.compile(r"[1-9][0-9]*[kmg]?")
MIN_JAVA = 17
PASSWORD_ENV = "NEWSGRAPH_NEO4J_PASSWORD"


@dataclass(frozen=True)
class ServerState:
    """A running (or last started) local server, as its state file records it."""

    pid: int
    host: str
    port: int
    data: str
    log: str
    jar: str
    started_at: float
    auth: bool

    @property
    def url(self) -> str:
        return f"bolt://{self.host}:{self.port}"


@dataclass(frozen=True)
class ServerStatus:
    """What ``newsgraph neo4j status`` reports."""

    running: bool
    data: str
    url: str | None = None
    pid: int | None = None
    log: str | None = None


def cache_root() -> Path:
    """Where built launchers are kept: ``$NEWSGRAPH_CACHE_DIR`` or ``$XDG_CACHE_HOME/newsgraph``."""
    if os.environ.get("NEWSGRAPH_CACHE_DIR"):
        return Path(os.environ["NEWSGRAPH_CACHE_DIR"])
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "newsgraph"


def default_data_dir() -> Path:
    """The server's home (databases, logs, state file) unless ``--data`` names another."""
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "newsgraph" / "neo4j"


def _launcher_files() -> list[Path]:
    files = [LAUNCHER_SOURCE / "pom.xml"]
    files += sorted(p for p in (LAUNCHER_SOURCE / "src").rglob("*") if p.is_file())
    return files


def launcher_hash() -> str:
    """A short hash of the launcher's pom and sources: the name of its build in the cache."""
    h = hashlib.sha256()
    for path in _launcher_files():
        h.update(path.relative_to(LAUNCHER_SOURCE).as_posix().encode() + b"\0")
        h.update(path.read_bytes() + b"\0")
    return h.hexdigest()[:16]


def require_java() -> str:
    java = shutil.which("java")
    if java is None:
        raise StoreUnavailable(
            f"the local Neo4j needs Java {MIN_JAVA} or newer, and `java` is not on PATH: install a JDK "
            f"{MIN_JAVA}+ (e.g. apt install openjdk-17-jdk), or point NEWSGRAPH_STORE at your own Neo4j server"
        )
    out = subprocess.run([java, "-version"], capture_output=True, text=True).stderr
    m = re.search(r'version "(\d+)(?:\.(\d+))?', out)
    if m:
        major = int(m.group(1)) if m.group(1) != "1" else int(m.group(2) or 0)
        if major < MIN_JAVA:
            raise StoreUnavailable(
                f"the local Neo4j needs Java {MIN_JAVA} or newer, and `java` is version {major}: "
                f"install a JDK {MIN_JAVA}+ and put it first on PATH"
            )
    return java


def _require_maven() -> str:
    mvn = shutil.which("mvn")
    if mvn is None:
        raise StoreUnavailable(
            "building the local Neo4j launcher needs Maven, and `mvn` is not on PATH: install Maven 3.6+ "
            "(e.g. apt install maven), or point NEWSGRAPH_STORE at your own Neo4j server"
        )
    return mvn


def launcher_jar(*, rebuild: bool = False) -> Path:
    """The launcher's jar, built with Maven into the cache on first use.

    The first build downloads Neo4j Community (about 120 MB of jars) from
    Maven Central into the local Maven repository. Concurrent callers wait
    for one build.
    """
    build_dir = cache_root() / "neo4j-launcher" / launcher_hash()
    jar = build_dir / "target" / JAR_NAME
    if jar.is_file() and not rebuild:
        return jar
    mvn = _require_maven()
    require_java()
    build_dir.parent.mkdir(parents=True, exist_ok=True)
    with open(build_dir.parent / ".build.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if jar.is_file() and not rebuild:
            return jar
        work = Path(tempfile.mkdtemp(prefix="build-", dir=build_dir.parent))
        try:
            shutil.copy2(LAUNCHER_SOURCE / "pom.xml", work / "pom.xml")
            shutil.copytree(LAUNCHER_SOURCE / "src", work / "src")
            done = subprocess.run([mvn, "-q", "-B", "package"], cwd=work, capture_output=True, text=True)
            if done.returncode != 0:
                tail = "\n".join((done.stdout + done.stderr).strip().splitlines()[-15:])
                raise StoreUnavailable(f"building the Neo4j launcher with Maven failed:\n{tail}")
            if build_dir.exists():
                shutil.rmtree(build_dir)
            work.rename(build_dir)
        finally:
            if work.exists():
                shutil.rmtree(work, ignore_errors=True)
    return jar


def free_port(host: str = "127.0.0.1") -> int:
    """A TCP port on ``host`` that nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind((host, 0))
        return s.getsockname()[1]


def _port_in_use(host: str, port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.settimeout(0.5)
        return s.connect_ex((host, port)) == 0


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    cmdline = Path(f"/proc/{pid}/cmdline")
    if cmdline.exists():  # a recycled pid is not our server
        try:
            return JAR_NAME.encode() in cmdline.read_bytes()
        except OSError:
            return False
    return True


def read_state(data: str | Path | None = None) -> ServerState | None:
    """The state file of the server whose home is ``data``, if any."""
    path = Path(data or default_data_dir()) / STATE_FILE
    try:
        return ServerState(**json.loads(path.read_text()))
    except FileNotFoundError:
        return None
    except (ValueError, TypeError) as e:
        raise ConfigError(f"{path} is not a newsgraph Neo4j state file ({e}); delete it") from e


def status(data: str | Path | None = None) -> ServerStatus:
    """Whether the local server with home ``data`` is running, and where."""
    home = Path(data or default_data_dir()).resolve()
    state = read_state(home)
    if state is None or not _alive(state.pid):
        return ServerStatus(running=False, data=str(home))
    return ServerStatus(running=True, data=str(home), url=state.url, pid=state.pid, log=state.log)


def check_pagecache(value: str) -> str:
    """``value`` as the launcher's page cache size (a whole number of bytes, or of k, m or g), or ``ConfigError``.

    >>> check_pagecache(" 2G ")
    '2g'
    >>> check_pagecache("1.5g")
    Traceback (most recent call last):
    ...
    newsgraph.engine.errors.ConfigError: Neo4j page cache '1.5g' is not a size: use a whole number with k, m or g (e.g. 512m, 2g)
    """
    text = str(value).strip().lower()
    if not _PAGECACHE.fullmatch(text):
        raise ConfigError(
            f"Neo4j page cache {value!r} is not a size: use a whole number with k, m or g (e.g. 512m, 2g)"
        )
    return text


def wait_for_bolt(url: str, *, auth: tuple[str, str] | None = None, timeout: float = 60.0) -> None:
    """Block until the Bolt server at ``url`` answers, or raise ``StoreUnavailable`` after ``timeout`` s."""
    import neo4j
    from neo4j import exceptions as neo4j_errors

    deadline = time.monotonic() + timeout
    last: Exception | None = None
    with neo4j.GraphDatabase.driver(url, auth=auth, connection_timeout=2.0) as driver:
        while time.monotonic() < deadline:
            try:
                driver.verify_connectivity()
                return
            except (neo4j_errors.ServiceUnavailable, neo4j_errors.SessionExpired, OSError) as e:
                last = e
                time.sleep(0.2)
    raise StoreUnavailable(f"Neo4j at {url} did not answer within {timeout:.0f} s ({last})")


def start(
    *,
    port: int = DEFAULT_PORT,
    data: str | Path | None = None,
    password: str | None = None,
    host: str = "127.0.0.1",
    timeout: float = 120.0,
    java_opts: tuple[str, ...] = DEFAULT_JAVA_OPTS,
    pagecache: str = DEFAULT_PAGECACHE,
) -> ServerState:
    """Start the local server in the background and wait until Bolt answers.

    ``password`` set: authentication is on and user ``neo4j`` has it (Neo4j
    wants at least 8 characters). Not set: authentication is off, which is
    safe only because the server listens on loopback. If the server of this
    data directory already runs, its state is returned unchanged.
    ``pagecache`` is the memory Neo4j keeps store files in (``512m``, ``2g``);
    a value that is no size raises ``ConfigError`` before anything starts.
    """
    pagecache = check_pagecache(pagecache)
    home = Path(data or default_data_dir()).resolve()
    running = read_state(home)
    if running is not None and _alive(running.pid):
        if running.port != port or running.host != host:
            raise ConfigError(
                f"the Neo4j server of {home} already runs at {running.url}; stop it first to change its port"
            )
        wait_for_bolt(running.url, auth=("neo4j", password or ""), timeout=timeout)
        return running
    if _port_in_use(host, port):
        raise ConfigError(f"port {port} on {host} is taken by another program: choose another with --port")
    java = require_java()
    jar = launcher_jar()
    home.mkdir(parents=True, exist_ok=True)
    log_path = home / LOG_FILE
    env = dict(os.environ)
    env.pop(PASSWORD_ENV, None)
    args = [java, *java_opts, "-jar", str(jar), "--data", str(home), "--host", host, "--port", str(port),
            "--pagecache", pagecache]
    if password:
        # the password travels in the environment, not on the command line where `ps` shows it
        env[PASSWORD_ENV] = password
    log_offset = log_path.stat().st_size if log_path.exists() else 0
    with open(log_path, "ab") as log:
        proc = subprocess.Popen(
            args, stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT, env=env, start_new_session=True
        )
    state = ServerState(
        pid=proc.pid,
        host=host,
        port=port,
        data=str(home),
        log=str(log_path),
        jar=str(jar),
        started_at=time.time(),
        auth=bool(password),
    )
    _write_state(home, state)
    deadline = time.monotonic() + timeout
    try:
        _wait_ready(proc, log_path, log_offset, deadline)
        wait_for_bolt(state.url, auth=("neo4j", password or ""), timeout=max(1.0, deadline - time.monotonic()))
    except BaseException:
        _terminate(proc.pid, timeout=30)
        (home / STATE_FILE).unlink(missing_ok=True)
        raise
    return state


def _write_state(home: Path, state: ServerState) -> None:
    tmp = home / (STATE_FILE + ".tmp")
    tmp.write_text(json.dumps(asdict(state), indent=2))
    tmp.replace(home / STATE_FILE)


def _wait_ready(proc: subprocess.Popen, log_path: Path, offset: int, deadline: float) -> None:
    """Wait for the launcher's ``READY`` line; a launcher that exits first is an error with its log."""
    while time.monotonic() < deadline:
        with open(log_path, "rb") as f:
            f.seek(offset)
            text = f.read().decode(errors="replace")
        if "\nREADY " in "\n" + text:
            return
        if proc.poll() is not None:
            tail = "\n".join(text.strip().splitlines()[-10:])
            raise StoreUnavailable(f"the local Neo4j exited with status {proc.returncode}:\n{tail}")
        time.sleep(0.1)
    raise StoreUnavailable(f"the local Neo4j did not start in time; see {log_path}")


def _terminate(pid: int, *, timeout: float) -> bool:
    """SIGTERM, wait up to ``timeout`` s, then SIGKILL; True if it stopped cleanly."""
    try:
        os.kill(pid, signal.SIGTERM)
    except ProcessLookupError:
        return True
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            done, _ = os.waitpid(pid, os.WNOHANG)  # reap it if we are its parent
            if done == pid:
                return True
        except ChildProcessError:
            pass
        if not _alive(pid):
            return True
        time.sleep(0.1)
    try:
        os.kill(pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    return False


def stop(data: str | Path | None = None, *, timeout: float = 60.0) -> bool:
    """Stop the local server of ``data`` (SIGTERM, so Neo4j shuts down cleanly).

    Returns False if no server was running. A server that does not stop within
    ``timeout`` seconds is killed, and ``StoreUnavailable`` says so.
    """
    home = Path(data or default_data_dir()).resolve()
    state = read_state(home)
    if state is None:
        return False
    was_running = _alive(state.pid)
    clean = _terminate(state.pid, timeout=timeout) if was_running else True
    (home / STATE_FILE).unlink(missing_ok=True)
    if not clean:
        raise StoreUnavailable(f"the local Neo4j (pid {state.pid}) did not stop in {timeout:.0f} s and was killed")
    return was_running
