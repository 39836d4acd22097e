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
from triangulate.ingest.normalize import url_id
from triangulate.model import RawDocument, Skipped

Item = RawDocument | Skipped

TEXT_SUFFIXES = {".txt", ".text"}
HTML_SUFFIXES = {".html", ".htm", ".xhtml", ".shtml"}
JSON_SUFFIXES = {".jsonl", ".ndjson", ".json", ".jsonl.gz", ".ndjson.gz", ".json.gz"}
CSV_SUFFIXES = {".csv", ".tsv", ".csv.gz", ".tsv.gz"}
WARC_SUFFIXES = {".warc", ".warc.gz", ".arc", ".arc.gz"}
FEED_SUFFIXES = {".rss", ".atom", ".xml"}
META_FIELDS = ("id", "url", "outlet", "title", "author", "published")
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
        errors.append(Skipped(str(exc.filename), "unreadable", _os_message(exc)))

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
                yield Skipped(str(path), "ignored", f"documentation or annotation ({pattern}), "
                              "not an article; name the file to read it")
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
    source = str(path)
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
                    if failure := dec.sniff_binary(inner_head):
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
    return dec.sniff_binary(head)


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
    return rel.with_suffix("").as_posix() if rel.suffix else rel.as_posix()


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
        return RawDocument(source=source, html=text, id=doc_id)
    return RawDocument(source=source, text=text, id=doc_id)


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
    if failure := dec.sniff_binary(head):
        yield Skipped(source, failure.reason, failure.detail)
        return
    try:
        yield from _read_kind(sniff_kind(head), whole, source, None, options, "")
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
    """JSON Lines, a JSON array of records, or concatenated JSON objects, streamed."""
    buffered = _buffered(fh)
    head = buffered.peek(dec.SNIFF_BYTES)[: dec.SNIFF_BYTES]
    encoding = dec.bom_encoding(head)
    start = head.decode(encoding or "utf-8", errors="ignore").lstrip("\ufeff \t\r\n")
    if start.startswith("[") or (start.startswith("{") and not _first_line_is_json(start)):
        text = io.TextIOWrapper(buffered, encoding=encoding or "utf-8-sig")
        yield from _json_values(text, source)
        return
    yield from _jsonl(buffered, source, encoding)


def _buffered(fh: BinaryIO) -> io.BufferedReader:
    if isinstance(fh, io.BufferedReader):
        return fh
    return io.BufferedReader(fh, buffer_size=1 << 16)  # type: ignore[arg-type]


def _first_line_is_json(start: str) -> bool:
    """Whether a file starting with "{" is JSON Lines, not one pretty-printed object: the
    first line of the latter is an unfinished object ("{", '{"id": 1,'). A malformed
    first record must not turn JSON Lines into one unreadable object."""
    line, newline, _ = start.partition("\n")
    return not newline or not line.rstrip().endswith(("{", ",", "["))


def _jsonl(fh: BinaryIO, source: str, encoding: str | None) -> Iterator[Item]:
    fallback: str | None = None
    for lineno, line in _lines(fh, encoding):
        where = f"{source}:{lineno}"
        if isinstance(line, dec.Failure):
            yield Skipped(where, line.reason, line.detail)
            continue
        if isinstance(line, bytes):
            decoded = dec.decode_line(line, fallback)
            if isinstance(decoded, dec.Failure):
                yield Skipped(where, decoded.reason, decoded.detail)
                continue
            if fallback is None and not _is_utf8(line):
                fallback = dec.detect(line)
            line = decoded
        if lineno == 1:
            line = line.lstrip("\ufeff")
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            yield Skipped(where, "malformed-json", f"{exc.msg} at column {exc.colno}; "
                          "the other lines are read")
            continue
        yield record_document(record, where)


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
    if encoding in ("utf-16", "utf-32"):
        # Line splitting on b"\n" would cut UTF-16 characters: decode as a stream.
        text = io.TextIOWrapper(fh, encoding=encoding, newline=None)  # type: ignore[arg-type]
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


def _json_values(text: io.TextIOBase, source: str) -> Iterator[Item]:
    """The values of a JSON array (or of concatenated JSON objects), one at a time."""
    decoder = json.JSONDecoder()
    buf, pos, eof, index = "", 0, False, 0
    in_array: bool | None = None

    def fill() -> bool:
        nonlocal buf, pos, eof
        chunk = text.read(1 << 16)
        buf, pos = buf[pos:] + chunk, 0
        eof = not chunk
        return bool(chunk)

    try:
        while True:
            while True:  # skip whitespace and separators
                while pos < len(buf) and buf[pos] in " \t\r\n\ufeff,":
                    pos += 1
                if pos < len(buf) or not fill():
                    break
            if pos >= len(buf):
                if in_array:
                    yield Skipped(source, "malformed-json", "the array is not closed; "
                                  f"{index} records were read")
                return
            if in_array is None:
                in_array = buf[pos] == "["
                if in_array:
                    pos += 1
                    continue
            if in_array and buf[pos] == "]":
                return
            try:
                value, end = decoder.raw_decode(buf, pos)
            except json.JSONDecodeError as exc:
                if not eof and len(buf) - pos <= settings.MAX_RECORD_BYTES and fill():
                    continue
                where = f"{source}#{index + 1}"
                if len(buf) - pos > settings.MAX_RECORD_BYTES:
                    yield Skipped(where, "too-large", "a record over "
                                  f"{settings.MAX_RECORD_BYTES:,} characters "
                                  "(settings.MAX_RECORD_BYTES); the rest is not read")
                else:
                    yield Skipped(where, "malformed-json", f"{exc.msg}; records after it in "
                                  "this file cannot be told apart and are not read")
                return
            pos = end
            index += 1
            yield record_document(value, f"{source}#{index}")
    except UnicodeDecodeError as exc:
        yield Skipped(f"{source}#{index + 1}", "undecodable", f"not valid text: {exc.reason}")


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
    """CSV (or TSV) with a header row holding a ``text`` or ``html`` column."""
    csv.field_size_limit(max(settings.MAX_RECORD_BYTES, 1 << 17))
    buffered = _buffered(fh)
    encoding = dec.bom_encoding(buffered.peek(4)[:4])
    failures: list[tuple[int, dec.Failure]] = []
    lines = _csv_lines(buffered, encoding, failures)
    first = next(lines, None)
    if first is None:
        yield Skipped(source, "empty", "no header row")
        return
    first = first.lstrip("\ufeff")
    delimiter = delimiter or max(",;\t|", key=first.count)
    reader = csv.reader(_chain([first], lines), delimiter=delimiter)
    header = [h.strip().lower() for h in next(reader)]
    if "text" not in header and "html" not in header:
        yield Skipped(source, "no-text-column", f"columns {', '.join(header) or '(none)'}; "
                      "a 'text' or 'html' column is needed")
        return
    while True:
        start = reader.line_num + 1
        try:
            row = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            yield Skipped(f"{source}:{start}", "malformed-csv", str(exc))
            continue
        for lineno, failure in failures:
            yield Skipped(f"{source}:{lineno}", failure.reason, failure.detail)
        failures.clear()
        if not any(cell.strip() for cell in row):
            continue
        record = {h: v for h, v in zip(header, row, strict=False) if h}
        yield record_document(record, f"{source}:{start}")
    for lineno, failure in failures:
        yield Skipped(f"{source}:{lineno}", failure.reason, failure.detail)


def _csv_lines(fh: BinaryIO, encoding: str | None, failures: list) -> Iterator[str]:
    fallback: str | None = None
    for lineno, line in _lines(fh, encoding):
        if isinstance(line, dec.Failure):
            failures.append((lineno, line))
            yield "\n"
            continue
        if isinstance(line, bytes):
            decoded = dec.decode_line(line, fallback)
            if isinstance(decoded, dec.Failure):
                failures.append((lineno, decoded))
                yield "\n"
                continue
            if fallback is None and not _is_utf8(line):
                fallback = dec.detect(line)
            line = decoded
        yield line


def _chain(first: list[str], rest: Iterator[str]) -> Iterator[str]:
    yield from first
    yield from rest


# ----------------------------------------------------------------------------- WARC


def read_warc(fh: BinaryIO, source: str) -> Iterator[Item]:
    """HTML responses of a WARC (or ARC) crawl, record by record. Other records (requests,
    metadata, images, scripts, redirects, errors) are not articles and are passed over."""
    from warcio.archiveiterator import ArchiveIterator
    from warcio.exceptions import ArchiveLoadFailed

    try:
        for record in ArchiveIterator(fh, arc2warc=True):
            item = _warc_record(record, source)
            if item is not None:
                yield item
    except ArchiveLoadFailed as exc:
        yield Skipped(source, "malformed-warc", f"{exc}; the records before it were read")


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

    feed = feedparser.parse(data)
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

