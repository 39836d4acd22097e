"""Every input format becomes articles with ids, outlets and dates."""

from __future__ import annotations

import gzip
import io
import json
from io import BytesIO

from tests.ingest.helpers import rows

STRIKE = (
    "Artillery fire hit the grain depot outside Dunmore on Friday, the regional governor "
    "said. Two guards were wounded, according to the local hospital."
)
CONVOY = (
    "An aid convoy of twelve trucks reached the besieged town of Ellisburg on Sunday. "
    "The drivers said the road had been cleared of mines overnight."
)
TALKS = (
    "Negotiators from both sides met in a hotel near the border on Monday for a third "
    "round of talks. Neither delegation spoke to reporters afterwards."
)


def _page(title: str, body: str, extra_meta: str = "") -> str:
    return (
        f"<html><head><title>{title}</title>{extra_meta}</head><body>"
        "<nav><a href='/'>Home</a> <a href='/world'>World</a></nav>"
        f"<article><h1>{title}</h1><p>{body}</p></article>"
        "<footer>Copyright Example News. All rights reserved.</footer></body></html>"
    )


def _article(store, article_id: str) -> dict:
    cols = ("id", "source", "url", "outlet", "title", "author", "published", "language", "text")
    row = rows(store, f"SELECT {', '.join(cols)} FROM articles WHERE id = ?", [article_id])
    assert row, f"no article {article_id}"
    return dict(zip(cols, row[0], strict=True)) | {"published": row[0][6] and str(row[0][6])}


def test_a_text_file_is_an_article_named_after_its_stem(tmp_path, run, store):
    (tmp_path / "depot.txt").write_text(STRIKE, encoding="utf-8")
    report = run(tmp_path / "depot.txt")
    assert report.ingested == 1
    art = _article(store, "depot")
    assert art["text"] == STRIKE
    assert art["outlet"] is None and art["published"] is None and art["language"] == "en"


def test_a_dateline_gives_plain_text_its_publication_date(tmp_path, run, store):
    (tmp_path / "note.txt").write_text("GENEVA, 9 June 2024 — " + STRIKE, encoding="utf-8")
    run(tmp_path / "note.txt")
    assert _article(store, "note")["published"] == "2024-06-09"


def test_a_date_in_the_body_is_not_a_publication_date(tmp_path, run, store):
    (tmp_path / "note.txt").write_text(STRIKE + " The depot was also hit on 9 June 2024.")
    run(tmp_path / "note.txt")
    assert _article(store, "note")["published"] is None


def test_directory_ids_are_paths_relative_to_the_directory_without_extension(
    tmp_path, run, store
):
    corpus = tmp_path / "corpus"
    (corpus / "html").mkdir(parents=True)
    (corpus / "text").mkdir()
    (corpus / "html" / "ledger-depot.html").write_text(_page("Depot hit", STRIKE))
    (corpus / "text" / "convoy.txt").write_text(CONVOY)
    report = run(corpus)
    assert report.ingested == 2
    assert {r[0] for r in rows(store, "SELECT id FROM articles")} == {
        "html/ledger-depot", "text/convoy"
    }


def test_html_gives_main_text_title_author_date_and_site_name(tmp_path, run, store):
    meta = (
        '<meta property="og:site_name" content="Dunmore Courier">'
        '<meta name="author" content="Ada Byrne">'
        '<meta property="article:published_time" content="2024-03-05T09:30:00+02:00">'
        '<link rel="canonical" href="https://www.dunmorecourier.example/depot">'
    )
    (tmp_path / "depot.html").write_text(_page("Depot hit by shells", STRIKE, meta))
    run(tmp_path / "depot.html")
    art = _article(store, "depot")
    assert "grain depot" in art["text"] and "Copyright" not in art["text"]
    assert art["title"] == "Depot hit by shells"
    assert art["author"] == "Ada Byrne"
    assert art["outlet"] == "Dunmore Courier"
    assert art["published"] == "2024-03-05"


def test_html_without_a_metadata_date_falls_back_to_htmldate(tmp_path, run, store):
    page = _page("Depot hit", STRIKE).replace(
        "<article>", "<article><p class='date'>Published 5 March 2024</p>"
    )
    (tmp_path / "depot.html").write_text(page)
    run(tmp_path / "depot.html")
    assert _article(store, "depot")["published"] == "2024-03-05"


def test_jsonl_records_keep_their_ids_and_metadata(tmp_path, run, store):
    lines = [
        {"id": "c-1", "url": "https://www.courier.example/a", "title": "Depot hit",
         "author": "Ada Byrne", "published": "March 5, 2024", "text": STRIKE},
        {"id": 2, "outlet": "Ellisburg Post", "published": "2024-03-06T10:00:00Z",
         "text": CONVOY},
    ]
    path = tmp_path / "feed.jsonl"
    path.write_text("\n".join(json.dumps(x) for x in lines) + "\n")
    assert run(path).ingested == 2
    first, second = _article(store, "c-1"), _article(store, "2")
    assert first["outlet"] == "courier.example"  # the URL host, without www.
    assert first["published"] == "2024-03-05" and first["author"] == "Ada Byrne"
    assert second["outlet"] == "Ellisburg Post" and second["published"] == "2024-03-06"
    assert first["source"].endswith("feed.jsonl:1")


def test_a_jsonl_record_may_carry_html_instead_of_text(tmp_path, run, store):
    record = {"id": "h-1", "html": _page("Depot hit", STRIKE)}
    (tmp_path / "pages.jsonl").write_text(json.dumps(record) + "\n")
    run(tmp_path / "pages.jsonl")
    assert "grain depot" in _article(store, "h-1")["text"]


def test_a_json_array_of_records_is_read(tmp_path, run, store):
    records = [{"id": "a", "text": STRIKE}, {"id": "b", "text": CONVOY}]
    (tmp_path / "all.json").write_text(json.dumps(records, indent=2))
    assert run(tmp_path / "all.json").ingested == 2


def test_a_single_pretty_printed_json_object_is_read(tmp_path, run, store):
    (tmp_path / "one.json").write_text(json.dumps({"id": "solo", "text": TALKS}, indent=2))
    assert run(tmp_path / "one.json").ingested == 1
    assert _article(store, "solo")["text"] == TALKS


def test_gzipped_jsonl_is_read(tmp_path, run, store):
    data = json.dumps({"id": "z", "text": TALKS}) + "\n"
    (tmp_path / "batch.jsonl.gz").write_bytes(gzip.compress(data.encode()))
    assert run(tmp_path / "batch.jsonl.gz").ingested == 1


def test_csv_with_a_text_column_keeps_ids_and_normalises_dates(tmp_path, run, store):
    text = (
        "id,outlet,published,title,text\n"
        f'r1,Dunmore Courier,05/03/2024,Depot hit,"{STRIKE}"\n'
        f'r2,Ellisburg Post,"Tuesday, 5 March 2024",Convoy arrives,"{CONVOY}\nA second line."\n'
    )
    (tmp_path / "sheet.csv").write_text(text)
    assert run(tmp_path / "sheet.csv").ingested == 2
    assert _article(store, "r1")["published"] == "2024-05-03"  # month first when ambiguous
    second = _article(store, "r2")
    assert second["published"] == "2024-03-05" and second["text"].endswith("A second line.")


def test_semicolon_csv_and_tsv_are_read(tmp_path, run, store):
    (tmp_path / "a.csv").write_text(f"id;text\ns1;{STRIKE}\n")
    (tmp_path / "b.tsv").write_text(f"id\ttext\nt1\t{CONVOY}\n")
    assert run(tmp_path / "a.csv", tmp_path / "b.tsv").ingested == 2


def _warc(records: list[tuple[str, str, bytes, str | None]]) -> bytes:
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    buf = BytesIO()
    writer = WARCWriter(buf, gzip=True)
    for uri, content_type, payload, date in records:
        http = StatusAndHeaders("200 OK", [("Content-Type", content_type)], protocol="HTTP/1.1")
        headers = {"WARC-Date": date} if date else None
        writer.write_record(writer.create_warc_record(
            uri, "response", payload=BytesIO(payload), http_headers=http,
            warc_headers_dict=headers,
        ))
    return buf.getvalue()


def test_warc_html_responses_become_articles_with_their_target_uri(tmp_path, run, store):
    data = _warc([
        ("https://www.courier.example/depot", "text/html; charset=utf-8",
         _page("Depot hit", STRIKE).encode(), "2024-03-07T12:00:00Z"),
        ("https://www.courier.example/logo.png", "image/png", b"\x89PNG\r\n\x1a\n\x00\x00", None),
    ])
    (tmp_path / "crawl.warc.gz").write_bytes(data)
    report = run(tmp_path / "crawl.warc.gz")
    assert report.ingested == 1 and not report.skipped
    url, outlet, published = rows(store, "SELECT url, outlet, published FROM articles")[0]
    assert url == "https://www.courier.example/depot" and outlet == "courier.example"
    assert str(published) == "2024-03-07"  # the page has no date: the crawl date


def test_warc_charset_from_the_http_header_is_used(tmp_path, run, store):
    page = _page("Depot hit", STRIKE + " The café owner in Genève fled.")
    data = _warc([("https://courier.example/x", "text/html; charset=windows-1252",
                   page.encode("cp1252"), None)])
    (tmp_path / "crawl.warc.gz").write_bytes(data)
    run(tmp_path / "crawl.warc.gz")
    assert "café owner in Genève" in rows(store, "SELECT text FROM articles")[0][0]


RSS = """<?xml version="1.0"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/">
<channel><title>Courier - World</title><link>https://courier.example/</link>
<item><title>Depot hit</title><link>https://www.courier.example/depot</link>
<pubDate>Tue, 05 Mar 2024 10:00:00 GMT</pubDate><author>ada@courier.example (Ada Byrne)</author>
<description>Short teaser.</description>
<content:encoded><![CDATA[<p>{strike}</p><p>{convoy}</p>]]></content:encoded></item>
<item><title>Talks resume</title><link>https://courier.example/talks</link>
<description>Negotiators met again.</description></item>
</channel></rss>"""


def test_rss_items_with_content_are_articles_and_link_only_items_are_reported(
    tmp_path, run, store
):
    (tmp_path / "world.rss").write_text(RSS.format(strike=STRIKE, convoy=CONVOY))
    report = run(tmp_path / "world.rss")
    assert report.ingested == 1
    assert [s.reason for s in report.skipped] == ["link-only"]
    assert "--fetch-links" in report.skipped[0].detail
    text, title, published, url, author = rows(
        store, "SELECT text, title, published, url, author FROM articles")[0]
    assert text == f"{STRIKE}\n{CONVOY}"
    assert title == "Depot hit" and str(published) == "2024-03-05" and author == "Ada Byrne"
    assert url == "https://www.courier.example/depot"


def test_atom_entries_with_content_are_articles(tmp_path, run, store):
    atom = (
        '<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom">'
        "<title>Post</title><entry><title>Convoy</title>"
        '<link href="https://post.example/convoy"/><id>urn:x:1</id>'
        "<updated>2024-03-06T09:00:00Z</updated>"
        f'<content type="html">&lt;p&gt;{CONVOY}&lt;/p&gt;</content></entry></feed>'
    )
    (tmp_path / "post.atom").write_text(atom)
    assert run(tmp_path / "post.atom").ingested == 1
    assert rows(store, "SELECT outlet, published FROM articles")[0][0] == "post.example"


def test_stdin_jsonl_is_detected_and_streamed(run, store):
    data = "\n".join(json.dumps({"id": f"s{i}", "text": t}) for i, t in enumerate([STRIKE, CONVOY]))
    report = run("-", stdin=io.BytesIO(data.encode()))
    assert report.ingested == 2
    assert {r[0] for r in rows(store, "SELECT id FROM articles")} == {"s0", "s1"}


def test_stdin_html_is_detected(run, store):
    report = run("-", stdin=io.BytesIO(_page("Depot hit", STRIKE).encode()))
    assert report.ingested == 1
    article_id, source = rows(store, "SELECT id, source FROM articles")[0]
    assert article_id.startswith("a-") and len(article_id) == 18 and source == "<stdin>"


def test_stdin_plain_text_gets_an_id_from_its_text(run, store):
    run("-", stdin=io.BytesIO(TALKS.encode()))
    run("-", stdin=io.BytesIO(TALKS.encode()))
    assert rows(store, "SELECT count(*) FROM articles")[0][0] == 1


def test_cli_reads_stdin_and_reports_counts(tmp_path):
    from typer.testing import CliRunner

    from triangulate.cli import app

    result = CliRunner().invoke(
        app, ["ingest", "-", "--db", str(tmp_path / "cli.duckdb"), "-q"], input=STRIKE
    )
    assert result.exit_code == 0, result.output
    assert "1 ingested" in result.output
