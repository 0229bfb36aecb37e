from dataclasses import dataclass
from pathlib import Path

import pytest

from newsgraph.engine.config import Settings, from_environment, get_settings, settings_markdown
from newsgraph.engine.errors import ConfigError

DOCS = Path(__file__).resolve().parents[2] / "docs"


def test_environment_then_overrides(monkeypatch):
    monkeypatch.setenv("NEWSGRAPH_STORY_THRESHOLD", "0.5")
    monkeypatch.setenv("NEWSGRAPH_STORE", "sqlite:///env.db")
    s = get_settings(store="sqlite:///cli.db", batch_size=None)
    assert s.story_threshold == 0.5 and s.store == "sqlite:///cli.db" and s.batch_size == 500


def test_bad_environment_value_names_the_variable(monkeypatch):
    monkeypatch.setenv("NEWSGRAPH_BATCH_SIZE", "lots")
    with pytest.raises(ConfigError, match="NEWSGRAPH_BATCH_SIZE"):
        get_settings()


@dataclass(frozen=True)
class WithSwitch(Settings):
    """Settings with a boolean field, read the way every field is (a declared optional float among them)."""

    progress: bool = True
    cache_seconds: float | None = None


@pytest.mark.parametrize(("raw", "expected"), [("false", False), ("0", False), ("no", False), ("Off", False),
                                               (" FALSE ", False), ("true", True), ("1", True), ("yes", True),
                                               ("on", True)])
def test_a_boolean_setting_reads_words_not_python_truth(raw, expected):
    assert from_environment({"NEWSGRAPH_PROGRESS": raw}, WithSwitch) == {"progress": expected}


def test_an_unreadable_boolean_names_the_variable():
    with pytest.raises(ConfigError, match=r"NEWSGRAPH_PROGRESS='maybe' is not a valid bool"):
        from_environment({"NEWSGRAPH_PROGRESS": "maybe"}, WithSwitch)


def test_each_value_takes_its_declared_type(monkeypatch):
    values = from_environment({"NEWSGRAPH_CACHE_SECONDS": "2", "NEWSGRAPH_STORY_WINDOW_HOURS": "12",
                               "NEWSGRAPH_BATCH_SIZE": "7", "NEWSGRAPH_API_KEY": "0", "NEWSGRAPH_PROGRESS": ""},
                              WithSwitch)
    assert values == {"cache_seconds": 2.0, "story_window_hours": 12.0, "batch_size": 7, "api_key": "0"}
    assert all(type(values[k]) is t for k, t in
               (("cache_seconds", float), ("story_window_hours", float), ("batch_size", int), ("api_key", str)))
    monkeypatch.setenv("NEWSGRAPH_NETWORK_ALPHA", "0.01")
    assert get_settings().network_alpha == 0.01


def test_settings_doc_is_current():
    assert (DOCS / "settings.md").read_text(encoding="utf-8") == settings_markdown()
    assert "NEWSGRAPH_STORY_WINDOW_HOURS" in settings_markdown()


@pytest.mark.parametrize("raw, value", [("true", True), ("1", True), ("Yes", True), ("false", False), ("0", False),
                                        ("off", False)])
def test_switches_are_read_by_their_words(monkeypatch, raw, value):
    monkeypatch.setenv("NEWSGRAPH_FEED_ALLOW_PRIVATE", raw)
    assert get_settings().feed_allow_private is value


def test_a_switch_that_is_no_word_for_on_or_off_names_the_variable(monkeypatch):
    monkeypatch.setenv("NEWSGRAPH_FEED_ALLOW_PRIVATE", "maybe")
    with pytest.raises(ConfigError, match="NEWSGRAPH_FEED_ALLOW_PRIVATE='maybe' is not a valid bool"):
        get_settings()
