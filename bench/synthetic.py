"""A synthetic news corpus for the throughput, memory, ingest and link benchmarks.

    .venv/bin/python bench/synthetic.py 20000 bench/out/synthetic-20k.jsonl
    .venv/bin/python bench/synthetic.py 2000 -            # to stdout

Articles read like wire and newspaper conflict coverage: a dateline and lead (strike,
ambush, clashes, talks, aid, protest), then casualty tolls, claims and denials by the two
sides, witness and official quotations, background with dates, displacement and aid
figures, international reactions and verification notes, until a target length of 400-900
words. Twelve real conflict theatres supply the places and parties (bench/synthetic_data.json);
every person is invented. Each event is told by one to six of several hundred outlets with
their own wording and slightly different tolls (so linking sees corroboration and
contradictions), and about one article in twenty is a syndicated copy with a new outlet and
a changed line (a near duplicate for the ingest's MinHash).

Generation is deterministic and prefix-stable: the first 2,000 articles of a 20,000-article
corpus are the 2,000-article corpus, so growing corpora share their beginning.
"""

from __future__ import annotations

import argparse
import datetime as dt
import functools
import json
import random
import re
import sys
from collections.abc import Iterator
from pathlib import Path

DATA = Path(__file__).resolve().parent / "synthetic_data.json"
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
SMALL = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen", "twenty"]
FIRST_DAY = dt.date(2023, 1, 1).toordinal()
DAYS = 900
KINDS = ["strike"] * 5 + ["ambush"] * 2 + ["clashes"] * 3 + ["talks", "aid", "aid", "protest"]
CHANNELS = ("Telegram", "its website", "X", "state television", "a messaging app")
MIL_TARGETS = ("a command post", "an ammunition depot", "a gathering of fighters",
               "a weapons workshop", "a drone launch site", "a military headquarters")
SYNDICATED_SHARE = 0.05


@functools.cache
def data() -> dict:
    return json.loads(DATA.read_text(encoding="utf-8"))


@functools.cache
def outlets() -> list[str]:
    d = data()
    return [f"The {a} {b}" if k % 3 == 0 else f"{a} {b}"
            for k, (a, b) in enumerate((a, b) for a in d["outlet_first"] for b in d["outlet_second"])]


def _cap(s: str) -> str:
    return s[:1].upper() + s[1:]


def _words(n: int) -> str:
    return SMALL[n] if n <= 20 else f"{n:,}"


def _date_text(day: dt.date) -> str:
    return f"{day:%B} {day.day}"


class _Slots(dict):
    """Slot values of one article; a few slots are drawn afresh at each use (people, sites,
    weapons, international bodies) so one article quotes several people."""

    def __init__(self, rng: random.Random, fixed: dict):
        super().__init__(fixed)
        self.rng = rng

    def __missing__(self, key: str) -> str:
        d, r = data(), self.rng
        fresh = {
            "person": lambda: f"{r.choice(d['first_names'])} {r.choice(d['last_names'])}",
            "official": lambda: f"{r.choice(d['first_names'])} {r.choice(d['last_names'])}",
            "age": lambda: str(r.randint(19, 78)),
            "occupation": lambda: r.choice(d["occupations"]),
            "site": lambda: r.choice(d["sites"]),
            "Intl": lambda: r.choice(d["intl"]),
            "channel": lambda: r.choice(CHANNELS),
            "mil_target": lambda: r.choice(MIL_TARGETS),
            "buried": lambda: _words(r.randint(3, 14)),
            "kids": lambda: _words(r.randint(2, 6)),
            "km": lambda: str(r.randint(8, 90)),
            "pct": lambda: str(r.randint(20, 85)),
            "residents": lambda: f"{r.randint(2, 60) * 1000:,}",
            "fuel": lambda: str(r.randint(3, 15)),
            "funding": lambda: str(r.randint(40, 900)),
            "families": lambda: str(r.randint(20, 400)),
        }
        if key == "person_again":  # a second reference by surname, as newspapers do
            return self.get("_last_person", "").rsplit(" ", 1)[-1]
        if key in fresh:
            value = fresh[key]()
            if key == "person":
                self["_last_person"] = value
            return value
        raise KeyError(key)


def _event(index: int, seed: int) -> dict:
    """One real-world event: theatre, kind, town, date and its true figures."""
    rng = random.Random(f"{seed}-event-{index}")
    d = data()
    theatre = rng.choice(d["theatres"])
    towns = rng.sample(theatre["towns"], 2)
    killed = rng.choice([rng.randint(2, 12), rng.randint(5, 40), rng.randint(20, 120)])
    return {
        "index": index, "theatre": theatre, "kind": rng.choice(KINDS), "town": towns[0],
        "town2": towns[1], "region": rng.choice(theatre["regions"]),
        "day": dt.date.fromordinal(FIRST_DAY + rng.randrange(DAYS)), "killed": killed,
        "wounded": killed * rng.randint(2, 5), "swap": rng.random() < 0.3,
        "weapon": rng.choice(theatre["weapons"]), "reports": rng.choice([1, 1, 2, 2, 3, 4, 6]),
    }


def _fixed_slots(event: dict, rng: random.Random, outlet: str) -> dict:
    t = event["theatre"]
    a, b = (t["side_b"], t["side_a"]) if event["swap"] else (t["side_a"], t["side_b"])
    day = event["day"]
    # Outlets disagree on tolls as real coverage does: a later or partisan count.
    killed = max(1, event["killed"] + rng.choice([0, 0, 0, 1, -1, 2, rng.randint(3, 9)]))
    wounded = event["wounded"] + rng.randint(0, 10)
    hedge = rng.choice(["at least ", "", "more than ", "", "nearly "])
    killed_phrase = hedge + _words(killed) if killed > 1 else "one"
    month_prev = (day.replace(day=1) - dt.timedelta(days=rng.randint(30, 150))).strftime("%B")
    start = day - dt.timedelta(days=rng.randint(200, 700))
    earlier = day - dt.timedelta(days=rng.randint(3, 40))
    attacker, defender = rng.choice(a["names"]), rng.choice(b["names"])
    civil = rng.choice(t["civil"])
    agency = rng.choice(data()["agencies"])
    town = event["town"]
    return {
        "town": town, "Town_cap": town, "town2": event["town2"], "region": event["region"],
        "region_lc": event["region"].removeprefix("the "), "adj": t["adj"],
        "capital_city": _cap(rng.choice(t["datelines"]).lower().title()),
        "weekday": WEEKDAYS[day.weekday()],
        "prev_weekday": WEEKDAYS[(day.weekday() - 1) % 7],
        "killed": str(killed), "killed_cap": _cap(_words(killed)), "killed_phrase": killed_phrase,
        "killed_early": str(max(1, killed - rng.randint(1, 6))), "wounded": str(wounded),
        "children": _words(rng.randint(1, max(2, killed // 3))),
        "weapon": event["weapon"], "Weapon": _cap(event["weapon"]),
        "weapon_short": event["weapon"].split()[-1].rstrip("s"),
        "site_short": rng.choice(data()["sites"]).split(" ", 1)[1],
        "attacker": attacker, "Attacker": _cap(attacker), "defender": defender,
        "Defender": _cap(defender), "attacker_body": a["body"], "Attacker_body_cap": _cap(a["body"]),
        "Defender_body_cap": _cap(b["body"]), "leader_b": b["leader"],
        "speaker_a_title": rng.choice(a["speaker_titles"]),
        "Speaker_a_title_cap": _cap(rng.choice(a["speaker_titles"])),
        "speaker_b_title": rng.choice(b["speaker_titles"]),
        "Speaker_b_title_cap": _cap(rng.choice(b["speaker_titles"])),
        "civil": civil, "Civil_cap": _cap(civil), "agency": agency, "agency_cap": _cap(agency),
        "outlet": outlet, "months": _words(rng.randint(2, 14)),
        "truce_days": _words(rng.randint(2, 10)), "prisoners": str(rng.randint(20, 900)),
        "trucks": str(rng.randint(8, 120)), "trucks_before": str(rng.randint(150, 600)),
        "days_left": _words(rng.randint(3, 20)), "month_prev": month_prev,
        "claimed_killed": str(rng.randint(10, 80)), "claimed_vehicles": _words(rng.randint(2, 15)),
        "admitted_killed": _words(rng.randint(1, 6)),
        "start_month": start.strftime("%B"), "start_year": str(start.year),
        "total_killed": f"{rng.randint(3, 200) * 1000:,}",
        "displaced_m": f"{rng.randint(5, 120) / 10:.1f}".rstrip("0").rstrip("."),
        "displaced": f"{rng.randint(2, 400) * 500:,}",
        "earlier_date": _date_text(earlier), "earlier_killed": _words(rng.randint(2, 30)),
        "days_since": _words((day - earlier).days),
        "next_date": _date_text(day + dt.timedelta(days=rng.randint(5, 30))),
    }


def _article(event: dict, report: int, seed: int, outlet_list: list[str]) -> dict:
    rng = random.Random(f"{seed}-article-{event['index']}-{report}")
    d = data()
    outlet = rng.choice(outlet_list)
    slots = _Slots(rng, _fixed_slots(event, rng, outlet))
    kind = event["kind"]
    target = rng.randint(400, 900)
    dateline = rng.choice(event["theatre"]["datelines"])
    lead = rng.choice(d["leads"][kind]).format_map(slots)
    paragraphs = [f"{dateline} ({outlet}) — {lead}" if rng.random() < 0.6 else lead]
    words = len(lead.split())
    used: set[str] = set()
    order = [k for k in d["orders"][kind] if rng.random() > 0.15]
    kinds = list(d["paragraphs"])
    while words < target:
        part = order.pop(0) if order else rng.choice(kinds)
        options = [t for t in d["paragraphs"][part] if t not in used] or d["paragraphs"][part]
        template = rng.choice(options)
        used.add(template)
        text = template.format_map(slots)
        paragraphs.append(text)
        words += len(text.split())
    published = event["day"] + dt.timedelta(days=rng.choice([0, 0, 1, 1, 2]))
    title = rng.choice(d["titles"][kind]).format_map(slots)
    # Sites add an article number to the slug: two reports of one event can share a title.
    slug = re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-") + f"-{event['index']}{report}"
    host = re.sub(r"[^a-z0-9]+", "", outlet.lower().removeprefix("the "))
    return {
        "url": f"https://{host}.example/{published:%Y/%m/%d}/{slug}",
        "outlet": outlet, "title": _cap(title), "author": slots["person"],
        "published": published.isoformat(), "text": "\n\n".join(paragraphs),
    }


def _syndicated(original: dict, rng: random.Random, outlet_list: list[str]) -> dict:
    """A copy run by another outlet: new outlet and URL, one paragraph dropped or changed."""
    outlet = rng.choice(outlet_list)
    paragraphs = original["text"].split("\n\n")
    k = rng.randrange(1, len(paragraphs))
    if rng.random() < 0.5:
        del paragraphs[k]
    else:
        paragraphs[k] = f"{outlet} contributed reporting. " + paragraphs[k]
    host = re.sub(r"[^a-z0-9]+", "", outlet.lower().removeprefix("the "))
    return {**original, "outlet": outlet, "text": "\n\n".join(paragraphs),
            "url": re.sub(r"https://[^/]+", f"https://{host}.example", original["url"])}


def articles(n: int, seed: int = 1) -> Iterator[dict]:
    """``n`` article records (id, url, outlet, title, author, published, text), streamed."""
    outlet_list = outlets()
    produced, index = 0, 0
    previous: dict | None = None
    while produced < n:
        event = _event(index, seed)
        for report in range(event["reports"]):
            if produced >= n:
                break
            rng = random.Random(f"{seed}-copy-{produced}")
            if previous is not None and rng.random() < SYNDICATED_SHARE:
                record = _syndicated(previous, rng, outlet_list)
            else:
                record = previous = _article(event, report, seed, outlet_list)
            yield {"id": f"syn-{produced:06d}", **record}
            produced += 1
        index += 1


def write_jsonl(path: str | Path, n: int, seed: int = 1) -> Path:
    """Write (or reuse, when already complete) an ``n``-article corpus."""
    path = Path(path)
    if path.exists() and sum(1 for _ in path.open(encoding="utf-8")) == n:
        return path
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    with tmp.open("w", encoding="utf-8") as fh:
        for record in articles(n, seed):
            fh.write(json.dumps(record, ensure_ascii=False) + "\n")
    tmp.replace(path)
    return path


def corpus(n: int, seed: int = 1, folder: str | Path = Path(__file__).parent / "out") -> Path:
    """The ``n``-article corpus in bench/out, generated once per version of the generator
    (its file name carries a hash of this script and its data)."""
    import hashlib

    stamp = hashlib.sha1(DATA.read_bytes() + Path(__file__).read_bytes()).hexdigest()[:8]
    return write_jsonl(Path(folder) / f"synthetic-{n}-s{seed}-{stamp}.jsonl", n, seed)


def corpus_articles(n: int, seed: int = 1, folder: str | Path = Path(__file__).parent / "out"):
    """The ``n``-article corpus as Articles, built as ingest builds them from JSON Lines
    (``ingest.normalize.article_from_fields``), for benchmarks that analyse without a store."""
    from triangulate.ingest.normalize import article_from_fields

    path = corpus(n, seed, folder)
    return [article_from_fields(r["text"], source=str(path), id=r["id"], url=r["url"],
                                outlet=r["outlet"], title=r["title"], author=r["author"],
                                published=r["published"])
            for r in read_jsonl(path)]


def read_jsonl(path: str | Path, limit: int | None = None) -> Iterator[dict]:
    with Path(path).open(encoding="utf-8") as fh:
        for k, line in enumerate(fh):
            if limit is not None and k >= limit:
                break
            yield json.loads(line)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("n", type=int, help="articles (1,000-100,000 is the intended range)")
    parser.add_argument("out", help="output .jsonl path, or - for stdout")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    if args.out == "-":
        for record in articles(args.n, args.seed):
            sys.stdout.write(json.dumps(record, ensure_ascii=False) + "\n")
    else:
        path = write_jsonl(args.out, args.n, args.seed)
        print(f"{args.n} articles -> {path}")


if __name__ == "__main__":
    main()
