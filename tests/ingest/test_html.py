"""HTML extraction: the page's blocks as paragraphs, headline and standfirst set apart."""

from __future__ import annotations

from triangulate.ingest.html import extract, paragraphs

HEADLINE = "Shelling cuts power to the eastern city of Kharkiv"
STANDFIRST = "Engineers say repairs will take at least a week as temperatures fall"
BODY = [
    "Russian shelling damaged two substations in Kharkiv on Tuesday, leaving most of the "
    "city without power, the regional governor said.",
    "Residents queued for water at public pumps through the night, and schools said they "
    "would stay closed until the power came back.",
]


def _page() -> str:
    paras = "\n".join(f"<p>{p}</p>" for p in BODY)
    return f"""<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">
<title>{HEADLINE} | The Courier</title>
<meta property="og:title" content="{HEADLINE}"><meta name="description" content="{STANDFIRST}">
<meta property="og:site_name" content="The Courier">
<meta property="article:published_time" content="2024-01-09T08:00:00Z"></head><body>
<nav><a href="/">Home</a> <a href="/world">World</a></nav>
<main><article><h1>{HEADLINE}</h1><p class="standfirst">{STANDFIRST}</p>
{paras}</article></main><footer><p>Copyright The Courier.</p></footer></body></html>"""


def test_headline_and_standfirst_are_paragraphs_of_their_own():
    found = extract(_page())
    assert found is not None
    assert found.meta["title"] == HEADLINE
    # A blank line after each block: the headline no longer runs into the first sentence.
    assert found.text.startswith(f"{HEADLINE}\n\n{STANDFIRST}\n\n{BODY[0]}")


def test_every_block_is_a_paragraph_and_no_word_of_the_page_changes():
    text = extract(_page()).text
    blocks = text.split("\n\n")
    assert blocks == [HEADLINE, STANDFIRST, *BODY]
    assert "\n" not in "".join(blocks)


def test_paragraphs_keeps_each_line_exactly_and_drops_empty_ones():
    assert paragraphs("Title\nFirst line.\n\n  \nSecond line.") == (
        "Title\n\nFirst line.\n\nSecond line.")
