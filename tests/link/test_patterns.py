"""What real coverage does to cross-source figures and stories (issue 11), on short
articles written for these tests and run through the whole pipeline: cumulative and
background tolls beside an incident's, hostages taken and freed, people who fled today
beside those displaced since the war began, same-day attacks in two countries told in the
same words, talks, a summit, sanctions, a tariff decision and a deportation told by several
outlets, a three-day episode with one speaker's rising count, and stray numbers in a
contest (a historical comparison, a separate attack's victims)."""

from __future__ import annotations

import pytest

from triangulate.store import Store


def article(id: str, outlet: str, published: str, text: str) -> dict:
    return {"id": id, "outlet": outlet, "published": published, "text": text}


ARTICLES = [
    # an incident toll beside the war's running toll and another event's, in both outlets;
    # the ministry says 40, the military fewer than 10: the only contest
    article("war-a", "Harbor Post", "2024-07-10",
            "An Israeli air strike on a school sheltering displaced families in Khan Younis "
            "killed 40 people on Tuesday, Gaza's health ministry said. The ministry said "
            "38,200 Palestinians have been killed in Gaza since the war began. The war began "
            "when Hamas-led militants attacked southern Israel on October 7, killing about "
            "1,200 people and taking about 250 hostages."),
    article("war-b", "Valley Courier", "2024-07-10",
            "The Israeli military said its air strike on a school in Khan Younis on Tuesday "
            "killed fewer than 10 people. More than 38,000 Palestinians have been killed in "
            "Gaza since October 7, according to Gaza's health ministry."),
    # same day, same words, two countries
    article("niger", "Harbor Post", "2025-06-03",
            "Militants attacked an army post near Diffa in Niger on Tuesday, killing nine "
            "soldiers, the defence ministry said."),
    article("kenya", "Valley Courier", "2025-06-03",
            "Militants attacked a police post near Mandera in Kenya on Tuesday, killing five "
            "police officers, the interior ministry said."),
    # talks told by three outlets in different words
    article("talks-a", "Harbor Post", "2023-05-12",
            "Envoys of Sudan's army and the Rapid Support Forces agreed in Jeddah on Thursday "
            "to protect civilians, Saudi Arabia and the United States said after talks they "
            "mediated. General Abdel Fattah al-Burhan and Mohamed Hamdan Dagalo did not "
            "attend the talks in Jeddah."),
    article("talks-b", "Valley Courier", "2023-05-12",
            "Sudan's army and the Rapid Support Forces did not agree to a ceasefire at the "
            "talks in Jeddah, Saudi Arabia and the United States said on Friday, but signed a "
            "pledge to let aid through. The army of Abdel Fattah al-Burhan and the RSF of "
            "Mohamed Hamdan Dagalo have fought since April."),
    article("talks-c", "Steppe Herald", "2023-05-13",
            "Arab governments welcomed the Jeddah declaration signed by Sudan's army and the "
            "Rapid Support Forces, and urged Abdel Fattah al-Burhan and Mohamed Hamdan "
            "Dagalo to agree a ceasefire. Saudi Arabia and the United States said talks in "
            "Jeddah would continue."),
    # a summit told by three outlets, sanctions by two, in different words
    article("summit-a", "Harbor Post", "2024-11-21",
            "Leaders of Kenya, Uganda and Tanzania met in Arusha on Thursday for a summit on "
            "the fighting in eastern Congo, and called on the M23 rebels to withdraw from "
            "Goma. President William Ruto said the region would send monitors."),
    article("summit-b", "Valley Courier", "2024-11-21",
            "An East African summit in Arusha ended on Thursday with a call for a ceasefire "
            "in eastern Congo. William Ruto, Yoweri Museveni and Samia Suluhu Hassan urged "
            "the M23 to leave Goma."),
    article("summit-c", "Steppe Herald", "2024-11-22",
            "Congo's government welcomed the statement of the Arusha summit, where the "
            "presidents of Kenya, Uganda and Tanzania demanded that M23 fighters pull out of "
            "Goma. Yoweri Museveni said he would host the next meeting."),
    article("sanctions-a", "Harbor Post", "2024-09-11",
            "The European Union imposed sanctions on Wednesday on five commanders of the "
            "Rapid Support Forces in Sudan, freezing their assets over attacks on civilians "
            "in El Fasher."),
    article("sanctions-b", "Valley Courier", "2024-09-11",
            "Five Rapid Support Forces commanders were put under European Union sanctions "
            "over the siege of El Fasher, EU foreign ministers said on Wednesday. The RSF "
            "called the asset freezes unjust."),
    # a tariff decision and a deportation, each told by two outlets
    article("tariff-a", "Harbor Post", "2025-04-03",
            "President Donald Trump imposed tariffs of 25 percent on cars imported into the "
            "United States on Wednesday, and Canada and the European Union said they would "
            "respond."),
    article("tariff-b", "Valley Courier", "2025-04-03",
            "The United States imposed 25 percent tariffs on foreign cars on Wednesday. "
            "Canada's prime minister Mark Carney said the duties Donald Trump ordered were "
            "unjustified, and the European Union said it was preparing countermeasures."),
    article("deport-a", "Harbor Post", "2025-03-16",
            "The Trump administration deported more than 200 Venezuelans to El Salvador on "
            "Saturday under a wartime law, despite a federal judge's order to turn the planes "
            "around."),
    article("deport-b", "Valley Courier", "2025-03-17",
            "El Salvador's president Nayib Bukele said on Sunday that his country had received "
            "238 Venezuelans deported by the Trump administration, and posted video of the men "
            "arriving at a prison."),
    # one strike told twice; one article also gives a separate attack's toll, a town away
    # and a day earlier
    article("drone-a", "Harbor Post", "2024-08-06",
            "A drone strike on a market in Kostiantynivka killed 12 people on Monday, "
            "regional officials said. In a separate attack on Sunday, shelling killed 30 "
            "people in Toretsk, the officials said."),
    article("drone-b", "Valley Courier", "2024-08-06",
            "Russia's defence ministry said its drone strike on Kostiantynivka on Monday "
            "hit a military depot and killed no more than 5 people."),
    # people who fled the shelling today, and those displaced since the war began
    article("flee-a", "Harbor Post", "2024-04-15",
            "About 3,000 people fled Tawila on Sunday after fighters shelled the town, the "
            "UN said. More than 8 million people have been displaced in Sudan since the war "
            "began, the UN said."),
    article("flee-b", "Valley Courier", "2024-04-15",
            "Some 5,000 people fled the shelling of Tawila on Sunday, local officials said. "
            "The International Organization for Migration says 8.6 million people have been "
            "displaced in Sudan since the start of the war."),
    # a three-day hostage episode: one speaker's freed count rises, two speakers contest
    # the dead; a historical comparison's toll on day 3
    article("siege-1", "Harbor Post", "2025-05-20",
            "Gunmen stormed a cement works near Kayes in Mali on Tuesday and took about 400 "
            "workers hostage. Soldiers freed 104 hostages later on Tuesday, the army said."),
    article("siege-2", "Valley Courier", "2025-05-21",
            "Malian soldiers freed 190 hostages held at the cement works near Kayes, the army "
            "said on Wednesday, as troops pressed the operation that began when gunmen stormed "
            "the plant on Tuesday."),
    article("siege-3", "Harbor Post", "2025-05-22",
            "Mali's army said on Thursday that it had freed 339 hostages at the cement works "
            "near Kayes, and that 21 hostages were killed in the rescue operation. A workers' "
            "union said 27 hostages were killed. It was the deadliest hostage-taking in the "
            "region since the 2013 siege of a gas plant in Algeria, in which 40 workers were "
            "killed."),
]


@pytest.fixture(scope="module")
def linked(link_texts):
    return link_texts(ARTICLES)


def story_of(linked, article_id: str):
    found = [s for s in linked.result.stories if article_id in {a.id for a in s.articles}]
    assert found, f"{article_id} reports no story"
    return max(found, key=lambda s: len(s.articles))


def values(line) -> set:
    return {v.value for v in line.values}


def test_a_war_toll_and_another_events_toll_never_join_the_incidents_contest(linked):
    story = story_of(linked, "war-a")
    assert {a.id for a in story.articles} >= {"war-a", "war-b"}
    contested = [f for f in story.figures if f.contested]
    assert [(f.what, values(f)) for f in contested] == [("killed", {40, 10})]
    every = {v.value for f in story.figures for v in [*f.values, *f.earlier]}
    assert not every & {38200, 38000, 1200, 250}


def test_a_cumulative_toll_is_a_series_of_the_toll_tracker(linked):
    with Store(linked.db, read_only=True) as store:
        series = store.toll_records(what="killed", place="PSE")
    (gaza,) = [t for t in series if {p.value for p in t.points} >= {38200, 38000}]
    assert gaza.since is not None
    assert all(p.sentence.start <= p.evidence.start < p.evidence.end <= p.sentence.end
               for p in gaza.points)


def test_same_day_attacks_in_two_countries_told_alike_are_two_stories(linked):
    niger, kenya = story_of(linked, "niger"), story_of(linked, "kenya")
    assert niger.id != kenya.id


def test_talks_told_by_three_outlets_in_different_words_are_one_story(linked):
    story = story_of(linked, "talks-a")
    assert {a.id for a in story.articles} == {"talks-a", "talks-b", "talks-c"}


def test_a_three_day_episode_is_one_story_with_an_update_and_a_contest(linked):
    story = story_of(linked, "siege-3")
    assert {a.id for a in story.articles} == {"siege-1", "siege-2", "siege-3"}
    freed = [f for f in story.figures if {104, 190, 339} <= values(f) | {
        v.value for v in f.earlier}]
    assert freed and all(f.kind == "updated" and not f.contested for f in freed)
    (killed,) = [f for f in story.figures if f.contested]
    assert values(killed) == {21, 27} and killed.who == "hostages"
    assert 40 not in {v.value for f in story.figures for v in f.values}


def test_hostages_taken_and_freed_are_different_counts(linked):
    story = story_of(linked, "siege-1")
    taken = [f for f in story.figures if 400 in values(f)]
    assert taken and all(104 not in values(f) and not f.contested for f in taken)


def test_a_summit_told_by_three_outlets_in_different_words_is_one_story(linked):
    story = story_of(linked, "summit-a")
    assert {a.id for a in story.articles} == {"summit-a", "summit-b", "summit-c"}


def test_sanctions_told_by_two_outlets_are_one_story_apart_from_the_summit(linked):
    story = story_of(linked, "sanctions-a")
    assert {a.id for a in story.articles} == {"sanctions-a", "sanctions-b"}


def test_a_tariff_decision_and_a_deportation_told_by_two_outlets_are_one_story_each(linked):
    tariff, deport = story_of(linked, "tariff-a"), story_of(linked, "deport-a")
    assert {a.id for a in tariff.articles} == {"tariff-a", "tariff-b"}
    assert {a.id for a in deport.articles} == {"deport-a", "deport-b"}


def test_a_separate_attacks_victims_in_the_same_article_stay_out_of_the_contest(linked):
    story = story_of(linked, "drone-b")
    assert {a.id for a in story.articles} == {"drone-a", "drone-b"}
    (killed,) = [f for f in story.figures if f.contested]
    assert values(killed) == {12, 5} and not killed.earlier
    assert 30 not in {v.value for f in story.figures for v in [*f.values, *f.earlier]}


def test_people_who_fled_today_are_no_rivals_to_those_displaced_since_the_war_began(linked):
    story = story_of(linked, "flee-a")
    assert {a.id for a in story.articles} == {"flee-a", "flee-b"}
    every = {v.value for f in story.figures for v in [*f.values, *f.earlier]}
    assert {3000, 5000} <= every and not every & {8_000_000, 8_600_000}
    with Store(linked.db, read_only=True) as store:
        series = store.toll_records(what="displaced", place="SDN")
    assert {p.value for t in series for p in t.points} == {8_000_000, 8_600_000}
