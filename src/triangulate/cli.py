"""The `triangulate` command: parses arguments, calls the library, prints."""

from __future__ import annotations

import json
import sys
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
        ".warc(.gz) or RSS/Atom feeds; '-' reads stdin.",
        show_default=False,
    ),
]


class Format(StrEnum):
    json = "json"
    jsonl = "jsonl"


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


@app.command()
def ingest(
    inputs: InputsArgument = None,
    db: DbOption = Path(settings.DEFAULT_DB),
    quiet: QuietOption = False,
) -> None:
    """Read articles into the store, recognising exact and near duplicates.

    Re-ingesting the same input changes nothing. Inputs that cannot be used are listed with
    the reason; the exit status is 1 only when nothing at all could be read.
    """
    from triangulate.ingest.runner import ingest as run_ingest

    with _store(db) as store:
        report = _with_progress("Ingesting", quiet, lambda tick: run_ingest(store, inputs or [], on_item=tick))
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


def _print_ingest(report, quiet: bool) -> None:
    if not quiet and report.skipped:
        table = Table(title="Skipped inputs", show_lines=False)
        table.add_column("reason")
        table.add_column("input")
        table.add_column("detail", overflow="fold")
        for s in report.skipped[:50]:
            table.add_row(s.reason, s.source, s.detail)
        if len(report.skipped) > 50:
            table.add_row("…", f"{len(report.skipped) - 50} more", "see `triangulate stats`")
        err.print(table)
    reasons = ", ".join(f"{n} {r}" for r, n in report.reasons().most_common())
    line = (
        f"{report.ingested} ingested ({report.duplicates} duplicates), "
        f"{report.already_stored} already stored, {len(report.skipped)} skipped"
    )
    out.print(line + (f" ({reasons})" if reasons else ""))


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
    from triangulate.model import Article, Skipped, to_dict

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

    results = analyze_articles(articles())
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
        err.print(f"nothing analysed ({len(skipped)} inputs skipped)")
        raise typer.Exit(1)


# ----------------------------------------------------------------------------- run


@app.command()
def run(
    inputs: InputsArgument = None,
    db: DbOption = Path(settings.DEFAULT_DB),
    workers: Annotated[
        int, typer.Option("--workers", "-w", min=1,
                          help="Worker processes for analysis; each loads the model once.")
    ] = 1,
    quiet: QuietOption = False,
) -> None:
    """Ingest, analyse and link in one go, then print a summary.

    With no inputs, runs on the bundled sample corpus. Articles already analysed are not
    analysed again, so an interrupted run resumes where it stopped.
    """
    from triangulate.ingest.runner import ingest as run_ingest
    from triangulate.jobs import analyse_pending

    inputs = inputs or [str(SAMPLE_DIR)]
    with _store(db) as store:
        report = _with_progress("Ingesting", quiet, lambda tick: run_ingest(store, inputs, on_item=tick))
        _print_ingest(report, quiet)
        analysed = _with_progress("Analysing", quiet, lambda tick: analyse_pending(store, workers=workers, on_done=tick))
        out.print(f"{analysed} articles analysed")
        _print_summary(store)
    if report.read == 0:
        raise typer.Exit(1)


def _print_summary(store) -> None:
    counts = store.counts()
    table = Table(title=f"Store {store.path}")
    table.add_column("what")
    table.add_column("count", justify="right")
    for key, value in counts.items():
        table.add_row(key, str(value))
    out.print(table)


# ----------------------------------------------------------------------------- stats, export


@app.command()
def stats(db: DbOption = Path(settings.DEFAULT_DB)) -> None:
    """Articles per outlet, duplicates found, skipped inputs and layer counts."""
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
            for col in ("article", "copy of", "outlet", "original outlet", "similarity"):
                table.add_column(col)
            for art, orig, o1, o2, sim in dups:
                table.add_row(art, orig, o1 or "", o2 or "", f"{sim:.2f}" if sim is not None else "")
            out.print(table)
        skipped = store.skipped()
        if skipped:
            table = Table(title="Skipped inputs")
            for col in ("reason", "input", "detail"):
                table.add_column(col, overflow="fold")
            for row in skipped:
                table.add_row(*row)
            out.print(table)


@app.command()
def export(
    table: Annotated[str, typer.Argument(help="Table to export: articles, skipped, analyses, "
                                         "actors, places, mentions, times, figures, claims, "
                                         "quotes, events, techniques, actor_stance, stories, "
                                         "story_events, contradictions.")],
    output: Annotated[Path, typer.Argument(help="File to write.")],
    format: Annotated[ExportFormat, typer.Option("--format", "-f", help="File format.")] = ExportFormat.parquet,
    db: DbOption = Path(settings.DEFAULT_DB),
) -> None:
    """Write one table of the store to Parquet, CSV or JSONL."""
    with _store(db, read_only=True) as store:
        try:
            n = store.export(table, output, format.value)
        except ValueError as exc:
            err.print(f"[red]{exc}[/red]")
            raise typer.Exit(2) from exc
    out.print(f"{n} rows written to {output}")


def main() -> None:
    app()


if __name__ == "__main__":
    main()
