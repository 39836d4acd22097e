"""Stories from hand-made analyses: what is one event, what is not, and how it is counted."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.link.factory import Article
from triangulate import settings as tunables
from triangulate.link import link, mentions_from_analyses
from triangulate.link.measure import gap
from triangulate.link.stories import (
    Report,
    _Features,
    block_keys,
    build_reports,
    candidate_pairs,
)


def run(*articles: Article, vectors: bool = False):
    mentions = list(mentions_from_analyses(a.analysis() for a in articles))
    vecs = None
    if vectors:
        # One direction per real event, named by the sentence's first word.
        rng = np.random.default_rng(0)
        table: dict[str, np.ndarray] = {}
        rows = []
        for m in mentions:
            key = m.evidence.text.split()[0]
            if key not in table:
                v = rng.standard_normal(16)
                table[key] = v / np.linalg.norm(v)
            rows.append(table[key])
        vecs = np.array(rows, dtype=np.float32)
    return link(mentions, vecs)


def story_of(result, article_id: str):
    return [s for s in result.stories if article_id in {a.id for a in s.articles}]


def ambush(a: Article, date: str = "2024-04-06", place: str = "khan-younis") -> str:
    return a.add_event("Hamas fighters ambushed Israeli troops.", actor="hamas",
                       target="israel-military", place=place, date=date)


def test_three_outlets_telling_one_ambush_make_one_story():
    arts = [Article(f"a{k}", f"Outlet {k}", "2024-04-07") for k in range(3)]
    for a in arts:
        ambush(a)
    result = run(*arts)
    assert len(result.stories) == 1
    assert {a.id for a in result.stories[0].articles} == {"a0", "a1", "a2"}
    assert result.stories[0].outlets == 3 and result.stories[0].independent_outlets == 3


def test_a_syndicated_copy_joins_the_story_but_is_not_an_independent_source():
    original = Article("orig", "Wire", "2024-04-07")
    copy = Article("copy", "Regional Daily", "2024-04-08", duplicate_of="orig")
    other = Article("other", "Broadsheet", "2024-04-07")
    for a in (original, copy, other):
        ambush(a)
    story = run(original, copy, other).stories[0]
    assert {a.id for a in story.articles} == {"orig", "copy", "other"}
    assert story.outlets == 3
    assert story.independent_outlets == 2


def test_a_copy_counts_when_its_outlet_has_an_original_of_its_own_in_the_story():
    wire = Article("wire", "Wire", "2024-04-07")
    daily_copy = Article("daily-copy", "Daily", "2024-04-08", duplicate_of="wire")
    daily_own = Article("daily-own", "Daily", "2024-04-08")
    for a in (wire, daily_copy, daily_own):
        ambush(a)
    story = run(wire, daily_copy, daily_own).stories[0]
    assert story.independent_outlets == 2


def test_same_place_and_type_a_month_apart_are_two_stories():
    a, b = Article("a", "A", "2024-04-07"), Article("b", "B", "2024-05-07")
    ambush(a, "2024-04-06")
    ambush(b, "2024-05-06")
    assert len(run(a, b).stories) == 2


def test_a_month_precision_date_is_compatible_with_any_day_of_that_month():
    a, b = Article("a", "A", "2024-04-07"), Article("b", "B", "2024-06-01")
    ambush(a, "2024-04-06")
    ambush(b, "2024-04", )
    result = run(a, b)
    assert len(result.stories) == 1


def test_an_undated_report_happened_shortly_before_publication():
    a, b, c = (Article("a", "A", "2024-04-07"), Article("b", "B", "2024-04-07"),
               Article("c", "C", "2024-05-20"))
    ambush(a, "2024-04-06")
    ambush(b, None)
    ambush(c, None)  # published six weeks later: another ambush
    result = run(a, b, c)
    assert {x.id for x in story_of(result, "a")[0].articles} == {"a", "b"}


def test_a_date_after_publication_is_not_trusted():
    # "Saturday's strike" resolved to the next Saturday: the event is treated as undated.
    a, b = Article("a", "A", "2024-04-07"), Article("b", "B", "2024-04-08")
    ambush(a, "2024-04-06")
    ambush(b, "2024-04-13")
    assert len(run(a, b).stories) == 1


def test_an_event_dated_on_the_day_of_publication_keeps_its_date():
    # Same-day reporting ("the ambush this morning") is the commonest case, not a date
    # resolved the wrong way.
    a = Article("a", "A", "2024-04-07")
    ambush(a, "2024-04-07")
    (story,) = run(a).stories
    assert story.date == "2024-04-07"


def test_accounts_up_to_three_days_apart_can_be_one_story_but_not_four():
    # LINK_MAX_DATE_GAP_DAYS is 3: outlets date one event differently, within a few days.
    for days_apart, stories in ((3, 1), (4, 2)):
        a, b = Article("a", "A", "2024-04-10"), Article("b", "B", "2024-04-10")
        ambush(a, "2024-04-05")
        ambush(b, f"2024-04-{5 + days_apart:02d}")
        assert len(run(a, b).stories) == stories, days_apart


def test_a_chain_of_close_reports_does_not_join_its_two_far_ends():
    # Each ambush is two days from the next, so neighbours may be one event; the first and
    # the last are four days apart, too far for one story whatever lies between them.
    arts = [Article(f"a{k}", f"Outlet {k}", "2024-04-09") for k in range(3)]
    for art, date in zip(arts, ("2024-04-04", "2024-04-06", "2024-04-08"), strict=True):
        ambush(art, date)
    result = run(*arts)
    assert not [s for s in result.stories if {"a0", "a2"} <= {x.id for x in s.articles}]


def test_an_article_telling_an_ambush_over_two_days_is_one_report_of_it():
    a = Article("a", "A", "2024-04-08")
    ambush(a, "2024-04-06")
    a.add_event("Hamas fighters attacked the same troops again the next morning.",
                actor="hamas", target="israel-military", place="khan-younis",
                date="2024-04-07")
    reports = build_reports(list(mentions_from_analyses([a.analysis()])))
    assert [[m.event for m in r.mentions] for r in reports] == [["e1", "e2"]]


def test_towns_two_hundred_km_apart_on_the_same_day_are_two_stories():
    a, b = Article("a", "A", "2023-09-12"), Article("b", "B", "2023-09-12")
    for art, place in ((a, "kharkiv"), (b, "kyiv")):
        art.add_event("Russian missiles struck the city.", actor="russia-military",
                      place=place, date="2023-09-11")
    assert len(run(a, b).stories) == 2


def test_different_event_families_never_share_a_story():
    a, b = Article("a", "A", "2024-04-07"), Article("b", "B", "2024-04-07")
    ambush(a)
    b.add_event("Israel withdrew its troops from Khan Younis.", type="RETREAT",
                actor="israel-military", place="khan-younis", date="2024-04-06")
    assert len(run(a, b).stories) == 2


def test_an_event_mentioned_in_passing_is_not_among_the_articles_reports():
    main = Article("main", "A", "2024-04-07")
    main.add_event("Israel withdrew its troops from Khan Younis.", type="RETREAT",
                   actor="israel-military", place="khan-younis", date="2024-04-07")
    main.filler()
    ambush(main)  # a clause deep in the article
    other = Article("other", "B", "2024-04-07")
    ambush(other)
    result = run(main, other)
    ambush_story = story_of(result, "other")[0]
    assert [a.id for a in ambush_story.articles] == ["other"]
    assert [a.id for a in ambush_story.mentions] == ["main"]
    assert ambush_story.outlets == 2  # a passing mention still corroborates


def test_one_article_never_gives_two_reports_to_one_story():
    a = Article("a", "A", "2024-04-07")
    ambush(a, "2024-04-06")
    ambush(a, "2024-04-01")  # another ambush the same article recalls, five days earlier
    b = Article("b", "B", "2024-04-07")
    ambush(b, "2024-04-05")  # between the two
    result = run(a, b)
    for story in result.stories:
        ids = [x.id for x in story.articles + story.mentions]
        assert len(ids) == len(set(ids))


def test_mentions_of_one_sentence_stay_one_report_whatever_places_they_carry():
    a = Article("a", "A", "2024-04-07")
    a.add_event("Strike.", actor="russia-military", place="kharkiv", date="2024-04-06")
    a.events.append(a.events[0].__class__(**{**a.events[0].__dict__, "id": "e2",
                                             "place": "alias:lviv"}))
    a.places["lviv"] = __import__("tests.link.factory", fromlist=["PLACES"]).PLACES["lviv"]
    reports = build_reports(list(mentions_from_analyses([a.analysis()])))
    assert len(reports) == 1 and len(reports[0].mentions) == 2


def test_story_ids_are_stable_when_the_corpus_grows():
    arts = [Article(f"a{k}", f"Outlet {k}", "2024-04-07") for k in range(4)]
    for a in arts:
        ambush(a)
    first = run(*arts[:2]).stories[0].id
    grown = run(*arts).stories[0].id
    assert first == grown


def test_embeddings_keep_apart_same_day_reports_in_one_country_that_tell_different_things():
    a, b = Article("a", "A", "2023-09-12"), Article("b", "B", "2023-09-12")
    a.add_event("Shelling hit a market.", actor="russia-military", place="ukraine",
                date="2023-09-11")
    b.add_event("Drones hit a power plant.", actor="russia-military", place="ukraine",
                date="2023-09-11")
    assert len(run(a, b, vectors=True).stories) == 2
    c = Article("c", "C", "2023-09-12")
    c.add_event("Shelling hit the market hall.", actor="russia-military", place="ukraine",
                date="2023-09-11")
    assert {x.id for x in story_of(run(a, b, c, vectors=True), "a")[0].articles} == {"a", "c"}


def test_reports_that_could_be_one_event_share_a_block():
    a, b = Article("a", "A", "2024-04-07"), Article("b", "B", "2024-04-09")
    ambush(a, "2024-04-06")
    ambush(b, "2024-04-08", place="rafah")  # two days later, 12 km away
    reports = build_reports(list(mentions_from_analyses([a.analysis(), b.analysis()])))
    assert set(block_keys(reports[0])) & set(block_keys(reports[1]))
    i, j = candidate_pairs(reports)
    assert list(zip(i.tolist(), j.tolist(), strict=True)) == [(0, 1)]


def test_dense_blocks_are_compared_by_sorted_neighbourhood(monkeypatch):
    from triangulate import settings

    monkeypatch.setattr(settings, "LINK_BLOCK_WINDOW", 2)
    arts = [Article(f"a{k}", f"O{k}", "2024-04-07") for k in range(10)]
    for a in arts:
        ambush(a)
    reports: list[Report] = build_reports(
        list(mentions_from_analyses(a.analysis() for a in arts))
    )
    i, _ = candidate_pairs(reports)
    assert len(i) <= 10 * 2


def test_undated_mentions_placed_in_two_countries_are_two_reports():
    a = Article("a", "Wire", "2024-04-07")
    a.add_event("Russian forces shelled Kharkiv.", actor="russia-military", place="kharkiv")
    a.add_event("Israeli troops raided Rafah.", actor="israel-military", place="rafah")
    reports = build_reports(list(mentions_from_analyses([a.analysis()])))
    assert [[m.event for m in r.mentions] for r in reports] == [["e1"], ["e2"]]


def _two_reports_with_cosine(cos: float, blog_target: str):
    wire = Article("wire", "Wire", "2024-04-07")
    blog = Article("blog", "Blog", "2024-04-08")
    wire.add_event("Hamas fighters ambushed Israeli troops in Khan Younis.", actor="hamas",
                   target="israel-military", place="khan-younis", date="2024-04-06")
    blog.add_event("A note on Saturday's ambush in Khan Younis.", actor="hamas",
                   target=blog_target, place="khan-younis", date="2024-04-06")
    mentions = list(mentions_from_analyses([wire.analysis(), blog.analysis()]))
    u = np.zeros(8, dtype=np.float32)
    u[0] = 1.0
    v = np.zeros(8, dtype=np.float32)
    v[0], v[1] = cos, (1 - cos * cos) ** 0.5
    return link(mentions, np.stack([u, v]))


def test_same_doer_target_and_day_outweigh_unlike_sentences():
    # A blog's "a note on the ambush" shares little wording with a wire's account; the same
    # doer, target, town and precise day still make them one event ...
    assert len(_two_reports_with_cosine(0.3, "israel-military").stories) == 1
    # ... but with another target, unlike sentences keep them apart.
    assert len(_two_reports_with_cosine(0.3, "un").stories) == 2


# --------------------------------------------------------------------------- the pair score

_ROLES = ("actor", "actor_parent", "actor_party", "target", "target_parent", "target_party")


@st.composite
def _reports(draw) -> tuple[list[Report], int | None]:
    """A few reports with every field the score reads drawn from small pools, so articles,
    families, dates, towns, countries and actors collide often; with vectors or without."""
    dim = draw(st.sampled_from([None, 4]))
    reports = []
    for k in range(draw(st.integers(2, 7))):
        # mostly single days, so gaps land on the date limit and either side of it often
        first, length = draw(st.integers(0, 10)), draw(st.sampled_from([0, 0, 0, 1, 6, 30]))
        r = Report(
            article=draw(st.sampled_from("abcd")), order=k, mentions=[],
            family=draw(st.sampled_from(["conflict", "protest"])),
            type=draw(st.sampled_from(["ASSAULT", "AIRSTRIKE", "PROTEST"])),
            span=draw(st.none() | st.just((first, first + length))),
            explicit=draw(st.booleans()), day_precise=draw(st.booleans()),
            towns=draw(st.lists(st.tuples(st.floats(31, 32), st.floats(34, 36)), max_size=3)),
            countries=draw(st.lists(st.sampled_from(["PSE", "ISR", "UKR"]), max_size=3,
                                    unique=True)),
        )
        r.placed = list(r.countries)
        for role in _ROLES:
            setattr(r, role, draw(st.sampled_from([None, "x", "y", "z"])))
        if dim:
            v = np.array(draw(st.lists(st.floats(-1, 1), min_size=dim, max_size=dim)))
            norm = float(np.linalg.norm(v))
            r.vector = (v / norm).astype(np.float32) if norm > 1e-3 else None
        reports.append(r)
    return reports, dim


@settings(max_examples=80, deadline=None)
@given(_reports())
def test_the_pair_score_is_symmetric_bounded_and_minus_inf_exactly_for_impossible_pairs(drawn):
    reports, dim = drawn
    features = _Features(reports, dim, "minilm")
    n = len(reports)
    i, j = np.divmod(np.arange(n * n), n)
    s = features.scores(i, j).reshape(n, n)
    for a, ra in enumerate(reports):
        for b, rb in enumerate(reports):
            impossible = ra.article == rb.article or ra.family != rb.family or (
                ra.span is not None and rb.span is not None
                and gap(ra.span, rb.span) > tunables.LINK_MAX_DATE_GAP_DAYS)
            assert np.isneginf(s[a, b]) == impossible, (a, b, s[a, b])
    finite = np.isfinite(s)
    assert np.allclose(s[finite], s.T[finite], rtol=0, atol=1e-9)
    # 1 when everything agrees; at worst the place penalty and, with vectors, fully
    # dissimilar evidence sentences, over the total weight.
    t = tunables
    worst = t.LINK_WEIGHT_PLACE * max(t.LINK_PLACE_FAR_PENALTY, t.LINK_PLACE_COUNTRY_PENALTY,
                                      t.LINK_PLACE_COUNTRY_CONFLICT) \
        + (t.LINK_WEIGHT_EMBED if dim else 0.0)
    assert np.all(s[finite] <= 1 + 1e-9) and np.all(s[finite] >= -worst / features.total - 1e-9)


# --------------------------------------------------------------------------- blocks and pairs


def _report(article: str, towns=(), countries=(), span=(10, 10), family="conflict",
            actor_party=None, vector=None, **roles) -> Report:
    r = Report(article=article, order=0, family=family, mentions=[], type="ASSAULT",
               span=span, towns=list(towns), countries=list(countries),
               actor_party=actor_party, vector=vector, **roles)
    r.placed = list(r.countries)
    return r


def _destination(lat: float, lon: float, km: float, bearing: float) -> tuple[float, float]:
    """The point ``km`` from (lat, lon) on the given bearing (degrees), on a sphere."""
    import math

    d, b = km / 6371.0, math.radians(bearing)
    p1, l1 = math.radians(lat), math.radians(lon)
    p2 = math.asin(math.sin(p1) * math.cos(d) + math.cos(p1) * math.sin(d) * math.cos(b))
    l2 = l1 + math.atan2(math.sin(b) * math.sin(d) * math.cos(p1),
                         math.cos(d) - math.sin(p1) * math.sin(p2))
    return math.degrees(p2), math.degrees(l2)


@settings(max_examples=150, deadline=None)
@given(lat=st.floats(-60, 60), lon=st.floats(-170, 170), km=st.floats(0, 0.97),
       bearing=st.floats(0, 360), cell=st.sampled_from([1.0, 0.25]))
def test_towns_within_the_block_radius_always_share_a_place_block(lat, lon, km, bearing, cell):
    from triangulate.link.measure import haversine_km

    old = tunables.LINK_BLOCK_CELL_DEG
    tunables.LINK_BLOCK_CELL_DEG = cell
    try:
        there = _destination(lat, lon, km * tunables.LINK_BLOCK_RADIUS_KM, bearing)
        assert haversine_km(lat, lon, *there) <= tunables.LINK_BLOCK_RADIUS_KM
        a = {k for k in block_keys(_report("a", [(lat, lon)])) if k[2] == "p"}
        b = {k for k in block_keys(_report("b", [there])) if k[2] == "p"}
    finally:
        tunables.LINK_BLOCK_CELL_DEG = old
    assert a & b


def test_reports_of_one_type_in_one_country_share_a_block_whoever_the_actors_are():
    a = _report("a", countries=["UKR"], actor_party="RUS")
    b = _report("b", countries=["UKR"], actor_party="UKR")
    assert set(block_keys(a)) & set(block_keys(b))
    assert not set(block_keys(a, by_type=False)) & set(block_keys(b, by_type=False))


def test_a_report_with_no_date_span_is_in_no_block():
    assert block_keys(_report("a", countries=["UKR"], span=None)) == []


def test_a_lone_report_is_no_candidate_pair():
    i, j = candidate_pairs([_report("a", countries=["UKR"])])
    assert (len(i), len(j)) == (0, 0)


def test_reports_sharing_no_block_are_no_candidate_pair():
    a = _report("a", countries=["UKR"], actor_party="RUS")
    b = _report("b", countries=["PSE"], actor_party="ISR", family="protest")
    i, j = candidate_pairs([a, b])
    assert (len(i), len(j)) == (0, 0)


def test_accounts_told_in_the_same_words_meet_even_when_their_places_disagree():
    v = np.ones(8, dtype=np.float32) / np.sqrt(8)
    a = _report("a", towns=[(49.99, 36.23)], actor_party="RUS", vector=v)
    b = _report("b", towns=[(31.30, 34.25)], actor_party="ISR", vector=v)
    assert not set(block_keys(a, by_type=False)) & set(block_keys(b, by_type=False))
    i, j = candidate_pairs([a, b], np.stack([v, v]))
    assert list(zip(i.tolist(), j.tolist(), strict=True)) == [(0, 1)]


def test_actors_of_one_parent_or_one_party_still_count_towards_one_event():
    base = dict(countries=["UKR"], towns=[(49.99, 36.23)])
    reports = [
        _report("a", actor="x-army", actor_parent="x", actor_party="X", **base),
        _report("b", actor="x-police", actor_parent="x", actor_party="X", **base),
        _report("c", actor="x-militia", actor_parent="x-allies", actor_party="X", **base),
        _report("d", actor="y-army", actor_parent="y", actor_party="Y", **base),
    ]
    features = _Features(reports, None, None)
    same_parent, same_party, other = features.scores(np.array([0, 0, 0]), np.array([1, 2, 3]))
    assert same_parent > same_party > other


def test_reports_without_dates_give_no_candidate_pairs_and_no_error():
    i, j = candidate_pairs([_report("a", span=None), _report("b", span=None)])
    assert (len(i), len(j)) == (0, 0)
