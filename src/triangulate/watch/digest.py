"""What a watch round prints: a line per source as it is polled, then a short digest."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from rich.markup import escape
from rich.table import Table

from triangulate.model import Alert, to_dict
from triangulate.watch.poll import Poll
from triangulate.watch.rounds import RoundReport

KIND_LABELS = {
    "new_story": "NEW STORY", "toll_changed": "TOLL", "contested_figure": "CONTESTED",
    "contradiction": "CONTRADICTION", "position_changed": "POSITION",
}
ALERT_COLUMNS = ["id", "created", "kind", "story", "subject", "old", "new", "summary",
                 "story_title", "evidence"]


def poll_line(p: Poll) -> str:
    """One source's outcome, as soon as it is polled and ingested."""
    name = escape(p.source.key)
    if p.status == "waiting":
        return f"  {name}: waiting, {escape(p.detail)}; next poll after {_clock(p.state.retry_at)}"
    if p.status == "failed":
        nth = _ordinal(p.state.failures)
        return (f"  {name}: [red]failed[/red] ({escape(p.detail)}); {nth} failure in a row, "
                f"next poll after {_clock(p.state.retry_at)}")
    if p.status == "not-modified":
        return f"  {name}: not modified"
    extra = f" ({escape(p.detail)})" if p.detail else ""
    return f"  {name}: {p.new_items} new item{'s' if p.new_items != 1 else ''}{extra}"


def round_lines(r: RoundReport) -> list[str]:
    """The digest after a round: what arrived, what linking made of it, the alerts."""
    head = f"Round {r.number} at {_clock(r.started)}"
    if r.resumed:
        head += " (finishing the interrupted round before it)"
    lines = [f"[bold]{head}[/bold]"]
    i = r.ingest
    arrived = f"{i.ingested} new article{'s' if i.ingested != 1 else ''}"
    if i.duplicates:
        arrived += f" ({i.duplicates} {'copy' if i.duplicates == 1 else 'copies'} of earlier ones)"
    if i.skipped:
        reasons: dict[str, int] = {}
        for s in i.skipped:
            reasons[s.reason] = reasons.get(s.reason, 0) + 1
        arrived += ", skipped " + ", ".join(f"{n} {k}" for k, n in reasons.items())
    lines.append(f"{arrived}; {r.analysed} analysed")
    if r.linked:
        lines.append(f"stories: {r.stories} in all, {r.new_stories} new, "
                     f"{r.changed_stories} changed; {len(r.alerts)} "
                     f"alert{'s' if len(r.alerts) != 1 else ''}")
    for a in r.alerts:
        lines.append(f"  [bold]{KIND_LABELS.get(a.kind, a.kind)}[/bold] {escape(a.summary)} "
                     f"[dim]{a.story or ''}[/dim]")
    for d in r.deliveries:
        if d.error:
            lines.append(f"  [yellow]{escape(d.channel)}: {escape(d.error)}; {d.pending} "
                         "alerts kept for the next round[/yellow]")
        elif d.delivered:
            lines.append(f"  {escape(d.channel)}: {d.delivered} delivered")
    if r.stopped:
        lines.append("[yellow]stopped; the rest is done on the next round[/yellow]")
    return lines


def alert_row(a: Alert) -> dict[str, Any]:
    """An alert flattened for CSV: evidence as "article start-end" items."""
    row = to_dict(a)
    row["evidence"] = [f"{e.article} {e.start}-{e.end}" for e in a.evidence]
    return row


def alerts_table(alerts: Sequence[Alert], title: str) -> Table:
    table = Table(title=title)
    for col in ("when (UTC)", "kind", "what changed", "story", "evidence"):
        table.add_column(col, overflow="fold")
    for a in alerts:
        evidence = "\n".join(f"{e.outlet or e.article}: {' '.join(e.text.split())[:160]}"
                             for e in a.evidence[:3])
        table.add_row((a.created or "").replace("T", " ").rstrip("Z"),
                      KIND_LABELS.get(a.kind, a.kind), a.summary, a.story or "", evidence)
    return table


def _clock(seconds: float | None) -> str:
    if seconds is None:
        return "now"
    return dt.datetime.fromtimestamp(seconds, dt.UTC).strftime("%Y-%m-%d %H:%M:%S UTC")


def _ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"
