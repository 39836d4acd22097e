"""Linking at scale: 10,000 and 100,000 synthetic event records, time and peak memory.

    .venv/bin/python bench/link_scale.py                # 10k and 100k, writes bench/out/
    .venv/bin/python bench/link_scale.py --sizes 2000   # any sizes
    .venv/bin/python bench/link_scale.py --incremental 20000 --new 100
                                # 100 new articles linked into a store of 20,000 (issue 15)
    .venv/bin/python bench/link_scale.py --sizes 10000 --ray local     # linking with Ray

Each size runs in its own process (so peak RSS is that size's own) and links the records
with `incremental.link_stream`, which gives the stories `triangulate.link.link` gives but
takes the records an article at a time (the generator makes them as they are linked, and
its time is taken off). The records
are synthetic but shaped like real coverage: a year of events in many towns of many
countries, each told by a few of several hundred outlets (lead report plus a mention or
two), with background mentions of other events, month-precision and undated reports,
dates a day off, country-only places, rising and contested tolls, and about one article in
ten a syndicated copy. Vectors are synthetic too (an event direction plus a shared "news"
direction plus noise, 384 dimensions like MiniLM, cosine ~0.75 within an event and ~0.3
across events), so the benchmark measures linking, not embedding: embedding is a separate,
cached, per-event cost (see docs/performance.md).

The pass conditions (issue 15): the time for 10x the records is at most 11x; 1,000,000
records (`--sizes 10000 100000 1000000`) link in under 10 minutes with a peak RSS under 4 GB.

``--incremental A --new K`` (issue 15) links the records of A articles into a store
(`incremental.link_full` and the store write, as `jobs.link_all` does once the analyses are
decoded), then links K more articles into it with `incremental.link_update` (as
`jobs.link_new` does), and, in a second store, all A + K articles at once: the full relink
the update replaces. It prints both times, their ratio (pass: the update takes at most a
tenth of the full relink) and whether the two stores hold the same stories.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import resource
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
sys.path.insert(0, str(ROOT / "src"))

DIM = 384
START = dt.date(2023, 1, 1).toordinal()
TYPES = ["ASSAULT"] * 12 + ["COERCE"] * 3 + ["RETREAT", "MOBILIZE", "AID", "ACCUSE", "PROTEST",
                                              "SANCTION", "CONSULT", "REQUEST"]


def generate(n_records: int, seed: int = 7):
    """(mentions, vectors): ``n_records`` event mentions with their evidence vectors."""
    mentions, vectors = [], []
    for ms, vs in articles(n_records, seed):
        mentions += ms
        vectors += list(vs)
    return mentions, np.asarray(vectors, dtype=np.float32)


def articles(n_records: int, seed: int = 7):
    """The same records as ``generate``, an article at a time: (its mentions, their
    vectors), so a million records need not be held at once."""
    from triangulate.model import FigureMention, Mention

    rng = np.random.default_rng(seed)
    n_countries = 40
    n_towns = 6000
    n_actors = 300
    n_outlets = 400
    country_centres = rng.uniform([-30, -20], [55, 120], size=(n_countries, 2))
    town_country = rng.integers(0, n_countries, n_towns)
    town_xy = country_centres[town_country] + rng.normal(0, 2.5, size=(n_towns, 2))
    town_weight = 1.0 / np.arange(1, n_towns + 1) ** 0.8  # a few towns are in the news a lot
    town_weight /= town_weight.sum()
    actor_country = rng.integers(0, n_countries, n_actors)
    genre = rng.standard_normal(DIM).astype(np.float32)
    genre /= np.linalg.norm(genre)

    article_no = 0
    event_no = 0
    records = 0
    while records < n_records:
        event_no += 1
        town = int(rng.choice(n_towns, p=town_weight))
        country = int(town_country[town])
        day = START + int(rng.integers(0, 365))
        etype = TYPES[int(rng.integers(0, len(TYPES)))]
        actor = int(rng.integers(0, n_actors))
        target = int(rng.integers(0, n_actors))
        direction = rng.standard_normal(DIM).astype(np.float32)
        direction /= np.linalg.norm(direction)
        toll = int(rng.integers(1, 60))
        n_articles = 1 + int(rng.geometric(0.35))
        originals: list[tuple[str, str]] = []
        for k in range(n_articles):
            article_no += 1
            art = f"a{article_no}"
            copy_of = None
            if originals and rng.random() < 0.1:
                copy_of = originals[int(rng.integers(0, len(originals)))][0]
            outlet = f"outlet-{int(rng.integers(0, n_outlets))}"
            mentions, vectors = [], []
            published = day + int(rng.integers(0, 3))
            # the article's own account: 1-3 mentions of the event
            for e in range(1 + int(rng.integers(0, 3))):
                precision = rng.random()
                if precision < 0.7:
                    date, prec = dt.date.fromordinal(day + (1 if rng.random() < 0.05 else 0)).isoformat(), "day"
                elif precision < 0.8:
                    date, prec = dt.date.fromordinal(day).strftime("%Y-%m"), "month"
                else:
                    date, prec = None, None
                coarse = rng.random() < 0.3
                lat, lon = (country_centres[country] if coarse else town_xy[town]).tolist()
                figures = []
                if etype == "ASSAULT" and e == 0 and rng.random() < 0.5:
                    party = f"C{actor_country[target]}" if rng.random() < 0.7 else f"C{actor_country[actor]}"
                    value = toll + 3 * k if party == f"C{actor_country[target]}" else max(1, toll // 3)
                    figures.append(FigureMention(figure=f"f{e}", value=value, what="killed",
                                                 who="people", speaker=party.lower(), party=party,
                                                 evidence=Mention(0, 10, "x" * 10)))
                mentions.append(_mention(
                    art, f"e{e + 1}", article_no, outlet, published, copy_of, etype, actor,
                    target, actor_country, town if not coarse else None, country, lat, lon,
                    date, prec, e * 0.2, figures,
                ))
                v = 0.55 * genre + direction + rng.normal(0, 0.035, DIM).astype(np.float32)
                vectors.append(v / np.linalg.norm(v))
                records += 1
            # a background mention of some other event, deep in the article
            if rng.random() < 0.4:
                other = rng.standard_normal(DIM).astype(np.float32)
                v = 0.55 * genre + other / np.linalg.norm(other)
                bg_town = int(rng.choice(n_towns, p=town_weight))
                mentions.append(_mention(
                    art, "e9", article_no, outlet, published, copy_of,
                    TYPES[int(rng.integers(0, len(TYPES)))], int(rng.integers(0, n_actors)), None,
                    actor_country, bg_town, int(town_country[bg_town]),
                    *town_xy[bg_town].tolist(),
                    dt.date.fromordinal(START + int(rng.integers(0, 365))).isoformat(), "day",
                    0.8, [],
                ))
                vectors.append(v / np.linalg.norm(v))
                records += 1
            if copy_of is None:
                originals.append((art, outlet))
            over = max(0, records - n_records)
            keep = len(mentions) - over
            if keep > 0:
                yield mentions[:keep], np.asarray(vectors[:keep], dtype=np.float32)
            if records >= n_records:
                return


def _mention(article, event, order, outlet, published, copy_of, etype, actor, target,
             actor_country, town, country, lat, lon, date, precision, position, figures):
    from triangulate.model import EventMention, Mention

    return EventMention(
        article=article, event=event, order=order, type=etype, outlet=outlet,
        published=dt.date.fromordinal(published).isoformat(), duplicate_of=copy_of,
        actor=f"actor-{actor}", target=f"actor-{target}" if target is not None else None,
        actor_party=f"C{actor_country[actor]}",
        target_party=f"C{actor_country[target]}" if target is not None else None,
        actor_parent=f"actor-{actor}", target_parent=f"actor-{target}" if target is not None else None,
        place=f"town-{town}" if town is not None else f"country-{country}",
        place_name=f"Town {town}" if town is not None else f"Country {country}",
        lat=lat, lon=lon, place_kind="town" if town is not None else "country",
        place_country=f"C{country}", date=date, date_precision=precision,
        evidence=Mention(0, 10, "x" * 10), position=position, figures=figures,
    )


def child(n: int, ray_address: str | None = None) -> dict:
    from triangulate.link import incremental

    # The records are generated as they are linked (an article at a time, so they are never
    # all held): the time spent generating is measured apart and taken off.
    stream = _Timed(articles(n))
    t0 = time.perf_counter()
    if ray_address:
        import ray

        from triangulate.scale.ray_link import link_ray

        if ray_address == "local":
            ray.init(include_dashboard=False, logging_level="WARNING", log_to_driver=False)
        else:
            ray.init(address=ray_address, logging_level="WARNING", log_to_driver=False)
        t0 = time.perf_counter()  # Ray's start-up is not linking
        result = link_ray(stream, DIM, "minilm", capacity=n)
    else:
        result = incremental.link_stream(stream, DIM, "minilm", capacity=n)
    elapsed = time.perf_counter() - t0 - stream.spent
    gen, n_articles = stream.spent, stream.count
    rss_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return {
        "records": n, "articles": n_articles,
        "stories": len(result.stories),
        "stories_with_2plus_outlets": sum(1 for s in result.stories if s.independent_outlets >= 2),
        "contested_lines": sum(1 for s in result.stories for f in s.figures if f.contested),
        "contradictions": len(result.contradictions),
        "generate_seconds": round(gen, 2), "link_seconds": round(elapsed, 2),
        "records_per_second": round(n / elapsed, 1), "peak_rss_mb": round(rss_kb / 1024, 1),
    }


class _Timed:
    """An iterator's items, with the time spent producing them and their number."""

    def __init__(self, items) -> None:
        self.items, self.spent, self.count = iter(items), 0.0, 0

    def __iter__(self):
        return self

    def __next__(self):
        t0 = time.perf_counter()
        try:
            item = next(self.items)
        finally:
            self.spent += time.perf_counter() - t0
        self.count += 1
        return item


def incremental_child(base: int, new: int) -> dict:
    """Full link of ``base`` articles, then ``new`` more by update; and a full link of all."""
    import tempfile

    from triangulate.link import incremental
    from triangulate.store import Store

    mentions, vectors = generate(int(base * 2.45) + 400)
    cut = base + new
    keep = [k for k, m in enumerate(mentions) if m.order <= cut]
    mentions, vectors = [mentions[k] for k in keep], vectors[keep]

    def part(lo: int, hi: int):
        idx = [k for k, m in enumerate(mentions) if lo < m.order <= hi]
        orders = {m.article: m.order for m in (mentions[k] for k in idx)}
        return [mentions[k] for k in idx], vectors[idx], {}, orders

    def save(store, result, state, meta=None):
        store.save_link_state(state, meta, result.stories, result.members, [], result.tolls,
                              components=state.components, replaced=result.replaced)

    with tempfile.TemporaryDirectory() as tmp:
        with Store(Path(tmp) / "grown.duckdb") as store:
            save(store, *incremental.link_full(*part(0, base), DIM, "minilm"), meta="bench")
            t0 = time.perf_counter()
            result, state = incremental.link_update(store, *part(base, cut), DIM, "minilm")
            save(store, result, state)
            update = time.perf_counter() - t0
            grown = _tables(store)
            affected = len(state.reports)
            rebuilt = len(result.stories)
        with Store(Path(tmp) / "full.duckdb") as store:
            t0 = time.perf_counter()
            save(store, *incremental.link_full(*part(0, cut), DIM, "minilm"), meta="bench")
            full = time.perf_counter() - t0
            same = _tables(store) == grown
    return {
        "base_articles": base, "new_articles": new,
        "records": len(mentions), "stories": len(grown["stories"]),
        "affected_reports": affected, "stories_rebuilt": rebuilt,
        "full_seconds": round(full, 2), "update_seconds": round(update, 2),
        "ratio": round(update / full, 4), "equal_to_full": same,
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
    }


def _tables(store) -> dict:
    con = store.con
    return {
        "stories": sorted(r[0] for r in con.execute("SELECT record FROM stories").fetchall()),
        "members": sorted(con.execute("SELECT * FROM story_events").fetchall()),
        "contradictions": sorted(con.execute("SELECT * FROM contradictions").fetchall()),
    }


def run_incremental(base: int, new: int) -> int:
    out = subprocess.run([sys.executable, __file__, "--child-incremental", str(base), str(new)],
                         capture_output=True, text=True, check=True)
    row = json.loads(out.stdout.strip().splitlines()[-1])
    passed = row["ratio"] <= 0.1 and row["equal_to_full"]
    print(f"{base:,} articles ({row['records']:,} records) + {new} new: full relink"
          f" {row['full_seconds']:.2f} s, update {row['update_seconds']:.2f} s"
          f" ({row['affected_reports']:,} reports reclustered, {row['stories_rebuilt']:,}"
          f" stories rebuilt), ratio {row['ratio']:.3f} (limit 0.1); same stories as the full"
          f" relink: {row['equal_to_full']};  peak RSS {row['peak_rss_mb']:,.0f} MB:"
          f" {'PASS' if passed else 'FAIL'}", flush=True)
    report = {"incremental": row, "cpus": _cpus(), "load_average": list(_load()),
              "passed": passed}
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "link_incremental.json").write_text(json.dumps(report, indent=2) + "\n")
    print(f"written {OUT / 'link_incremental.json'}")
    return 0 if passed else 1


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    ap.add_argument("--incremental", type=int, metavar="ARTICLES",
                    help="link --new articles into a store of this many (issue 15)")
    ap.add_argument("--new", type=int, default=100)
    ap.add_argument("--ray", metavar="ADDRESS",
                    help="link with Ray (scale/ray_link.py): 'local' starts a local instance,"
                         " else a cluster's address ('auto' on a cluster node)")
    ap.add_argument("--child", type=int, help=argparse.SUPPRESS)
    ap.add_argument("--child-incremental", type=int, nargs=2, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        print(json.dumps(child(args.child, args.ray)))
        return 0
    if args.child_incremental:
        print(json.dumps(incremental_child(*args.child_incremental)))
        return 0
    if args.incremental:
        return run_incremental(args.incremental, args.new)
    rows = []
    for n in args.sizes:
        out = subprocess.run([sys.executable, __file__, "--child", str(n)]
                             + (["--ray", args.ray] if args.ray else []), capture_output=True,
                             text=True, check=True)
        row = json.loads(out.stdout.strip().splitlines()[-1])
        rows.append(row)
        print(f"{n:>8,} records  {row['articles']:>7,} articles  link {row['link_seconds']:>7.2f} s"
              f"  ({row['records_per_second']:>8,.0f}/s)  peak RSS {row['peak_rss_mb']:>7.1f} MB"
              f"  {row['stories']:,} stories", flush=True)
    report = {"rows": rows, "cpus": _cpus(), "load_average": list(_load())}
    if len(rows) >= 2:
        a, b = rows[0], rows[-1]
        size_ratio = b["records"] / a["records"]
        time_ratio = b["link_seconds"] / a["link_seconds"]
        rss_ratio = b["peak_rss_mb"] / a["peak_rss_mb"]
        limit = 1.1 * size_ratio
        report.update(size_ratio=size_ratio, time_ratio=round(time_ratio, 2),
                      rss_ratio=round(rss_ratio, 2), time_ratio_limit=limit,
                      passed=time_ratio <= limit)
        print(f"time ratio {time_ratio:.2f} for {size_ratio:.0f}x the records (limit {limit:.0f}x):"
              f" {'PASS' if time_ratio <= limit else 'FAIL'};  peak RSS ratio {rss_ratio:.2f}")
    for row in rows:
        if row["records"] >= 1_000_000:
            ok = row["link_seconds"] < 600 and row["peak_rss_mb"] < 4096
            report["passed"] = report.get("passed", True) and ok
            print(f"{row['records']:,} records: {row['link_seconds']:.0f} s (limit 600),"
                  f" peak RSS {row['peak_rss_mb']:,.0f} MB (limit 4,096): {'PASS' if ok else 'FAIL'}")
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "link_scale.json").write_text(json.dumps(report, indent=2) + "\n")
    print(f"written {OUT / 'link_scale.json'}")
    return 0 if report.get("passed", True) else 1


def _cpus() -> int:
    import os

    return os.cpu_count() or 1


def _load() -> tuple[float, ...]:
    import os

    try:
        return tuple(round(x, 2) for x in os.getloadavg())
    except OSError:
        return ()


if __name__ == "__main__":
    sys.exit(main())
