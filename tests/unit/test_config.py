from pathlib import Path

import pytest

from newsgraph.engine.config import get_settings, settings_markdown
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
    with pytest.raises(ConfigError, match="NEWSGRAPH_FEED_ALLOW_PRIVATE='maybe' is not a valid switch"):
        get_settings()
