"""The sources file: one source a line, an optional kind, comments, errors by line."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from triangulate.watch.sources import WatchSource, parse_sources, read_sources


def test_each_line_names_a_feed_a_url_list_or_a_folder(tmp_path):
    (tmp_path / "drops").mkdir()
    text = (
        "# what we follow\n"
        "feed https://meridianwire.example/world/rss.xml\n"
        "urls lists/front.txt   # front pages\n"
        "folder drops\n"
        "\n"
        "https://levantobserver.example/atom.xml#latest\n"
        "drops/\n"
        "lists/other.txt\n"
    )
    sources, problems = parse_sources(text, tmp_path)
    assert [(s.kind, s.target) for s in sources] == [
        ("feed", "https://meridianwire.example/world/rss.xml"),
        ("urls", str(tmp_path / "lists" / "front.txt")),
        ("folder", str(tmp_path / "drops")),
        # '#' inside a URL is its fragment, not a comment
        ("feed", "https://levantobserver.example/atom.xml#latest"),
        ("urls", str(tmp_path / "lists" / "other.txt")),
    ]
    # The same folder twice (once bare) is one source, and the repeat is reported.
    assert [(p.source, p.reason) for p in problems] == [("sources:7", "duplicate-source")]


def test_a_line_that_names_no_source_is_reported_by_its_number_and_the_rest_is_followed(tmp_path):
    text = ("rss https://a.example/feed\nfeed /srv/feed.xml\nfeed\n"
            "urls https://b.example/list.txt\nfeed https://c.example/feed\n")
    sources, problems = parse_sources(text, tmp_path, "watch.txt")
    assert sources == [WatchSource("feed", "https://c.example/feed", 5)]
    assert [(p.source, p.reason) for p in problems] == [
        ("watch.txt:1", "bad-source"), ("watch.txt:2", "bad-source"),
        ("watch.txt:3", "bad-source"), ("watch.txt:4", "bad-source"),
    ]
    assert "unknown kind 'rss'" in problems[0].detail


def test_an_unreadable_sources_file_is_reported_not_raised(tmp_path):
    sources, problems = read_sources(tmp_path / "missing.txt")
    assert sources == [] and problems[0].reason == "unreadable"


@given(st.text(max_size=300))
def test_any_text_gives_sources_or_reasons_never_an_exception(text):
    from pathlib import Path

    sources, problems = parse_sources(text, Path("/nonexistent-base"))
    assert len(sources) + len(problems) <= len(text.splitlines())
    assert all(s.kind in ("feed", "urls", "folder") for s in sources)
    assert len({s.key for s in sources}) == len(sources)
    assert all(p.reason in ("bad-source", "duplicate-source") for p in problems)


def test_a_path_that_cannot_be_a_path_is_a_bad_source(tmp_path):
    sources, problems = parse_sources("folder ~nosuchuser/x\nurls a\x00b\n", tmp_path)
    assert sources == [] and [p.reason for p in problems] == ["bad-source", "bad-source"]
