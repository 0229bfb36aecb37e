"""docs/security.md names a test for each defence: every test it names must exist."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
_REF = re.compile(r"`((?:[\w/]+\.py)?)::(\w+)`")


def named_tests() -> list[tuple[str, str]]:
    """``(file, test)`` for every reference; ``::name`` alone belongs to the file named before it in its row."""
    out = []
    for row in (ROOT / "docs" / "security.md").read_text(encoding="utf-8").splitlines():
        current = None
        for file, name in _REF.findall(row):
            current = file or current
            out.append((current, name))
    return out


def test_every_test_the_security_doc_names_exists():
    refs = named_tests()
    assert len(refs) > 20
    missing = []
    for file, name in refs:
        candidates = [ROOT / file] if "/" in file else list((ROOT / "tests").rglob(file))
        if not any(p.exists() and re.search(rf"^def {name}\(", p.read_text(encoding="utf-8"), re.M)
                   for p in candidates):
            missing.append(f"{file}::{name}")
    assert not missing, f"docs/security.md names tests that do not exist: {missing}"
