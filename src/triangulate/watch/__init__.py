"""Follow feeds, URL lists and folders; ingest, analyse and link what is new; alert on what
changed (docs/watch.md).

  sources.py  the sources file            poll.py     polling one source politely
  polite.py   clock, rate limits, backoff rounds.py   one round, and the loop of rounds
  alerts.py   snapshots and their diff    deliver.py  JSONL file and webhook
  digest.py   what a round prints
"""
