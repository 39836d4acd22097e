"""Events: PLOVER 2.0 types and modes, roles, modality, dates, places, figures and claims.

The actors, places, times, figures and claims the stage reads are built by hand here, so
these tests pin the events stage alone.
"""

from __future__ import annotations

import re

import pytest

from triangulate import datafiles
from triangulate.analyze.events import find_events, lexicon
from triangulate.model import (
    PLOVER_TYPES,
    Actor,
    Claim,
    Figure,
    Mention,
    Place,
    Span,
    TimeExpression,
)

# Who is who in the fixtures: id -> the ways a fixture writes it.
NAMES = {
    "hamas": ["Hamas"],
    "israel": ["Israel", "Israeli", "Israel's"],
    "israel-military": ["Israeli soldiers", "Israeli army", "Israeli troops"],
    "iran": ["Iran", "Tehran"],
    "iraq": ["Iraqi"],
    "un": ["UN"],
    "egypt": ["Egyptian", "Egypt"],
    "qatar": ["Qatar"],
    "jordan": ["Jordan"],
    "britain": ["Britain"],
    "germany": ["Germany"],
    "turkey": ["Turkey"],
    "russia": ["Russia", "Russian"],
    "ukraine": ["Ukraine", "Ukraine's army", "Ukrainian"],
    "sudan": ["Sudan"],
    "hungary": ["Hungarian"],
    "slovakia": ["Slovak"],
    "hezbollah": ["Hezbollah"],
    "students": ["students"],
}

# Modes the PLOVER 2.0 codebook names for each type (README.md of data/events).
PLOVER_MODES = {
    "ASSAULT": {"abduct", "beat", "torture", "execute", "sexual", "assassinate", "destroy",
                "primitive", "firearms", "explosives", "suicide-attack", "heavy-weapons",
                "aerial"},
    "PROTEST": {"demo", "riot", "strike-gen", "strike-lim", "strike-hun", "boycott", "obstruct"},
    "COERCE": {"confiscate", "restrict", "ban", "censor", "curfew", "martial-law", "arrest",
               "deport", "withhold"},
    "THREATEN": {"restrict", "ban", "arrest", "relations", "expel", "territory", "violence"},
    "SANCTION": {"convict", "cancel", "expel", "withdraw", "sever"},
    "MOBILIZE": {"troops", "weapons", "police"},
    "RETREAT": {"withdraw", "release", "return", "disarm", "ceasefire", "access", "resign"},
    "CONSULT": {"visit", "third-party", "multilateral", "phone"},
    "AID": {"economic", "military", "humanitarian", "asylum"},
    "ACCUSE": {"disapprove", "investigate"},
}


def actors_in(text: str) -> list[Actor]:
    found = []
    for actor_id, forms in NAMES.items():
        mentions = []
        for form in sorted(forms, key=len, reverse=True):
            for m in re.finditer(rf"(?<!\w){re.escape(form)}(?!\w)", text):
                if not any(x.start < m.end() and m.start() < x.end for x in mentions):
                    mentions.append(Mention(m.start(), m.end(), m.group()))
        if mentions:
            found.append(Actor(id=actor_id, name=forms[0], kind="test", country=None,
                               mentions=sorted(mentions, key=lambda x: x.start)))
    return found


def at(text: str, phrase: str) -> tuple[int, int]:
    start = text.index(phrase)
    return start, start + len(phrase)


@pytest.fixture(scope="module")
def events_of(nlp):
    def run(text, places=(), times=(), figures=(), claims=()):
        doc = nlp(text)
        return find_events(doc, actors_in(text), list(places), list(times), list(figures),
                           list(claims))

    return run


def only(events, typ=None):
    chosen = [e for e in events if typ is None or e.type == typ]
    assert len(chosen) == 1, [(e.type, e.trigger) for e in events]
    return chosen[0]


# --------------------------------------------------------------------------- the lexicon


def test_every_plover_type_has_triggers():
    types = {s.type for senses in lexicon().triggers.values() for s in senses if s.type}
    assert types == set(PLOVER_TYPES)


def test_pattern_files_use_only_plover_types_and_modes():
    lex = lexicon()
    for senses in lex.triggers.values():
        for s in senses:
            if s.type and s.mode:
                assert s.mode in PLOVER_MODES[s.type], (s.type, s.mode)
    for typ, mode in lex.compose.values():
        assert typ == "=" or typ in PLOVER_TYPES
        if typ in PLOVER_MODES and mode not in (None, "*"):
            assert mode in PLOVER_MODES[typ], (typ, mode)
    for row in datafiles.rows("events", "modes.tsv", strip=True):
        assert row[2] in PLOVER_MODES[row[1]], row


# --------------------------------------------------------------------------- one per type


@pytest.mark.parametrize(("text", "typ", "mode", "actor", "target"), [
    ("Hamas agreed to the ceasefire proposal on Monday.", "AGREE", None, "hamas", None),
    ("Egyptian mediators met with Hamas leaders in Cairo.", "CONSULT", None, "egypt", "hamas"),
    ("Germany praised Jordan for its restraint.", "SUPPORT", None, "germany", "jordan"),
    ("The Israeli army lifted the curfew in Hebron.", "CONCEDE", None, "israel-military", None),
    ("Jordan shared intelligence with Britain.", "COOPERATE", None, "jordan", "britain"),
    ("Qatar delivered food aid to Gaza.", "AID", "humanitarian", "qatar", None),
    ("The Israeli army has withdrawn from Jenin.", "RETREAT", "withdraw", "israel-military",
     None),
    ("The UN demanded that Israel open the crossings.", "REQUEST", None, "un", "israel"),
    ("Iran accused Israel of sabotage.", "ACCUSE", "disapprove", "iran", "israel"),
    ("Hamas rejected the Egyptian proposal.", "REJECT", None, "hamas", "egypt"),
    ("Iran threatened to bomb Iraqi villages.", "THREATEN", "violence", "iran", "iraq"),
    ("Hundreds of students began a hunger strike.", "PROTEST", "strike-hun", "students", None),
    ("Turkey expelled two Israeli diplomats.", "SANCTION", "expel", "turkey", "israel"),
    ("Russia deployed troops along the border.", "MOBILIZE", "troops", "russia", None),
    ("Israeli soldiers arrested twelve students in Hebron.", "COERCE", "arrest",
     "israel-military", "students"),
    ("Hezbollah fired rockets at Israeli troops.", "ASSAULT", "heavy-weapons", "hezbollah",
     "israel-military"),
])
def test_one_sentence_per_plover_type(events_of, text, typ, mode, actor, target):
    event = only(events_of(text))
    assert (event.type, event.mode, event.actor, event.target) == (typ, mode, actor, target)


# --------------------------------------------------------------------------- roles


def test_active_trigger_takes_subject_as_actor_and_object_as_target(events_of):
    event = only(events_of("Hamas fighters ambushed Israeli soldiers."))
    assert (event.actor, event.target, event.trigger) == ("hamas", "israel-military", "ambushed")


def test_passive_trigger_takes_by_phrase_as_actor(events_of):
    event = only(events_of("Israeli soldiers were ambushed by Hamas fighters."))
    assert (event.actor, event.target) == ("hamas", "israel-military")


def test_nominal_trigger_takes_possessor_and_preposition(events_of):
    event = only(events_of("Israel's attack on Hamas drew criticism."), "ASSAULT")
    assert (event.actor, event.target) == ("israel", "hamas")


def test_nominal_trigger_takes_nationality_adjective_as_actor(events_of):
    event = only(events_of("An Israeli airstrike on Rafah destroyed a school."))
    assert (event.type, event.mode, event.actor) == ("ASSAULT", "aerial", "israel")


def test_light_verb_lends_its_subject_to_the_event_noun(events_of):
    event = only(events_of("Hamas launched an ambush against Israeli soldiers."))
    assert (event.trigger, event.actor, event.target) == ("ambush", "hamas", "israel-military")


def test_conjoined_subject_gives_the_first_actor(events_of):
    event = only(events_of("Hungarian and Slovak officials agreed to cooperate."))
    assert (event.type, event.actor) == ("AGREE", "hungary")


def test_demanded_content_names_the_target(events_of):
    event = only(events_of("Russia said Sudan must return the helicopter."))
    assert (event.type, event.actor, event.target) == ("REQUEST", "russia", "sudan")


# --------------------------------------------------------------------------- modality


def test_did_not_attack_is_a_negated_assault(events_of):
    event = only(events_of("Hamas did not attack the Israeli soldiers."))
    assert (event.type, event.negated) == ("ASSAULT", True)


def test_did_not_accept_is_a_refusal(events_of):
    event = only(events_of("Israel did not accept the proposal."))
    assert (event.type, event.negated, event.actor) == ("REJECT", False, "israel")


def test_modal_marks_an_event_hypothetical(events_of):
    event = only(events_of("Iran could strike Israel within days."))
    assert (event.type, event.hypothetical) == ("ASSAULT", True)


def test_stated_future_cooperation_is_agree(events_of):
    event = only(events_of("Israel will withdraw its troops from Gaza."))
    assert (event.type, event.actor, event.hypothetical) == ("AGREE", "israel", False)


def test_stated_future_force_is_threaten(events_of):
    event = only(events_of("Iran said it would blockade the port unless Israel withdrew."))
    assert (event.type, event.mode, event.actor) == ("THREATEN", "restrict", "iran")


def test_threatened_action_is_part_of_the_threat(events_of):
    events = events_of("Iran threatened to bomb Iraqi villages.")
    assert [(e.type, e.trigger) for e in events] == [("THREATEN", "threatened")]


def test_figurative_violence_is_no_event(events_of):
    assert events_of("The war is killing the economy. Critics attacked his credibility.") == [] \
        or all(e.type == "ACCUSE" for e in events_of("Critics attacked his credibility."))


def test_figurative_violence_without_anyone_is_no_event(events_of):
    assert events_of("The war is killing the economy.") == []


# --------------------------------------------------------------------------- dates, places


def test_date_comes_from_the_time_expression_in_the_sentence(events_of):
    text = "On Monday, Hamas fighters ambushed Israeli soldiers."
    monday = TimeExpression(*at(text, "Monday"), "Monday", "date", "2024-05-06")
    week = TimeExpression(0, 0, "", "date", "2024-W18")  # outside the sentence: ignored
    event = only(events_of(text, times=[monday, week]))
    assert (event.date, event.date_precision) == ("2024-05-06", "day")


def test_week_value_gives_week_precision(events_of):
    text = "Hamas fighters ambushed Israeli soldiers last week."
    week = TimeExpression(*at(text, "last week"), "last week", "date", "2024-W18")
    event = only(events_of(text, times=[week]))
    assert (event.date, event.date_precision) == ("2024-W18", "week")


def test_no_time_expression_means_no_date(events_of):
    text = "On Monday, talks began in Cairo. Hamas fighters ambushed Israeli soldiers."
    monday = TimeExpression(*at(text, "Monday"), "Monday", "date", "2024-05-06")
    ambush = only(events_of(text, times=[monday]), "ASSAULT")
    assert ambush.date is None and ambush.date_precision is None


def test_place_is_the_mention_near_the_trigger(events_of):
    text = "Hamas fighters ambushed Israeli soldiers near Khan Younis."
    khan_younis = Place("geonames:281133", "Khan Yunis", 31.34, 34.31, "PS", "city",
                        [Mention(*at(text, "Khan Younis"), "Khan Younis")])
    event = only(events_of(text, places=[khan_younis]))
    assert event.place == "geonames:281133"


# --------------------------------------------------------------------------- figures, claims


def test_outcome_figure_and_claim_link_to_the_event(events_of):
    text = ("Hamas fighters ambushed Israeli soldiers near Khan Younis on Monday. "
            "Hamas said the assault killed six soldiers.")
    f1 = Figure("f1", *at(text, "killed six soldiers"), "killed six soldiers", 6,
                what="killed", who="soldiers")
    content = at(text, "the assault killed six soldiers")
    c1 = Claim("c1", "hamas", "Hamas", "said", "asserts", text.index("Hamas said"),
               content[1], Span(*content, text[content[0]:content[1]]), figures=["f1"])
    events = events_of(text, figures=[f1], claims=[c1])
    ambush = only(events, "ASSAULT")
    assert ambush.trigger == "ambushed"
    assert (ambush.figures, ambush.claims, c1.event) == (["f1"], ["c1"], ambush.id)


def test_trigger_and_evidence_offsets_are_exact(events_of):
    text = ("Israeli tanks shelled Rafah on Sunday.\n\nIran condemned the shelling and "
            "Hezbollah fired rockets at Israeli troops.")
    events = events_of(text)
    assert len(events) >= 2
    for e in events:
        assert text[e.trigger_span.start:e.trigger_span.end] == e.trigger == e.trigger_span.text
        assert text[e.evidence.start:e.evidence.end] == e.evidence.text
        assert e.evidence.start <= e.trigger_span.start < e.evidence.end
        assert e.evidence.text == e.evidence.text.strip()
    assert [e.id for e in events] == [f"e{i}" for i in range(1, len(events) + 1)]


def test_repeated_mentions_of_one_event_are_one_event(events_of):
    text = ("Hamas fighters ambushed Israeli soldiers on Monday. The ambush lasted an hour. "
            "Israel said the ambush was planned for weeks.")
    monday = TimeExpression(*at(text, "Monday"), "Monday", "date", "2024-05-06")
    assert len([e for e in events_of(text, times=[monday]) if e.type == "ASSAULT"]) == 1


def test_claim_giving_an_outcome_figure_links_to_the_event(events_of):
    text = "Hamas fighters ambushed Israeli soldiers on Monday; Israel admitted to three dead."
    f1 = Figure("f1", *at(text, "three dead"), "three dead", 3, what="dead")
    content = at(text, "three dead")
    c1 = Claim("c1", "israel", "Israel", "admitted", "admits", text.index("Israel admitted"),
               content[1], Span(*content, "three dead"), figures=["f1"])
    ambush = only(events_of(text, figures=[f1], claims=[c1]), "ASSAULT")
    assert (ambush.figures, ambush.claims, c1.event) == (["f1"], ["c1"], ambush.id)


def test_the_attack_refers_back_to_the_event_told_with_its_doer(events_of):
    text = ("On Monday, Hamas fighters ambushed Israeli soldiers near the fence. The area had "
            "been under Israeli control since it was seized last year. Hamas said the attack "
            "killed six soldiers.")
    monday = TimeExpression(*at(text, "Monday"), "Monday", "date", "2024-05-06")
    content = at(text, "the attack killed six soldiers")
    c1 = Claim("c1", "hamas", "Hamas", "said", "asserts", text.index("Hamas said"), content[1],
               Span(*content, text[content[0]:content[1]]))
    events = events_of(text, times=[monday], claims=[c1])
    ambush = next(e for e in events if e.trigger == "ambushed")
    assert c1.event == ambush.id


@pytest.mark.parametrize("text", [
    "Qatar is pushing for a ceasefire to end the fighting.",
    "Israel will not agree unless Hamas releases the hostages first.",
    "Removing the sanctions is out of the question.",
    "Ask them why the army shelled the town.",
    "It is too early to discuss a withdrawal.",
])
def test_aims_conditions_and_imperatives_are_not_reported_events(events_of, text):
    assert not [e for e in events_of(text)
                if e.trigger in ("end", "releases", "Removing", "Ask", "discuss")]


def test_bare_participle_subject_is_the_victim(events_of):
    event = only(events_of("Two Israeli soldiers killed in Gaza ambush."))
    assert (event.type, event.target, event.actor) == ("ASSAULT", "israel-military", None)


def test_politicians_attacks_are_accusations(nlp):
    text = "Senator Brown attacked the government's plan on Monday."
    doc = nlp(text)
    brown = Actor("brown", "Senator Brown", "person", "USA",
                  [Mention(*at(text, "Senator Brown"), "Senator Brown")])
    event = only(find_events(doc, [brown], [], [], [], []))
    assert (event.type, event.actor) == ("ACCUSE", "brown")


def test_generic_event_noun_without_anchor_is_no_event(events_of):
    assert events_of("The sound of gunfire never settles the nerves.") == []


def test_lifting_a_blockade_is_a_retreat_and_a_curfew_a_concession(events_of):
    blockade = only(events_of("The Israeli army lifted the blockade on Gaza."))
    curfew = only(events_of("The Israeli army lifted the curfew in Hebron."))
    assert (blockade.type, curfew.type) == ("RETREAT", "CONCEDE")


def test_promised_force_is_a_threat_and_promised_help_an_agreement(events_of):
    threat = only(events_of("Iran vowed retaliation against Israel."))
    promise = only(events_of("Qatar promised to send aid to Gaza."))
    assert (threat.type, threat.mode, promise.type) == ("THREATEN", "violence", "AGREE")


def test_purpose_of_a_threatened_attack_is_not_its_target(events_of):
    text = "Netanyahu said he would launch an attack on the port to free the captured soldiers."
    event = only(events_of(text))
    assert (event.type, event.mode, event.trigger, event.target) == (
        "THREATEN", "violence", "attack", None)


def test_help_sought_is_no_aid_given(events_of):
    assert [e.type for e in events_of("Jordan has turned to Egypt for assistance.")] == []


# --------------------------------------------------------------------------- datelines


def place(name: str, text: str, kind: str = "city") -> Place:
    """A Place with every mention of ``name`` in ``text``."""
    mentions = [Mention(m.start(), m.end(), m.group())
                for m in re.finditer(rf"(?<!\w){re.escape(name)}(?!\w)", text)]
    return Place(f"test:{name.lower()}", name, 0.0, 0.0, None, kind, mentions)


def test_dateline_place_is_where_the_reporter_files_not_where_it_happened(events_of):
    text = "JERUSALEM (Test Wire) — Israel has withdrawn its troops from Khan Younis, the army said."
    event = only(events_of(text, places=[place("JERUSALEM", text), place("Khan Younis", text)]))
    assert event.place == "test:khan younis"


def test_dateline_place_alone_gives_no_event_place(events_of):
    text = "JERUSALEM (Test Wire) — Israel has withdrawn its troops, the army said on Sunday."
    assert only(events_of(text, places=[place("JERUSALEM", text)])).place is None


def test_dateline_place_named_again_in_the_sentence_is_the_events(events_of):
    text = "JERUSALEM (Test Wire) — Israel has withdrawn its troops near JERUSALEM, the army said."
    assert only(events_of(text, places=[place("JERUSALEM", text)])).place == "test:jerusalem"


def test_dateline_date_frames_the_lead_only_when_the_lead_has_no_date(events_of):
    text = "GENEVA, 9 June 2024 — An air strike destroyed a school on Saturday, Russia said."
    filed = TimeExpression(*at(text, "9 June 2024"), "9 June 2024", "date", "2024-06-09")
    saturday = TimeExpression(*at(text, "Saturday"), "Saturday", "date", "2024-06-08")
    assert only(events_of(text, times=[filed, saturday])).date == "2024-06-08"
    undated = "GENEVA, 9 June 2024 — An air strike destroyed a school, Russia said."
    filed = TimeExpression(*at(undated, "9 June 2024"), "9 June 2024", "date", "2024-06-09")
    assert only(events_of(undated, times=[filed])).date == "2024-06-09"


def test_dateline_country_is_not_the_leads_actor(events_of):
    text = "MOSCOW, Russia (Test Wire) — An air strike destroyed a school."
    assert only(events_of(text)).actor is None


# --------------------------------------------------------------------------- claims, denials


def test_event_inside_a_rejected_claim_is_an_event_of_its_own(events_of):
    text = "Russia rejected Ukrainian claims that Russian aircraft bombed the theatre in Mariupol."
    content = at(text, "Ukrainian claims that Russian aircraft bombed the theatre in Mariupol")
    c1 = Claim("c1", "russia", "Russia", "rejected", "denies", 0, content[1],
               Span(*content, text[content[0]:content[1]]))
    events = events_of(text, places=[place("Mariupol", text)], claims=[c1])
    reject, bombing = only(events, "REJECT"), only(events, "ASSAULT")
    assert (reject.actor, bombing.actor, bombing.negated) == ("russia", "russia", False)
    assert (bombing.place, bombing.claims, c1.event) == ("test:mariupol", ["c1"], bombing.id)
    # Ukraine's accusation is the reading the actor holds; Russia's rejection stays beside it.
    assert [(r.actor, r.stance, r.claimant, r.chosen) for r in bombing.role_readings] == [
        ("russia", "accuses", "ukraine", True), ("russia", "denies", "russia", False)]


@pytest.mark.parametrize("text", [
    "Russia has denied bombing the theatre.",
    "Russia denied that Russian aircraft shelled the station.",
])
def test_a_denied_act_is_told_not_negated_by_the_writer_and_names_no_doer(events_of, text):
    event = only(events_of(text), "ASSAULT")
    assert (event.actor, event.negated) == (None, False)
    assert [(r.actor, r.stance, r.claimant) for r in event.role_readings] == [
        ("russia", "denies", "russia")]


def test_rejected_proposal_stays_part_of_the_refusal(events_of):
    assert [e.type for e in events_of("Hamas rejected calls to withdraw from Rafah.")] == [
        "REJECT"]


@pytest.mark.parametrize(("text", "actor"), [
    ("Israel accused Hamas of shelling the border town.", "hamas"),
    ("Iran blamed the blast on Israel.", "israel"),
    ("Egypt blamed Hamas for the bombing.", "hamas"),
    ("Investigators attributed the strike to Russian forces.", "russia"),
])
def test_the_accused_party_is_the_actor_of_the_act_laid_at_its_door(events_of, text, actor):
    assert only(events_of(text), "ASSAULT").actor == actor


def test_negation_before_a_comma_and_coordinator_stays_in_its_clause(events_of):
    text = ("Moscow said Russian planes had not flown any missions, and accused Ukraine's army "
            "of blowing up the theatre.")
    events = events_of(text)
    assert only(events, "ACCUSE").negated is False
    assert only(events, "ASSAULT").actor == "ukraine"


# --------------------------------------------------------------------------- the writer's voice


@pytest.mark.parametrize("text", [
    "The question is whether we are allowed to hold both views at once.",
    "Families who waited for months are allowed to weep with joy.",
    "People blame the government for everything.",
])
def test_the_writers_reflections_and_generic_statements_are_not_events(events_of, text):
    assert events_of(text) == []


def test_we_in_a_quotation_is_the_speakers_side(events_of):
    text = '"We fired rockets at the Israeli troops," Hezbollah said.'
    assert only(events_of(text)).type == "ASSAULT"


# --------------------------------------------------------------------------- clause dates


def test_a_date_in_a_clause_about_another_event_is_that_events(events_of):
    text = ("The pullback was announced hours after Hamas fighters ambushed Israeli soldiers "
            "on Saturday.")
    saturday = TimeExpression(*at(text, "Saturday"), "Saturday", "date", "2024-04-06")
    events = events_of(text, times=[saturday])
    assert only(events, "ASSAULT").date == "2024-04-06"
    assert only(events, "RETREAT").date is None


def test_since_clause_dates_the_offensive_not_the_withdrawal(events_of):
    text = ("The pullback leaves fewer troops in Gaza than at any point since the offensive "
            "began in late October.")
    october = TimeExpression(*at(text, "late October"), "late October", "date", "2023-10")
    events = events_of(text, times=[october])
    assert only(events, "RETREAT").date is None


def test_a_resolved_relative_date_dates_the_event_of_its_sentence(events_of):
    text = "A week after the blast, Israeli troops withdrew from Jenin."
    expr = TimeExpression(*at(text, "A week after the blast"), "A week after the blast",
                          "date", "2024-04-07")
    assert only(events_of(text, times=[expr]), "RETREAT").date == "2024-04-07"


def test_the_date_of_the_operation_an_outcome_happened_during_applies(events_of):
    text = "Hamas said Israeli soldiers were killed during Saturday's raid."
    saturday = TimeExpression(*at(text, "Saturday"), "Saturday", "date", "2024-06-08")
    assert only(events_of(text, times=[saturday]), "ASSAULT").date == "2024-06-08"


# --------------------------------------------------------------------------- place choice


def test_the_named_place_wins_over_the_region_describing_it(events_of):
    text = "Israeli troops withdrew from the northern Gaza town of Beit Hanoun."
    gaza, beit_hanoun = place("Gaza", text, "region"), place("Beit Hanoun", text)
    assert only(events_of(text, places=[gaza, beit_hanoun])).place == "test:beit hanoun"


def test_a_country_acting_in_another_clause_is_not_the_place(events_of):
    text = "The pullback leaves Israel with far fewer troops inside Gaza."
    event = only(events_of(text, places=[place("Israel", text), place("Gaza", text)]))
    assert event.place == "test:gaza"


def test_a_definite_anaphor_with_the_same_doer_continues_the_dated_event(events_of):
    text = ("Hamas fighters attacked the army post on Saturday. "
            "The Hamas attack lasted an hour, witnesses said.")
    saturday = TimeExpression(*at(text, "Saturday"), "Saturday", "date", "2024-06-08")
    event = only(events_of(text, times=[saturday]), "ASSAULT")
    assert event.date == "2024-06-08"


def test_the_doers_countries_are_not_where_the_strikes_fell(events_of):
    text = "Moscow condemned the air strikes carried out by Britain and Jordan against Iraqi towns."
    places = [place("Britain", text, "country"), place("Jordan", text, "country"),
              place("Iraqi", text, "country")]
    assert only(events_of(text, places=places), "ASSAULT").place == "test:iraqi"


def test_reservists_killed_in_the_assault_are_its_outcome(analyze):
    r = analyze("Hamas fighters ambushed an Israeli patrol on Saturday. Hamas said six "
                "reservists were killed in the assault.", published="2024-04-07")
    (event,) = [e for e in r.events if e.type == "ASSAULT"]
    assert event.figures == [r.figures[0].id] and event.claims == [r.claims[0].id]
