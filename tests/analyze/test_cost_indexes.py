"""The indexes that keep attribution and actor finding linear on hostile input (issue 16)
answer exactly what the scans they replaced answered."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from triangulate.analyze.actors.resolve import _DocFacts
from triangulate.analyze.quotes import Anchor, _content_index, _inside_content
from triangulate.model import Actor, Mention

spans = st.tuples(st.integers(0, 2000), st.integers(1, 300)).map(lambda p: (p[0], p[0] + p[1]))


class _Doc:
    sents = ()
    user_data: dict = {}


def _scan(actors, start, end):
    best, best_overlap = None, 0
    for actor in actors:
        for m in actor.mentions:
            overlap = min(m.end, end) - max(m.start, start)
            if overlap > best_overlap:
                best, best_overlap = actor, overlap
    return best


@settings(max_examples=60, deadline=None)
@given(st.lists(st.lists(spans, min_size=1, max_size=6), max_size=8), st.lists(spans, max_size=10))
def test_the_mention_index_finds_what_a_scan_of_every_mention_finds(mentions, queries):
    actors = [Actor(f"a{i}", f"actor {i}", "group", None,
                    mentions=[Mention(s, e, "x" * (e - s)) for s, e in ms])
              for i, ms in enumerate(mentions)]
    facts = _DocFacts(_Doc())
    for start, end in queries:
        assert facts.mention_at(actors, start, end) is _scan(actors, start, end)
    if actors:  # a mention added later is found: the index is rebuilt
        actors[0].mentions.append(Mention(5000, 5010, "x" * 10))
        assert facts.mention_at(actors, 5002, 5004) is actors[0]


@settings(max_examples=60, deadline=None)
@given(st.lists(st.lists(spans, min_size=1, max_size=3), max_size=8), st.lists(spans, max_size=10))
def test_the_content_index_assigns_what_a_scan_of_every_claim_assigns(contents, regions):
    anchors = [Anchor(key=k, cue_start=0, cue_end=1, speaker_start=s[0][0],
                      speaker_end=s[0][0] + 1, content=s) for k, s in enumerate(contents)]
    index = _content_index(anchors)
    for region in regions:
        covered = [sum(max(0, min(e, region[1]) - max(s, region[0])) for s, e in a.content)
                   for a in anchors]
        scanned = next((a.key for a, c in zip(anchors, covered, strict=True)
                        if c > 0 and 2 * c >= region[1] - region[0]), None)
        found = _inside_content(region, anchors, index)
        assert (found.anchor if found else None) == scanned
