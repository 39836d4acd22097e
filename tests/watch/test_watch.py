"""Done-when of issue 15 (watch part): a feed server on 127.0.0.1 publishes the sample
corpus in three rounds, with a feed that fails, feeds that answer 304 and a malformed feed.
Three watch rounds make the same stories as one `run` over everything, and raise the
expected alerts (a toll update, a new contradiction), delivered to a JSONL file and a
webhook that fails for a round."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tests.watch.conftest import FakeClock
from tests.watch.feeds import FEEDS, MALFORMED, FeedServer, closed_port, feeds_for, sample_items
from triangulate.ingest.normalize import url_id
from triangulate.store import Store
from triangulate.watch.rounds import RoundReport, WatchOptions, run_round
from triangulate.watch.sources import parse_sources

pytestmark = pytest.mark.slow

# What each round publishes (sample-corpus ids): a toll rises in round 2 (Kramatorsk, 30 ->
# 50) and again in round 3 (-> 57); a syndicated copy arrives in round 2 (the Tribune's copy of
# the Zanna ambush report); a report placing the Nuseirat raid elsewhere arrives in round 3
# (a new place contradiction). Round 3 publishes the rest.
ROUND_1 = [
    "mw-2022-04-08-kramatorsk-station", "html/vostok-kramatorsk-provocation",
    "mw-2024-06-08-nuseirat-rescue", "text/crossline-nuseirat-statement",
    "mw-2024-04-07-zanna-ambush", "mw-2022-03-16-mariupol-theatre",
    "lv-2022-03-17-marioupol-theatre", "vt-2022-03-17-mariupol-theatre",
    "mw-2024-01-12-yemen-strikes", "html/vostok-yemen-strikes", "mw-2024-03-02-rubymar-sinks",
]
ROUND_2 = [
    "mw-2022-04-09-kramatorsk-toll", "lt-2024-04-08-zanna-ambush",
    "html/ledger-khan-younis-zanna", "mw-2024-04-07-khan-younis-withdrawal",
    "mw-2022-03-25-mariupol-theatre-toll", "mw-2024-06-09-nuseirat-toll",
    "mw-2024-03-06-true-confidence", "lt-2024-03-07-true-confidence", "mw-2025-04-12-zamzam",
    # Grid Reference's feed answers 503 in round 2: this item arrives in round 3.
    "text/gridreference-kramatorsk-tochka",
]
FAILING_IN_ROUND_2 = "/gridreference.xml"
ROUND_SECONDS = 15 * 60


@dataclass
class Watched:
    db: Path
    ref_db: Path
    jsonl: Path
    reports: list[RoundReport]
    server: FeedServer
    ids: dict[str, str]  # sample id -> article id (from the feed item's link)
    hook: str
    rounds: list[list[str]] = field(default_factory=list)


@pytest.fixture(scope="module")
def watched(tmp_path_factory) -> Watched:
    folder = tmp_path_factory.mktemp("watch")
    items = sample_items()
    rounds = [ROUND_1, ROUND_2, [k for k in items if k not in ROUND_1 + ROUND_2]]
    clock = FakeClock()
    with FeedServer() as server:
        lines = [f"feed {server.base}{path}" for path in FEEDS.values()]
        lines += [f"feed {server.base}/broken.xml  # always malformed",
                  f"feed http://127.0.0.1:{closed_port()}/dead.xml  # connection refused"]
        sources, problems = parse_sources("\n".join(lines), folder)
        assert not problems
        hook = f"{server.base}/hook"
        options = WatchOptions(allow_private=True, alerts_jsonl=folder / "alerts.jsonl",
                               webhook=hook, settle=0.0)
        reports, published = [], []
        for n, keys in enumerate(rounds, 1):
            published += keys
            bodies = feeds_for([items[k] for k in published])
            bodies["/broken.xml"] = MALFORMED
            server.publish(bodies, f"Mon, 0{n} Jul 2024 09:00:00 GMT")
            # The same bodies, as files: the input of the one `run` compared with the rounds.
            (folder / f"r{n}").mkdir()
            for path, body in bodies.items():
                if path != "/broken.xml":
                    (folder / f"r{n}" / path.lstrip("/")).write_bytes(body)
            server.failing = {FAILING_IN_ROUND_2: 503} if n == 2 else {}
            server.post_status = [500] * 3 if n == 2 else []  # the webhook is down in round 2
            with Store(folder / "watch.duckdb") as store:
                reports.append(run_round(store, sources, options, clock))
            clock.t += ROUND_SECONDS
        from triangulate.cli import app

        result = CliRunner().invoke(app, ["run", *(str(folder / f"r{n}") for n in (1, 2, 3)),
                                          "--db", str(folder / "run.duckdb"), "-q"])
        assert result.exit_code == 0, result.output
        return Watched(folder / "watch.duckdb", folder / "run.duckdb", folder / "alerts.jsonl",
                       reports, server, {k: url_id(i.link) for k, i in items.items()}, hook,
                       rounds)


def _linked(db: Path) -> tuple[dict, list]:
    """Stories by their members (ids follow ingest order, which differs), and articles."""
    with Store(db, read_only=True) as store:
        stories = {
            frozenset((a.id, a.event) for a in (*s.articles, *s.mentions)): (
                s.outlets, s.independent_outlets, s.type, s.date,
                [(f.what, f.who, f.contested, f.updated, sorted({v.value for v in f.values}))
                 for f in s.figures],
                sorted((c.field, sorted(map(str, c.values))) for c in s.contradictions))
            for s in store.story_records()
        }
        articles = store.con.execute(
            "SELECT id, duplicate_of, outlet, published FROM articles ORDER BY id").fetchall()
    return stories, articles


def test_three_watch_rounds_make_the_same_stories_as_one_run_over_everything(watched):
    stories, articles = _linked(watched.db)
    ref_stories, ref_articles = _linked(watched.ref_db)
    assert articles == ref_articles and len(articles) == 32  # the French article is skipped
    assert stories == ref_stories
    assert sum(1 for _, indep, *_ in stories.values() if indep >= 2) >= 8


def _alerts(watched: Watched, n: int, kind: str) -> list:
    return [a for a in watched.reports[n - 1].alerts if a.kind == kind]


def _story_of(watched: Watched, sample_id: str) -> str:
    with Store(watched.db, read_only=True) as store:
        return store.con.execute("SELECT story_id FROM story_events WHERE article_id = ? "
                                 "AND event_id = 'e1'", [watched.ids[sample_id]]).fetchone()[0]


def test_a_rising_toll_raises_a_toll_alert_in_the_round_its_report_arrives(watched):
    kramatorsk = _story_of(watched, "mw-2022-04-08-kramatorsk-station")
    r2 = [(a.subject, a.old, a.new) for a in _alerts(watched, 2, "toll_changed") if a.story == kramatorsk]
    r3 = [(a.subject, a.old, a.new) for a in _alerts(watched, 3, "toll_changed") if a.story == kramatorsk]
    assert r2 == [("killed people", 30, 50)] and r3 == [("killed people", 50, 57)]
    toll = next(a for a in _alerts(watched, 2, "toll_changed") if a.story == kramatorsk)
    assert toll.evidence[0].article == watched.ids["mw-2022-04-09-kramatorsk-toll"]


def test_a_report_placing_an_event_elsewhere_raises_a_contradiction_alert(watched):
    nuseirat = _story_of(watched, "mw-2024-06-08-nuseirat-rescue")
    found = [a for a in _alerts(watched, 3, "contradiction") if a.story == nuseirat]
    assert [(a.subject, a.old) for a in found] == [("place", None)]
    assert "Deir al-Balah" in found[0].new and "Nuseirat" in found[0].new
    assert watched.ids["lt-2024-06-10-nuseirat-reaction"] in {e.article for e in found[0].evidence}


def test_a_story_arrives_when_a_second_independent_outlet_tells_it_and_a_copy_does_not_count(watched):
    kramatorsk = _story_of(watched, "mw-2022-04-08-kramatorsk-station")
    arrived = {a.story: a for a in _alerts(watched, 1, "new_story")}
    assert arrived[kramatorsk].new == 2 and "Vostok Today" in arrived[kramatorsk].summary
    zanna = _story_of(watched, "mw-2024-04-07-zanna-ambush")
    # Round 2 brings the Tribune's copy of the wire report (not a second outlet) and the
    # Ledger's own report (one): the story arrives with the Ledger.
    (alert,) = [a for a in _alerts(watched, 2, "new_story") if a.story == zanna]
    assert "The Northern Ledger" in alert.summary and "Lakeshore" not in alert.summary


def test_every_alert_cites_exact_spans_of_its_articles(watched):
    with Store(watched.db, read_only=True) as store:
        _, alerts = store.alert_records()
        texts = dict(store.con.execute("SELECT id, text FROM articles").fetchall())
    assert len(alerts) == sum(len(r.alerts) for r in watched.reports) >= 10
    assert {a.kind for a in alerts} >= {"new_story", "toll_changed", "contested_figure",
                                        "contradiction"}
    for a in alerts:
        assert a.evidence, a.summary
        for e in a.evidence:
            assert texts[e.article][e.start:e.end] == e.text and e.text


def test_feeds_are_asked_conditionally_and_failing_or_malformed_ones_are_reported(watched):
    server = watched.server
    assert server.statuses("/vostok.xml") == [200, 304, 304]
    conditional = [h for m, p, h, s in server.requests if p == "/vostok.xml" and s == 304]
    assert all("If-None-Match" in h and "If-Modified-Since" in h for h in conditional)
    assert server.statuses(FAILING_IN_ROUND_2) == [200, 503, 200]
    polls = [{p.source.target.rsplit("/", 1)[-1]: p for p in r.polls} for r in watched.reports]
    assert polls[1]["gridreference.xml"].status == "failed"
    assert "HTTP 503" in polls[1]["gridreference.xml"].detail
    assert polls[2]["gridreference.xml"].new_items == 2  # the round-2 item was not lost
    assert [p["broken.xml"].detail.split(":")[0] for p in polls] == ["malformed-feed"] * 3
    assert [p["dead.xml"].state.failures for p in polls] == [1, 2, 3]


def test_nothing_is_stored_twice_and_every_item_is_seen_once(watched):
    new = [set(r.ingest.new_ids) for r in watched.reports]
    assert not (new[0] & new[1]) and not (new[1] & new[2])
    assert sum(map(len, new)) == 32 and watched.reports[1].ingest.duplicates == 1
    with Store(watched.db, read_only=True) as store:
        rows = store.con.execute("SELECT count(*), count(DISTINCT item) FROM watch_seen").fetchone()
        rounds = store.con.execute("SELECT count(*) FROM watch_rounds WHERE finished IS NOT NULL").fetchone()
    assert rows[0] == rows[1] and rounds == (3,)


def test_alerts_reach_the_jsonl_file_once_and_the_webhook_after_it_recovers(watched):
    raised = [a.id for r in watched.reports for a in r.alerts]
    lines = [json.loads(line)["id"] for line in watched.jsonl.read_text().splitlines()]
    assert lines == raised
    posts = [json.loads(b) for b in watched.server.received]
    received = [a["id"] for p in posts for a in p["alerts"]]
    assert sorted(received) == sorted(raised) and len(posts) == 2  # round 2's came with round 3's
    r2 = {d.channel.split(":")[0]: d for d in watched.reports[1].deliveries}
    assert r2["webhook"].error and r2["webhook"].pending == len(watched.reports[1].alerts)


def test_the_alerts_command_lists_them_newest_first_in_each_format(watched):
    from triangulate.cli import app

    runner = CliRunner()
    db = ["--db", str(watched.db)]
    rows = [json.loads(line) for line in
            runner.invoke(app, ["alerts", *db, "-f", "jsonl"]).output.splitlines()]
    assert [r["round"] for r in rows] == sorted((r["round"] for r in rows), reverse=True)
    since = watched.reports[2].alerts[0].created
    recent = json.loads(runner.invoke(app, ["alerts", *db, "-f", "json", "--since", since]).output)
    assert {r["id"] for r in recent} == {a.id for a in watched.reports[2].alerts}
    tolls = runner.invoke(app, ["alerts", *db, "-f", "csv", "--kind", "toll_changed"]).output
    assert tolls.splitlines()[0].startswith("id,created,kind,story")
    assert all(",toll_changed," in line for line in tolls.splitlines()[1:])
    table = runner.invoke(app, ["alerts", *db]).output
    assert f"{len(rows)} alerts" in table and "TOLL" in table
    bad = runner.invoke(app, ["alerts", *db, "--since", "yesterday-ish"])
    assert bad.exit_code == 2


def test_the_since_page_lists_alerts_newest_first_each_linked_to_its_story(watched):
    from fastapi.testclient import TestClient

    from triangulate.app import create_app

    application = create_app(watched.db)
    try:
        with TestClient(application) as client:
            page = client.get("/since?kind=toll_changed")
            assert page.status_code == 200
            for alert in _alerts(watched, 3, "toll_changed"):
                assert f'href="/stories/{alert.story}"' in page.text
            assert page.text.index("50 → 57") < page.text.index("30 → 50")
            api = client.get("/api/alerts", params={"kind": "contradiction", "limit": 2}).json()
            assert api["total"] == sum(len(_alerts(watched, n, "contradiction")) for n in (1, 2, 3))
            assert len(api["items"]) == 2 and api["items"][0]["story"]
            story = client.get(f"/stories/{api['items'][0]['story']}")
            assert story.status_code == 200
    finally:
        application.state.store.close()


def test_the_digest_says_what_each_round_changed(watched):
    from triangulate.watch.digest import poll_line, round_lines

    r2 = watched.reports[1]
    text = "\n".join(round_lines(r2))
    assert "Round 2" in text and "1 copy of earlier ones" in text
    assert f"{len(r2.alerts)} alerts" in text and "TOLL" in text
    assert "alerts kept for the next round" in text
    lines = {p.source.target.rsplit("/", 1)[-1]: poll_line(p) for p in r2.polls}
    assert "not modified" in lines["vostok.xml"] and "2nd failure" in lines["dead.xml"]
