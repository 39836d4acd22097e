"""WARC (and ARC) crawls: the HTML responses, record by record, resynced after a broken
record."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import BinaryIO

from triangulate import settings
from triangulate.ingest import decode as dec
from triangulate.ingest.items import Input
from triangulate.ingest.normalize import url_id
from triangulate.ingest.sources.records import Item
from triangulate.model import Skipped


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
            switch = _compression_switch(fh, end, records) if seekable else None
            if switch is not None:
                # warcio tells plain from gzip once, at the iterator's first record: a plain
                # record (junk that reads as one) followed by gzip members would have them
                # read as plain bytes and lost. A new iterator starts at the next record.
                fh.seek(switch)
                resume = switch
                break


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


def _compression_switch(fh: BinaryIO, end: int, records) -> int | None:
    """Where the record after ``end`` starts when it is compressed otherwise than the
    records ``records`` has read (a gzip member after plain records, or a plain record
    after gzip members); None when it is not, or at the end. The file's position is left
    as it was."""
    saved = fh.tell()
    try:
        fh.seek(end)
        data = fh.read(4096)
    finally:
        fh.seek(saved)
    head = data.lstrip(b"\r\n")
    gzipped = records.reader.decompressor is not None
    if (_member_at(head) == 0) if not gzipped else head.startswith(b"WARC/1."):
        return end + len(data) - len(head)
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
