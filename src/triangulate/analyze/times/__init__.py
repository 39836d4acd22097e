"""Times: temporal expressions found in the text and normalised to TIMEX3 values.

Expressions are found with the patterns in ``data/times/patterns.txt`` (regular expressions
over the raw text, filled from ``data/times/lexicon.json``), checked against the spaCy parse
(a capitalised "May" tagged as a modal is no month), and resolved in text order:

* calendar expressions ("April 6", "6 April 2024", "July 2024", "the 1990s") need at most a
  year, taken from the publication date and the tense of the governing verb;
* deictic ones ("yesterday", "last week", "on Sunday", "a year ago") count from the
  publication date, in the direction the tense gives;
* narrative ones ("the next day", "five months earlier", "That night") count from the
  *narrative reference*: the last date the text itself made explicit.

Relative expressions inside direct quotations keep value None: the speaker's "yesterday"
counts from when they spoke, which the article rarely says.

One module per concern, each readable alone:

* ``lexicon``: the vocabulary and its lookups; ``numbers``: counts and years in words;
* ``patterns``: the rules; ``triggers``: where each rule is tried, and its candidates;
* ``grammar``: tense and direction from the parse; ``context``: what the handlers share;
* the handlers, by kind of expression: ``dates`` (calendar names), ``deictic`` (counted
  from publication), ``narrative`` (counted along the text), ``periods`` (financial
  quarters), ``clock`` (times of day), ``durations`` (durations and sets);
* ``stage``: ``find_times``, which runs them in text order.
"""

from triangulate.analyze.times.lexicon import lexicon, timex_unit
from triangulate.analyze.times.numbers import number_value, ordinal_value, spoken_year, year_value
from triangulate.analyze.times.patterns import TRIGGER_CLASSES, Rule, rules
from triangulate.analyze.times.stage import HANDLERS, find_times

__all__ = ["HANDLERS", "TRIGGER_CLASSES", "Rule", "find_times", "lexicon", "number_value",
           "ordinal_value", "rules", "spoken_year", "timex_unit", "year_value"]
