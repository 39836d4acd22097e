"""Attribution: claims in reported speech, direct quotations and their speakers."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from triangulate.analyze.attribution import find_attributions
from triangulate.analyze.text import quoted_regions
from triangulate.model import Actor, Figure, Mention


def _run(nlp, text: str, actors: list[Actor] | None = None, figures: list[Figure] | None = None):
    doc = nlp(text)
    claims, quotes, new = find_attributions(doc, actors or [], figures or [])
    _check_offsets(text, claims, quotes, new)
    return claims, quotes, new


def _check_offsets(text, claims, quotes, new) -> None:
    for c in claims:
        assert text[c.content.start:c.content.end] == c.content.text
        for s, e in c.content.spans or []:
            assert c.content.start <= s < e <= c.content.end
        assert text[c.cue_span.start:c.cue_span.end] == c.cue_span.text == c.cue
        if c.speaker_span:
            assert text[c.speaker_span.start:c.speaker_span.end] == c.speaker_span.text
        assert c.start <= c.content.start and c.content.end <= c.end
    for q in quotes:
        assert text[q.start:q.end] == q.text
    for a in new:
        assert not a.known
        for m in a.mentions:
            assert text[m.start:m.end] == m.text


def _actor(text: str, name: str, id: str, kind: str, country: str | None = None) -> Actor:
    mentions = []
    start = text.find(name)
    while start >= 0:
        mentions.append(Mention(start, start + len(name), name))
        start = text.find(name, start + 1)
    return Actor(id=id, name=name, kind=kind, country=country, mentions=mentions)


def _figure(text: str, span: str, value: int, fid: str) -> Figure:
    start = text.index(span)
    return Figure(id=fid, start=start, end=start + len(span), text=span, value=value)


def _only(claims, cue: str):
    found = [c for c in claims if c.cue == cue]
    assert len(found) == 1, [(c.cue, c.content.text) for c in claims]
    return found[0]


# --------------------------------------------------------------------------- claims


def test_competing_claims_each_get_their_speaker_stance_and_figures(nlp):
    text = ("Hamas claimed that twelve guards were killed in the ambush; Israel admitted to "
            "three dead and several wounded.")
    actors = [_actor(text, "Hamas", "hamas", "armed_group"),
              _actor(text, "Israel", "israel", "state", "ISR")]
    figures = [_figure(text, "twelve guards were killed", 12, "f1"),
               _figure(text, "three dead", 3, "f2")]
    claims, _, new = _run(nlp, text, actors, figures)
    hamas, israel = _only(claims, "claimed"), _only(claims, "admitted")
    assert (hamas.speaker, hamas.speaker_text, hamas.stance) == ("hamas", "Hamas", "asserts")
    assert hamas.content.text == "that twelve guards were killed in the ambush"
    assert hamas.figures == ["f1"]
    assert (israel.speaker, israel.stance) == ("israel", "admits")
    assert israel.content.text == "three dead and several wounded"
    assert israel.figures == ["f2"]
    assert new == []


def test_a_figure_in_a_nested_claim_is_credited_to_the_inner_speaker(nlp):
    text = "The army said Hamas claimed that nine soldiers died in the raid."
    actors = [_actor(text, "The army", "army", "military"),
              _actor(text, "Hamas", "hamas", "armed_group")]
    claims, _, _ = _run(nlp, text, actors, [_figure(text, "nine soldiers died", 9, "f1")])
    army, hamas = _only(claims, "said"), _only(claims, "claimed")
    assert (army.speaker, hamas.speaker) == ("army", "hamas")
    assert hamas.figures == ["f1"] and army.figures == []


@pytest.mark.parametrize("text,cue,stance,content", [
    ("The army denied that its troops fired on the crowd.", "denied", "denies",
     "that its troops fired on the crowd"),
    ("The health ministry estimated that 300 people had died.", "estimated", "estimates",
     "that 300 people had died"),
    ("The agency warned that the camp would run out of water.", "warned", "warns",
     "that the camp would run out of water"),
    ("Iran accused Israel of undermining the talks.", "accused", "accuses",
     "Israel of undermining the talks"),
    ("The rebels promised to release the hostages.", "promised", "promises",
     "to release the hostages"),
    ("The general acknowledged that mistakes were made.", "acknowledged", "admits",
     "that mistakes were made"),
    ("The group insisted that the ceasefire still held.", "insisted", "asserts",
     "that the ceasefire still held"),
    ("The militia vowed to retaliate.", "vowed", "promises", "to retaliate"),
    ("The police confirmed that two officers were wounded.", "confirmed", "admits",
     "that two officers were wounded"),
])
def test_the_cue_sets_the_stance(nlp, text, cue, stance, content):
    claims, _, _ = _run(nlp, text)
    claim = _only(claims, cue)
    assert claim.stance == stance
    assert claim.content.text == content


def test_said_without_that_takes_the_clause(nlp):
    claims, _, _ = _run(nlp, "The mayor said the shelling had stopped by noon.")
    assert _only(claims, "said").content.text == "the shelling had stopped by noon"


def test_speaker_after_the_content(nlp):
    text = "The strike killed 12 people in the market, the ministry said."
    claims, _, new = _run(nlp, text)
    claim = _only(claims, "said")
    assert claim.content.text == "The strike killed 12 people in the market"
    assert claim.speaker_text == "the ministry"
    assert claim.speaker in {a.id for a in new}


def test_according_to_before_and_after_the_clause(nlp):
    claims, _, _ = _run(nlp, "According to the ministry, 30 people were killed.")
    claim = _only(claims, "According to")
    assert (claim.speaker_text, claim.content.text) == ("the ministry", "30 people were killed")
    claims, _, _ = _run(nlp, "Five houses were destroyed, according to witnesses.")
    claim = _only(claims, "according to")
    assert (claim.speaker_text, claim.content.text) == ("witnesses", "Five houses were destroyed")


def test_noun_cue_with_a_possessive_speaker(nlp):
    text = "Hamas's claim that nine soldiers died was rejected by the army."
    claims, _, _ = _run(nlp, text, [_actor(text, "Hamas", "hamas", "armed_group")])
    claim = _only(claims, "claim")
    assert (claim.speaker, claim.content.text) == ("hamas", "that nine soldiers died")


def test_agentless_passive_is_a_claim_without_speaker(nlp):
    claims, _, new = _run(nlp, "It was reported that the bridge had collapsed.")
    claim = _only(claims, "reported")
    assert claim.speaker is None and claim.content.text == "that the bridge had collapsed"
    assert new == []


def test_told_reporters_the_addressee_is_not_the_content(nlp):
    claims, _, _ = _run(nlp, "The commander told reporters that the town had been retaken.")
    claim = _only(claims, "told")
    assert claim.content.text == "that the town had been retaken"
    assert claim.speaker_text == "The commander"


def test_pronoun_speaker_resolves_to_the_person_named_before(nlp):
    text = "Benjamin Netanyahu spoke in Jerusalem on Monday. He said the war would go on."
    actors = [_actor(text, "Benjamin Netanyahu", "benjamin-netanyahu", "person", "ISR")]
    claims, _, new = _run(nlp, text, actors)
    claim = _only(claims, "said")
    assert claim.speaker == "benjamin-netanyahu" and claim.speaker_text == "He"
    assert new == []


def test_unknown_speakers_become_new_actors(nlp):
    text = ("A senior official said the talks had failed. Witnesses said the convoy "
            "was hit twice.")
    claims, _, new = _run(nlp, text)
    by_id = {a.id: a for a in new}
    assert {c.speaker for c in claims} <= set(by_id)
    official, witnesses = (by_id[c.speaker] for c in claims)
    assert (official.id, official.kind) == ("anonymous-official", "person")
    assert (witnesses.name, witnesses.kind) == ("Witnesses", "group")


def test_spokesman_speaks_for_the_body_named_beside_him(nlp):
    text = "An army spokesman said the soldiers had returned fire."
    claims, _, new = _run(nlp, text, [_actor(text, "army", "israel-military", "military")])
    assert _only(claims, "said").speaker == "israel-military"
    assert new == []


def test_same_voice_nested_claim_is_one_claim(nlp):
    claims, _, _ = _run(nlp, "The minister said he believes the border will reopen.")
    assert [c.cue for c in claims] == ["said"]


def test_no_claims_inside_a_quotation(nlp):
    text = "“I believe we ought to have moved sooner,” Okafor said."
    claims, quotes, _ = _run(nlp, text)
    assert [c.cue for c in claims] == ["said"]
    assert claims[0].content.text == "“I believe we ought to have moved sooner,”"


def test_speaker_after_a_clause_the_parser_made_its_subject(nlp):
    text = "Israeli airstrikes killed at least 34 people overnight, Gaza's Health Ministry said."
    claims, _, _ = _run(nlp, text)
    claim = _only(claims, "said")
    assert claim.content.text == "Israeli airstrikes killed at least 34 people overnight"
    assert claim.speaker_text == "Gaza's Health Ministry"


def test_unnamed_official_telling_an_agency(nlp):
    text = ("A senior Israeli official, speaking on condition of anonymity, told Reuters the "
            "operation would last weeks.")
    claims, _, new = _run(nlp, text)
    claim = _only(claims, "told")
    assert claim.content.text == "the operation would last weeks"
    assert claim.speaker.startswith("anonymous-") and new[0].kind == "person"


def test_headline_name_with_a_colon(nlp):
    text = "Zelensky: Russia will pay for this.\n\nStalled Talks: Why Mediation Failed"
    claims, _, _ = _run(nlp, text)
    assert [(c.speaker_text, c.content.text) for c in claims] == [
        ("Zelensky", "Russia will pay for this")]


def test_quotation_signed_with_a_dash(nlp):
    text = "“He does not speak for us, and he never did.” ― Maria Lopez\n\nMore letters."
    claims, quotes, _ = _run(nlp, text)
    assert [(q.speaker_text, q.speaker_position) for q in quotes] == [("Maria Lopez", "after")]


def test_negated_cue_claims_nothing(nlp):
    claims, _, _ = _run(nlp, "The army did not comment on the report.")
    assert claims == []


# --------------------------------------------------------------------------- quotes


def test_quote_with_speaker_after(nlp):
    text = "“We will not stop until the job is done,” Netanyahu said."
    _, quotes, new = _run(nlp, text)
    (quote,) = quotes
    assert quote.text == "“We will not stop until the job is done,”"
    assert (quote.speaker_text, quote.speaker_position, quote.cue) == ("Netanyahu", "after", "said")
    assert quote.speaker in {a.id for a in new}


def test_quote_with_inverted_speaker_and_apposition(nlp):
    text = "“They have nowhere left to go,” said Boker, a reservist from Beersheba."
    _, quotes, _ = _run(nlp, text)
    (quote,) = quotes
    assert (quote.speaker_text, quote.speaker_position) == ("Boker", "after")


def test_quote_with_speaker_before_and_a_colon(nlp):
    text = 'Okafor said: "You have to hold the bridge. Nobody else is coming."'
    claims, quotes, _ = _run(nlp, text)
    (quote,) = quotes
    assert (quote.speaker_text, quote.speaker_position) == ("Okafor", "before")
    assert _only(claims, "said").content.text == quote.text


def test_quote_after_a_sentence_about_its_speaker(nlp):
    text = "Netanyahu was defiant. “We will take the ridge whatever the envoys decide.”"
    _, quotes, _ = _run(nlp, text)
    (quote,) = quotes
    assert (quote.speaker_text, quote.speaker_position) == ("Netanyahu", "previous")


def test_quotes_that_go_on_after_the_cue_are_the_same_claim(nlp):
    text = ("“The hospital is out of fuel,” the director said. “We cannot run the "
            "generators for another day.”")
    claims, quotes, _ = _run(nlp, text)
    assert [(q.speaker_text, q.speaker_position) for q in quotes] == [
        ("the director", "after"), ("the director", "previous")]
    claim = _only(claims, "said")
    assert claim.content.spans == [[quotes[0].start, quotes[0].end],
                                   [quotes[1].start, quotes[1].end]]


def test_scare_quotes_are_not_quotations(nlp):
    text = "The army pressed on with its “total victory” campaign in the south."
    _, quotes, _ = _run(nlp, text)
    assert quotes == []


def test_a_cue_makes_a_short_quote_the_speakers(nlp):
    text = "The government promised a “total victory” over the militants by summer."
    _, quotes, _ = _run(nlp, text)
    assert [(q.text, q.speaker_text) for q in quotes] == [("“total victory”", "The government")]


def test_short_quote_inside_a_claim_is_the_speakers(nlp):
    text = "Zelensky called the envoy's terms “absurd.”"
    _, quotes, _ = _run(nlp, text)
    (quote,) = quotes
    assert quote.speaker_text == "Zelensky"


# --------------------------------------------------------------------------- regions


def _texts(text: str) -> list[str]:
    return [text[s:e] for s, e in quoted_regions(text)]


def test_regions_pair_typographic_straight_and_doubled_apostrophes():
    assert _texts("He said “we go” and ‘they stay’ now.") == ["“we go”", "‘they stay’"]
    assert _texts('"One," he said. "Two."') == ['"One,"', '"Two."']
    assert _texts("''I think so,'' she said.") == ["''I think so,''"]


def test_apostrophes_are_not_single_quotes():
    assert _texts("The soldiers’ families said it’s over.") == []


def test_multi_paragraph_quotation_is_one_region():
    text = "“First paragraph.\n\n“Second paragraph,” he said."
    assert _texts(text) == ["“First paragraph.\n\n“Second paragraph,”"]


def test_a_mark_that_never_closes_stays_in_its_paragraph():
    text = '"PENCE: one thing.\n\n"WALLACE: another.\n\nNo quote here.'
    assert _texts(text) == ['"PENCE: one thing.', '"WALLACE: another.']


_PIECES = st.sampled_from(["word", " ", "\n", "\n\n", "“", "”", '"', "‘", "’", "''", ",", "."])


@settings(max_examples=300, deadline=None)
@given(st.lists(_PIECES, max_size=40).map("".join))
def test_regions_are_sorted_disjoint_and_open_with_a_mark(text):
    regions = quoted_regions(text)
    previous_end = 0
    for start, end in regions:
        assert previous_end <= start < end <= len(text)
        assert text[start] in "“”„«\"‘'`"
        previous_end = end


# --------------------------------------------------------------------------- who is speaking


def _with_actors(nlp, text: str):
    """The claims of a text with the actors stage's own actors (pronouns and descriptions
    refer back to them)."""
    from triangulate.analyze.actors import find_actors

    doc = nlp(text)
    claims, quotes, new = find_attributions(doc, find_actors(doc), [])
    _check_offsets(text, claims, quotes, new)
    return claims, quotes, new


def _speakers(claims) -> list[tuple[str, str | None]]:
    return [(c.cue, c.speaker) for c in claims]


def test_he_is_the_titled_person_named_before_not_a_group(nlp):
    claims, _, _ = _with_actors(
        nlp, "The Houthis said the ship was hit. The strikes hit 60 targets, according to Major "
        "General Tomas Reyes, who commands the air force. He said 100 munitions were fired.")
    assert _speakers(claims) == [("said", "houthis"), ("according to", "tomas-reyes"),
                                 ("said", "tomas-reyes")]


def test_he_never_falls_back_to_a_group(nlp):
    claims, _, _ = _with_actors(nlp, "The Houthis said the ship was hit. He said the crew was safe.")
    assert _speakers(claims) == [("said", "houthis"), ("said", None)]


def test_it_continues_the_speaker_of_the_claim_before(nlp):
    claims, _, _ = _with_actors(
        nlp, "Hamas gave a different account. In a statement, the group said its fighters had "
        "hit two tanks. It said nine soldiers were killed.")
    assert _speakers(claims) == [("said", "hamas"), ("said", "hamas")]


def test_it_after_the_military_is_the_named_military_not_the_troops(nlp):
    claims, _, _ = _with_actors(
        nlp, "The Israeli military said four soldiers were killed when gunmen opened fire on "
        "troops. Two other soldiers were wounded, it said.")
    assert _speakers(claims) == [("said", "israel-military"), ("said", "israel-military")]


def test_it_inside_a_claim_is_its_speaker_and_never_a_plural_name(nlp):
    claims, _, _ = _with_actors(
        nlp, "The Yemeni government blamed the Houthis for what it called a new disaster.")
    assert {c.speaker for c in claims} == {"yemen-government"}


def test_a_description_repeated_is_the_same_speaker(nlp):
    claims, _, _ = _with_actors(
        nlp, "The news agency said its estimate was based on 23 accounts. The agency "
        "acknowledged that its figure was an estimate.")
    assert {c.speaker for c in claims} == {"news-agency"}


def test_a_role_with_a_name_in_apposition_is_that_person(nlp):
    claims, _, _ = _with_actors(nlp, "The defence minister, Dana Levin, said the troops were leaving.")
    assert _speakers(claims) == [("said", "dana-levin")]


def test_a_name_in_apposition_the_actors_stage_missed_becomes_a_person(nlp):
    text = "The defence minister, Dana Levin, said the troops were leaving."
    claims, _, new = _run(nlp, text, [_actor(text, "defence minister", "israel-military", "military")])
    assert _speakers(claims) == [("said", "dana-levin")]
    assert [(a.id, a.kind) for a in new] == [("dana-levin", "person")]


def test_a_conjoined_cue_on_the_content_keeps_the_reporter(nlp):
    claims, _, _ = _with_actors(
        nlp, "The ministry said reports of the massacre were appalling, and condemned the killings.")
    assert [c.speaker for c in claims] == ["ministry", "ministry"]


def test_a_conjoined_cue_after_a_back_shifted_clause_keeps_the_reporter(nlp):
    claims, _, _ = _with_actors(
        nlp, "Nadia Okoro said the RSF had carried out the assault, and called the killings an "
        "escalation.")
    assert {c.speaker for c in claims} == {"nadia-okoro"}


def test_an_infinitive_with_no_speaker_is_no_claim(nlp):
    claims, _, _ = _with_actors(nlp, "It took until Sunday afternoon to confirm that her aunt was alive.")
    assert claims == []


def test_a_document_speaks_for_whoever_made_it(nlp):
    text = ("The Israeli army entered the town. The toll rose to 260, according to military "
            "figures. It may be close to 600, according to an investigation published on "
            "Wednesday by the Associated Press. US Central Command's first release said two "
            "sailors were presumed dead.")
    claims, _, _ = _with_actors(nlp, text)
    assert [c.speaker for c in claims] == ["israel-military", "ap", "usa-military"]


def test_a_crowd_speaks_through_its_of_phrase(nlp):
    claims, _, _ = _with_actors(nlp, "Dozens of residents said the water had run out.")
    assert _speakers(claims) == [("said", "residents")]


def test_unnamed_sources_get_one_id_however_qualified(nlp):
    claims, _, _ = _with_actors(
        nlp, "Credible local sources said 400 people were killed. Local sources said the camp "
        "had emptied.")
    assert {c.speaker for c in claims} == {"anonymous-local-sources"}


def test_a_demonym_on_a_claim_noun_is_its_speaker(nlp):
    claims, _, _ = _with_actors(nlp, "Analysts doubt the Russian claim that its forces do not use the missile.")
    assert _only(claims, "claim").speaker == "russia"


def test_the_opening_phrase_speaks_when_the_parser_hung_it_on_a_clause(nlp):
    claims, _, _ = _with_actors(
        nlp, "Residents of the town, most of whom have fled to the coast, said the shelling had "
        "not stopped.")
    assert _only(claims, "said").speaker_text == "Residents of the town"


def test_a_quotation_the_sentence_goes_on_about_is_nobody_s_speech(nlp):
    _, quotes, _ = _with_actors(
        nlp, 'Before the war, researchers posted images of the launchers. "Only one army has '
        'this missile" is simply not true.')
    assert [q.speaker for q in quotes] == [None]


def test_a_relative_clause_inside_the_speaker_phrase_is_left_out(nlp):
    claims, _, _ = _with_actors(
        nlp, "More than 33,000 people have been killed, according to the health ministry in the "
        "territory, which does not distinguish between civilians and combatants.")
    assert _only(claims, "according to").speaker_text == "the health ministry in the territory"


@given(st.lists(st.tuples(st.integers(0, 60), st.integers(0, 30)), max_size=25),
       st.lists(st.integers(0, 90), max_size=25))
def test_the_boxes_holding_each_cue_are_found_as_by_testing_every_box(spans, points):
    # _drop_nested tested every claim's box for every cue: the square of the number of cues
    # on a storm of quoted speech ("“a” said he" thousands of times). The sweep that
    # replaced it must find exactly the same boxes.
    from triangulate.analyze.attribution import _containing

    boxes = [(s, s + n, None) for s, n in spans]
    expected = [[k for k, (s, e, _) in enumerate(boxes) if s <= at < e] for at in points]
    assert _containing(points, boxes) == expected


# ----------------------------------------------------------------------------- constructions
# Each case: a sentence or two, and every claim found as (cue, speaker as written, content).
CONSTRUCTIONS = [
    pytest.param("They said the bridge had been destroyed.",
                 [("said", "They", "the bridge had been destroyed")],
                 id="a plural pronoun can speak"),
    pytest.param('Said Karim Nasser: "The roads are closed."',
                 [("Said", "Karim Nasser", '"The roads are closed."'),
                  (":", "Karim Nasser", '"The roads are closed."')],
                 id="'Said Name:' names the speaker of the quotation after it"),
    pytest.param('"We will rebuild the school." \u2014 Ariana Huichapa.',
                 [("\u2014", "Ariana Huichapa", '"We will rebuild the school."')],
                 id="a dash signature after a quotation names its speaker, without the stop"),
    pytest.param('"We stay." \u2014 Ramon Diaz Jr.',
                 [("\u2014", "Ramon Diaz Jr.", '"We stay."')],
                 id="a dash signature keeps the stop of Jr."),
    pytest.param('The mayor said: "The dam holds." Residents disagreed.',
                 [("said", "The mayor", '"The dam holds."')],
                 id="a quotation after 'said:' is the content"),
    pytest.param("The ministry's claim that the camp was empty was false.",
                 [("claim", "The ministry", "that the camp was empty")],
                 id="a noun cue with a possessive speaker"),
    pytest.param("The army, citing intelligence reports, said the tunnel was used by fighters.",
                 [("citing", "The army", "intelligence reports"),
                  ("said", "The army", "the tunnel was used by fighters")],
                 id="a parenthetical citing is the speaker's too"),
    pytest.param("He said that the convoy was hit and that the driver died.",
                 [("said", "He", "that the convoy was hit and that the driver died")],
                 id="two that-clauses of one cue are one claim"),
    pytest.param("The spokesman denied the claim, saying the strike hit only fighters.",
                 [("denied", "The spokesman", "the claim"),
                  ("saying", "The spokesman", "the strike hit only fighters")],
                 id="a participle cue shares the speaker of the clause it hangs on"),
    pytest.param("The claim by the ministry that 40 people died was disputed.",
                 [("claim", "the ministry", "that 40 people died")],
                 id="a noun cue with a by-phrase speaker"),
    pytest.param("The report, which the agency published on Monday, said 40 people died.",
                 [("said", "the agency", "40 people died")],
                 id="a report speaks for the agency that published it"),
    pytest.param("The minister said the talks, which began in May, had failed.",
                 [("said", "The minister", "the talks, which began in May, had failed")],
                 id="a relative clause inside the content stays in it"),
    pytest.param("A UN official, who asked not to be named, said the camp was full.",
                 [("said", "A UN official", "the camp was full")],
                 id="a speaker's relative clause is not the content"),
    pytest.param("Witnesses told the Meridian Wire that the market was hit twice.",
                 [("told", "Witnesses", "that the market was hit twice")],
                 id="told someone that: the teller speaks"),
    pytest.param("The Red Crescent said its teams were blocked, adding that two medics were "
                 "hurt.", [("said", "The Red Crescent", "its teams were blocked"),
                           ("adding", "The Red Crescent", "that two medics were hurt")],
                 id="adding that continues the same speaker"),
    pytest.param("Where Now for the Talks\nThe talks will continue, officials said.",
                 [("said", "officials", "The talks will continue")],
                 id="a heading on the line above is not part of the content"),
    pytest.param("It is not clear who fired first, the mayor said.",
                 [("said", "the mayor", "It is not clear who fired first")],
                 id="a speaker after the content"),
    pytest.param("Smith said the dam was safe. Smith added that repairs would start soon.",
                 [("said", "Smith", "the dam was safe"),
                  ("added", "Smith", "that repairs would start soon")],
                 id="a surname repeated is the same speaker"),
]


@pytest.mark.parametrize(("text", "expected"), CONSTRUCTIONS)
def test_claims_in_common_constructions(nlp, text, expected):
    claims, _, _ = _run(nlp, text)
    assert [(c.cue, c.speaker_text, c.content.text) for c in claims] == expected


def test_a_named_speaker_in_apposition_to_a_role_is_the_person(nlp):
    claims, _, new = _run(nlp, "The governor, Anna Smith, said the dam was safe.")
    assert [c.speaker for c in claims] == ["anna-smith"]
    assert [(a.name, a.kind) for a in new] == [("Anna Smith", "person")]


def test_a_speaker_named_after_a_quotation_is_a_new_person_with_one_mention(nlp):
    text = '"We will not leave," said Mona Haddad, a teacher in the camp.'
    claims, quotes, new = _run(nlp, text)
    assert [q.speaker for q in quotes] == ["mona-haddad"]
    assert [(a.name, a.kind, [m.text for m in a.mentions]) for a in new] == [
        ("Mona Haddad", "person", ["Mona Haddad"])]


def test_a_quotation_in_the_next_paragraph_keeps_the_last_speaker(nlp):
    text = '"The army fired first," the mayor said.\n\n"Then the tanks came."'
    _, quotes, _ = _run(nlp, text)
    assert [q.speaker for q in quotes] == ["mayor", "mayor"]


def test_a_group_named_as_officials_is_an_anonymous_group(nlp):
    _, _, new = _run(nlp, "Officials said they expected to reopen the crossing.")
    assert [(a.id, a.kind) for a in new] == [("anonymous-officials", "group")]


@pytest.mark.parametrize(("text", "speakers", "mentions"), [
    ("Mona Haddad said the dam held. She said repairs would start soon.",
     ["mona-haddad", "mona-haddad"], ["Mona Haddad"]),
    ("Mona Haddad said the dam held. Haddad added that repairs would start soon.",
     ["mona-haddad", "mona-haddad"], ["Mona Haddad", "Haddad"]),
    ("The army said the dam held. It said repairs would start soon.", ["army", "army"],
     ["The army"]),
    ("Villagers said the dam held. They said repairs would start soon.",
     ["villagers", "villagers"], ["Villagers"]),
    ("Mona Haddad, who runs the clinic, spoke first. She said supplies were short.",
     ["mona-haddad"], ["Mona Haddad"]),
], ids=["she is the last woman who spoke", "a surname alone is the person named in full",
        "it is the last group that spoke", "they are the last group that spoke",
        "she is the last person named even when that person made no claim"])
def test_a_pronoun_or_surname_speaker_is_the_person_or_group_before_it(
        nlp, text, speakers, mentions):
    claims, _, new = _run(nlp, text)
    assert [c.speaker for c in claims] == speakers
    assert [m.text for m in new[0].mentions] == mentions


# --------------------------------------------------------------------------- speakers, many ways


@pytest.mark.parametrize("text, claims, new", [
    ("Residents said the shelling lasted all night.",
     [("said", "residents", "Residents", "the shelling lasted all night", "asserts")],
     [("residents", "Residents", "group")]),
    ("They said the bridge had been destroyed.",
     [("said", None, "They", "the bridge had been destroyed", "asserts")], []),
    ("The governor said the bridge was closed and added that repairs would take weeks.",
     [("said", "governor", "The governor", "the bridge was closed", "asserts"),
      ("added", "governor", "The governor", "that repairs would take weeks", "asserts")],
     [("governor", "governor", "person")]),
    ("Local officials said the convoy was hit.",
     [("said", "anonymous-local-officials", "Local officials", "the convoy was hit", "asserts")],
     [("anonymous-local-officials", "Local officials", "group")]),
    ("Maria Okafor, a spokeswoman for the agency, said the camp was full.",
     [("said", "maria-okafor", "Maria Okafor", "the camp was full", "asserts")],
     [("maria-okafor", "Maria Okafor", "person")]),
    ("The mayor, Tomas Brandt, said three schools were damaged. He said they would reopen.",
     [("said", "tomas-brandt", "The mayor", "three schools were damaged", "asserts"),
      ("said", "tomas-brandt", "He", "they would reopen", "asserts")],
     [("tomas-brandt", "Tomas Brandt", "person")]),
    ("Maria Okafor runs the camp. She said the water supply had failed.",
     [("said", "maria-okafor", "She", "the water supply had failed", "asserts")],
     [("maria-okafor", "Maria Okafor", "person")]),
    ("Maria Okafor said the camp was full. Okafor added that more tents were needed.",
     [("said", "maria-okafor", "Maria Okafor", "the camp was full", "asserts"),
      ("added", "maria-okafor", "Okafor", "that more tents were needed", "asserts")],
     [("maria-okafor", "Maria Okafor", "person")]),
    ("In a statement released by the ministry, officials said the port was shelled.",
     [("said", "anonymous-officials", "officials", "the port was shelled", "asserts")],
     [("anonymous-officials", "officials", "group")]),
    ("After saying the port was shelled, the ministry called for calm.",
     [("saying", "ministry", "the ministry", "the port was shelled", "asserts"),
      ("called", "ministry", "the ministry", "calm", "other")],
     [("ministry", "ministry", "group")]),
    ("Kurds said the village was burned.",
     [("said", "kurds", "Kurds", "the village was burned", "asserts")],
     [("kurds", "Kurds", "group")]),
    ("Two aid workers said the clinic had been looted.",
     [("said", "aid-workers", "Two aid workers", "the clinic had been looted", "asserts")],
     [("aid-workers", "Two aid workers", "group")]),
    ("Officials in Kyiv said the plant was shut. Residents told the Daily Ledger it had been "
     "hit twice.",
     [("said", "anonymous-officials-in-kyiv", "Officials in Kyiv", "the plant was shut",
       "asserts"),
      ("told", "residents", "Residents", "it had been hit twice", "asserts")],
     [("anonymous-officials-in-kyiv", "Officials in Kyiv", "group"),
      ("residents", "Residents", "group")]),
    ("The police chief told reporters the suspects had fled.",
     [("told", "police-chief", "The police chief", "the suspects had fled", "asserts")],
     [("police-chief", "police chief", "person")]),
    ('"We will rebuild," said the mayor, Tomas Brandt.',
     [("said", "tomas-brandt", "the mayor", '"We will rebuild,"', "asserts")],
     [("tomas-brandt", "Tomas Brandt", "person")]),
    ("The statement was issued by the army, which said the road was cut.",
     [("said", "army", "the army", "the road was cut", "asserts")],
     [("army", "army", "group")]),
    ("Villagers accused the militia of burning the crops.",
     [("accused", "villagers", "Villagers", "the militia of burning the crops", "accuses")],
     [("villagers", "Villagers", "group")]),
])
def test_each_way_of_naming_a_speaker_credits_the_claim_to_them(nlp, text, claims, new):
    found, _, actors = _run(nlp, text)
    assert [(c.cue, c.speaker, c.speaker_text, c.content.text, c.stance) for c in found] == claims
    assert [(a.id, a.name, a.kind) for a in actors] == new
