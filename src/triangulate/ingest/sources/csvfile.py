"""CSV and TSV files with a text or html column, read strictly row by row."""

from __future__ import annotations

import csv
from collections import deque
from collections.abc import Iterator
from typing import BinaryIO

from triangulate import settings
from triangulate.ingest import decode as dec
from triangulate.ingest.sources.lines import buffered_reader, decoded_lines
from triangulate.ingest.sources.records import Item, record_document
from triangulate.model import Skipped


def read_csv(fh: BinaryIO, source: str, delimiter: str | None = None) -> Iterator[Item]:
    """CSV (or TSV) with a header row holding a ``text`` or ``html`` column.

    Rows are read strictly: a row the CSV rules reject (a quote left open, text after a
    closing quote) is reported with its line and reading starts again on the line after
    its first, so an open quote cannot swallow the rows after it into one field."""
    csv.field_size_limit(max(settings.MAX_RECORD_BYTES, 1 << 17))
    buffered = buffered_reader(fh)
    head = buffered.peek(dec.SNIFF_BYTES)[: dec.SNIFF_BYTES]
    lines = _CsvLines(decoded_lines(buffered, dec.bom_encoding(head) or dec.utf16_without_bom(head)))
    first = next(lines.source, None)
    while first is not None and isinstance(first[1], dec.Failure):
        yield Skipped(f"{source}:{first[0]}", first[1].reason, first[1].detail)
        first = next(lines.source, None)
    if first is None:
        yield Skipped(source, "empty", "no header row")
        return
    delimiter = delimiter or max(",;\t|", key=first[1].count)
    lines.pending.append(first)
    reader = csv.reader(lines, delimiter=delimiter, strict=True)
    try:
        header = [h.strip().lower() for h in next(reader)]
    except csv.Error as exc:
        yield Skipped(f"{source}:{first[0]}", "malformed-csv", f"the header row: {exc}")
        return
    if "text" not in header and "html" not in header:
        yield Skipped(source, "no-text-column", f"columns {', '.join(header) or '(none)'}; "
                      "a 'text' or 'html' column is needed")
        return
    lines.row_done()
    while True:
        try:
            row: list[str] | csv.Error | None = next(reader)
        except StopIteration:
            row = None
        except csv.Error as exc:
            row = exc
        start = lines.replay_after_first() if isinstance(row, csv.Error) else lines.row_done()
        for n, failure in lines.take_failures():
            yield Skipped(f"{source}:{n}", failure.reason, f"{failure.detail}; the other "
                          "lines are read")
        if row is None:
            return
        if isinstance(row, csv.Error):
            yield Skipped(f"{source}:{start}", "malformed-csv", f"{row}; reading goes on at "
                          "the next line")
        elif any(cell.strip() for cell in row):
            record = {h: v for h, v in zip(header, row, strict=False) if h}
            yield record_document(record, f"{source}:{start}")


class _CsvLines:
    """The lines fed to csv.reader, keeping those of the row being read, so a row found
    malformed can be read again from its second line. A line that cannot be read (NUL
    bytes, no encoding) reaches the reader as an empty line and is reported."""

    def __init__(self, lines: Iterator[tuple[int, str | dec.Failure]]):
        self.source = lines
        self.pending: deque[tuple[int, str | dec.Failure]] = deque()
        self.taken: list[tuple[int, str | dec.Failure]] = []
        self.failures: list[tuple[int, dec.Failure]] = []

    def __iter__(self) -> _CsvLines:
        return self

    def __next__(self) -> str:
        item = self.pending.popleft() if self.pending else next(self.source)
        self.taken.append(item)
        if isinstance(item[1], dec.Failure):
            self.failures.append((item[0], item[1]))
            return "\n"
        return item[1]

    def row_done(self) -> int:
        """The line the row just read started on; its lines are let go."""
        start = self.taken[0][0] if self.taken else 0
        self.taken = []
        return start

    def replay_after_first(self) -> int:
        """After a malformed row: its lines but the first are read again; returns the first
        line's number. Failures among the replayed lines are reported when read again."""
        if not self.taken:
            return 0
        start, rest = self.taken[0][0], self.taken[1:]
        self.failures = [(n, f) for n, f in self.failures if n <= start]
        self.pending.extendleft(reversed(rest))
        self.taken = []
        return start

    def take_failures(self) -> list[tuple[int, dec.Failure]]:
        found, self.failures = self.failures, []
        return found
