"""``Ingestor.ingest_records``: records in hand (a request body, a fetched feed) go through the file pipeline."""

from __future__ import annotations

import json

import pytest

from newsgraph.engine.config import get_settings
from newsgraph.engine.errors import InputError
from newsgraph.engine.ingest import Located, Record, read_articles
from newsgraph.engine.models import Entity, Mention
from newsgraph.engine.nlp.extract import ArticleEntities
from newsgraph.engine.pipeline import Ingestor
from newsgraph.engine.store.sqlite import SQLiteStore
from tests.corpus import articles

GOOD = {"url": "https://www.cnn.com/2025/04/09/volcano.html?utm_source=rss", "title": "Iceland volcano erupts",
        "published_at": "2025-04-09T06:00:00Z", "lead": "Lava flowed towards Grindavik.", "outlet": "cnn.com"}
OTHER = {"url": "https://www.foxnews.com/2025/04/09/volcano.html", "title": "Volcano in Iceland erupts again",
         "published_at": "2025-04-09T08:00:00Z", "outlet": "foxnews.com"}


class TitleNer:
    """Stands in for spaCy: the title's capitalised words as GPE."""

    def extract(self, items):
        out = []
        for a in items:
            ents = tuple(Entity(f"gpe:{w.lower()}", w, "GPE") for w in a.title.split() if w.istitle())
            out.append(ArticleEntities(a.id, ents, tuple(Mention(a.id, e.id, 1, True) for e in ents)))
        return out


@pytest.fixture
def store(tmp_path):
    s = SQLiteStore(tmp_path / "g.db")
    yield s
    s.close()


def ingestor(store, **settings):
    return Ingestor(store, get_settings(**settings), extractor=TitleNer())


def as_request(*records) -> list[Record]:
    return [Record(fields, "articles", index=i) for i, fields in enumerate(records)]


def story_of(store) -> dict[str, str]:
    return {row["url"]: row["story_id"] for row in store.export_articles()}


def test_good_records_land_and_bad_ones_are_reported_where_they_are(store):
    bad_date = {**OTHER, "published_at": "2025-02-30"}
    not_json = {**OTHER, "score": float("nan")}
    report = ingestor(store).ingest_records(as_request(GOOD, {"url": OTHER["url"]}, bad_date, ["a", "list"], not_json,
                                                       OTHER))
    assert (report.read, report.stored, report.rejected) == (6, 2, 4)
    assert report.problems == [
        "articles[1]: missing required field title",
        "articles[2]: published_at '2025-02-30' is not a valid ISO 8601 date: day is out of range for month",
        "articles[3]: expected an object of fields, got list",
        "articles[4]: score is nan, which is not valid JSON",
    ]
    assert sorted(story_of(store)) == ["https://cnn.com/2025/04/09/volcano.html",
                                       "https://foxnews.com/2025/04/09/volcano.html"]


def test_what_a_reader_gave_passes_with_its_own_location(store, tmp_path):
    path = tmp_path / "in.jsonl"
    path.write_text(json.dumps(GOOD) + "\n{not json\n", encoding="utf-8")
    read = list(read_articles(path))
    assert isinstance(read[0], Located) and isinstance(read[1], InputError)
    report = ingestor(store).ingest_records([*read, Record(OTHER, "pasted", line=1)])
    assert (report.stored, report.rejected) == (2, 1)
    assert report.problems == [f"{path}:2: invalid JSON (Expecting property name enclosed in double quotes at column 2)"]


def test_duplicates_and_conflicts_name_the_records_involved(store):
    given = {"id": "wire-1", "title": "Volcano erupts", "published_at": "2025-04-09", "outlet": "apnews.com"}
    records = as_request(GOOD, GOOD, given, {**given, "title": "Volcano erupts again"})
    report = ingestor(store).ingest_records(records)
    assert (report.stored, report.duplicates, report.rejected) == (2, 1, 1)
    assert report.duplicate_notes == ["articles[1]: exact duplicate of articles[0]"]
    assert report.problems == ["articles[3]: id 'wire-1' already used by articles[2] with different content"]
    # a later run that reuses the stored id for other content is rejected at its own index
    later = ingestor(store).ingest_records(as_request(OTHER, {**given, "title": "Volcano quiet"}))
    assert later.problems == ["articles[1]: id 'wire-1' already used by an article already stored with different content"]


def test_ingesting_the_same_records_again_changes_nothing(store):
    records = as_request(*articles(), {"title": "no date"})
    first = ingestor(store).ingest_records(records)
    assert (first.stored, first.rejected, first.stories_new) == (12, 1, 3)
    before = (store.stats(), story_of(store))
    again = ingestor(store).ingest_records(records)
    assert (again.stored, again.already_stored, again.rejected, again.stories_new) == (0, 12, 1, 0)
    assert (store.stats(), story_of(store)) == before


def test_records_give_the_same_stories_as_the_file_of_the_same_records(tmp_path):
    path = tmp_path / "corpus.jsonl"
    path.write_text("".join(json.dumps(a) + "\n" for a in articles()), encoding="utf-8")
    by_file, by_records = SQLiteStore(tmp_path / "file.db"), SQLiteStore(tmp_path / "records.db")
    try:
        ingestor(by_file).ingest([str(path)])
        # in small batches, as a caller streaming records would hand them over
        ingestor(by_records, batch_size=5).ingest_records(
            Record(a, "corpus", index=i) for i, a in enumerate(articles()))
        assert story_of(by_records) == story_of(by_file)
        assert len(set(story_of(by_file).values())) == 3
        assert by_records.stats() == by_file.stats()
    finally:
        by_file.close()
        by_records.close()


def test_text_that_utf8_cannot_carry_is_one_bad_record(store, tmp_path):
    # a JSON escape can name a lone surrogate, which no UTF-8 store can write
    path = tmp_path / "in.jsonl"
    path.write_text(json.dumps({**GOOD, "title": "Lava \ud800"}) + "\n" + json.dumps(OTHER) + "\n", encoding="utf-8")
    report = ingestor(store).ingest([str(path)])
    assert report.stored == 1
    assert report.problems == [f"{path}:1: title is not UTF-8 (a lone surrogate at character 5)"]


def test_only_records_are_taken(store):
    with pytest.raises(TypeError, match="not dict"):
        ingestor(store).ingest_records([GOOD])


def test_headline_only_evaluation_reports_bad_records_where_they_were_read(tmp_path):
    from newsgraph.engine.evaluation import evaluate_stories, headlines_only

    path = tmp_path / "corpus.jsonl"
    path.write_text("".join(json.dumps(a) + "\n" for a in articles()) + '{"title": "no date", "gold": "x"}\n',
                    encoding="utf-8")
    [first] = list(headlines_only(iter(list(read_articles(path))[:1])))
    assert (first.article.lead, first.article.text, first.location) == (None, None, f"{path}:1")
    ev = evaluate_stories([str(path)], "gold", get_settings(), extractor=TitleNer(), headline_only=True)
    assert ev.scores.n_items == 12 and ev.ingest.rejected == 1
    assert ev.ingest.problems == [f"{path}:13: missing required field published_at"]


class FailingNer(TitleNer):
    """Stands in for a model that cannot read one record: any batch holding a title with ``BOOM`` fails."""

    def extract(self, items):
        if any("BOOM" in a.title for a in items):
            raise ValueError("[E088] Text of length 1000001 exceeds maximum of 1000000")
        return super().extract(items)


def test_a_record_that_fails_in_ner_is_rejected_and_the_rest_of_its_batch_lands(store):
    third = {**OTHER, "url": "https://apnews.com/volcano", "title": "BOOM volcano", "outlet": "apnews.com"}
    report = Ingestor(store, get_settings(), extractor=FailingNer()).ingest_records(as_request(GOOD, third, OTHER))
    assert (report.stored, report.rejected) == (2, 1)
    assert report.problems == ["articles[1]: failed in entities: ValueError: [E088] Text of length 1000001 "
                               "exceeds maximum of 1000000"]
    assert sorted(story_of(store)) == ["https://cnn.com/2025/04/09/volcano.html",
                                       "https://foxnews.com/2025/04/09/volcano.html"]


def test_when_every_record_alone_fails_the_error_is_the_batchs_not_theirs(store):
    records = as_request({**GOOD, "title": "BOOM one"}, {**OTHER, "title": "BOOM two"})
    with pytest.raises(ValueError, match="E088"):
        Ingestor(store, get_settings(), extractor=FailingNer()).ingest_records(records)


class RefusingStore:
    """A store whose article writes fail for any batch holding the foxnews.com article."""

    def __init__(self, inner):
        self.inner = inner

    def __getattr__(self, name):
        return getattr(self.inner, name)

    def upsert_articles(self, rows):
        from newsgraph.engine.errors import StoreError

        if any(r.article.outlet_id == "foxnews.com" for r in rows):
            raise StoreError("writing a batch of articles failed: value too big")
        return self.inner.upsert_articles(rows)


def test_a_record_the_store_refuses_is_rejected_and_the_rest_lands(store):
    third = {**OTHER, "url": "https://apnews.com/volcano", "title": "Volcano again", "outlet": "apnews.com"}
    report = ingestor(RefusingStore(store)).ingest_records(as_request(GOOD, OTHER, third))
    assert (report.stored, report.rejected) == (2, 1)
    assert report.problems == ["articles[1]: failed in storage: StoreError: writing a batch of articles failed: "
                               "value too big"]
    assert sorted(story_of(store)) == ["https://apnews.com/volcano", "https://cnn.com/2025/04/09/volcano.html"]


def test_a_store_that_is_down_is_not_blamed_on_the_records(store):
    from newsgraph.engine.errors import StoreUnavailable

    class Down(RefusingStore):
        def upsert_articles(self, rows):
            raise StoreUnavailable("the store went away")

    with pytest.raises(StoreUnavailable):
        ingestor(Down(store)).ingest_records(as_request(GOOD))


def test_every_field_is_capped_and_each_cut_is_noted(store):
    huge = {**GOOD, "title": "Lava " * 250_001, "lead": "x" * 200_000, "text": "y" * 2_000_000,
            "dump": "z" * 50_000_000, "tags": list(range(10))}
    report = ingestor(store).ingest_records(as_request(huge, OTHER))
    assert (report.stored, report.rejected) == (2, 0)
    assert report.notes == [
        "articles[0]: title cut to 1000 characters (it had 1250004)",
        "articles[0]: lead cut to 100000 characters (it had 200000)",
        "articles[0]: text cut to 1000000 characters (it had 2000000)",
        "articles[0]: extra field dump cut to 99994 characters (the extra fields may hold 100000)",
        "articles[0]: extra field tags dropped: the extra fields may hold 100000 characters as JSON",
    ]
    [row] = [r for r in store.export_articles() if r["url"].startswith("https://cnn.com")]
    assert len(row["title"]) <= 1000 and len(row["lead"]) == 100_000
    assert len(row["dump"]) == 99_994 and "tags" not in row


def test_a_name_too_long_to_cut_makes_the_record_bad(store):
    report = ingestor(store).ingest_records(as_request({**GOOD, "outlet_name": "N" * 5000}, OTHER))
    assert report.stored == 1
    assert report.problems == ["articles[0]: outlet_name is 5000 characters long, more than "
                               "NEWSGRAPH_MAX_NAME_CHARS (4096)"]


def test_a_title_over_a_million_characters_goes_through_real_spacy_with_its_batch(store, ner):
    # spaCy refuses texts over 1,000,000 characters (E088) for the whole nlp.pipe batch
    long_title = {**OTHER, "title": "Volcano " * 125_001}
    report = Ingestor(store, get_settings(), extractor=ner).ingest_records(as_request(GOOD, long_title))
    assert (report.stored, report.rejected) == (2, 0)
    assert report.notes == ["articles[1]: title cut to 1000 characters (it had 1000007)"]


def test_two_runs_of_the_same_records_at_once_count_each_article_as_stored_once(tmp_path):
    import threading

    records = as_request(*({"url": f"https://www.cnn.com/2025/04/09/story-{i}.html", "title": f"Story {i} in Reykjavik",
                            "published_at": f"2025-04-09T{i % 24:02d}:00:00Z", "outlet": "cnn.com"}
                           for i in range(300)))
    start, reports = threading.Barrier(2), []

    def run():
        store = SQLiteStore(tmp_path / "g.db")
        try:
            start.wait()
            reports.append(ingestor(store, batch_size=10).ingest_records(records))
        finally:
            store.close()

    SQLiteStore(tmp_path / "g.db").close()  # the schema first, so both runs open a current store
    runs = [threading.Thread(target=run) for _ in range(2)]
    for t in runs:
        t.start()
    for t in runs:
        t.join()
    assert len(reports) == 2
    assert sum(r.stored for r in reports) == 300, [r.to_dict() for r in reports]
    assert all(r.stored + r.already_stored == 300 and not r.problems for r in reports)
