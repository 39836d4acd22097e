"""Deliver stored alerts to a JSONL file and a webhook, from the store's outbox.

Every alert a round stores gets a pending delivery per channel in the same transaction
(store.finish_watch_round). Delivery then sends what is pending and marks it delivered, so
a channel that fails, or a process killed before it finished, gets the alerts on a later
round. A JSONL file never holds an alert twice (ids already in it are not written again); a
webhook receives each alert at least once and can tell repeats apart by their ``id``.
Failures are reported and never raised: a dead receiver does not stop the watch.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from triangulate import settings
from triangulate.ingest.fetch import FetchError, Policy, post_json
from triangulate.model import Alert, to_dict
from triangulate.store import Store
from triangulate.watch.polite import Clock, retry_after_seconds

PAYLOAD_TYPE = "triangulate.alerts"


@dataclass
class Delivery:
    channel: str
    delivered: int = 0
    pending: int = 0  # still to deliver after this attempt
    error: str | None = None


def jsonl_channel(path: Path) -> str:
    return f"jsonl:{path.resolve()}"


def webhook_channel(url: str) -> str:
    return f"webhook:{url}"


def deliver_jsonl(store: Store, path: Path) -> Delivery:
    channel = jsonl_channel(path)
    alerts = store.pending_alerts(channel)
    result = Delivery(channel)
    if not alerts:
        return result
    try:
        written = _append(path, alerts)
    except OSError as exc:
        store.mark_delivery(channel, [a.id for a in alerts], str(exc))
        result.pending, result.error = len(alerts), f"cannot write {path}: {exc}"
        return result
    store.mark_delivery(channel, [a.id for a in alerts])
    result.delivered = written
    return result


def _append(path: Path, alerts: Sequence[Alert]) -> int:
    """Append the alerts not already in the file; returns how many were written."""
    present: set[str] = set()
    ends_clean = True
    if path.exists():
        with path.open("rb") as fh:
            for line in fh:
                ends_clean = line.endswith(b"\n")
                try:
                    present.add(json.loads(line)["id"])
                except (ValueError, KeyError, TypeError):
                    continue  # a line cut short by a kill: left as it is, ignored
    fresh = [a for a in alerts if a.id not in present]
    if not fresh:
        return 0
    lines = "".join(json.dumps(to_dict(a), ensure_ascii=False) + "\n" for a in fresh)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a", encoding="utf-8") as fh:
        # A line cut short by a kill ends without a newline: start on a line of our own.
        fh.write(("" if ends_clean else "\n") + lines)
        fh.flush()
    return len(fresh)


def payload(alerts: Sequence[Alert]) -> bytes:
    """The webhook's JSON body (docs/watch.md, "Webhook payload")."""
    return json.dumps({"type": PAYLOAD_TYPE, "count": len(alerts),
                       "alerts": [to_dict(a) for a in alerts]}, ensure_ascii=False).encode()


def deliver_webhook(store: Store, url: str, clock: Clock, allow_private: bool = False) -> Delivery:
    """POST pending alerts to ``url`` in batches, each tried WEBHOOK_ATTEMPTS times with a
    doubling wait; stops at the first batch that still fails (kept for the next round)."""
    channel = webhook_channel(url)
    alerts = store.pending_alerts(channel)
    result = Delivery(channel)
    policy = Policy(allow_private=allow_private, timeout=settings.WEBHOOK_TIMEOUT_SECONDS,
                    total=settings.WEBHOOK_TIMEOUT_SECONDS * 2)
    for start in range(0, len(alerts), settings.WEBHOOK_BATCH):
        batch = alerts[start : start + settings.WEBHOOK_BATCH]
        error = _post(url, payload(batch), policy, clock)
        store.mark_delivery(channel, [a.id for a in batch], error)
        if error is not None:
            result.error = error
            result.pending = len(alerts) - start
            return result
        result.delivered += len(batch)
    return result


def _post(url: str, body: bytes, policy: Policy, clock: Clock) -> str | None:
    """None once the receiver took ``body``, else the last error."""
    wait = settings.WEBHOOK_RETRY_SECONDS
    error = "not sent"
    for attempt in range(1, settings.WEBHOOK_ATTEMPTS + 1):
        answer = post_json(url, body, policy)
        if not isinstance(answer, FetchError):
            return None
        error = f"{answer.reason}: {answer.detail} (attempt {attempt} of {settings.WEBHOOK_ATTEMPTS})"
        # A refused address or a 4xx other than 429 will not change by asking again.
        if answer.reason == "refused" or (answer.status and 400 <= answer.status < 500
                                          and answer.status != 429):
            return error
        if attempt < settings.WEBHOOK_ATTEMPTS:
            asked = retry_after_seconds(answer.retry_after, clock.now()) or 0.0
            clock.sleep(min(max(wait, asked), settings.WEBHOOK_TIMEOUT_SECONDS * 3))
            wait *= 2
            if clock.stop.is_set():
                break
    return error
