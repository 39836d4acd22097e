"""Alerts from two linked states: hand-made stories before and after a round."""

from __future__ import annotations

from triangulate.link.negotiations import tracker
from triangulate.model import (
    Contradiction,
    ContradictionSide,
    FigureLine,
    FigureValue,
    Mention,
    PositionMention,
    Story,
    StoryArticle,
    StoryPlace,
)
from triangulate.watch.alerts import diff, position_changes, position_states, states_of, tolls

TEXT = "Officials said 30 people were killed at the station."


def spans(pairs):
    return {(a, e): (0, len(TEXT), TEXT, f"Outlet {a}") for a, e in pairs}


def value(v, party, article, published, fig="f1") -> FigureValue:
    return FigureValue(value=v, speaker=party, article=article, figure=fig,
                       outlet=f"Outlet {article}", published=published, party=party,
                       evidence=Mention(15, 24 + len(str(v)) - 2, f"{v} people"))


def story(sid="s-1", articles=("a1",), outlets=None, lines=(), contradictions=()) -> Story:
    outlets = outlets or [f"Outlet {a}" for a in articles]
    return Story(
        id=sid, type="ASSAULT", date="2022-04-08", place=StoryPlace("p", "Kramatorsk"),
        outlets=len(set(outlets)), independent_outlets=len(set(outlets)),
        articles=[StoryArticle(a, o, "e1") for a, o in zip(articles, outlets, strict=True)],
        figures=list(lines), contradictions=list(contradictions), title="A strike on the station",
    )


def line(*values, contested=False) -> FigureLine:
    return FigureLine(what="killed", who="people", contested=contested, values=list(values))


def before(*stories):
    return {s.id: s for s in states_of(stories)}


def kinds(changes):
    return [(a.kind, a.subject, a.old, a.new) for a in changes.alerts]


def test_a_story_told_by_a_second_independent_outlet_arrives_once():
    one = story(articles=("a1",))
    two = story(articles=("a1", "a2"))
    changes = diff(before(one), [two], spans)
    assert kinds(changes) == [("new_story", "independent outlets", 1, 2)]
    alert = changes.alerts[0]
    assert [e.article for e in alert.evidence] == ["a1", "a2"]
    assert all(e.text == TEXT[e.start:e.end] for e in alert.evidence)
    three = story(articles=("a1", "a2", "a3"))
    assert kinds(diff(before(two), [three], spans)) == []


def test_a_copy_does_not_make_a_story_arrive():
    copied = story(articles=("a1", "a2"), outlets=["Wire", "Tribune"])
    copied.articles[1].duplicate_of = "a1"
    copied.independent_outlets = 1
    assert diff({}, [copied], spans).alerts == []


def test_a_toll_that_rises_is_an_alert_with_old_new_and_the_new_figure_as_evidence():
    first = story(lines=[line(value(30, "railway", "a1", "2022-04-08"))])
    later = story(articles=("a1", "a2"), lines=[line(
        value(30, "railway", "a1", "2022-04-08"), value(50, "governor", "a2", "2022-04-09"),
        # a recap of the first count in the later article does not hide the new one
        value(30, "governor", "a2", "2022-04-09", fig="f2"))])
    changes = diff(before(first), [later], spans)
    assert ("toll_changed", "killed people", 30, 50) in kinds(changes)
    toll = next(a for a in changes.alerts if a.kind == "toll_changed")
    assert toll.evidence[0].article == "a2" and toll.evidence[0].value == 50
    assert toll.story == "s-1" and toll.story_title == "A strike on the station"


def test_an_unchanged_toll_raises_nothing():
    same = story(articles=("a1", "a2"), lines=[line(value(57, "UKR", "a1", "2022-04-10"))])
    again = story(articles=("a1", "a2"), lines=[line(
        value(57, "UKR", "a1", "2022-04-10"), value(57, "UKR", "a2", "2022-04-11"))])
    assert diff(before(same), [again], spans).alerts == []


def test_each_side_of_a_contested_toll_is_followed_by_party():
    old = story(articles=("a1", "a2"), lines=[line(
        value(100, "un", "a1", "2025-04-12"), value(25, "volunteers", "a1", "2025-04-12"),
        contested=True)])
    new = story(articles=("a1", "a2"), lines=[line(
        value(100, "un", "a1", "2025-04-12"), value(25, "volunteers", "a1", "2025-04-12"),
        value(148, "un", "a2", "2025-04-15"), contested=True)])
    assert kinds(diff(before(old), [new], spans)) == [("toll_changed", "killed people (un)", 100, 148)]


def test_a_line_that_becomes_contested_is_an_alert_with_every_side_as_evidence():
    old = story(articles=("a1", "a2"), lines=[line(value(210, "PSE", "a1", "2024-06-08"))])
    new = story(articles=("a1", "a2"), lines=[line(
        value(210, "PSE", "a1", "2024-06-08"), value(274, "PSE", "a2", "2024-06-09"),
        value(100, "ISR", "a2", "2024-06-09", fig="f2"), contested=True)])
    changes = diff(before(old), [new], spans)
    assert kinds(changes) == [("toll_changed", "killed people (PSE)", 210, 274),
                              ("contested_figure", "killed people", [210], [100, 274])]
    assert sorted(e.value for e in changes.alerts[1].evidence) == [100, 274]


def test_a_new_party_with_its_own_value_in_a_contested_line_is_an_alert_a_repeat_is_not():
    base = [value(300, "UKR", "a1", "2022-03-25"), value(2000, "city", "a1", "2022-03-25")]
    old = story(articles=("a1", "a2"), lines=[line(*base, contested=True)])
    repeat = story(articles=("a1", "a2"), lines=[line(
        *base, value(300, "press", "a2", "2022-03-26"), contested=True)])
    assert diff(before(old), [repeat], spans).alerts == []
    joined = story(articles=("a1", "a2"), lines=[line(
        *base, value(600, "USA", "a2", "2022-05-05"), contested=True)])
    assert kinds(diff(before(old), [joined], spans)) == [
        ("contested_figure", "killed people", [300, 2000], [300, 600, 2000])]


def _place_contradiction(*places) -> Contradiction:
    sides = [ContradictionSide(p, f"a{k}", f"Outlet a{k}", None, Mention(0, 4, "said"))
             for k, p in enumerate(places, 1)]
    return Contradiction("place", list(places), [s.article for s in sides], "s-1", sides)


def test_a_new_contradiction_is_an_alert_and_a_new_value_in_it_another():
    plain = story(articles=("a1", "a2"))
    split = story(articles=("a1", "a2"), contradictions=[_place_contradiction("Nuseirat", "Deir al-Balah")])
    changes = diff(before(plain), [split], spans)
    assert kinds(changes) == [("contradiction", "place", None, ["Deir al-Balah", "Nuseirat"])]
    assert [e.value for e in changes.alerts[0].evidence] == ["Nuseirat", "Deir al-Balah"]
    assert diff(before(split), [split], spans).alerts == []
    wider = story(articles=("a1", "a2"), contradictions=[
        _place_contradiction("Nuseirat", "Deir al-Balah", "Gaza City")])
    assert kinds(diff(before(split), [wider], spans)) == [
        ("contradiction", "place", ["Deir al-Balah", "Nuseirat"],
         ["Deir al-Balah", "Gaza City", "Nuseirat"])]


def test_figure_contradictions_are_left_to_the_contested_figure_alerts():
    figures = Contradiction("figures.killed", [9, 4], ["a1", "a2"], "s-1")
    assert diff(before(story(articles=("a1", "a2"))),
                [story(articles=("a1", "a2"), contradictions=[figures])], spans).alerts == []


def test_a_story_linking_renamed_is_matched_by_its_members_not_taken_for_a_new_one():
    old = story("s-old", articles=("a1", "a2"), lines=[line(value(30, "UKR", "a1", "2022-04-08"))])
    new = story("s-new", articles=("a1", "a2", "a3"),
                lines=[line(value(30, "UKR", "a1", "2022-04-08"), value(57, "UKR", "a3", "2022-04-10"))])
    changes = diff(before(old), [new], spans)
    assert kinds(changes) == [("toll_changed", "killed people", 30, 57)]
    assert changes.new_stories == 0 and changes.changed_stories == 1


def test_the_same_change_found_twice_has_the_same_id():
    first = story(lines=[line(value(30, "UKR", "a1", "2022-04-08"))])
    later = story(articles=("a1", "a2"),
                  lines=[line(value(30, "UKR", "a1", "2022-04-08"), value(50, "UKR", "a2", "2022-04-09"))])
    ids = [[a.id for a in diff(before(first), [later], spans).alerts] for _ in range(2)]
    assert ids[0] == ids[1] and len(set(ids[0])) == len(ids[0]) == 2


def test_stories_only_mentioned_in_passing_raise_nothing():
    passing = story(articles=("a1", "a2"))
    passing.mentions, passing.articles = passing.articles, []
    assert diff({}, [passing], spans).alerts == []


def test_the_toll_of_a_line_is_the_highest_value_of_its_latest_day():
    s = story(lines=[line(value(30, "x", "a1", "2022-04-08"), value(57, "y", "a3", "2022-04-10"),
                          value(50, "y", "a3", "2022-04-10", fig="f2"))])
    (state, chosen), = tolls(s)
    assert state.key == "killed|people" and [side.value for side in state.sides] == [57]
    assert chosen[0].figure == "f1"


# ----------------------------------------------------------------------------- positions


def said(article, stance, day, outlet, party="hamas", claimant=None, event=None):
    return PositionMention(article=article, position="p1", party=party, issue="ceasefire",
                           stance=stance, claimant=claimant, published=day, outlet=outlet,
                           event=event, evidence=Mention(0, 6, "Hamas."))


def stances(*mentions):
    return {(s.party, s.issue): s for s in position_states(tracker(list(mentions)))}


def test_a_party_whose_latest_stance_changes_raises_one_alert_with_the_new_evidence():
    first = [said("a1", "reject", "2025-01-14", "Wire")]
    now = [*first, said("a2", "accept", "2025-01-15", "Daily", claimant="egypt", event="e1")]
    talks = story(articles=("a2",))
    alerts, states = position_changes(stances(*first), tracker(now), [talks])
    (alert,) = alerts
    assert (alert.kind, alert.party, alert.issue, alert.old, alert.new) == (
        "position_changed", "hamas", "ceasefire", "reject", "accept")
    assert alert.story == talks.id and "according to egypt" in alert.summary
    assert [(e.article, e.outlet, e.value, e.speaker) for e in alert.evidence] == [
        ("a2", "Daily", "accept", "egypt")]
    assert [(s.party, s.stance, s.day) for s in states] == [("hamas", "accept", "2025-01-15")]
    # The same stance again the next round is no change.
    assert position_changes({(s.party, s.issue): s for s in states}, tracker(now), [])[0] == []


def test_a_stance_first_heard_of_or_told_again_raises_nothing():
    first = [said("a1", "accept", "2025-01-14", "Wire")]
    now = [*first, said("a2", "accept", "2025-01-15", "Daily"),
           said("a3", "mediate", "2025-01-15", "Daily", party="qatar")]
    assert position_changes(stances(*first), tracker(now), [])[0] == []


def test_going_back_to_an_earlier_stance_is_a_new_alert_not_the_first_again():
    day1 = [said("a1", "reject", "2025-01-14", "Wire")]
    day2 = [*day1, said("a2", "accept", "2025-01-15", "Daily")]
    day3 = [*day2, said("a3", "reject", "2025-01-16", "Wire")]
    day4 = [*day3, said("a4", "accept", "2025-01-17", "Daily")]
    (back,) = position_changes(stances(*day3), tracker(day4), [])[0]
    (first,) = position_changes(stances(*day1), tracker(day2), [])[0]
    assert (back.old, back.new) == (first.old, first.new) and back.id != first.id
    assert back.story is None  # a statement that reports no linked event
