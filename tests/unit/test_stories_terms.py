"""An article's clustering terms: the same words whatever case, punctuation and spacing they come in."""

from __future__ import annotations

import re

import pytest

from newsgraph.engine.stories.features import STOP_WORDS, stem, terms, text_counts

# what the tokeniser is defined to do: the word pattern on the lowercased text, possessives dropped,
# stop words out, plurals folded
_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)*")


def _by_definition(text: str) -> list[str]:
    out = []
    for word in _WORD.findall(text.lower()):
        word = re.sub(r"['’]s$", "", word)
        if word in STOP_WORDS:
            continue
        word = stem(word)
        if word and word not in STOP_WORDS:
            out.append(word)
    return out


TEXTS = [
    "Biden's $1.2 trillion plan clears the House",
    "BIDEN’S plan, Biden's plan; biden's PLAN... (plans)",
    "U.S. troops leave Kabul—\u201cmission over,\u201d Pentagon says",
    "Rock'n'roll isn't dead: 'tis the fans' year_end show",
    "ΟΔΥΣΣΕΥΣ ΚΑΙ ΣΟΦΟΣ: Greek capitals, final sigma",
    "non\u00a0breaking\u2003spaces\tand\nnew\x1clines",
    "İstanbul Straße ǅemal ﬁnance ½ ²3 ٣ digits",
    "emoji 🎉party🎉 and #hashtags @handles e-mail well-known",
    "",
]


@pytest.mark.parametrize("text", TEXTS)
def test_terms_follow_the_word_pattern_on_any_text(text):
    assert terms(text) == _by_definition(text)


def test_the_same_text_gives_the_same_terms_the_second_time():
    text = "Senators pass the bills, Senators' votes counted; SENATORS PASS"
    first = terms(text)
    assert terms(text) == first == ["senator", "pass", "bill", "senator", "vote", "counted", "senator", "pass"]


def test_title_words_outweigh_body_words_in_any_case_or_punctuation():
    counts = text_counts("Flood hits Valencia", None, "FLOOD, flood... Valencia's mayor")
    assert counts == {"flood": 3.0, "hit": 2.0, "valencia": 2.5, "mayor": 0.5}
