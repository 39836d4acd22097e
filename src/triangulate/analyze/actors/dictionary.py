"""Dictionary lookup: one left-to-right pass over the tokens through the name trie, with the
role noun after a country word ("Israeli soldiers" -> israel-military) or an organisation
("Hamas fighters" -> hamas), and capitals only where they act ("Moscow said").
"""

from __future__ import annotations

from triangulate.analyze.actors.found import Candidate
from triangulate.analyze.actors.lexicon import (
    ADJ,
    BLOCK,
    DETERMINERS,
    NAME,
    ORG_KINDS,
    PEOPLE,
    POSSESSIVE,
    SEAT,
    Form,
    Lexicon,
    Role,
    longest,
    slug,
)
from triangulate.analyze.actors.resolve import is_agentive_tokens


def _case_ok(doc, form: Form, i: int, j: int) -> bool:
    if form.exact:
        # case-sensitive aliases appear exactly as written, and not inside an all-caps
        # headline where "US" or "IS" could be any word
        if " ".join(doc[k].text for k in range(i, j)) != form.surface:
            return False
        neighbours = [doc[k].text for k in (i - 1, j) if 0 <= k < len(doc)]
        words = [w for w in neighbours if w.isalpha() and len(w) > 1]
        return not words or not all(w.isupper() for w in words)
    return not form.cap or doc[i].text[:1].isupper()


def dictionary_candidates(doc, low: list[str], lex: Lexicon) -> list[Candidate]:
    cands: list[Candidate] = []
    n = len(low)
    i = 0
    trie = lex.trie
    while i < n:
        if low[i] not in trie:
            i += 1
            continue
        end, forms = longest(trie, low, i, lambda f, a, b: _case_ok(doc, f, a, b))
        if low[i] in DETERMINERS and i + 1 < n:
            # "The UN human rights office": an alias with its article ("The UN") must not
            # cut a longer name starting right after the article
            later, others = longest(trie, low, i + 1, lambda f, a, b: _case_ok(doc, f, a, b))
            if others and later > end:
                i += 1
                end, forms = later, others
        if not forms:
            i += 1
            continue
        form = _choose_form(doc, low, lex, forms, end)
        if form.form == BLOCK:
            i = end
            continue
        if form.form == ADJ and i >= 2 and low[i - 1] == "-" and low[i - 2] in ("pro", "anti"):
            i = end
            continue
        c = Candidate(i, end, form.actor, form.form, form.state, core_end=end)
        _attach_role(doc, low, lex, c)
        if c.form == SEAT and c.role is None and not _actor_context(doc, lex, i, end):
            i = end
            continue
        cands.append(c)
        i = c.end
    return cands


def _choose_form(doc, low: list[str], lex: Lexicon, forms: list[Form], end: int) -> Form:
    """ "Sudanese" is a people noun and an adjective: before a role noun or any noun it modifies
    ("Sudanese police", "Sudanese town") it is the adjective."""
    form = forms[0]
    if form.form != PEOPLE:
        return form
    adj = next((f for f in forms if f.form == ADJ), None)
    if adj is None or end >= len(low):
        return form
    if longest(lex.role_trie, low, end)[1] or doc[end].pos_ in ("NOUN", "PROPN", "ADJ") or (
        low[end] == "-" and end + 1 < len(low) and low[end + 1] in lex.linked
    ):
        return adj
    return form


def _attach_role(doc, low: list[str], lex: Lexicon, c: Candidate) -> None:
    """Extend a country word or an organisation name over a following role noun."""
    k = c.end
    n = len(low)
    if k < n and low[k] in POSSESSIVE and c.form in (NAME, SEAT):
        k += 1
    elif k + 1 < n and low[k] == "-" and low[k + 1] in lex.linked:
        if low[k + 1] != "led":
            return  # "Iranian-backed militias": the militias are not Iran's own
        k += 2
    skipped = k
    while k < n and k - skipped < 2 and low[k] in lex.role_modifiers:
        k += 1
    end, roles = longest(lex.role_trie, low, k)
    if not roles and k > skipped:
        k = skipped
        end, roles = longest(lex.role_trie, low, k)
    if not roles:
        return
    role = roles[0]
    entry = lex.entries.get(c.actor)
    if c.form == SEAT and role.role not in ("government", "military", "police", "security"):
        return
    if c.state is None and entry is not None and entry.kind == "people" and role.include and (
        role.kind not in ("people",)
    ):
        # "Hutu rebel groups", "Kurdish fighters": a group drawn from a people
        c.end = end
        c.role = role
        c.form = "norp"
        c.actor = f"{c.actor}-{role.suffix or slug(' '.join(low[k:end]))}"
        return
    if c.state is None and entry is not None and entry.kind not in ("state",):
        # "Hamas fighters", "UN officials": members of the organisation are the organisation
        if entry.kind in ORG_KINDS and role.role in (
            "military", "militants", "rebels", "government", "security", "police"
        ) and role.include:
            c.end = end
            c.role = role
        return
    if c.state is None or c.form == PEOPLE:
        return
    # a role noun heading a compound ("Israeli army radio") still names the institution
    c.role = role
    c.keep_core = c.form == NAME
    if role.include:
        c.end = end
    noun = " ".join(low[k:end])
    c.actor = derived_id(lex, c.state, role, noun)


def derived_id(lex: Lexicon, state_id: str, role: Role, noun: str) -> str:
    if role.people:
        return lex.states[state_id].people_id
    return f"{state_id}-{role.suffix or slug(noun)}"


def _actor_context(doc, lex: Lexicon, i: int, j: int) -> bool:
    """A capital stands for its government as subject, possessor or object of an actor verb."""
    if is_agentive_tokens(doc, i, j):
        return True
    tok = doc[i:j].root
    # event coding (CAMEO/PLOVER) codes a capital that is acted upon as its state
    # ("rebels shelled Kabul"); "in Kabul" stays a place
    if tok.dep_ in ("dobj", "iobj") and tok.head.pos_ in ("VERB", "AUX"):
        return True
    return tok.dep_ == "pobj" and tok.head.lower_ in lex.actor_preps
