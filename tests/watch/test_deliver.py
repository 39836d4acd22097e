"""Delivering alerts from the store's outbox: a JSONL file, and a webhook on 127.0.0.1."""

from __future__ import annotations

import json

import pytest

from triangulate import settings
from triangulate.model import Alert, AlertEvidence
from triangulate.store import Store
from triangulate.watch.deliver import (
    PAYLOAD_TYPE,
    deliver_jsonl,
    deliver_webhook,
    jsonl_channel,
    webhook_channel,
)


def alert(n: int) -> Alert:
    return Alert(id=f"al-{n:04d}", kind="toll_changed", story="s-1", subject="killed people",
                 old=30, new=30 + n, summary=f"killed people 30 → {30 + n}",
                 evidence=[AlertEvidence("a1", "Meridian Wire", 15, 24, "50 killed", 50)],
                 created=f"2024-06-10T06:{n % 60:02d}:00Z", round=1)


@pytest.fixture
def store(tmp_path):
    with Store(tmp_path / "w.duckdb") as s:
        yield s


def raise_alerts(store: Store, alerts: list[Alert], channels: list[str]) -> None:
    number, _ = store.start_watch_round()
    store.finish_watch_round(number, [], alerts, channels, {})


def test_alerts_go_to_the_jsonl_file_once_even_when_raised_again(store, tmp_path):
    out = tmp_path / "alerts.jsonl"
    raise_alerts(store, [alert(1), alert(2)], [jsonl_channel(out)])
    assert deliver_jsonl(store, out).delivered == 2
    raise_alerts(store, [alert(2), alert(3)], [jsonl_channel(out)])  # 2 is known: not again
    assert deliver_jsonl(store, out).delivered == 1
    assert deliver_jsonl(store, out).delivered == 0
    ids = [json.loads(line)["id"] for line in out.read_text().splitlines()]
    assert ids == ["al-0001", "al-0002", "al-0003"]


def test_a_line_cut_short_by_a_kill_is_left_and_the_next_alert_starts_a_line_of_its_own(store, tmp_path):
    out = tmp_path / "alerts.jsonl"
    out.write_text(json.dumps({"id": "al-0001"}) + "\n" + '{"id": "al-00')
    raise_alerts(store, [alert(1), alert(2)], [jsonl_channel(out)])
    assert deliver_jsonl(store, out).delivered == 1  # al-0001 is in the file already
    lines = out.read_text().splitlines()
    assert lines[-2] == '{"id": "al-00' and json.loads(lines[-1])["id"] == "al-0002"


def test_a_jsonl_file_that_cannot_be_written_keeps_the_alerts_pending(store, tmp_path):
    out = tmp_path / "missing-dir-is-a-file"
    out.write_text("x")
    target = out / "alerts.jsonl"
    raise_alerts(store, [alert(1)], [jsonl_channel(target)])
    result = deliver_jsonl(store, target)
    assert result.error and result.pending == 1
    assert [a.id for a in store.pending_alerts(jsonl_channel(target))] == ["al-0001"]


def test_the_webhook_receives_the_alerts_as_one_json_post(store, server, clock):
    url = f"{server.base}/hook"
    raise_alerts(store, [alert(1), alert(2)], [webhook_channel(url)])
    result = deliver_webhook(store, url, clock, allow_private=True)
    assert (result.delivered, result.error) == (2, None)
    (body,) = server.received
    payload = json.loads(body)
    assert payload["type"] == PAYLOAD_TYPE and payload["count"] == 2
    assert [a["id"] for a in payload["alerts"]] == ["al-0001", "al-0002"]
    assert payload["alerts"][0]["evidence"][0] == {
        "article": "a1", "outlet": "Meridian Wire", "start": 15, "end": 24, "text": "50 killed",
        "value": 50, "speaker": None}
    _, _, headers, _ = server.requests[-1]
    assert headers["Content-Type"].startswith("application/json")
    assert store.pending_alerts(webhook_channel(url)) == []


def test_a_failing_receiver_is_retried_with_doubling_waits_then_kept_for_the_next_round(store, server, clock):
    url = f"{server.base}/hook"
    raise_alerts(store, [alert(1)], [webhook_channel(url)])
    server.post_status = [500] * settings.WEBHOOK_ATTEMPTS
    failed = deliver_webhook(store, url, clock, allow_private=True)
    assert failed.delivered == 0 and failed.pending == 1 and "HTTP 500" in failed.error
    base = settings.WEBHOOK_RETRY_SECONDS
    assert clock.waits == [base * 2**k for k in range(settings.WEBHOOK_ATTEMPTS - 1)]
    assert server.received == []
    # The receiver is back on the next round: the kept alert arrives, once.
    later = deliver_webhook(store, url, clock, allow_private=True)
    assert later.delivered == 1 and len(server.received) == 1


def test_a_receiver_that_recovers_within_the_retries_gets_the_alerts(store, server, clock):
    url = f"{server.base}/hook"
    raise_alerts(store, [alert(1)], [webhook_channel(url)])
    server.post_status = [503]
    assert deliver_webhook(store, url, clock, allow_private=True).delivered == 1
    assert len(clock.waits) == 1


def test_a_receiver_that_rejects_the_request_is_not_asked_again_in_the_same_round(store, server, clock):
    url = f"{server.base}/hook"
    raise_alerts(store, [alert(1)], [webhook_channel(url)])
    server.post_status = [404]
    result = deliver_webhook(store, url, clock, allow_private=True)
    assert "HTTP 404" in result.error and clock.waits == [] and result.pending == 1


def test_the_address_guard_applies_to_the_webhook(store, server, clock):
    url = f"{server.base}/hook"
    raise_alerts(store, [alert(1)], [webhook_channel(url)])
    result = deliver_webhook(store, url, clock)
    assert result.error.startswith("refused") and "--allow-private" in result.error
    assert not server.requests and result.pending == 1


def test_a_dead_receiver_is_reported_not_raised(store, clock):
    from tests.watch.feeds import closed_port

    url = f"http://127.0.0.1:{closed_port()}/hook"
    raise_alerts(store, [alert(1)], [webhook_channel(url)])
    result = deliver_webhook(store, url, clock, allow_private=True)
    assert result.pending == 1 and "refused" in result.error.lower()
