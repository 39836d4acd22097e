"""Read any supported input into RawDocument records (or Skipped ones, with the reason).

Inputs: files and directories (searched recursively), '-' for stdin, http(s) URLs, and
files listing URLs. Formats: plain text, HTML, JSON Lines / JSON arrays, CSV/TSV, WARC,
RSS/Atom feeds. Everything is a generator: a corpus is never held in memory, and container
formats (JSONL, JSON arrays, CSV, WARC) are read record by record.

This module finds the inputs (files, folders, stdin, URLs) and tells their formats apart;
each format has its own module: jsonfile, csvfile, warc, feeds, urls (with lines, the
line-by-line reading they share, and records, a record's fields as a document).
"""

from __future__ import annotations

import fnmatch
import gzip
import io
import os
import re
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import BinaryIO

from triangulate import settings
from triangulate.ingest import decode as dec
from triangulate.ingest.items import Input
from triangulate.ingest.normalize import path_text
from triangulate.ingest.sources.csvfile import read_csv
from triangulate.ingest.sources.feeds import read_feed
from triangulate.ingest.sources.jsonfile import read_json
from triangulate.ingest.sources.lines import os_message
from triangulate.ingest.sources.options import ReadOptions
from triangulate.ingest.sources.records import META_FIELDS, Item, record_document
from triangulate.ingest.sources.urls import read_url_file, read_urls
from triangulate.ingest.sources.warc import read_warc
from triangulate.model import Skipped

__all__ = [
    "META_FIELDS", "Item", "ReadOptions", "ignored", "read_csv", "read_feed", "read_file",
    "read_inputs", "read_json", "read_stream", "read_url_file", "read_urls", "read_warc",
    "record_document", "sniff_kind", "suffix_of",
]

TEXT_SUFFIXES = {".txt", ".text"}
HTML_SUFFIXES = {".html", ".htm", ".xhtml", ".shtml"}
JSON_SUFFIXES = {".jsonl", ".ndjson", ".json", ".jsonl.gz", ".ndjson.gz", ".json.gz"}
CSV_SUFFIXES = {".csv", ".tsv", ".csv.gz", ".tsv.gz"}
WARC_SUFFIXES = {".warc", ".warc.gz", ".arc", ".arc.gz"}
FEED_SUFFIXES = {".rss", ".atom", ".xml"}
# Formats read line by line: a bad line (NUL bytes, bad bytes, bad JSON) costs that line only.
LINE_KINDS = ("json", "csv")
_FEED_ROOT = re.compile(rb"<(?:rss|feed|rdf:RDF)[\s>]", re.IGNORECASE)
# Records are objects: "[{", "[]", '{"' or "{}" start JSON; "[Updated] Strikes ..." is text.
_JSON_START = re.compile(r'(?:\[\s*[{\]]|\{\s*["}])')
_STDIN = "<stdin>"


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


def _read_dir(root: Path, options: ReadOptions) -> Iterator[Item]:
    def unreadable(exc: OSError) -> None:
        errors.append(Skipped(path_text(str(exc.filename)), "unreadable", os_message(exc)))

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
        yield Skipped(source, "unreadable", os_message(exc))
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
