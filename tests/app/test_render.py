"""Highlights and drawings built in Python: nesting, escaping, and the text kept exact."""

from __future__ import annotations

import html
import re
from collections import Counter

from hypothesis import given
from hypothesis import strategies as st

from triangulate.app import svg
from triangulate.app.highlight import Mark, render

TAG = re.compile(r"<[^>]*>")


def plain(markup: str) -> str:
    return html.unescape(TAG.sub("", markup))


def test_a_figure_inside_a_claim_nests_inside_it():
    text = "Officials said nine soldiers were killed."
    out = render(text, [Mark(0, 40, "claims", "Claim"), Mark(15, 40, "figures", "Figure: 9")])
    assert out.startswith('<span class="hl hl-claims" title="Claim">Officials said </span>')
    assert ('<span class="hl hl-claims" title="Claim"><span class="hl hl-figures" '
            'title="Figure: 9">nine soldiers were killed</span></span>') in out


def test_overlapping_items_are_cut_into_segments():
    text = "abcdef"
    out = render(text, [Mark(0, 4, "actors", "A"), Mark(2, 6, "places", "P")])
    assert plain(out) == text
    assert out.count('class="hl hl-actors"') == 2 and out.count('class="hl hl-places"') == 2


def test_the_innermost_link_wins_and_links_never_nest():
    text = "Hamas fighters"
    out = render(text, [Mark(0, 14, "events", "E", "/stories/s1"),
                        Mark(0, 5, "actors", "A", "/actors/hamas")])
    assert ('<span class="hl hl-events" title="E"><a class="hl hl-actors" title="A" '
            'href="/actors/hamas">Hamas</a></span>') in out
    assert '<a class="hl hl-events" title="E" href="/stories/s1"> fighters</a>' in out


def test_items_outside_the_text_are_ignored():
    assert render("short", [Mark(3, 99, "times", "T"), Mark(4, 2, "times", "T")]) == "short"


def test_text_and_titles_are_escaped():
    text = '<script>alert("x")</script>'
    out = render(text, [Mark(0, 8, "actors", '"><img src=x onerror=alert(1)>', "/a?x=1&y=2")])
    assert "<script>" not in out and "<img" not in out
    assert 'href="/a?x=1&amp;y=2"' in out
    assert plain(out) == text


@given(
    st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=60),
    st.lists(st.tuples(st.integers(0, 70), st.integers(0, 70),
                       st.sampled_from(["actors", "places", "claims", "figures", "events"]),
                       st.booleans()), max_size=8),
)
def test_rendering_keeps_the_text_exactly(text, spans):
    marks = [Mark(a, b, layer, f"{layer} <&>", "/x" if link else None)
             for a, b, layer, link in spans]
    out = str(render(text, marks))
    assert plain(out) == text
    # Every element opened is closed, in order, and no link is inside a link.
    stack = []
    for tag in re.findall(r"<(/?)(span|a|mark)\b", out):
        if tag[0]:
            assert stack.pop() == tag[1]
        else:
            assert not (tag[1] == "a" and "a" in stack)
            stack.append(tag[1])
    assert not stack


def test_map_labels_and_tooltips_are_escaped():
    dot = svg.Dot("x", "<b>Gaza</b>", 31.5, 34.4, 3, Counter({"ASSAULT": 3}), "/map?place=x&a=1")
    out = svg.world_map([dot], extent=(30, 28, 40, 35))
    assert "<b>" not in out and "&lt;b&gt;Gaza&lt;/b&gt;" in out
    assert 'href="/map?place=x&amp;a=1"' in out
    assert out.count('<path class="land') >= 3  # Israel, Egypt, Jordan at least


def test_timeline_buckets_by_month_over_a_long_range():
    dated = [("2022-03-16", "day", "ASSAULT"), ("2024-04-06", "day", "ASSAULT"),
             ("2024-04", "month", "RETREAT")]
    out = svg.timeline_chart(dated, lambda lo, hi, t: f"/timeline?from={lo}&to={hi}&type={t}")
    assert "2024-04: 1 ASSAULT" in out and "2024-04: 1 RETREAT" in out
    assert "from=2024-04-01&amp;to=2024-04-30&amp;type=RETREAT" in out
