"""Saved article pages through trafilatura: article fields extracted, pages without an article reported."""

from newsgraph.engine.errors import InputError
from newsgraph.engine.ingest import Located, read_articles

PARAGRAPHS = (
    "<p>Leaders of the alliance arrived in Vilnius on Sunday for a two-day summit that is expected to focus on "
    "Ukraine and on the defence of the Baltic states.</p>"
    "<p>Lithuania has deployed thousands of troops and air defence systems to protect the city during the "
    "meeting, officials said.</p>"
)


def page(title="Summit opens in Vilnius", canonical="https://www.example.com/world/summit-vilnius?utm_source=x",
         date="2023-07-02T15:30:00Z", body=PARAGRAPHS):
    head = f"<title>{title} | Example News</title>" if title else ""
    if canonical:
        head += f'<link rel="canonical" href="{canonical}">'
    if date:
        head += f'<meta property="article:published_time" content="{date}">'
    head += '<meta property="og:site_name" content="Example News"><meta name="author" content="Jane Doe">'
    return (f"<html><head>{head}</head><body><nav>Home | World | Sport</nav><article><h1>{title or ''}</h1>"
            f"{body}</article><footer>Copyright Example News</footer></body></html>")


def read(path):
    out = list(read_articles(path, format="html"))
    return ({r.source.rsplit("/", 1)[1]: r.article for r in out if isinstance(r, Located)},
            {e.source.rsplit("/", 1)[1]: e.reason for e in out if isinstance(e, InputError)})


def test_a_saved_page_gives_text_title_date_author_and_site(tmp_path):
    (tmp_path / "summit.html").write_text(page(), encoding="utf-8")
    good, bad = read(tmp_path / "summit.html")
    a = good["summit.html"]
    assert bad == {}
    assert (a.title, a.url, a.outlet_id) == ("Summit opens in Vilnius", "https://example.com/world/summit-vilnius",
                                              "example.com")
    assert a.published_at.date().isoformat() == "2023-07-02"
    assert "thousands of troops" in a.text and "Copyright" not in a.text
    assert a.extra == {"author": "Jane Doe", "site_name": "Example News"} and a.outlet_name == "Example News"


def test_a_folder_of_pages_keeps_articles_and_reports_the_rest(tmp_path):
    (tmp_path / "sub").mkdir()
    (tmp_path / "a.html").write_text(page(), encoding="utf-8")
    (tmp_path / "sub" / "b.htm").write_text(page(title="Second page", canonical=None), encoding="utf-8")
    (tmp_path / "index.html").write_text(page(body="<p>Latest news</p>"), encoding="utf-8")
    (tmp_path / "undated.html").write_text(page(date=None, canonical="https://example.com/u"), encoding="utf-8")
    (tmp_path / "binary.html").write_bytes(b"\x00\x01\x02 not html")
    (tmp_path / "notes.txt").write_text("ignored")
    good, bad = read(tmp_path)
    assert set(good) == {"a.html", "b.htm"}
    assert good["b.htm"].url is None and good["b.htm"].id.startswith("page-")  # no canonical link: keyed by text
    assert "no extractable article" in bad["index.html"] and "no extractable article" in bad["binary.html"]
    assert set(bad) == {"index.html", "binary.html", "undated.html"}


def test_reingesting_pages_changes_nothing(tmp_path):
    from newsgraph.engine.config import get_settings
    from newsgraph.engine.pipeline import Ingestor
    from newsgraph.engine.store.sqlite import SQLiteStore
    from tests.unit.test_gkg import TitleNer

    (tmp_path / "pages").mkdir()
    (tmp_path / "pages" / "a.html").write_text(page(), encoding="utf-8")
    store = SQLiteStore(tmp_path / "g.db")
    first = Ingestor(store, get_settings(), extractor=TitleNer()).ingest([str(tmp_path / "pages")], format="html")
    again = Ingestor(store, get_settings(), extractor=TitleNer()).ingest([str(tmp_path / "pages")], format="html")
    assert (first.stored, again.stored, again.already_stored) == (1, 0, 1)
