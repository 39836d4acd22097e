"""The `triangulate` command: parses arguments, calls the library, prints."""

from __future__ import annotations

import json
import logging
import sys
from collections import Counter
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from triangulate import settings

app = typer.Typer(
    help="Turn news articles about armed conflicts into a cross-checked, evidence-linked "
    "record: who did what to whom, where and when, according to whom.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
out = Console()
err = Console(stderr=True)

SAMPLE_DIR = Path(__file__).parent / "data" / "sample"

DbOption = Annotated[
    Path, typer.Option("--db", help="DuckDB file to read and write (created when missing).")
]
QuietOption = Annotated[
    bool, typer.Option("--quiet", "-q", help="Print only errors and the final summary line.")
]
InputsArgument = Annotated[
    list[str] | None,
    typer.Argument(
        help="Files or directories (searched recursively) of .txt, .html, .jsonl/.json, .csv, "
        ".warc(.gz) or RSS/Atom feeds, http(s) URLs; '-' reads stdin (JSON Lines, HTML or text, "
        "told apart by content). In directories, README*, LICENSE*, *.md and *.gold.jsonl files "
        "are documentation or annotation and are skipped as 'ignored'; hidden files are passed over.",
        show_default=False,
    ),
]


class Format(StrEnum):
    json = "json"
    jsonl = "jsonl"


class Engine(StrEnum):
    local = "local"
    ray = "ray"


class ExportFormat(StrEnum):
    parquet = "parquet"
    csv = "csv"
    jsonl = "jsonl"


def _store(db: Path, read_only: bool = False):
    from triangulate.store import Store

    if read_only and not db.exists():
        err.print(f"[red]no store at {db}[/red]: run `triangulate run` or `triangulate ingest` first")
        raise typer.Exit(2)
    return Store(db, read_only=read_only)


# ----------------------------------------------------------------------------- ingest


UrlsOption = Annotated[
    list[Path] | None,
    typer.Option("--urls", help="A file of URLs to fetch, one a line ('#' starts a comment line); "
                 "may be repeated. Only http(s); private and loopback addresses are refused.",
                 show_default=False),
]
AllowPrivateOption = Annotated[
    bool, typer.Option("--allow-private", help="Also fetch URLs on private, loopback and "
                       "link-local addresses (an intranet archive); refused by default.")
]
FetchLinksOption = Annotated[
    bool, typer.Option("--fetch-links", help="Fetch the pages of feed items that carry only a "
                       "link (by default they are skipped as 'link-only').")
]


@app.command()
def ingest(
    inputs: InputsArgument = None,
    db: DbOption = Path(settings.DEFAULT_DB),
    urls: UrlsOption = None,
    allow_private: AllowPrivateOption = False,
    fetch_links: FetchLinksOption = False,
    workers: Annotated[
        int, typer.Option("--workers", "-w", min=1,
                          help="Worker processes for HTML extraction and language detection.")
    ] = 1,
    quiet: QuietOption = False,
) -> None:
    """Read articles into the store, recognising exact and near duplicates.

    Re-ingesting the same input changes nothing. Inputs that cannot be used are listed with
    the reason; the exit status is 1 only when nothing at all could be read.
    """
    from triangulate.ingest.runner import ingest as run_ingest

    with _store(db) as store:
        report = _with_progress("Ingesting", quiet, lambda tick: run_ingest(
            store, inputs or [], on_item=tick, url_files=[str(u) for u in urls or []],
            allow_private=allow_private, fetch_links=fetch_links, workers=workers))
    _print_ingest(report, quiet)
    if report.read == 0:
        raise typer.Exit(1)


def _with_progress(label: str, quiet: bool, work):
    if quiet:
        return work(None)
    from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    with Progress(
        SpinnerColumn(), TextColumn("{task.description}"), BarColumn(), TextColumn("{task.completed}"),
        TimeElapsedColumn(), console=err, transient=True,
    ) as progress:
        task = progress.add_task(label, total=None)
        return work(lambda *_: progress.advance(task))


def _skipped_table(rows, title: str, limit: int, more: str) -> Table:
    """(source, reason, detail) rows; paths shown relative to the working directory."""
    cwd = f"{Path.cwd()}/"
    table = Table(title=title)
    for col in ("reason", "input", "detail"):
        table.add_column(col, overflow="fold")
    for source, reason, detail in rows[:limit]:
        table.add_row(reason, source.removeprefix(cwd), detail)
    if len(rows) > limit:
        table.add_row("…", f"{len(rows) - limit} more", more)
    return table


def _print_ingest(report, quiet: bool) -> None:
    if not quiet and report.skipped:
        rows = [(s.source, s.reason, s.detail) for s in report.skipped]
        err.print(_skipped_table(rows, "Skipped inputs", 50, "see `triangulate stats`"))
    # The head counts are the same on every run over the same input (re-ingest is a no-op);
    # what this run added comes after the colon.
    reasons = ", ".join(f"{n} {r}" for r, n in report.reasons().most_common())
    line = f"{report.read} ingested, {len(report.skipped)} skipped" + (
        f" ({reasons})" if reasons else "")
    copies = report.duplicates
    line += f": {report.ingested} new" + (
        f" ({copies} {'copy' if copies == 1 else 'copies'} of earlier articles)" if copies else ""
    ) + f", {report.already_stored} already stored"
    out.print(line)


# ----------------------------------------------------------------------------- analyze


@app.command()
def analyze(
    inputs: InputsArgument = None,
    format: Annotated[
        Format, typer.Option("--format", "-f", help="json: one object (an array for several "
                             "articles); jsonl: one analysed article per line.")
    ] = Format.json,
    published: Annotated[
        str | None,
        typer.Option(help="Publication date YYYY-MM-DD for inputs that carry none; relative "
                     "dates ('on Sunday', 'last week') are resolved from it."),
    ] = None,
) -> None:
    """Analyse articles and print the full JSON record of each (nothing is stored)."""
    from triangulate.analyze.pipeline import analyze_articles
    from triangulate.ingest.prepare import prepare
    from triangulate.ingest.sources import read_inputs
    from triangulate.model import Analysis, AnalysisFailure, Article, Skipped, to_dict

    skipped: list[Skipped] = []

    def articles():
        for raw in read_inputs(inputs or ["-"]):
            item = raw if isinstance(raw, Skipped) else prepare(raw)
            if isinstance(item, Skipped):
                skipped.append(item)
                err.print(f"skipped {item.source}: {item.reason} {item.detail}")
                continue
            assert isinstance(item, Article)
            if published and not item.published:
                item.published = published
            yield item

    failed: list[AnalysisFailure] = []

    def analysed():
        for result in analyze_articles(articles()):
            if isinstance(result, Analysis):
                yield result
            else:
                failed.append(result)
                err.print(f"analysis of {result.id} failed: {result.reason}: {result.detail}")

    results = analysed()
    done = 0
    if format is Format.jsonl:
        for analysis in results:
            sys.stdout.write(json.dumps(to_dict(analysis), ensure_ascii=False) + "\n")
            done += 1
    else:
        records = [to_dict(a) for a in results]
        done = len(records)
        payload = records[0] if len(records) == 1 else records
        sys.stdout.write(json.dumps(payload, ensure_ascii=False, indent=2) + "\n")
    if done == 0:
        err.print(f"nothing analysed ({len(skipped)} inputs skipped, {len(failed)} failed)")
        raise typer.Exit(1)


# ----------------------------------------------------------------------------- run


@app.command()
def run(
    inputs: InputsArgument = None,
    db: DbOption = Path(settings.DEFAULT_DB),
    urls: UrlsOption = None,
    allow_private: AllowPrivateOption = False,
    fetch_links: FetchLinksOption = False,
    workers: Annotated[
        int, typer.Option("--workers", "-w", min=1,
                          help="Worker processes for analysis; each loads the model once. "
                          "With --engine ray: analysing Ray actors (default: one per cluster CPU).")
    ] = 1,
    engine: Annotated[
        Engine, typer.Option("--engine", help="local: worker processes on this machine; ray: "
                             "a Ray Data job (needs the package's 'ray' extra), results loaded "
                             "into the store through Parquet. Ingest and linking stay local.")
    ] = Engine.local,
    address: Annotated[
        str | None, typer.Option("--address", help="With --engine ray: the cluster to join "
                                 "('auto', 'ray://head:10001'); default: a local Ray instance. "
                                 "Shards go to $TRIANGULATE_RAY_DIR (shared storage on a cluster).",
                                 show_default=False)
    ] = None,
    quiet: QuietOption = False,
) -> None:
    """Ingest, analyse and link in one go, then print a summary.

    With no inputs, runs on the bundled sample corpus. Articles already analysed are not
    analysed again, so an interrupted run resumes where it stopped.
    """
    from triangulate.ingest.runner import ingest as run_ingest

    inputs = inputs or ([] if urls else [str(SAMPLE_DIR)])
    with _store(db) as store:
        report = _with_progress("Ingesting", quiet, lambda tick: run_ingest(
            store, inputs, on_item=tick, url_files=[str(u) for u in urls or []],
            allow_private=allow_private, fetch_links=fetch_links, workers=workers))
        _print_ingest(report, quiet)
        _analyse_and_report(store, engine, workers, address, quiet)
        linked = _link_new(store, quiet)
        _print_summary(store)
        _print_link_summary(linked, quiet)
    if report.read == 0:
        raise typer.Exit(1)


def _analyse_and_report(store, engine: Engine, workers: int, address: str | None, quiet: bool,
                        retry: bool | list[str] = False) -> tuple[int, list]:
    """Analyse what is pending (and ``retry``'s failed articles); print how it went."""
    failed: list = []
    analysed = _with_progress("Analysing", quiet, lambda tick: _analyse(
        store, engine, workers, address, tick, failed.append, retry))
    line = f"{analysed} articles analysed"
    if failed:
        line += (f", {len(failed)} failed (their analysis is stored as failed; "
                 "`triangulate retry` runs them again)")
        err.print(_failure_table(store.failures([f.id for f in failed]),
                                 "Analyses that failed", 50))
    out.print(line)
    return analysed, failed


def _analyse(store, engine: Engine, workers: int, address: str | None, tick, on_failed,
             retry: bool | list[str] = False) -> int:
    if engine is Engine.ray:
        from triangulate.scale.ray_runner import analyse_pending_ray

        return analyse_pending_ray(store, address=address,
                                   workers=workers if workers > 1 else None, on_done=tick,
                                   on_failed=on_failed, retry=retry)
    if address:
        err.print("[yellow]--address is for --engine ray; ignored[/yellow]")
    from triangulate.jobs import analyse_pending

    return analyse_pending(store, workers=workers, on_done=tick, on_failed=on_failed,
                           retry=retry)


def _failure_table(rows: list[dict], title: str, limit: int) -> Table:
    table = Table(title=title)
    for col in ("article", "reason", "detail", "attempts", "input"):
        table.add_column(col, overflow="fold")
    cwd = f"{Path.cwd()}/"
    for r in rows[:limit]:
        table.add_row(r["id"], r["reason"], r["detail"] or "", str(r["attempts"]),
                      (r["source"] or "").removeprefix(cwd))
    if len(rows) > limit:
        table.add_row("…", f"{len(rows) - limit} more", "`triangulate export failed_analyses`",
                      "", "")
    return table


@app.command()
def retry(
    ids: Annotated[
        list[str] | None,
        typer.Argument(help="Ids of failed articles to analyse again (default: every failed "
                       "article).", show_default=False),
    ] = None,
    db: DbOption = Path(settings.DEFAULT_DB),
    workers: Annotated[
        int, typer.Option("--workers", "-w", min=1, help="Worker processes for analysis.")
    ] = 1,
    engine: Annotated[
        Engine, typer.Option("--engine", help="local: worker processes; ray: a Ray Data job.")
    ] = Engine.local,
    address: Annotated[
        str | None, typer.Option("--address", help="With --engine ray: the cluster to join.",
                                 show_default=False)
    ] = None,
    quiet: QuietOption = False,
) -> None:
    """Analyse the failed articles again (and anything still pending), then relink.

    An article whose analysis raised, ran over its time budget or took its worker down is
    stored as failed and left alone by later runs; `stats` lists them. Those that fail again
    stay failed, with the attempt counted.
    """
    if not db.exists():
        err.print(f"[red]no store at {db}[/red]: run `triangulate run` first")
        raise typer.Exit(2)
    with _store(db) as store:
        wanted: bool | list[str] = True
        if ids:
            known = {r["id"] for r in store.failures(ids)}
            if unknown := [i for i in ids if i not in known]:
                err.print(f"[yellow]not failed, left as they are: {', '.join(unknown)}[/yellow]")
            if not known:
                raise typer.Exit(1)
            wanted = sorted(known)
        analysed, _ = _analyse_and_report(store, engine, workers, address, quiet, retry=wanted)
        if analysed:
            _print_link_summary(_link_new(store, quiet), quiet)


def _print_summary(store) -> None:
    counts = store.counts()
    table = Table(title=f"Store {store.path}")
    table.add_column("what")
    table.add_column("count", justify="right")
    for key, value in counts.items():
        table.add_row(key, str(value))
    out.print(table)


# ----------------------------------------------------------------------------- link


class LinkFormat(StrEnum):
    table = "table"
    jsonl = "jsonl"
    json = "json"
    csv = "csv"


LinkFormatOption = Annotated[
    LinkFormat, typer.Option("--format", "-f", help="table: readable; jsonl/json/csv: records.")
]


def _link_new(store, quiet: bool):
    """Link what was analysed since the last link (incrementally: docs/linking.md); the
    LinkResult of every stored story, for the summary."""
    from triangulate.jobs import link_new
    from triangulate.link import LinkResult

    linked = _with_progress("Linking", quiet, lambda tick: link_new(store, on_done=tick))
    return LinkResult(stories=store.story_records(), disputes=linked.disputes,
                      tolls=store.toll_records())


def _print_link_summary(result, quiet: bool) -> None:
    stories = result.stories
    reported = [s for s in stories if s.articles]
    multi = [s for s in reported if s.independent_outlets >= 2]
    contested = [(s, f) for s in stories for f in s.figures if f.contested]
    out.print(
        f"{len(reported)} stories ({len(multi)} told by 2+ independent outlets, "
        f"{len(stories) - len(reported)} only mentioned in passing), "
        f"{len(contested)} contested figures, {len(result.contradictions)} contradictions"
    )
    if quiet or not reported:
        return
    table = Table(title="Stories told by the most independent outlets")
    for col in ("date", "type", "place", "outlets", "indep.", "contested figures"):
        table.add_column(col, overflow="fold")
    for s in reported[:15]:
        table.add_row(
            _date_text(s.date, s.date_precision), s.type, s.place.name if s.place else "",
            str(s.outlets), str(s.independent_outlets), _contested_text(s),
        )
    out.print(table)


def _date_text(date, precision) -> str:
    from triangulate.link.timeline import show_date

    return show_date(date, precision)


def _num(v) -> str:
    return f"{int(v):,}" if isinstance(v, int | float) and float(v).is_integer() else str(v)


def _value_text(v) -> str:
    hedge = f"{v.hedge} " if v.hedge else ""
    who = v.speaker or v.outlet or "?"
    return f"{hedge}{_num(v.value)} ({who})"


def _contested_text(story) -> str:
    parts = []
    for line in story.figures:
        if not line.contested:
            continue
        values = []
        for v in line.values:
            text = _value_text(v)
            if text not in values:
                values.append(text)
        parts.append(f"{line.what} {line.who}: " + " vs ".join(values[:6]))
    return "; ".join(parts)


def _emit(records: list[dict], fmt: LinkFormat, columns: list[str]) -> None:
    if fmt is LinkFormat.jsonl:
        for r in records:
            sys.stdout.write(json.dumps(r, ensure_ascii=False) + "\n")
    elif fmt is LinkFormat.json:
        sys.stdout.write(json.dumps(records, ensure_ascii=False, indent=2) + "\n")
    else:
        import csv

        writer = csv.DictWriter(sys.stdout, fieldnames=columns, extrasaction="ignore")
        writer.writeheader()
        for r in records:
            writer.writerow({k: _cell(r.get(k)) for k in columns})


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return ";".join(_cell(v) for v in value)
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


@app.command()
def link(
    db: DbOption = Path(settings.DEFAULT_DB),
    model: Annotated[
        str | None, typer.Option(help="Embedding model: minilm, wordllama or none "
                                 "(default from settings).")
    ] = None,
    quiet: QuietOption = False,
) -> None:
    """Re-link every analysed article into stories, in full (run, retry and watch link only
    what is new, incrementally, with the same result)."""
    from triangulate.jobs import link_all

    with _store(db) as store:
        result = _with_progress("Linking", quiet, lambda tick: link_all(store, model=model, on_done=tick))
    _print_link_summary(result, quiet)


@app.command()
def stories(
    db: DbOption = Path(settings.DEFAULT_DB),
    format: LinkFormatOption = LinkFormat.table,
    all_stories: Annotated[
        bool, typer.Option("--all", help="Also list events only mentioned in passing.")
    ] = False,
) -> None:
    """One line per real-world event: its sources, figures and contradictions.

    `--format jsonl` prints the story contract (one story per line) that
    eval/score.py --stories-pred reads.
    """
    from triangulate.model import to_dict

    with _store(db, read_only=True) as store:
        records = store.story_records()
    if not all_stories:
        records = [s for s in records if s.articles]
    if format is not LinkFormat.table:
        rows = [to_dict(s) for s in records]
        if format is LinkFormat.csv:
            for r, s in zip(rows, records, strict=True):
                r["place"] = s.place.name if s.place else None
                r["articles"] = [a.id for a in s.articles]
                r["contested"] = _contested_text(s)
                r["contradictions"] = [c.field for c in s.contradictions]
        _emit(rows, format, ["id", "type", "date", "date_precision", "place", "actors",
                             "targets", "outlets", "independent_outlets", "articles",
                             "contested", "contradictions", "title"])
        return
    table = Table(title=f"{len(records)} stories")
    for col in ("date", "type", "place", "actors → targets", "outlets (indep.)", "articles",
                "contested figures", "contradictions"):
        table.add_column(col, overflow="fold")
    for s in records:
        arrow = f"{', '.join(s.actors[:3]) or '?'} → {', '.join(s.targets[:3]) or '?'}"
        arts = "\n".join(
            a.id + (f" (copy of {a.duplicate_of})" if a.duplicate_of else "") for a in s.articles
        )
        table.add_row(
            _date_text(s.date, s.date_precision), s.type, s.place.name if s.place else "",
            arrow, f"{s.outlets} ({s.independent_outlets})", arts, _contested_text(s),
            ", ".join(c.field for c in s.contradictions),
        )
    out.print(table)


@app.command()
def contradictions(
    db: DbOption = Path(settings.DEFAULT_DB),
    format: LinkFormatOption = LinkFormat.table,
    field: Annotated[
        str | None, typer.Option(help="Only this kind: figures, date, place, actor, mode, "
                                 "position (negotiation positions sources disagree on).")
    ] = None,
) -> None:
    """Where outlets or parties disagree about one event, both sides with their evidence."""
    from triangulate.model import to_dict

    with _store(db, read_only=True) as store:
        records = store.contradiction_records(field)
    if format is LinkFormat.csv:
        from triangulate.export.common import CONTRADICTION_COLUMNS, contradiction_sides

        _emit(contradiction_sides(records), format, CONTRADICTION_COLUMNS)
        return
    if format is not LinkFormat.table:
        _emit([to_dict(c) for c in records], format, [])
        return
    table = Table(title=f"{len(records)} contradictions", show_lines=True)
    for col in ("story", "field", "side", "article (outlet)", "evidence"):
        table.add_column(col, overflow="fold")
    for c in records:
        for k, side in enumerate(c.sides):
            who = f"{side.speaker}: " if side.speaker else ""
            table.add_row(
                c.story if k == 0 else "", c.field if k == 0 else "",
                f"{who}{_num(side.value)}", f"{side.article} ({side.outlet or '?'})",
                " ".join(side.evidence.text.split()) if side.evidence else "",
            )
    out.print(table)


_TOLL_COLUMNS = ["series", "what", "who", "speaker", "place", "place_name", "since", "date",
                 "value", "hedge", "article", "outlet", "evidence", "sentence"]


@app.command()
def tolls(
    db: DbOption = Path(settings.DEFAULT_DB),
    format: LinkFormatOption = LinkFormat.table,
    what: Annotated[str | None, typer.Option(help="Only this count: killed, injured, "
                                             "displaced, hostages, ...")] = None,
    speaker: Annotated[str | None, typer.Option(help="Only series of this speaker (id or "
                                                "words it contains; an outlet's name for "
                                                "its own running count).")] = None,
    place: Annotated[str | None, typer.Option(help="Only series for this place (ISO alpha-3 "
                                              "code, or words of its name).")] = None,
) -> None:
    """Cumulative tolls as series over time: one speaker's running count for one place.

    A running count ("30,035 killed since the war began", "the ministry's toll rose to
    36,801") is never lined up against an incident's toll in a story; each series lists
    its dates, values and speakers, and --format csv gives one row per value with its
    evidence and sentence.
    """
    from triangulate.model import to_dict

    with _store(db, read_only=True) as store:
        records = store.toll_records(what=what, speaker=speaker, place=place)
    if format is LinkFormat.csv:
        rows = [{"series": t.id, "what": t.what, "who": t.who,
                 "speaker": p.speaker or t.outlet, "place": t.place, "place_name": t.place_name,
                 "since": p.since or t.since, "date": p.date, "value": p.value,
                 "hedge": p.hedge, "article": p.article, "outlet": p.outlet,
                 "evidence": p.evidence.text if p.evidence else None,
                 "sentence": " ".join(p.sentence.text.split()) if p.sentence else None}
                for t in records for p in t.points]
        _emit(rows, format, _TOLL_COLUMNS)
        return
    if format is not LinkFormat.table:
        _emit([to_dict(t) for t in records], format, [])
        return
    table = Table(title=f"{len(records)} toll series")
    for col in ("count", "speaker", "place", "since", "values by date", "articles"):
        table.add_column(col, overflow="fold")
    for t in records:
        # One entry per date and value; how many articles gave it, when several did.
        said = Counter(f"{p.date or '?'} {p.hedge + ' ' if p.hedge else ''}{_num(p.value)}"
                       for p in t.points)
        values = " · ".join(k + (f" (x{n})" if n > 1 else "") for k, n in said.items())
        table.add_row(f"{t.what} {t.who}", t.speaker or f"{t.outlet} (own count)",
                      t.place_name or t.place or "", t.since or "", values,
                      str(len({p.article for p in t.points})))
    out.print(table)


def _timeline_rows(entries) -> list[dict]:
    return [
        {"date": e.date, "date_precision": e.date_precision, "story": e.story, "type": e.type,
         "place": e.place, "actors": e.actors, "targets": e.targets, "outlets": e.outlets,
         "independent_outlets": e.independent_outlets, "contested": e.contested,
         "role": e.role, "title": e.title}
        for e in entries
    ]


_TIMELINE_COLUMNS = ["date", "date_precision", "story", "type", "place", "actors", "targets",
                     "outlets", "independent_outlets", "contested", "role", "title"]


def _timeline_table(title: str, entries) -> Table:
    table = Table(title=title)
    for col in ("date", "type", "place", "actors → targets", "outlets (indep.)", "what happened"):
        table.add_column(col, overflow="fold")
    for e in entries:
        table.add_row(
            _date_text(e.date, e.date_precision), e.type, e.place or "",
            f"{', '.join(e.actors[:3]) or '?'} → {', '.join(e.targets[:3]) or '?'}",
            f"{e.outlets} ({e.independent_outlets})", e.title or "",
        )
    return table


@app.command()
def timeline(
    db: DbOption = Path(settings.DEFAULT_DB),
    actor: Annotated[str | None, typer.Option(help="Only stories this actor (or anything "
                                              "that rolls up to it) took part in.")] = None,
    place: Annotated[str | None, typer.Option(help="Only stories at this place (name or id).")] = None,
    start: Annotated[str | None, typer.Option("--from", help="From this date (YYYY-MM-DD).")] = None,
    end: Annotated[str | None, typer.Option("--to", help="Up to this date (YYYY-MM-DD).")] = None,
    format: LinkFormatOption = LinkFormat.table,
) -> None:
    """Dated stories in order, with how precise each date is."""
    from triangulate.link.timeline import timeline as build

    with _store(db, read_only=True) as store:
        roles = store.story_roles(store.resolve_actors(actor)) if actor else None
        only = store.stories_at_place(place) if place else None
        entries = build(store.story_records(), start=start, end=end, roles=roles, only=only)
    if format is not LinkFormat.table:
        _emit(_timeline_rows(entries), format, _TIMELINE_COLUMNS)
        return
    scope = " ".join(x for x in (actor and f"actor {actor}", place and f"at {place}") if x)
    out.print(_timeline_table(f"Timeline {scope}".strip() + f": {len(entries)} stories", entries))


@app.command("actor")
def actor_command(
    name: Annotated[str, typer.Argument(help="Actor name or id: Hamas, israel-military, Israel.")],
    db: DbOption = Path(settings.DEFAULT_DB),
    format: LinkFormatOption = LinkFormat.table,
) -> None:
    """What an actor did, what was done to it, and what it claimed."""
    from triangulate.link.timeline import timeline as build

    with _store(db, read_only=True) as store:
        ids = store.resolve_actors(name)
        if not ids:
            err.print(f"[red]no actor called {name!r}[/red] in {db}")
            raise typer.Exit(1)
        roles = store.story_roles(ids)
        entries = build(store.story_records(ids=list(roles)), roles=roles)
        claims = store.claims_by(ids)
    did = [e for e in entries if "actor" in (e.role or "")]
    done_to = [e for e in entries if "target" in (e.role or "")]
    claim_rows = [
        {"article": a, "outlet": o, "published": p, "speaker": sp, "stance": st, "content": c,
         "start": s, "end": e}
        for a, o, p, sp, st, c, s, e in claims
    ]
    if format is not LinkFormat.table:
        records = (
            [{"section": "did", **r} for r in _timeline_rows(did)]
            + [{"section": "done_to", **r} for r in _timeline_rows(done_to)]
            + [{"section": "claimed", **r} for r in claim_rows]
        )
        if format is LinkFormat.json:
            sys.stdout.write(json.dumps({"actor": name, "ids": ids, "did": _timeline_rows(did),
                                         "done_to": _timeline_rows(done_to),
                                         "claimed": claim_rows}, ensure_ascii=False, indent=2) + "\n")
            return
        _emit(records, format, ["section", *_TIMELINE_COLUMNS, "article", "outlet", "published",
                                "speaker", "stance", "content", "start", "end"])
        return
    out.print(f"[bold]{name}[/bold]: {', '.join(ids)}")
    out.print(_timeline_table(f"What {name} did ({len(did)})", did))
    out.print(_timeline_table(f"What was done to {name} ({len(done_to)})", done_to))
    table = Table(title=f"What {name} claimed ({len(claim_rows)})")
    for col in ("published", "outlet", "speaker", "stance", "claim"):
        table.add_column(col, overflow="fold")
    for r in claim_rows:
        table.add_row(r["published"] or "", r["outlet"] or "", r["speaker"] or "", r["stance"] or "",
                      " ".join((r["content"] or "").split()))
    out.print(table)


# ----------------------------------------------------------------------------- negotiations


_NEGOTIATION_COLUMNS = ["party", "party_name", "issue", "stance", "day", "sources", "disagree",
                        "stances", "changes", "article", "outlet", "claimant", "evidence"]
_HISTORY_COLUMNS = ["day", "dated", "stance", "change", "outlet", "article", "duplicate_of",
                    "claimant", "conditional", "start", "end", "evidence"]


def _evidence_text(mention, limit: int | None = None) -> str:
    text = " ".join(mention.text.split()) if mention else ""
    return text if limit is None or len(text) <= limit else text[:limit - 1] + "…"


@app.command()
def negotiations(
    db: DbOption = Path(settings.DEFAULT_DB),
    party: Annotated[str | None, typer.Option(
        help="Only this party (name or id: Hamas, Israel, 'United States', qatar).")] = None,
    issue: Annotated[str | None, typer.Option(
        help="Only this issue: ceasefire, hostages, prisoners, withdrawal, return, end_of_war, "
        "aid, territory, statehood, military_aid, other.")] = None,
    start: Annotated[str | None, typer.Option("--from", help="From this day (YYYY-MM-DD).")] = None,
    end: Annotated[str | None, typer.Option("--to", help="Up to this day (YYYY-MM-DD).")] = None,
    format: LinkFormatOption = LinkFormat.table,
) -> None:
    """Where each party stands on each issue of a negotiation, and who says so.

    One row per party and issue: the latest stance and its day, how many independent
    outlets report the party on that issue (a syndicated copy is not one), and whether
    sources give opposed stances for that day. With --party and --issue: the history of
    that stance, report by report (day, stance, outlet, who says so, the sentence), each
    change of stance marked. A day in brackets is the article's publication day, used when
    the text gives none.
    """
    from triangulate.link.negotiations import QueryError, matrix
    from triangulate.model import to_dict

    with _store(db, read_only=True) as store:
        try:
            cells = matrix(store, party, issue, start, end)
        except QueryError as exc:
            err.print(f"[red]{exc}[/red]")
            raise typer.Exit(2) from None
    if party and issue:
        reports = [r for c in cells for r in c.history]
        reports.sort(key=lambda r: (r.day or "", r.article))
        _print_history(party, issue, reports, format)
        return
    if format is not LinkFormat.table:
        rows = [to_dict(c) for c in cells]
        if format is LinkFormat.csv:
            for r, c in zip(rows, cells, strict=True):
                r["evidence"] = _evidence_text(c.evidence)
        _emit(rows, format, _NEGOTIATION_COLUMNS)
        return
    table = Table(title=f"{len(cells)} party positions")
    for col in ("party", "issue", "latest", "day", "sources", "disputed", "changes"):
        table.add_column(col, no_wrap=col in ("issue", "day"))
    table.add_column("evidence (outlet)", overflow="fold", ratio=1)
    for c in cells:
        table.add_row(
            c.party_name, c.issue, c.stance, c.day or "", str(c.sources),
            " vs ".join(c.stances) if c.disagree else "", str(c.changes),
            f"{_evidence_text(c.evidence, 90)} ({c.outlet or '?'})")
    out.print(table)


def _print_history(party: str, issue: str, reports, format: LinkFormat) -> None:
    from triangulate.model import to_dict

    if format is not LinkFormat.table:
        rows = [to_dict(r) for r in reports]
        if format is LinkFormat.csv:
            for r, rep in zip(rows, reports, strict=True):
                r["start"] = rep.evidence.start if rep.evidence else None
                r["end"] = rep.evidence.end if rep.evidence else None
                r["evidence"] = _evidence_text(rep.evidence)
        _emit(rows, format, _HISTORY_COLUMNS)
        return
    table = Table(title=f"{party} on {issue}: {len(reports)} reports", show_lines=True)
    for col in ("day", "stance", "outlet", "claimant", "article", "sentence"):
        table.add_column(col, overflow="fold")
    for r in reports:
        day = r.day if r.dated else f"({r.day})" if r.day else ""
        stance = ("→ " if r.change else "") + r.stance + (" (conditional)" if r.conditional else "")
        copy = f" (copy of {r.duplicate_of})" if r.duplicate_of else ""
        table.add_row(day, stance, r.outlet or "?", r.claimant or "(outlet)", r.article + copy,
                      _evidence_text(r.evidence))
    out.print(table)


# ----------------------------------------------------------------------------- outlets


@app.command()
def outlets(
    db: DbOption = Path(settings.DEFAULT_DB),
    story: Annotated[
        str | None, typer.Option("--story", help="Compare the outlets that told this story "
                                 "(a story id from `triangulate stories`).")
    ] = None,
    actors: Annotated[
        int, typer.Option("--actors", min=1, help="Stance toward this many main actors.")
    ] = 5,
    format: LinkFormatOption = LinkFormat.table,
) -> None:
    """How each outlet tells the news, or the outlets of one story side by side.

    A profile gives the outlet's genre mix, average tone, persuasion techniques per 1,000
    words, whose voices it quotes (share of quotes and claims by party) and its stance toward
    the main actors. `--story ID` puts the outlets that told that story side by side.
    """
    from dataclasses import asdict

    from triangulate.link import outlets as profiles_module

    with _store(db, read_only=True) as store:
        if story is not None:
            if store.counts()["stories"] == 0:
                err.print("[red]no stories in the store[/red]: run `triangulate link` first")
                raise typer.Exit(1)
            comparison = profiles_module.compare_story(store, story, main_actors=actors)
            if comparison is None:
                err.print(f"[red]no story {story!r}[/red] in {db}")
                raise typer.Exit(1)
            found = comparison.outlets
        else:
            comparison = None
            found = profiles_module.profiles(store, main_actors=actors)
    if format is LinkFormat.json and comparison is not None:
        sys.stdout.write(json.dumps(asdict(comparison), ensure_ascii=False, indent=2) + "\n")
        return
    if format in (LinkFormat.json, LinkFormat.jsonl):
        _emit([asdict(p) for p in found], format, [])
        return
    if format is LinkFormat.csv:
        _emit([profiles_module.as_row(p) for p in found], format,
              ["outlet", "articles", "words", "tone", "genres", "techniques_per_1000_words",
               "techniques", "voices", "stance"])
        return
    if comparison is not None:
        out.print(f"[bold]{comparison.story}[/bold] {comparison.type or ''} "
                  f"{comparison.date or ''} {comparison.place or ''}".strip())
        if comparison.title:
            out.print(" ".join(comparison.title.split()))
    if not found:
        out.print("no articles in the store")
        return
    _print_outlets(found, profiles_module)


def _print_outlets(found, profiles_module) -> None:
    table = Table(title=f"{len(found)} outlets", show_lines=True)
    for col in ("outlet", "articles", "genres", "tone", "techniques /1k words",
                "voices (quotes + claims)", "stance toward"):
        table.add_column(col, overflow="fold")
    for p in found:
        genres = ", ".join(f"{g} {n}" for g, n in sorted(p.genres.items(), key=lambda x: -x[1]))
        top = sorted(p.techniques.items(), key=lambda x: -x[1])[:3]
        techniques = f"{p.techniques_per_1000_words:.1f}" + (
            "\n" + ", ".join(f"{t} {n}" for t, n in top) if top else "")
        voices = "\n".join(f"{v.party} {v.share:.0%}" for v in profiles_module.top_voices(p))
        stance = "\n".join(f"{s.name or s.actor}: {s.stance} ({s.score:+.2f}, {s.articles})"
                           for s in p.stance)
        table.add_row(p.outlet, str(p.articles), genres,
                      "" if p.tone is None else f"{p.tone:+.1f}", techniques, voices, stance)
    out.print(table)


# ----------------------------------------------------------------------------- stats, export


@app.command()
def stats(db: DbOption = Path(settings.DEFAULT_DB)) -> None:
    """Articles per outlet, duplicates found, skipped inputs, failed analyses and layer
    counts."""
    with _store(db, read_only=True) as store:
        _print_summary(store)
        outlets = Table(title="Articles per outlet")
        outlets.add_column("outlet")
        outlets.add_column("articles", justify="right")
        outlets.add_column("of which copies", justify="right")
        for outlet, n, dups in store.outlet_counts():
            outlets.add_row(outlet, str(n), str(dups))
        out.print(outlets)
        dups = store.duplicates()
        if dups:
            table = Table(title="Duplicates (never counted as independent sources)")
            for col in ("article", "copy of", "outlet", "original outlet", "kind", "similarity"):
                table.add_column(col)
            for art, orig, o1, o2, sim in dups:
                kind = "exact" if sim is None or sim >= 1.0 else "near"
                table.add_row(art, orig, o1 or "", o2 or "", kind,
                              f"{sim:.2f}" if sim is not None else "")
            out.print(table)
        failures = store.failures()
        if failures:
            out.print(_failure_table(failures, f"Analyses that failed: {len(failures)} "
                                     "(`triangulate retry` runs them again)", 200))
        skipped = store.skipped()
        if skipped:
            from collections import Counter

            by_reason = Counter(reason for _, reason, _ in skipped)
            summary = ", ".join(f"{n} {reason}" for reason, n in by_reason.most_common())
            out.print(_skipped_table(skipped, f"Skipped inputs: {summary}", 200,
                                     "`triangulate export skipped`"))


@app.command()
def export(
    what: Annotated[str, typer.Argument(
        metavar="FORMAT|TABLE",
        help="An analyst format: acled (ACLED-style CSV), ucdp (UCDP GED-style CSV), plover "
        "(PLOVER JSON Lines), geojson (a FeatureCollection) or claimreview (schema.org "
        "ClaimReview JSON-LD); or one of our tables, written as it is: articles, skipped, "
        "analyses, actors, places, mentions, times, figures, claims, quotes, events, "
        "techniques, actor_stance, positions, stories, story_events, contradictions, "
        "failed_analyses.",
        show_default=False)],
    output: Annotated[Path, typer.Argument(help="File to write; '-' writes to standard "
                                           "output (analyst formats only).")],
    stories_unit: Annotated[bool, typer.Option(
        "--stories", help="One record per story (the default of every analyst format).")] = False,
    events_unit: Annotated[bool, typer.Option(
        "--events", help="One record per event mention (acled, plover, geojson): mentions "
        "that are neither denied nor hypothetical, copies left out.")] = False,
    actor: Annotated[str | None, typer.Option(help="Only stories (mentions) this actor, or "
                                              "anything that rolls up to it, takes part in.")] = None,
    place: Annotated[str | None, typer.Option(help="Only stories (mentions) at this place "
                                              "(name or id).")] = None,
    start: Annotated[str | None, typer.Option("--from", help="From this date (YYYY-MM-DD): "
                                              "the story's or mention's own date.")] = None,
    end: Annotated[str | None, typer.Option("--to", help="Up to this date (YYYY-MM-DD).")] = None,
    outlet: Annotated[str | None, typer.Option(help="Only stories an article of this outlet "
                                               "reports (mentions in its articles).")] = None,
    base_url: Annotated[str | None, typer.Option(
        "--base-url", help="claimreview: where the reviews are published; each review's url "
        "is BASE/stories/ID#anchor (default: the local web app).", show_default=False)] = None,
    author: Annotated[str | None, typer.Option(
        help="claimreview: the organisation named as the reviews' author.",
        show_default=False)] = None,
    format: Annotated[ExportFormat | None, typer.Option(
        "--format", "-f", help="Tables only: the file format (default parquet).",
        show_default=False)] = None,
    db: DbOption = Path(settings.DEFAULT_DB),
) -> None:
    """Write stories or event mentions in an analyst's format, or one table of the store.

    The first argument chooses the kind: an analyst format name (acled, ucdp, plover,
    geojson, claimreview) writes the stories (or, with --events, the event mentions) that
    the filters select; a table name writes that table whole as Parquet, CSV or JSONL
    (--format). What each format holds and cannot hold: docs/exports.md.
    """
    from triangulate import export as exports

    analyst = what in exports.FORMATS
    filters = {"--actor": actor, "--place": place, "--from": start, "--to": end,
               "--outlet": outlet, "--base-url": base_url, "--author": author}
    given = [name for name, value in filters.items() if value] + [
        name for name, flag in (("--stories", stories_unit), ("--events", events_unit)) if flag]
    if analyst and format is not None:
        _usage(f"--format is for tables; {what} has its own format")
    if not analyst:
        if given:
            _usage(f"{', '.join(given)} apply only to the formats {', '.join(exports.FORMATS)}; "
                   f"a table ({what}) is written whole")
        with _store(db, read_only=True) as store:
            try:
                n = store.export(what, output, (format or ExportFormat.parquet).value)
            except ValueError as exc:
                _usage(f"{exc} (or a format: {', '.join(exports.FORMATS)})")
        out.print(f"{n} rows written to {output}")
        return
    if stories_unit and events_unit:
        _usage("give --stories or --events, not both")
    for name, value in (("--from", start), ("--to", end)):
        if value and not _is_date(value):
            _usage(f"{name} {value!r} is not a date (YYYY-MM-DD)")
    if (base_url or author) and what != "claimreview":
        _usage("--base-url and --author are claimreview options")
    options = {k: v for k, v in (("base_url", base_url), ("author", author)) if v}
    with _store(db, read_only=True) as store:
        try:
            result = exports.build(
                store, what, "events" if events_unit else "stories",
                exports.Selection(actor=actor, place=place, start=start, end=end,
                                  outlet=outlet), **options)
        except ValueError as exc:
            _usage(str(exc))
    result.write(output)
    for reason, n in result.skipped.most_common():
        err.print(f"[yellow]{n} left out: {reason}[/yellow]")
    if str(output) != "-":
        out.print(f"{result.count} {result.unit if result.format != 'claimreview' else 'reviews'}"
                  f" written to {output} ({what})")


def _usage(message: str) -> None:
    err.print(f"[red]{message}[/red]")
    raise typer.Exit(2)


def _is_date(value: str) -> bool:
    import datetime as dt

    try:
        dt.date.fromisoformat(value)
    except ValueError:
        return False
    return True


# ----------------------------------------------------------------------------- serve


@app.command()
def serve(
    db: DbOption = Path(settings.DEFAULT_DB),
    host: Annotated[str, typer.Option(help="Address to listen on. The default serves this "
                                      "machine only; 0.0.0.0 opens it to the network.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(min=1, max=65535, help="Port to listen on.")] = 8000,
) -> None:
    """Start the web app and the JSON API (one server) over the store.

    Pages: overview, stories, contradictions, timeline, map, actors, outlets, the article
    reader, search and a form to add articles. API under /api, schema at /openapi.json,
    docs at /docs. Works offline: nothing is loaded from other hosts.
    """
    import uvicorn

    from triangulate.app import create_app

    loopback = host in ("127.0.0.1", "localhost", "::1")
    try:
        # On loopback only requests naming this machine are answered (DNS rebinding).
        application = create_app(db, trusted_hosts=["127.0.0.1", "localhost", "::1"]
                                 if loopback else None, warm=True)
    except Exception as exc:  # a store locked by another process, a file that is no store
        err.print(f"[red]cannot open {db}[/red]: {exc}")
        raise typer.Exit(2) from exc
    if not loopback:
        err.print(f"[yellow]listening on {host}: anyone who can reach this machine can read "
                  "the store and add articles[/yellow]")
    shown = f"[{host}]" if ":" in host else host  # an IPv6 literal in a URL is bracketed
    out.print(f"Triangulate on http://{shown}:{port}/ (API docs: /docs) over {db}")
    # The app's own lines (each batch of adds and its timings, errors) beside uvicorn's.
    app_log = logging.getLogger("triangulate")
    app_log.setLevel(logging.INFO)
    handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter("%(levelname)s:     %(message)s"))
    app_log.addHandler(handler)
    uvicorn.run(application, host=host, port=port, log_level="info")


# ----------------------------------------------------------------------------- watch


@app.command()
def watch(
    sources: Annotated[Path, typer.Argument(
        help="A file listing what to follow, one source a line: 'feed URL' (RSS/Atom), "
        "'urls FILE' (a list of URLs), 'folder DIR' (new files); a bare URL is a feed, a bare "
        "path a folder or a URL list; '#' starts a comment. See docs/watch.md.",
        show_default=False)],
    db: DbOption = Path(settings.DEFAULT_DB),
    every: Annotated[str, typer.Option(
        "--every", help="Time from the start of one round to the next: 90s, 15m, 1h "
        "(at least 1m).")] = "15m",
    once: Annotated[bool, typer.Option("--once", help="Run one round and exit (for cron).")] = False,
    allow_private: AllowPrivateOption = False,
    fetch_links: FetchLinksOption = False,
    alerts_jsonl: Annotated[Path | None, typer.Option(
        "--alerts-jsonl", help="Append each new alert to this JSON Lines file (an alert is "
        "never written twice).", show_default=False)] = None,
    webhook: Annotated[str | None, typer.Option(
        "--webhook", help="POST new alerts as JSON to this URL; retried with backoff, kept "
        "for the next round while it fails. Private and loopback addresses need "
        "--allow-private.", show_default=False)] = None,
    workers: Annotated[int, typer.Option(
        "--workers", "-w", min=1, help="Worker processes for analysis.")] = 1,
    quiet: QuietOption = False,
) -> None:
    """Follow feeds, URL lists and folders: each round ingests what is new, analyses and
    links it, and prints what changed, with alerts (new stories told by 2+ independent
    outlets, changed tolls, new contested figures and contradictions, parties whose
    negotiation stance changed).

    Fetching is polite (conditional GET, a pause between requests to one host, backoff for
    failing sources) and the state lives in the store, so a stopped or killed watch resumes
    without losing or repeating anything. Ctrl-C stops at the next safe point.
    """
    import signal
    import threading

    import duckdb

    from triangulate.watch import digest
    from triangulate.watch.polite import Clock, parse_duration
    from triangulate.watch.rounds import WatchOptions
    from triangulate.watch.rounds import watch as run_watch
    from triangulate.watch.sources import read_sources

    try:
        interval = parse_duration(every)
    except ValueError as exc:
        err.print(f"[red]--every: {exc}[/red]")
        raise typer.Exit(2) from exc
    if interval < settings.WATCH_MIN_EVERY_SECONDS and not once:
        err.print(f"[red]--every {every} is too often[/red]: at least "
                  f"{settings.WATCH_MIN_EVERY_SECONDS:g} s (settings.WATCH_MIN_EVERY_SECONDS)")
        raise typer.Exit(2)
    if webhook and not webhook.lower().startswith(("http://", "https://")):
        err.print(f"[red]--webhook {webhook}[/red]: an http(s) URL is needed")
        raise typer.Exit(2)
    found, problems = read_sources(sources)
    for p in problems:
        err.print(f"[yellow]{p.source}: {p.detail}[/yellow]")
    if not found:
        err.print(f"[red]no sources to follow in {sources}[/red]")
        raise typer.Exit(2)
    stop = threading.Event()

    def on_signal(signum, _frame) -> None:
        if stop.is_set() and signum == signal.SIGINT:
            raise KeyboardInterrupt
        stop.set()
        err.print("stopping at the next safe point (Ctrl-C again to stop at once)")

    previous = {sig: signal.signal(sig, on_signal) for sig in (signal.SIGINT, signal.SIGTERM)}
    options = WatchOptions(allow_private=allow_private, fetch_links=fetch_links,
                           workers=workers, alerts_jsonl=alerts_jsonl, webhook=webhook)
    last: list = []

    def progress(what: str, data) -> None:
        if quiet:
            return
        if what == "polled":
            out.print(digest.poll_line(data))
        elif what in ("analysing", "linking"):
            out.print(f"  {what}")

    def finished(report) -> None:
        last[:] = [report]
        lines = digest.round_lines(report)
        for line in lines[:3] if quiet else lines:
            out.print(line)

    if not quiet:
        out.print(f"Watching {len(found)} sources into {db}" + ("" if once else f", every {every}"))
    try:
        run_watch(lambda: _store(db), found, options, Clock(stop), interval, once=once,
                  on_round=finished, on_progress=progress,
                  on_error=lambda exc: err.print(f"[red]round failed[/red]: {exc}"))
    except (duckdb.Error, OSError) as exc:  # --once: the store is locked or unreadable
        err.print(f"[red]cannot run a round on {db}[/red]: {exc}")
        raise typer.Exit(2) from exc
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    if once and last and last[0].polls and all(p.status == "failed" for p in last[0].polls):
        raise typer.Exit(1)


@app.command()
def alerts(
    db: DbOption = Path(settings.DEFAULT_DB),
    since: Annotated[str | None, typer.Option(
        "--since", help="Only alerts raised since: a date (2024-06-01), a UTC time "
        "(2024-06-01T12:00) or a span back from now (2h, 3d).", show_default=False)] = None,
    kind: Annotated[str | None, typer.Option(
        "--kind", help="Only this kind: new_story, toll_changed, contested_figure, "
        "contradiction, position_changed.", show_default=False)] = None,
    format: LinkFormatOption = LinkFormat.table,
) -> None:
    """The alerts `watch` raised, newest first, each with its story and evidence."""
    import time

    from triangulate.model import ALERT_KINDS, to_dict
    from triangulate.watch import digest
    from triangulate.watch.polite import since_time

    if kind and kind not in ALERT_KINDS:
        err.print(f"[red]unknown kind {kind!r}[/red]: use {', '.join(ALERT_KINDS)}")
        raise typer.Exit(2)
    try:
        start = since_time(since, time.time()) if since else None
    except ValueError as exc:
        err.print(f"[red]--since: {exc}[/red]")
        raise typer.Exit(2) from exc
    with _store(db, read_only=True) as store:
        _, found = store.alert_records(since=start, kind=kind)
    if format is LinkFormat.table:
        scope = f" since {start.replace('T', ' ')} UTC" if start else ""
        out.print(digest.alerts_table(found, f"{len(found)} alerts{scope}"))
        return
    rows = [digest.alert_row(a) for a in found] if format is LinkFormat.csv else [
        to_dict(a) for a in found]
    _emit(rows, format, digest.ALERT_COLUMNS)


# ----------------------------------------------------------------------------- evaluate


class EvalFormat(StrEnum):
    table = "table"
    json = "json"


@app.command("evaluate")
def evaluate_command(
    gold: Annotated[
        Path | None, typer.Option("--gold", help="Gold file (JSON Lines, the gold format of "
                                  "docs/evaluate.md).", show_default=False)
    ] = None,
    pred: Annotated[
        Path | None, typer.Option("--pred", help="Predictions: the output of `triangulate "
                                  "analyze` (JSON Lines, a JSON array or one object), joined "
                                  "to the gold on `id`.", show_default=False)
    ] = None,
    analyze_gold: Annotated[
        bool, typer.Option("--analyze", help="Analyse the gold file's own texts now and score "
                           "that (instead of --pred).")
    ] = False,
    save_pred: Annotated[
        Path | None, typer.Option("--save-pred", help="With --analyze: also write the "
                                  "predictions to this JSON Lines file.", show_default=False)
    ] = None,
    layers: Annotated[
        str | None, typer.Option("--layers", help="Comma-separated subset of: times, places, "
                                 "figures, quotes, attributions, events, positions, "
                                 "techniques, genre.",
                                 show_default=False)
    ] = None,
    stories_gold: Annotated[
        Path | None, typer.Option("--stories-gold", help="Story-level gold (JSON Lines: one "
                                  "real-world event per line).", show_default=False)
    ] = None,
    stories_pred: Annotated[
        Path | None, typer.Option("--stories-pred", help="Stories to score: the output of "
                                  "`triangulate stories --format jsonl`.", show_default=False)
    ] = None,
    format: Annotated[
        EvalFormat, typer.Option("--format", "-f", help="table: readable tables; json: every "
                                 "number, raw counts included.")
    ] = EvalFormat.table,
) -> None:
    """Score analyses (or story clusters) against your own gold annotations.

    Exit status 0 whenever scoring ran, 2 on a usage error or an unreadable file.
    """
    from triangulate import evaluate as ev

    wanted = {name.strip() for name in layers.split(",") if name.strip()} if layers else None
    problem = _evaluate_usage(gold, pred, analyze_gold, stories_gold, stories_pred, wanted)
    if problem:
        err.print(f"[red]{problem}[/red]")
        raise typer.Exit(2)
    report: dict = {}
    if gold is not None:
        gold_records, bad_gold = _read_eval_file(ev, gold)
        if analyze_gold:
            predictions = _with_progress("Analysing", format is EvalFormat.json, lambda tick: list(
                ev.analyze_gold(gold_records, on_done=tick)))
            bad_pred = 0
            if save_pred is not None:
                with save_pred.open("w", encoding="utf-8") as fh:
                    fh.writelines(json.dumps(p, ensure_ascii=False) + "\n" for p in predictions)
        else:
            assert pred is not None
            predictions, bad_pred = _read_eval_file(ev, pred)
        report = ev.evaluate(gold_records, predictions, wanted)
        report["documents"]["gold_unreadable_lines"] = bad_gold
        report["documents"]["pred_unreadable_lines"] = bad_pred
    if stories_gold is not None and stories_pred is not None:
        clusters, _ = _read_eval_file(ev, stories_gold)
        stories_found, bad_stories = _read_eval_file(ev, stories_pred)
        report["stories"] = ev.evaluate_stories(clusters, stories_found)
        report["stories"]["unreadable_lines"] = bad_stories
    if format is EvalFormat.json:
        sys.stdout.write(json.dumps(report, indent=2) + "\n")
    else:
        _print_evaluation(ev, report)


def _evaluate_usage(gold, pred, analyze_gold, stories_gold, stories_pred, wanted) -> str | None:
    from triangulate.evaluate import LAYERS

    if gold is None and stories_gold is None:
        return "give --gold (with --pred or --analyze) and/or --stories-gold with --stories-pred"
    if gold is not None and (pred is None) == (not analyze_gold):
        return "with --gold, give exactly one of --pred FILE or --analyze"
    if gold is None and (pred is not None or analyze_gold):
        return "--pred and --analyze need --gold"
    if (stories_gold is None) != (stories_pred is None):
        return "--stories-gold and --stories-pred go together"
    unknown = sorted((wanted or set()) - set(LAYERS))
    if unknown:
        return f"unknown layers: {', '.join(unknown)} (known: {', '.join(LAYERS)})"
    return None


def _read_eval_file(ev, path: Path) -> tuple[list, int]:
    try:
        return ev.read_records(path)
    except (OSError, UnicodeDecodeError) as exc:
        err.print(f"[red]cannot read {path}[/red]: {exc}")
        raise typer.Exit(2) from exc


def _print_evaluation(ev, report: dict) -> None:
    docs = report.get("documents")
    if docs:
        out.print(
            f"{docs['gold']} gold documents, {docs['predictions']} predictions "
            f"({docs['without_prediction']} gold documents without one, scored as all missed)")
        notes = {
            "malformed_records": "prediction records without an id",
            "pred_unreadable_lines": "unreadable prediction lines",
            "gold_unreadable_lines": "unreadable gold lines",
            "gold_malformed": "gold records without an id",
            "duplicate_ids": "duplicate prediction ids (the first was scored)",
            "not_in_gold": "predictions for ids not in the gold (ignored)",
            "text_differs": "predictions whose text differs from the gold text (offsets may not hold)",
        }
        for key, label in notes.items():
            if docs.get(key):
                err.print(f"[yellow]{docs[key]} {label}[/yellow]")
    for layer, result in report.get("layers", {}).items():
        table = Table(title=f"{layer} ({result['docs']} documents)", title_justify="left")
        for column in ("metric", "precision", "recall", "F1 / value"):
            table.add_column(column, justify="left" if column == "metric" else "right")
        for metric, value in ev.metric_rows(result):
            if isinstance(value, dict):
                table.add_row(metric, _score(value["precision"]), _score(value["recall"]),
                              _score(value["f1"]))
            else:
                table.add_row(metric, "", "", _score(value))
        out.print(table)
        if result.get("per_type"):
            _print_per_type(result["per_type"])
        malformed = result["counts"].get("malformed_items")
        if malformed:
            err.print(f"[yellow]{layer}: {malformed} malformed predicted items[/yellow]")
    stories = report.get("stories")
    if stories:
        table = Table(title=f"stories ({stories['clusters']} gold clusters, "
                      f"{stories['stories']} predicted stories)", title_justify="left")
        for column in ("metric", "precision", "recall", "F1 / value"):
            table.add_column(column, justify="left" if column == "metric" else "right")
        pairwise = stories["pairwise"]
        table.add_row("pairwise", _score(pairwise["precision"]), _score(pairwise["recall"]),
                      _score(pairwise["f1"]))
        for metric in ("contested_figure_recall", "contested_figure_precision"):
            table.add_row(metric, "", "", _score(stories[metric]))
        out.print(table)


def _print_per_type(per_type: dict) -> None:
    table = Table(title="events by type (gold = required)", title_justify="left")
    for column in ("type", "gold", "found", "predicted", "correct"):
        table.add_column(column, justify="left" if column == "type" else "right")
    for kind, row in per_type.items():
        table.add_row(kind, str(row["gold"]), str(row["found"]), str(row["pred"]),
                      str(row["correct"]))
    out.print(table)


def _score(value) -> str:
    return "–" if value is None else f"{value:.3f}"


def main() -> None:
    app()


if __name__ == "__main__":
    main()
