"""Figures: counted outcomes with what happened, to whom, and how sure the source is."""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.analyze.spelled import in_words
from triangulate.analyze.figures import find_figures

CASES = [json.loads(line) for line in
         (Path(__file__).parent / "data" / "figures_cases.jsonl").read_text("utf-8").splitlines()
         if line.strip()]


@pytest.fixture(scope="module")
def figures(nlp):
    def run(text: str, **kwargs):
        return find_figures(nlp(text), **kwargs)
    return run


def test_a_passive_outcome_gives_value_what_and_who(figures):
    (f,) = figures("Officials said seven sentries were killed during the ambush.")
    assert (f.value, f.what, f.who, f.approximate) == (7, "killed", "sentries", False)
    assert f.text == "seven sentries were killed"
    assert f.number.text == "seven"


def test_competing_claims_give_two_tight_figures(figures):
    text = "The militia claimed that eleven sentries were killed; the army admitted to two dead."
    found = figures(text)
    assert [(f.value, f.what, f.text) for f in found] == [
        (11, "killed", "eleven sentries were killed"), (2, "killed", "two dead")]
    assert [f.id for f in found] == ["f1", "f2"]


def test_a_hedge_sets_the_bound_and_marks_the_value_approximate(figures):
    (f,) = figures("At least 80,000 people had already fled the valley.")
    assert (f.value, f.low, f.high, f.hedge, f.approximate) == (80000, 80000, None,
                                                                "at least", True)
    assert (f.what, f.who) == ("fled", "people")
    assert f.text == "At least 80,000 people had already fled"


def test_a_range_keeps_both_ends(figures):
    (f,) = figures("Between 30 and 40 civilians were wounded in the shelling.")
    assert (f.value, f.low, f.high, f.what, f.hedge) == (30, 30, 40, "injured", "between")


@pytest.mark.parametrize("text, low, high, what, who, evidence", [
    ("The strike killed between 12 and 15 soldiers, officials said.", 12, 15, "killed",
     "soldiers", "killed between 12 and 15 soldiers"),
    ("Police arrested between twenty and thirty protesters on Friday.", 20, 30, "arrested",
     "protesters", "arrested between twenty and thirty protesters"),
    ("The hospital said between 30 and 40 civilians were wounded.", 30, 40, "injured",
     "civilians", "between 30 and 40 civilians were wounded"),
    ("Medics said up to 5,391 civilians were wounded in the shelling.", None, 5391,
     "injured", "civilians", "up to 5,391 civilians were wounded"),
])
def test_a_hedge_parsed_as_a_preposition_of_the_verb_still_gives_the_figure(
        figures, text, low, high, what, who, evidence):
    # The parse reads "between" or "up to" as a preposition of the verb (or of "said") and
    # the counted noun as its object; the property tests below found no figure here.
    (f,) = figures(text)
    assert (f.low, f.high, f.what, f.who, f.text) == (low, high, what, who, evidence)


def test_a_toll_value_counts_its_outcome(figures):
    (f,) = figures("The death toll from the strike rose to 274 on Tuesday.")
    assert (f.value, f.what) == (274, "killed")
    assert f.text.startswith("The death toll") and f.text.endswith("274")


def test_the_superseded_value_of_a_rising_toll_is_left_out(figures):
    assert [f.value for f in figures("The toll rose from 250 to 274.")] == [274]


def test_an_outcome_verb_reaches_its_object_not_its_subject(figures):
    assert [(f.value, f.who) for f in figures("Two gunmen killed three guards.")] == [
        (3, "guards")]


def test_members_of_a_counted_group_share_its_outcome(figures):
    found = figures("The raid killed 38 people, including 11 children.")
    assert [(f.value, f.what, f.who, f.text) for f in found] == [
        (38, "killed", "people", "killed 38 people"), (11, "killed", "children", "11 children")]


def test_holding_hostages_counts_hostages(figures):
    (f,) = figures("The group is believed to be holding 58 hostages.")
    assert (f.value, f.what) == (58, "hostages")


def test_vague_counts_are_ranges_and_can_be_left_out(figures):
    text = "The shelling killed dozens, and tens of thousands of people have fled."
    found = figures(text)
    assert [(f.value, f.low, f.high, f.what, f.hedge, f.approximate) for f in found] == [
        (24, 24, 99, "killed", "dozens", True),
        (20000, 20000, 99999, "fled", "tens of thousands", True)]
    assert figures(text, vague=False) == []


@pytest.mark.parametrize("text", [
    "Karim, 19, was shot dead at the checkpoint.",
    "A 17-year-old was killed near Route 60.",
    "The group released a six-minute recording of the raid.",
    "Troops were killed two kilometres from the fence in 2014.",
    "The stadium can hold 60,000 people.",
    "The F-16 jets were grounded after 3 crashes.",
    "Five suspects were not arrested.",
    "Prices rose by 40 percent, and $5 million was pledged.",
])
def test_ages_labels_measures_and_capacities_are_no_figures(figures, text):
    assert figures(text) == []


@pytest.mark.parametrize("case", [
    pytest.param(c, id=c["text"][:50],
                 marks=[pytest.mark.xfail(reason=c["xfail"], strict=True)] if "xfail" in c else [])
    for c in CASES])
def test_case(figures, case):
    found = figures(case["text"])
    wanted = case["figures"] + case.get("allowed", [])
    assert all(any(_matches(f, g) for g in wanted) for f in found), "unexpected figure"
    assert all(any(_matches(f, g) for f in found) for g in case["figures"]), "missed figure"


def test_precision_and_recall_on_the_case_set(figures):
    tp_pred = n_pred = tp_gold = n_gold = 0
    for case in CASES:
        found = figures(case["text"])
        wanted = case["figures"] + case.get("allowed", [])
        tp_pred += sum(any(_matches(f, g) for g in wanted) for f in found)
        n_pred += len(found)
        tp_gold += sum(any(_matches(f, g) for f in found) for g in case["figures"])
        n_gold += len(case["figures"])
    assert tp_pred / n_pred >= 0.95
    assert tp_gold / n_gold >= 0.9


def test_evidence_is_exact_text_and_holds_the_number(figures, nlp):
    for case in CASES:
        doc = nlp(case["text"])
        for f in find_figures(doc):
            assert doc.text[f.start:f.end] == f.text
            assert f.start <= f.number.start < f.number.end <= f.end
            assert doc.text[f.number.start:f.number.end] == f.number.text


def _matches(figure, gold: dict) -> bool:
    return figure.value == gold["value"] and all(
        getattr(figure, key) == gold[key] for key in ("what", "who", "low", "high") if key in gold)


@pytest.mark.parametrize("text, value", [
    ("The UN said it had verified 148 killings in the attacks on the camp.", 148),
    ("Monitors documented 40 killings since March.", 40),
    ("The office recorded 12 executions in the province last year.", 12),
])
def test_a_counted_nominalised_outcome_is_a_figure(figures, text, value):
    (f,) = figures(text)
    assert (f.value, f.what) == (value, "killed")


def test_a_nominalised_outcome_takes_its_victims_from_the_of_phrase(figures):
    (f,) = figures("Investigators confirmed 30 killings of civilians in the town.")
    assert (f.value, f.what, f.who, f.text) == (30, "killed", "civilians",
                                               "30 killings of civilians")


@pytest.mark.parametrize("text, value, who", [
    ("Medics said 12 Palestinians were killed in the strike on the camp.", 12, "Palestinians"),
    ("Rescuers said nine Yemenis died when the boat sank.", 9, "Yemenis"),
])
def test_a_counted_nationality_is_who_the_figure_counts(figures, text, value, who):
    # No lexicon word names these victims: the parse's nationality tag (NORP, NNPS) does.
    (f,) = figures(text)
    assert (f.value, f.what, f.who) == (value, "killed", who)


def test_counted_arrests_are_an_arrest_figure_but_massacres_count_events(figures):
    assert [(f.value, f.what) for f in figures("Police made 12 arrests.")] == [(12, "arrested")]
    assert figures("There were two massacres in the region.") == []


# --------------------------------------------------------------------------- properties

# Each example parses a sentence: a few dozen per property, the same ones every run
# (derandomize), so a statistical parse's rare slip cannot make CI flaky.
_PARSED = settings(max_examples=40, deadline=None, derandomize=True)
_HEDGES = ["", "at least ", "more than ", "nearly ", "about ", "up to ", "some ", "almost ",
           "as many as ", "roughly "]
_WHO = st.sampled_from(["civilians", "soldiers", "people"])


@st.composite
def _counts(draw) -> tuple[int, bool]:
    # News copy spells out small numbers only.
    words = draw(st.booleans())
    return draw(st.integers(2, 999 if words else 999_999)), words


def _number(n: int, words: bool) -> str:
    return in_words(n) if words else f"{n:,}"


def _check(text: str, f, n: int) -> None:
    """The figure of ``n``: its value, exact evidence around its number, consistent bounds."""
    assert f.value == n, (text, f)
    assert text[f.start:f.end] == f.text
    assert text[f.number.start:f.number.end] == f.number.text
    assert f.start <= f.number.start < f.number.end <= f.end
    assert f.low is None or f.low <= f.value, f
    assert f.high is None or f.value <= f.high, f


@_PARSED
@given(_counts(), st.sampled_from(_HEDGES), _WHO, st.sampled_from([
    "Medics said {} were killed in the shelling.", "The shelling wounded {} on Friday.",
    "The strike killed {}, officials said."]))
def test_a_hedged_count_in_words_or_digits_reads_back(figures, count, hedge, who, sentence):
    n, words = count
    text = sentence.format(f"{hedge}{_number(n, words)} {who}")
    (f,) = figures(text)
    _check(text, f, n)
    assert f.number.text.endswith(_number(n, words).split()[-1])
    assert (f.hedge or "") == hedge.strip()


_RANGES = ["Between {} {} were wounded, the hospital said.",
           "The hospital said between {} {} were wounded.",
           "Shelling wounded between {} {} on Friday.",
           "The strike killed between {} {}, officials said."]


def _range(low: int, high: int, words: bool, who: str, sentence: str) -> str:
    return sentence.format(f"{_number(low, words)} and {_number(high, words)}", who)


@st.composite
def _ranges(draw):
    # Ranges in words are small in news copy ("between twelve and fifteen").
    words = draw(st.booleans())
    top = 99 if words else 99_999
    low = draw(st.integers(2, top - 1))
    return low, draw(st.integers(low + 1, top)), words


@_PARSED
@given(_ranges(), _WHO, st.sampled_from(_RANGES))
def test_a_range_read_keeps_its_ends_around_the_value(figures, numbers, who, sentence):
    low, high, words = numbers
    text = _range(low, high, words, who, sentence)
    found = figures(text)
    assert len(found) <= 1, found
    for f in found:
        _check(text, f, low)
        assert (f.low, f.high) == (low, high)


def test_ranges_are_read_in_most_phrasings(figures):
    # A fixed sample, as the property above draws them: the parse of an odd range ("between
    # 497 and 498") sometimes hangs the numbers on "between" and no figure is read.
    rng = random.Random(17)
    read = 0
    for k in range(60):
        words = rng.random() < 0.5
        top = 99 if words else 99_999
        low = rng.randint(2, top - 1)
        text = _range(low, rng.randint(low + 1, top), words, "civilians", _RANGES[k % 4])
        read += len(figures(text)) == 1
    assert read / 60 >= 0.95  # 60 of 60 measured; 12 before the hedge-as-preposition fix


@pytest.mark.parametrize("text, expected", [
    ("Nine killed in village raid, officials say.", (9, "killed", None, "Nine killed")),
    ("Two children were among the dead, medics said.",
     (2, "killed", "children", "Two children were among the dead")),
    ("Nine medics were among those killed in the strike.",
     (9, "killed", "medics", "Nine medics were among those killed")),
    ("Four dead after the convoy was shelled.", (4, "killed", None, "Four dead")),
    ("The blast left 12 people dead.", (12, "killed", "people", "12 people dead")),
    ("Thirty wounded were carried to the clinic.", (30, "injured", None, "Thirty wounded")),
    ("Twelve soldiers were reported killed in the ambush.",
     (12, "killed", "soldiers", "Twelve soldiers were reported killed")),
    ("About 300 people are thought to have died in the flood.",
     (300, "killed", "people", "About 300 people are thought to have died")),
    ("The raid forced 2,000 families to flee.", (2000, "fled", "families", "2,000 families to flee")),
    ("The number of people killed rose to 30.",
     (30, "killed", "people", "The number of people killed rose to 30")),
    ("The number of Ukrainians killed in the siege rose to 600.",
     (600, "killed", "Ukrainians", "The number of Ukrainians killed in the siege rose to 600")),
    ("Police said 40 Somalis were detained at the border.",
     (40, "arrested", "Somalis", "40 Somalis were detained")),
    ("Deaths reached 1,000 by the end of the month.", (1000, "killed", None, "Deaths reached 1,000")),
    ("The toll rose from 250 to 274 overnight.",
     (274, "killed", None, "The toll rose from 250 to 274")),
    ("Seven Syrians drowned when the boat capsized.",
     (7, "killed", "Syrians", "Seven Syrians drowned")),
    ("Four freed hostages returned home.", (4, "released", "hostages", "Four freed hostages")),
    ("Twelve dead civilians were found in the ruins.",
     (12, "killed", "civilians", "Twelve dead civilians")),
    ("The militia held 250 hostages in the tunnels.",
     (250, "hostages", "hostages", "held 250 hostages")),
    ("Twenty people were taken hostage at the market.",
     (20, "hostages", "people", "Twenty people were taken hostage")),
    ("Three journalists remain missing after the raid.",
     (3, "missing", "journalists", "Three journalists remain missing")),
    ("Five soldiers who were killed in the ambush were buried.",
     (5, "killed", "soldiers", "Five soldiers who were killed")),
    ("The killing of 30 civilians drew condemnation.",
     (30, "killed", "civilians", "killing of 30 civilians")),
    ("Fourteen of the wounded were flown out.", (14, "injured", None, "Fourteen of the wounded")),
    ("Two of the dead were medics.", (2, "killed", None, "Two of the dead")),
])
def test_each_way_of_telling_an_outcome_gives_its_figure_and_words(figures, text, expected):
    (f,) = figures(text)
    assert (f.value, f.what, f.who, f.text) == expected


def test_an_elided_passive_counts_the_second_group_with_its_own_outcome(figures):
    found = figures("Two soldiers were killed and three wounded in the blast.")
    assert [(f.value, f.what, f.who, f.text) for f in found] == [
        (2, "killed", "soldiers", "Two soldiers were killed"),
        (3, "injured", None, "three wounded")]


@pytest.mark.parametrize("text, expected", [
    ("COVID-19 killed 12 nurses.", [(12, "killed", "nurses")]),
    ("The AK-47 rifles killed 9 guards.", [(9, "killed", "guards")]),
    ("A 2,000-strong force killed 30 fighters.", [(30, "killed", "fighters")]),
    ("In 2014 the militia killed 40 villagers.", [(40, "killed", "villagers")]),
    ("The raid killed twenty-five people.", [(25, "killed", "people")]),
])
def test_a_name_a_compound_modifier_or_a_year_beside_a_count_is_not_counted(
        figures, text, expected):
    assert [(f.value, f.what, f.who) for f in figures(text)] == expected
