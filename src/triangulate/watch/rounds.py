"""One watch round, and the loop of rounds.

A round: poll each source that is due and ingest its new items (same preparation,
duplicate and syndication rules as `ingest`), then save the source's state; analyse what is
pending (worker pool); link; compare the stories with the snapshot the last round left and
store the alerts with the new snapshot; deliver the alerts.

Every step commits whole or not at all, and each step's work is found again from the store,
so a round killed at any point (SIGKILL, a power cut) is finished by the next one without
losing or repeating anything: items re-fetched are recognised as stored, pending analyses
are picked up, an unfinished round relinks, and alerts are raised from the same snapshot
under the same ids. Stopping (Ctrl-C) is checked between sources and between analysis
batches, and ends the round early the same clean way.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from triangulate import settings
from triangulate.ingest.fetch import fetch
from triangulate.ingest.runner import IngestReport, ingest_items
from triangulate.model import Alert
from triangulate.store import Store
from triangulate.watch import alerts as alerting
from triangulate.watch.deliver import (
    Delivery,
    deliver_jsonl,
    deliver_webhook,
    jsonl_channel,
    webhook_channel,
)
from triangulate.watch.polite import Clock, Fetcher, HostLimiter, Stopped
from triangulate.watch.poll import Poll, PollContext, SourceState, poll
from triangulate.watch.sources import WatchSource


@dataclass
class WatchOptions:
    allow_private: bool = False
    fetch_links: bool = False
    workers: int = 1
    alerts_jsonl: Path | None = None
    webhook: str | None = None
    model: str | None = None  # embedding model for linking (settings default)
    settle: float = settings.WATCH_FILE_SETTLE_SECONDS
    get: Fetcher = fetch  # the guarded fetch (tests count its calls)

    def channels(self) -> list[str]:
        found = []
        if self.alerts_jsonl is not None:
            found.append(jsonl_channel(self.alerts_jsonl))
        if self.webhook:
            found.append(webhook_channel(self.webhook))
        return found


@dataclass
class RoundReport:
    number: int
    started: float
    polls: list[Poll] = field(default_factory=list)
    ingest: IngestReport = field(default_factory=IngestReport)
    analysed: int = 0
    linked: bool = False
    stories: int = 0  # reported stories after the round
    new_stories: int = 0
    changed_stories: int = 0
    alerts: list[Alert] = field(default_factory=list)
    deliveries: list[Delivery] = field(default_factory=list)
    resumed: bool = False  # the round before was left unfinished (killed)
    stopped: bool = False
    seconds: float = 0.0

    def summary(self) -> dict[str, Any]:
        """What the store keeps of the round (watch_rounds.report)."""
        return {
            "sources": {p.source.key: {"status": p.status, "new_items": p.new_items,
                                       "detail": p.detail} for p in self.polls},
            "new_articles": self.ingest.ingested, "copies": self.ingest.duplicates,
            "skipped": len(self.ingest.skipped), "analysed": self.analysed,
            "linked": self.linked, "stories": self.stories, "new_stories": self.new_stories,
            "changed_stories": self.changed_stories, "alerts": [a.id for a in self.alerts],
            "stopped": self.stopped,
        }


Progress = Callable[[str, Any], None]


def run_round(
    store: Store, sources: Sequence[WatchSource], options: WatchOptions, clock: Clock,
    limiter: HostLimiter | None = None, on_progress: Progress | None = None,
) -> RoundReport:
    """One round over ``sources``; see the module docstring for what it does and keeps."""
    say = on_progress or (lambda _what, _data: None)
    number, resumed = store.start_watch_round()
    report = RoundReport(number, clock.now(), resumed=resumed)
    baseline = store.watch_baseline()
    if baseline is None:
        # The first round measures from the store as it is: a store built by `run` alerts
        # on what changes from here on, not on everything it held already.
        states = alerting.states_of(store.story_records())
        store.save_watch_baseline(states)
        baseline = {s.id: s for s in states}
    stances = store.watch_position_baseline()
    if stances is None:
        # Likewise for stances (also in a store whose watch began before they were followed).
        found = alerting.position_states(_tracker(store))
        store.save_watch_position_baseline(found)
        stances = {(s.party, s.issue): s for s in found}
    ctx = PollContext(clock=clock, limiter=limiter or HostLimiter(clock),
                      allow_private=options.allow_private, fetch_links=options.fetch_links,
                      is_stored=store.has_article, settle=options.settle, get=options.get)
    try:
        _poll_all(store, sources, options, ctx, report, say)
        _analyse(store, options, clock, report, say)
        if report.analysed or resumed:
            from triangulate.jobs import link_new

            say("linking", None)
            link_new(store, report.ingest.new_ids, model=options.model)
            report.linked = True
    except Stopped:
        report.stopped = True
    if report.linked:
        _raise_alerts(store, baseline, stances, options, clock, report)
        say("alerts", report.alerts)
    elif not report.stopped:
        # Nothing new was linked: the stories are the snapshot's, no need to read them.
        store.finish_watch_round(report.number, None, [], [], report.summary())
    report.deliveries = _deliver(store, options, clock)
    report.seconds = clock.now() - report.started
    return report


def _poll_all(store: Store, sources: Sequence[WatchSource], options: WatchOptions,
              ctx: PollContext, report: RoundReport, say: Progress) -> None:
    states = store.watch_sources([s.key for s in sources])
    for source in sources:
        if ctx.clock.stop.is_set():
            raise Stopped
        state = SourceState.from_row(source.key, states.get(source.key))
        result = poll(source, state, store.watch_seen(source.key), ctx)
        if result.status != "waiting":
            got = ingest_items(store, result.items(), workers=1)
            _add(report.ingest, got)
            store.save_watch_poll(result.state.row(), result.seen)
        report.polls.append(result)
        say("polled", result)


def _add(total: IngestReport, part: IngestReport) -> None:
    total.ingested += part.ingested
    total.already_stored += part.already_stored
    total.duplicates += part.duplicates
    total.near_duplicates += part.near_duplicates
    total.skipped.extend(part.skipped)
    total.new_ids.extend(part.new_ids)


def _analyse(store: Store, options: WatchOptions, clock: Clock, report: RoundReport,
             say: Progress) -> None:
    from triangulate.jobs import analyse_pending

    def tick(*_: object) -> None:
        report.analysed += 1
        if clock.stop.is_set():
            raise Stopped  # after a committed batch: the rest is analysed next round

    if clock.stop.is_set():
        raise Stopped
    say("analysing", None)
    analyse_pending(store, workers=options.workers, on_done=tick)


def _raise_alerts(store: Store, baseline, stances, options: WatchOptions, clock: Clock,
                  report: RoundReport) -> None:
    stories = store.story_records()
    created = alerting.utc_now(clock.now())
    changes = alerting.diff(baseline, stories, store.event_spans, created=created,
                            round_no=report.number)
    moved, positions = alerting.position_changes(stances, _tracker(store), stories,
                                                 created=created, round_no=report.number)
    report.stories = sum(1 for s in stories if s.articles)
    report.new_stories, report.changed_stories = changes.new_stories, changes.changed_stories
    report.alerts = changes.alerts + moved
    store.finish_watch_round(report.number, changes.states, report.alerts,
                             options.channels(), report.summary(), positions)


def _tracker(store: Store):
    """The negotiation tracker over every stored position (`triangulate negotiations`)."""
    from triangulate.link.negotiations import matrix

    return matrix(store)


def _deliver(store: Store, options: WatchOptions, clock: Clock) -> list[Delivery]:
    done = []
    if options.alerts_jsonl is not None:
        done.append(deliver_jsonl(store, options.alerts_jsonl))
    if options.webhook:
        done.append(deliver_webhook(store, options.webhook, clock, options.allow_private))
    return done


def watch(
    open_store: Callable[[], Store], sources: Sequence[WatchSource], options: WatchOptions,
    clock: Clock, every: float, once: bool = False,
    on_round: Callable[[RoundReport], None] | None = None,
    on_progress: Progress | None = None,
    on_error: Callable[[Exception], None] | None = None,
) -> int:
    """Rounds every ``every`` seconds (one with ``once``) until ``clock.stop`` is set;
    returns how many rounds ran. The store is opened for each round and closed between
    rounds, so other commands can read it while the watch waits."""
    limiter = HostLimiter(clock)  # spacing per host holds across rounds too
    rounds = 0
    while not clock.stop.is_set():
        started = clock.now()
        try:
            with open_store() as store:
                report = run_round(store, sources, options, clock, limiter, on_progress)
            rounds += 1
            if on_round:
                on_round(report)
        except Exception as exc:  # a locked or unreadable store: try again next round
            if once or on_error is None:
                raise
            on_error(exc)
        if once:
            break
        clock.sleep(max(0.0, started + every - clock.now()))
    return rounds

