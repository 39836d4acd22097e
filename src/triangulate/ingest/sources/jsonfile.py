"""JSON Lines and JSON documents, streamed record by record."""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from typing import BinaryIO

from triangulate import settings
from triangulate.ingest import decode as dec
from triangulate.ingest.sources.lines import buffered_reader, decoded_lines
from triangulate.ingest.sources.records import Item, record_document
from triangulate.model import Skipped


def read_json(fh: BinaryIO, source: str) -> Iterator[Item]:
    """JSON Lines (one record a line, whatever the first line holds; a line may also hold an
    array of records), or one JSON document spread over lines (a pretty-printed array or
    object, concatenated objects), streamed. A record that cannot be read is reported with
    its line and the reading goes on."""
    buffered = buffered_reader(fh)
    head = buffered.peek(dec.SNIFF_BYTES)[: dec.SNIFF_BYTES]
    encoding = dec.bom_encoding(head) or dec.utf16_without_bom(head)
    start = head.decode(encoding or "utf-8", errors="ignore").lstrip("\ufeff \t\r\n")
    if _spread_over_lines(start):
        text = io.TextIOWrapper(buffered, encoding=encoding or "utf-8-sig", errors="replace")
        yield from _json_values(text, source)
        return
    yield from _jsonl(buffered, source, encoding)


def _spread_over_lines(start: str) -> bool:
    """Whether a JSON file is one document spread over lines rather than JSON Lines: its
    first line opens a value it does not finish ("[", "{", '[{"id": 1,'). Any other first
    line, "[]" included, is a line of JSON Lines, and so is each line after it."""
    line, newline, _ = start.partition("\n")
    line = line.rstrip()
    return bool(newline) and line[:1] in "[{" and line.endswith(("{", "[", ",", ":"))


def _jsonl(fh: BinaryIO, source: str, encoding: str | None) -> Iterator[Item]:
    for lineno, line in decoded_lines(fh, encoding):
        where = f"{source}:{lineno}"
        if isinstance(line, dec.Failure):
            yield Skipped(where, line.reason, f"{line.detail}; the other lines are read")
            continue
        if not line.strip():
            continue
        value = _parse_json(line)
        if isinstance(value, Skipped) and line.lstrip().startswith("["):
            # An array cut short on one line: the records before the break are kept.
            yield from _json_values(io.StringIO(line), source, first_line=lineno)
        elif isinstance(value, Skipped):
            yield Skipped(where, value.reason, f"{value.detail}; the other lines are read")
        else:
            yield from _records(value, where)


def _parse_json(text: str) -> object:
    """The JSON value of ``text``, or a Skipped (without source) saying why not."""
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        return Skipped("", "malformed-json", f"{exc.msg} at column {exc.colno}")
    except RecursionError:
        return Skipped("", "malformed-json", "nested too deeply")
    except ValueError as exc:  # an integer too long to convert
        return Skipped("", "malformed-json", str(exc).split(";")[0])


def _records(value: object, where: str) -> Iterator[Item]:
    """The records of one JSON value: an object, or an array of them."""
    if not isinstance(value, list):
        yield record_document(value, where)
    elif not value:
        yield Skipped(where, "empty", "an empty JSON array: no records")
    elif not any(isinstance(element, dict) for element in value):
        yield Skipped(where, "malformed-json", f"an array of {len(value)} values, none of them "
                      "a record (a JSON object)")
    else:
        for k, element in enumerate(value, 1):
            yield record_document(element, f"{where}#{k}")


def _json_values(text: io.TextIOBase, source: str, first_line: int = 1) -> Iterator[Item]:
    """The records of a JSON document spread over lines, one at a time: the objects of a
    top-level array (``file:line#n``), or top-level objects one after another
    (``file:line``), and whatever follows a closed array. A value that does not parse is
    reported with its line, and reading resumes at the next line."""
    reader = _JsonStream(text, source, first_line)
    decoder = json.JSONDecoder()
    array_at: str | None = None  # where the open top-level array started
    read = 0
    broken = False  # the last thing seen was a value that did not parse
    while reader.skip_separators():
        if reader.peek() == "[" and array_at is None:
            array_at, read = reader.where(), 0
            reader.advance(1)
            continue
        if reader.peek() == "]" and array_at is not None:
            array_at = None
            reader.advance(1)
            continue
        at = reader.where() + (f"#{read + 1}" if array_at is not None else "")
        broken = True
        try:
            value, end = decoder.raw_decode(reader.buf, reader.pos)
        except json.JSONDecodeError as exc:
            incomplete = exc.pos >= len(reader.buf) - 1 or exc.msg.startswith("Unterminated")
            if incomplete and reader.pending() <= settings.MAX_RECORD_BYTES and reader.fill():
                continue
            if reader.pending() > settings.MAX_RECORD_BYTES:
                yield Skipped(at, "too-large", f"a record over {settings.MAX_RECORD_BYTES:,} "
                              "characters (settings.MAX_RECORD_BYTES)")
            else:
                yield Skipped(at, "malformed-json", f"{exc.msg}; reading goes on at the "
                              "next line")
            reader.skip_line()
            continue
        except (RecursionError, ValueError) as exc:  # deep nesting, an endless integer
            detail = "nested too deeply" if isinstance(exc, RecursionError) else str(exc)
            yield Skipped(at, "malformed-json", f"{detail.split(';')[0]}; reading goes on "
                          "at the next line")
            reader.skip_line()
            continue
        reader.pos = end
        read += 1
        broken = False
        if array_at is not None:
            yield record_document(value, at)
        else:
            yield from _records(value, at)
    if array_at is not None and not broken:
        yield Skipped(array_at, "malformed-json", f"the array is not closed; the {read} "
                      "records in it were read")


class _JsonStream:
    """A text stream read into a window, with the line number of any position."""

    def __init__(self, text: io.TextIOBase, source: str, first_line: int = 1):
        self.text = text
        self.source = source
        self.buf, self.pos, self.eof = "", 0, False
        self.raw_lines, self._counted = first_line - 1, 0  # lines before buf[_counted]

    def fill(self) -> bool:
        """Read more; the window doubles while one value spans it, so a long record is
        read in a number of steps that grows with its logarithm, not its length."""
        self.raw_lines += self.buf.count("\n", self._counted, self.pos)
        chunk = self.text.read(max(1 << 16, len(self.buf) - self.pos))
        self.buf, self.pos, self._counted = self.buf[self.pos:] + chunk, 0, 0
        self.eof = not chunk
        return bool(chunk)

    def pending(self) -> int:
        return len(self.buf) - self.pos

    def peek(self) -> str:
        return self.buf[self.pos]

    def advance(self, n: int) -> None:
        self.pos += n

    def skip_separators(self) -> bool:
        """Past whitespace and commas; False at the end of the stream."""
        while True:
            while self.pos < len(self.buf) and self.buf[self.pos] in " \t\r\n\ufeff,":
                self.pos += 1
            if self.pos < len(self.buf):
                return True
            if not self.fill():
                return False

    def skip_line(self) -> None:
        while (newline := self.buf.find("\n", self.pos)) < 0:
            self.pos = len(self.buf)
            if not self.fill():
                return
        self.pos = newline + 1

    def where(self) -> str:
        self.raw_lines += self.buf.count("\n", self._counted, self.pos)
        self._counted = self.pos
        return f"{self.source}:{self.raw_lines + 1}"
