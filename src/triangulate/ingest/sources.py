"""Read any supported input into RawDocument records (or Skipped ones, with the reason).

Inputs: files and directories (searched recursively), '-' for stdin, http(s) URLs, and
files listing URLs. Formats: plain text, HTML, JSON Lines / JSON arrays, CSV/TSV, WARC,
RSS/Atom feeds. Everything is a generator: a corpus is never held in memory, and container
formats (JSONL, JSON arrays, CSV, WARC) are read record by record.
"""

from __future__ import annotations

import csv
import fnmatch
import gzip
import io
import json
import os
import re
import sys
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

from triangulate import settings
from triangulate.ingest import decode as dec
from triangulate.ingest.fetch import Network, Policy, fetch
from triangulate.ingest.items import Input
from triangulate.ingest.normalize import path_text, url_id
from triangulate.model import RawDocument, Skipped

Item = RawDocument | Skipped

TEXT_SUFFIXES = {".txt", ".text"}
HTML_SUFFIXES = {".html", ".htm", ".xhtml", ".shtml"}
JSON_SUFFIXES = {".jsonl", ".ndjson", ".json", ".jsonl.gz", ".ndjson.gz", ".json.gz"}
CSV_SUFFIXES = {".csv", ".tsv", ".csv.gz", ".tsv.gz"}
WARC_SUFFIXES = {".warc", ".warc.gz", ".arc", ".arc.gz"}
FEED_SUFFIXES = {".rss", ".atom", ".xml"}
META_FIELDS = ("id", "url", "outlet", "title", "author", "published")
# Formats read line by line: a bad line (NUL bytes, bad bytes, bad JSON) costs that line only.
LINE_KINDS = ("json", "csv")
_FEED_ROOT = re.compile(rb"<(?:rss|feed|rdf:RDF)[\s>]", re.IGNORECASE)
# Records are objects: "[{", "[]", '{"' or "{}" start JSON; "[Updated] Strikes ..." is text.
_JSON_START = re.compile(r'(?:\[\s*[{\]]|\{\s*["}])')
_STDIN = "<stdin>"


@dataclass
class ReadOptions:
    """How to read inputs beyond the paths themselves."""

    url_files: Sequence[str] = ()  # files with one URL a line ('#' starts a comment)
    allow_private: bool = False  # fetch private and loopback addresses too
    allow_networks: tuple[Network, ...] = ()
    fetch_links: bool = False  # fetch feed items that carry only a link
    # Ids already in the store: those URLs are not fetched again.
    is_stored: Callable[[str], bool] | None = None
    stdin: BinaryIO | None = None  # for tests; sys.stdin's bytes otherwise
    # How a URL is fetched: `watch` passes one that keeps to its per-host rate limit.
    fetcher: Callable[[str, Policy], object] = fetch
    policy: Policy = field(init=False)

    def __post_init__(self) -> None:
        self.policy = Policy(allow_private=self.allow_private, allow_networks=self.allow_networks)


def read_inputs(paths: Iterable[str], options: ReadOptions | None = None) -> Iterator[Item]:
    """Every input document (or the reason an input was skipped), in input order."""
    options = options or ReadOptions()
    for arg in paths:
        if arg == "-":
            yield from read_stream(options.stdin or sys.stdin.buffer, _STDIN, options)
        elif re.match(r"(?i)https?://", arg):
            yield from read_urls([arg], options)
        else:
            path = Path(arg)
            if path.is_dir():
                yield from _read_dir(path, options)
            else:
                yield from read_file(path, root=path.parent, options=options)
    for url_file in options.url_files:
        yield from read_url_file(Path(url_file), options)


# ----------------------------------------------------------------------------- files


def _read_dir(root: Path, options: ReadOptions) -> Iterator[Item]:
    def unreadable(exc: OSError) -> None:
        errors.append(Skipped(path_text(str(exc.filename)), "unreadable", _os_message(exc)))

    errors: list[Skipped] = []
    for dirpath, dirnames, filenames in os.walk(root, onerror=unreadable):
        yield from errors
        errors.clear()
        # Hidden files and folders (.git, .DS_Store) are never content.
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        for name in sorted(filenames):
            if name.startswith("."):
                continue
            path = Path(dirpath) / name
            if pattern := ignored(name):
                yield Skipped(path_text(str(path)), "ignored", f"documentation or annotation "
                              f"({pattern}), not an article; name the file to read it")
                continue
            yield from read_file(path, root=root, options=options)
    yield from errors


def ignored(name: str) -> str | None:
    """The settings.IGNORED_NAMES pattern a file name matches, if any."""
    for pattern in settings.IGNORED_NAMES:
        if fnmatch.fnmatch(name, pattern):
            return pattern
    return None


def suffix_of(path: Path) -> str:
    """The format suffix, including a compression suffix: ".warc.gz", ".jsonl.gz"."""
    suffixes = [s.lower() for s in path.suffixes[-2:]]
    if len(suffixes) == 2 and suffixes[1] == ".gz":
        return suffixes[0] + ".gz"
    return suffixes[-1] if suffixes else ""


def read_file(path: Path, root: Path, options: ReadOptions | None = None) -> Iterator[Item]:
    """The documents in one file; its id (for one-document files) is its path relative to
    ``root`` without the extension."""
    options = options or ReadOptions()
    source = path_text(str(path))
    try:
        size = path.stat().st_size
        fh = path.open("rb")
    except OSError as exc:
        yield Skipped(source, "unreadable", _os_message(exc))
        return
    with fh:
        suffix = suffix_of(path)
        head = fh.read(dec.SNIFF_BYTES)
        fh.seek(0)
        if size == 0 or not head:
            yield Skipped(source, "empty", "the file is empty")
            return
        kind = _kind(suffix, head)
        if failure := _binary(kind, suffix, head):
            yield Skipped(source, failure.reason, failure.detail)
            return
        if kind is None:
            yield Skipped(source, "unsupported", f"unknown file type {suffix or '(no extension)'};"
                          " use .txt, .html, .jsonl, .json, .csv, .warc(.gz), .rss/.atom/.xml")
            return
        if kind in ("text", "html", "feed") and size > settings.MAX_FILE_BYTES:
            yield Skipped(source, "too-large", f"{size:,} bytes; the limit is "
                          f"{settings.MAX_FILE_BYTES:,} (settings.MAX_FILE_BYTES)")
            return
        file_id = _file_id(path, root)
        try:
            if suffix.endswith(".gz") and kind != "warc":
                with gzip.open(fh) as inner:
                    inner_head = inner.read(dec.SNIFF_BYTES)
                    if failure := dec.sniff_binary(inner_head, lines=kind in LINE_KINDS):
                        yield Skipped(source, failure.reason, f"{failure.detail} (decompressed)")
                        return
                    stream = io.BufferedReader(_Prefixed(inner_head, inner))  # type: ignore[arg-type]
                    yield from _read_kind(kind, stream, source, file_id, options, suffix)
            else:
                yield from _read_kind(kind, fh, source, file_id, options, suffix)
        except (OSError, EOFError) as exc:  # truncated gzip, I/O error mid-file
            yield Skipped(source, "unreadable", f"stopped reading: {exc}")


def _binary(kind: str | None, suffix: str, head: bytes) -> dec.Failure | None:
    if kind == "warc":
        # A crawl holds images, so NUL bytes are normal in it; only a foreign format is not.
        return dec.sniff_binary(head, allow=("gzip archive",), nul_ok=True)
    if suffix.endswith(".gz") and kind is not None:
        if not head.startswith(b"\x1f\x8b"):
            return dec.Failure("binary", "named .gz but not gzip data")
        return None  # the decompressed bytes are checked instead
    return dec.sniff_binary(head, lines=kind in LINE_KINDS)


def _kind(suffix: str, head: bytes) -> str | None:
    if suffix in WARC_SUFFIXES:
        return "warc"
    if suffix in JSON_SUFFIXES:
        return "json"
    if suffix in CSV_SUFFIXES:
        return "csv"
    if suffix in TEXT_SUFFIXES:
        return "text"
    if suffix in HTML_SUFFIXES:
        return "html"
    if suffix in FEED_SUFFIXES:
        return "feed" if _FEED_ROOT.search(head) else None
    if suffix == "":
        return sniff_kind(head)
    return None


def sniff_kind(head: bytes) -> str:
    """The format of extensionless input (stdin, a file without a suffix) from its bytes."""
    encoding = dec.bom_encoding(head)
    start = head.decode(encoding or "utf-8", errors="ignore").lstrip("\ufeff \t\r\n")
    if start.startswith("WARC/"):
        return "warc"
    if _JSON_START.match(start):
        return "json"
    if start.startswith("<"):
        return "feed" if _FEED_ROOT.search(head) else "html"
    return "text"


def _file_id(path: Path, root: Path) -> str:
    try:
        rel = path.relative_to(root)
    except ValueError:
        rel = Path(path.name)
    return path_text(rel.with_suffix("").as_posix() if rel.suffix else rel.as_posix())


def _read_kind(
    kind: str, fh: BinaryIO, source: str, file_id: str | None, options: ReadOptions,
    suffix: str,
) -> Iterator[Item]:
    if kind == "json":
        yield from read_json(fh, source)
    elif kind == "csv":
        yield from read_csv(fh, source, delimiter="\t" if ".tsv" in suffix else None)
    elif kind == "warc":
        yield from read_warc(fh, source)
    else:
        data = fh.read(settings.MAX_FILE_BYTES + 1)
        if len(data) > settings.MAX_FILE_BYTES:
            yield Skipped(source, "too-large", f"more than {settings.MAX_FILE_BYTES:,} bytes "
                          "(settings.MAX_FILE_BYTES)")
        elif not data.strip():
            yield Skipped(source, "empty", "no text")
        elif kind == "feed":
            yield from read_feed(data, source, options)
        else:
            # Without a file id (stdin), prepare gives the article an id from its text.
            yield _whole(kind, data, source, file_id)


def _whole(kind: str, data: bytes, source: str, doc_id: str | None) -> Item:
    text = dec.decode(data)
    if isinstance(text, dec.Failure):
        return Skipped(source, text.reason, text.detail)
    if kind == "html":
        return Input(source=source, html=text, id=doc_id, path_id=doc_id is not None)
    return Input(source=source, text=text, id=doc_id, path_id=doc_id is not None)


def read_stream(stream: BinaryIO, source: str, options: ReadOptions) -> Iterator[Item]:
    """Stdin (or any byte stream): JSON Lines, a JSON array, WARC, a feed, HTML or text,
    told apart by the first bytes."""
    head = stream.read(dec.SNIFF_BYTES)
    if not head.strip():
        yield Skipped(source, "empty", "nothing on standard input")
        return
    whole: BinaryIO = io.BufferedReader(_Prefixed(head, stream))
    if head.startswith(b"\x1f\x8b"):  # gzip: a .warc.gz or .jsonl.gz piped in
        whole = gzip.GzipFile(fileobj=whole)  # type: ignore[assignment]
        head = whole.read(dec.SNIFF_BYTES)
        whole = io.BufferedReader(_Prefixed(head, whole))
    kind = sniff_kind(head)
    if failure := _binary(kind, "", head):
        yield Skipped(source, failure.reason, failure.detail)
        return
    try:
        yield from _read_kind(kind, whole, source, None, options, "")
    except (OSError, EOFError) as exc:
        yield Skipped(source, "unreadable", f"stopped reading: {exc}")


class _Prefixed(io.RawIOBase):
    """A stream with bytes already read put back in front (stdin cannot seek)."""

    def __init__(self, prefix: bytes, rest: BinaryIO):
        self._prefix = prefix
        self._rest = rest

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:  # type: ignore[override]
        if self._prefix:
            n = min(len(buffer), len(self._prefix))
            buffer[:n] = self._prefix[:n]
            self._prefix = self._prefix[n:]
            return n
        data = self._rest.read(len(buffer))
        buffer[: len(data)] = data
        return len(data)


def _os_message(exc: OSError) -> str:
    if isinstance(exc, FileNotFoundError):
        return "no such file or directory"
    if isinstance(exc, PermissionError):
        return "permission denied"
    if isinstance(exc, IsADirectoryError):
        return "is a directory"
    return exc.strerror or str(exc)


# ----------------------------------------------------------------------------- JSON


def read_json(fh: BinaryIO, source: str) -> Iterator[Item]:
    """JSON Lines (one record a line, whatever the first line holds; a line may also hold an
    array of records), or one JSON document spread over lines (a pretty-printed array or
    object, concatenated objects), streamed. A record that cannot be read is reported with
    its line and the reading goes on."""
    buffered = _buffered(fh)
    head = buffered.peek(dec.SNIFF_BYTES)[: dec.SNIFF_BYTES]
    encoding = dec.bom_encoding(head) or dec.utf16_without_bom(head)
    start = head.decode(encoding or "utf-8", errors="ignore").lstrip("\ufeff \t\r\n")
    if _spread_over_lines(start):
        text = io.TextIOWrapper(buffered, encoding=encoding or "utf-8-sig", errors="replace")
        yield from _json_values(text, source)
        return
    yield from _jsonl(buffered, source, encoding)


def _buffered(fh: BinaryIO) -> io.BufferedReader:
    if isinstance(fh, io.BufferedReader):
        return fh
    return io.BufferedReader(fh, buffer_size=1 << 16)  # type: ignore[arg-type]


def _spread_over_lines(start: str) -> bool:
    """Whether a JSON file is one document spread over lines rather than JSON Lines: its
    first line opens a value it does not finish ("[", "{", '[{"id": 1,'). Any other first
    line, "[]" included, is a line of JSON Lines, and so is each line after it."""
    line, newline, _ = start.partition("\n")
    line = line.rstrip()
    return bool(newline) and line[:1] in "[{" and line.endswith(("{", "[", ",", ":"))


def _jsonl(fh: BinaryIO, source: str, encoding: str | None) -> Iterator[Item]:
    for lineno, line in _decoded_lines(fh, encoding):
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


def _decoded_lines(fh: BinaryIO, encoding: str | None
                   ) -> Iterator[tuple[int, str | dec.Failure]]:
    """Numbered lines as text, or why a line cannot be read (too long, NUL bytes, no
    encoding fits): each line is decoded on its own, so a bad one costs that line only. A
    file's first line that is not UTF-8 sets the encoding tried first on the others."""
    fallback: str | None = None
    for lineno, line in _lines(fh, encoding):
        if isinstance(line, bytes):
            if b"\x00" in line:
                yield lineno, dec.Failure("binary", "the line holds NUL bytes")
                continue
            decoded = dec.decode_line(line, fallback)
            if isinstance(decoded, dec.Failure):
                yield lineno, decoded
                continue
            if fallback is None and not _is_utf8(line):
                fallback = dec.detect(line)
            line = decoded
        yield lineno, line.lstrip("\ufeff") if lineno == 1 and isinstance(line, str) else line


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


def _is_utf8(data: bytes) -> bool:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _lines(fh: BinaryIO, encoding: str | None) -> Iterator[tuple[int, bytes | str | dec.Failure]]:
    """Numbered lines, each at most MAX_RECORD_BYTES (longer ones are reported, skipped
    and read past without holding them)."""
    limit = settings.MAX_RECORD_BYTES
    if encoding in ("utf-16", "utf-32", "utf-16-le", "utf-16-be"):
        # Line splitting on b"\n" would cut UTF-16 characters: decode as a stream.
        text = io.TextIOWrapper(fh, encoding=encoding, errors="replace",  # type: ignore[arg-type]
                                newline=None)
        for lineno, line in enumerate(text, 1):
            yield lineno, line
        return
    lineno = 0
    while True:
        line = fh.readline(limit + 1)
        if not line:
            return
        lineno += 1
        if len(line) > limit and not line.endswith(b"\n"):
            size = len(line)
            while (rest := fh.readline(1 << 20)) and not rest.endswith(b"\n"):
                size += len(rest)
            size += len(rest)
            yield lineno, dec.Failure("too-large", f"a {size:,}-byte line; the limit is "
                                      f"{limit:,} (settings.MAX_RECORD_BYTES)")
            continue
        yield lineno, line


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
        self._lines, self._counted = first_line - 1, 0  # lines before buf[_counted]

    def fill(self) -> bool:
        """Read more; the window doubles while one value spans it, so a long record is
        read in a number of steps that grows with its logarithm, not its length."""
        self._lines += self.buf.count("\n", self._counted, self.pos)
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
        self._lines += self.buf.count("\n", self._counted, self.pos)
        self._counted = self.pos
        return f"{self.source}:{self._lines + 1}"


def record_document(record: object, where: str) -> Item:
    """A JSON or CSV record with a ``text`` or ``html`` field as a RawDocument."""
    if not isinstance(record, dict):
        return Skipped(where, "malformed-json", "the record is not a JSON object")
    text, html = record.get("text"), record.get("html")
    if not isinstance(text, str) and not isinstance(html, str):
        return Skipped(where, "no-text", "the record has no 'text' or 'html' field")
    meta = {k: _scalar(record.get(k)) for k in META_FIELDS}
    if isinstance(text, str) and text.strip():
        return RawDocument(source=where, text=text, **meta)
    if isinstance(html, str):
        return RawDocument(source=where, html=html, **meta)
    return RawDocument(source=where, text=text if isinstance(text, str) else "", **meta)


def _scalar(value: object) -> str | None:
    if value is None or isinstance(value, dict | list):
        return None
    text = str(value).strip()
    return text or None


# ----------------------------------------------------------------------------- CSV


def read_csv(fh: BinaryIO, source: str, delimiter: str | None = None) -> Iterator[Item]:
    """CSV (or TSV) with a header row holding a ``text`` or ``html`` column.

    Rows are read strictly: a row the CSV rules reject (a quote left open, text after a
    closing quote) is reported with its line and reading starts again on the line after
    its first, so an open quote cannot swallow the rows after it into one field."""
    csv.field_size_limit(max(settings.MAX_RECORD_BYTES, 1 << 17))
    buffered = _buffered(fh)
    head = buffered.peek(dec.SNIFF_BYTES)[: dec.SNIFF_BYTES]
    lines = _CsvLines(_decoded_lines(buffered, dec.bom_encoding(head) or dec.utf16_without_bom(head)))
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


# ----------------------------------------------------------------------------- WARC


def read_warc(fh: BinaryIO, source: str) -> Iterator[Item]:
    """HTML responses of a WARC (or ARC) crawl, record by record. Other records (requests,
    metadata, images, scripts, redirects, errors) are not articles and are passed over.

    A record that cannot be read (a truncated header, a broken gzip member, a length that
    runs into the records after it) is reported with its byte offset; in a file (not a
    pipe) reading goes on at the next record."""
    from warcio.archiveiterator import ArchiveIterator

    seekable = _seekable(fh)
    resume: int | None = 0
    while resume is not None:
        records = ArchiveIterator(fh, arc2warc=True)
        end, resume = resume, None
        while True:
            try:
                record = next(records)
            except StopIteration:
                # warcio also stops on junk it read to the end as one header: if a record
                # starts after the last one read, that junk hid it.
                resume = _next_warc_record(fh, end) if seekable else None
                if resume is not None:
                    yield Skipped(f"{source}@{end}", "malformed-warc", "bytes that are no "
                                  "record; reading goes on at the next record")
                break
            except Exception as exc:  # warcio raises what its parsers hit: lost sync
                resume = _next_warc_record(fh, end) if seekable else None
                yield _warc_failure(source, end, exc, resume)
                break
            try:
                item = _warc_record(record, source)
            except Exception as exc:  # a record whose body or headers do not read
                item = _warc_failure(source, end, exc)
            try:
                records.read_to_end(record)
                start, length = records.get_record_offset(), records.get_record_length()
            except Exception as exc:
                resume = _next_warc_record(fh, end) if seekable else None
                yield _warc_failure(source, end, exc, resume)
                break
            inner = _inner_record(fh, start, length) if seekable else None
            if inner is not None:
                # Its length claims bytes that hold the next records: they would be read as
                # its body and lost. It is reported, and the next record read.
                yield Skipped(f"{source}@{start}", "malformed-warc", "its length runs into "
                              f"the record at byte {inner}; reading goes on there")
                fh.seek(inner)
                resume = inner
                break
            end = start + length
            if item is not None:
                yield item


def _warc_failure(source: str, offset: int, exc: Exception, resume: int | None = -1) -> Skipped:
    detail = f"{type(exc).__name__}: {exc}"[:300]
    if resume is None:
        detail += "; the rest of the input cannot be read"
    elif resume >= 0:
        detail += "; reading goes on at the next record"
    return Skipped(f"{source}@{offset}", "malformed-warc", detail)


def _seekable(fh: BinaryIO) -> bool:
    try:
        return fh.seekable()
    except (AttributeError, ValueError):
        return False


_INNER_RECORD = re.compile(rb"WARC/1\.[01]\r\n")
_GZIP_MEMBER = b"\x1f\x8b\x08"


def _inner_record(fh: BinaryIO, start: int, length: int) -> int | None:
    """Where a record starts inside the record read at ``start``: a WARC version line
    (with its line end) past its first byte, or a gzip member that holds a WARC record (a
    member cut short runs on into the next ones). None when there is none, and the file's
    position is left as it was."""
    saved = fh.tell()
    pos, tail, stop = start + 1, b"", start + length
    fh.seek(pos)
    while pos < stop and (chunk := fh.read(min(1 << 20, stop - pos))):
        data = tail + chunk
        found = [i for i in (_find(_INNER_RECORD, data), _member_at(data)) if i >= 0]
        if found:
            return pos - len(tail) + min(found)
        tail = data[-10:]
        pos += len(chunk)
    fh.seek(saved)
    return None


def _member_at(data: bytes) -> int:
    """The first gzip member in ``data`` whose first bytes inflate to a WARC version line;
    -1 if none. The signature alone turns up by chance in compressed bytes (about once in
    16 MB), and starts every gzip-encoded response body of a plain WARC."""
    import zlib

    i = data.find(_GZIP_MEMBER)
    while i >= 0:
        head = data[i:i + 4096]
        try:
            if zlib.decompressobj(31).decompress(head, 16).startswith(b"WARC/1."):
                return i
        except zlib.error:
            pass
        i = data.find(_GZIP_MEMBER, i + 1)
    return -1


def _find(pattern: re.Pattern, data: bytes) -> int:
    m = pattern.search(data)
    return m.start() if m else -1


# Where a record may start: a WARC version line, a gzip member. The version line is looked
# for anywhere, not only at a line start: junk glued to a record ("Content-Length:
# 10WARC/1.0") must not hide it.
_WARC_STARTS = (b"WARC/1.", b"\x1f\x8b\x08")


def _next_warc_record(fh: BinaryIO, after: int) -> int | None:
    """The offset of the first record start past ``after``, or None at the end or on a
    stream that cannot seek."""
    try:
        fh.seek(after + 1)
    except (OSError, ValueError):
        return None
    pos, tail = after + 1, b""
    while chunk := fh.read(1 << 20):
        data = tail + chunk
        found = [i for i in (data.find(m) for m in _WARC_STARTS) if i >= 0]
        if found:
            fh.seek(pos - len(tail) + min(found))
            return pos - len(tail) + min(found)
        tail = data[-8:]
        pos += len(chunk)
    return None


def _warc_record(record, source: str) -> Item | None:
    headers = record.rec_headers
    uri = headers.get_header("WARC-Target-URI")
    if record.rec_type == "response":
        http = record.http_headers
        status = (http.get_statuscode() or "") if http is not None else ""
        if not status.isdigit() or not 200 <= int(status) < 300:
            return None
        content_type = http.get_header("Content-Type") or ""
    elif record.rec_type == "resource":
        content_type = headers.get_header("Content-Type") or ""
    else:
        return None
    media, _, params = content_type.partition(";")
    if media.strip().lower() not in ("text/html", "application/xhtml+xml"):
        return None
    where = f"{source}#{uri}" if uri else f"{source}#{headers.get_header('WARC-Record-ID')}"
    data = record.content_stream().read(settings.MAX_RECORD_BYTES + 1)
    if len(data) > settings.MAX_RECORD_BYTES:
        return Skipped(where, "too-large", f"a response over {settings.MAX_RECORD_BYTES:,} "
                       "bytes (settings.MAX_RECORD_BYTES)")
    charset = re.search(r"charset\s*=\s*[\"']?([\w.:-]+)", params, re.IGNORECASE)
    html = dec.decode(data, declared=charset.group(1) if charset else None)
    if isinstance(html, dec.Failure):
        return Skipped(where, html.reason, html.detail)
    from triangulate.ingest.dates import normalize_date

    return Input(
        source=where, html=html, url=uri, id=url_id(uri) if uri else None,
        fallback_published=normalize_date(headers.get_header("WARC-Date")),
    )


# ----------------------------------------------------------------------------- feeds


def read_feed(data: bytes, source: str, options: ReadOptions) -> Iterator[Item]:
    """RSS/Atom items: those with full content are articles; link-only items are fetched
    (with fetch_links) or reported as "link-only"."""
    import feedparser

    from triangulate.ingest.html import fragment_text

    try:
        feed = feedparser.parse(data)
    except Exception as exc:  # feedparser is lenient, but its XML and date parsers can raise
        yield Skipped(source, "malformed-feed", f"not a readable feed: {type(exc).__name__}")
        return
    if not feed.entries:
        detail = "no items" if not feed.bozo else f"not a readable feed: {feed.bozo_exception}"
        yield Skipped(source, "empty" if not feed.bozo else "malformed-feed", detail)
        return
    links: list[str] = []
    for n, entry in enumerate(feed.entries, 1):
        where = f"{source}#{n}"
        link = entry.get("link")
        contents = [c.get("value", "") for c in entry.get("content", []) if c.get("value")]
        meta = {
            "url": link,
            "title": entry.get("title"),
            "author": _feed_author(entry.get("author")),
            "published": entry.get("published") or entry.get("updated"),
            "outlet": entry.get("publisher") or (entry.get("source") or {}).get("title"),
        }
        if contents:
            body = max(contents, key=len)
            text = fragment_text(body) if "<" in body else body
            doc_id = url_id(link) if link else None
            yield RawDocument(source=where, text=text, id=doc_id, **meta)
        elif link and options.fetch_links:
            links.append(link)
        elif link:
            yield Skipped(where, "link-only", f"the item has no content, only a link ({link});"
                          " use --fetch-links to fetch it")
        elif entry.get("summary"):
            yield RawDocument(source=where, text=fragment_text(entry["summary"]), **meta)
        else:
            yield Skipped(where, "empty", "the item has neither content nor a link")
    if links:
        yield from read_urls(links, options)


def _feed_author(value: str | None) -> str | None:
    # RSS <author> is "email (Name)"; the name is what a byline shows.
    m = re.fullmatch(r"\s*\S+@\S+\s*\((.+)\)\s*", value or "")
    return m.group(1) if m else value


# ----------------------------------------------------------------------------- URLs


def read_url_file(path: Path, options: ReadOptions) -> Iterator[Item]:
    """The pages of a URL list, one URL a line; '#' starts a comment line."""
    try:
        fh = path.open("rb")
    except OSError as exc:
        yield Skipped(str(path), "unreadable", _os_message(exc))
        return
    with fh:
        yield from read_urls(_url_lines(fh, str(path)), options)


def _url_lines(fh: BinaryIO, source: str) -> Iterator[str | Skipped]:
    for lineno, raw in _lines(fh, None):
        where = f"{source}:{lineno}"
        line = raw if isinstance(raw, str | dec.Failure) else dec.decode_line(raw)
        if isinstance(line, dec.Failure):
            yield Skipped(where, line.reason, line.detail)
            continue
        line = line.strip().lstrip("\ufeff")  # a '#' inside a URL is its fragment
        if not line or line.startswith("#"):
            continue
        if not re.match(r"(?i)[a-z][a-z0-9+.-]*://", line):
            yield Skipped(where, "refused", f"not a URL: {line[:80]}")
            continue
        yield line


def read_urls(urls: Iterable[str | Skipped], options: ReadOptions) -> Iterator[Item]:
    """Fetched pages as documents, in the order given, with a few downloads in flight
    (settings.FETCH_WORKERS) and never more than twice that many pages held."""
    pool: ThreadPoolExecutor | None = None
    pending: deque = deque()
    window = 2 * settings.FETCH_WORKERS
    try:
        for url in urls:
            if isinstance(url, Skipped):
                yield url
            elif options.is_stored is not None and options.is_stored(url_id(url)):
                yield Input(source=url, id=url_id(url), url=url, stored=True)
            else:
                pool = pool or ThreadPoolExecutor(settings.FETCH_WORKERS)
                pending.append((url, pool.submit(options.fetcher, url, options.policy)))
                if len(pending) >= window:
                    done_url, future = pending.popleft()
                    yield _page_document(done_url, future.result())
        while pending:
            done_url, future = pending.popleft()
            yield _page_document(done_url, future.result())
    finally:
        if pool is not None:
            pool.shutdown(wait=False, cancel_futures=True)


def _page_document(url: str, page) -> Item:
    from triangulate.ingest.fetch import FetchError

    if isinstance(page, FetchError):
        return Skipped(url, page.reason, page.detail)
    if failure := dec.sniff_binary(page.body[: dec.SNIFF_BYTES]):
        return Skipped(url, failure.reason, failure.detail)
    kind = {"text/html": "html", "application/xhtml+xml": "html", "text/plain": "text"}.get(
        page.content_type
    )
    if kind is None:
        return Skipped(url, "unsupported", f"content type {page.content_type or '(none)'}; "
                       "HTML and plain text pages are read")
    text = dec.decode(page.body, declared=page.charset)
    if isinstance(text, dec.Failure):
        return Skipped(url, text.reason, text.detail)
    meta = {"source": url, "id": url_id(url), "url": page.url}
    return RawDocument(html=text, **meta) if kind == "html" else RawDocument(text=text, **meta)

