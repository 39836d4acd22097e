"""What flows through ingest besides the model's records: extra facts a reader knows."""

from __future__ import annotations

from dataclasses import dataclass

from triangulate.model import RawDocument, Skipped


@dataclass
class Input(RawDocument):
    """A RawDocument with what some readers know beyond the model's fields."""

    # A date known to be no earlier than publication (a crawl's WARC-Date): used only when
    # the page itself gives no date.
    fallback_published: str | None = None
    # Already in the store under this id (a URL fetched before): not read again.
    stored: bool = False
    # The id was made from the file's path relative to the folder given, not given by the
    # input: when a file elsewhere already holds it, the runner makes it unique.
    path_id: bool = False


@dataclass
class NotEnglish(Skipped):
    """A skipped non-English article, with the language found (the store keeps it)."""

    language: str | None = None
