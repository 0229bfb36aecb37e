"""Regenerate docs/settings.md from the settings' own help text (a test keeps the two in step)."""

from pathlib import Path

from newsgraph.engine.config import settings_markdown

if __name__ == "__main__":
    Path(__file__).resolve().parents[1].joinpath("docs", "settings.md").write_text(settings_markdown(), encoding="utf-8")
