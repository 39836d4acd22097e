"""Ingest throughput and peak memory for HTML pages and a WARC crawl.

    .venv/bin/python bench/ingest_bench.py                    # 1,000 articles, 1 and 2 workers
    .venv/bin/python bench/ingest_bench.py --articles 5000 --workers 2

The synthetic corpus (bench/synthetic.py) is rendered as news web pages (site header and
navigation, headline, byline, publication time, article paragraphs, related links, footer)
written as one .html file per article and as a gzipped WARC crawl (a request and a response
record per page, plus the robots.txt, image and stylesheet records a crawl also holds). Each
form is ingested into a fresh store by ``ingest.runner.ingest`` in a child process; JSON
Lines is measured alongside as the no-extraction baseline. Reported: articles/s, words/s,
CPU time and the peak memory of the whole process tree. Results go to
bench/out/ingest.json.
"""

from __future__ import annotations

import argparse
import html
import io
import json
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import machine  # noqa: E402
import synthetic  # noqa: E402

NAV = ["World", "Politics", "Business", "Climate", "Opinion", "Video", "Newsletters"]


def page(record: dict) -> str:
    """One article as a news site's page."""
    outlet = html.escape(record["outlet"])
    title = html.escape(record["title"])
    paragraphs = "\n".join(f"      <p>{html.escape(p)}</p>"
                           for p in record["text"].split("\n\n"))
    nav = "".join(f'<li><a href="/{n.lower()}">{n}</a></li>' for n in NAV)
    related = "".join(f'<li><a href="/world/{k}">More coverage of the conflict, part {k}</a></li>'
                      for k in range(1, 6))
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>{title} | {outlet}</title>
  <meta property="og:title" content="{title}">
  <meta property="og:site_name" content="{outlet}">
  <meta name="author" content="{html.escape(record['author'])}">
  <meta property="article:published_time" content="{record['published']}T08:30:00Z">
  <link rel="canonical" href="{html.escape(record['url'])}">
  <link rel="stylesheet" href="/static/site.css">
  <script>window.dataLayer = window.dataLayer || []; dataLayer.push({{"section": "world"}});</script>
</head>
<body>
  <header class="site-header"><a class="logo" href="/">{outlet}</a>
    <nav><ul>{nav}</ul></nav>
    <form action="/search"><input name="q" placeholder="Search"></form>
  </header>
  <main>
    <article>
      <h1>{title}</h1>
      <p class="byline">By {html.escape(record['author'])}</p>
      <time datetime="{record['published']}">{record['published']}</time>
{paragraphs}
    </article>
    <aside class="related"><h2>Related</h2><ul>{related}</ul></aside>
    <div class="newsletter">Sign up for our morning briefing. Get the news that matters,
      delivered to your inbox every weekday.</div>
  </main>
  <footer><p>&copy; {outlet}. All rights reserved.</p>
    <ul><li><a href="/about">About us</a></li><li><a href="/privacy">Privacy</a></li>
    <li><a href="/terms">Terms of use</a></li><li><a href="/contact">Contact</a></li></ul>
  </footer>
</body>
</html>
"""


def write_html_dir(records: list[dict], folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for r in records:
        (folder / f"{r['id']}.html").write_text(page(r), encoding="utf-8")
    return folder


def write_warc(records: list[dict], path: Path) -> Path:
    """A gzipped WARC: per page a request and a 200 response, and per site the other records
    a crawl holds (robots.txt, an image, a stylesheet, a redirect) that ingest passes over."""
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    with path.open("wb") as fh:
        writer = WARCWriter(fh, gzip=True)

        def add(uri: str, status: str, content_type: str, body: bytes, kind: str = "response"):
            headers = StatusAndHeaders(status, [("Content-Type", content_type),
                                                ("Content-Length", str(len(body)))],
                                       protocol="HTTP/1.1")
            writer.write_record(writer.create_warc_record(
                uri, kind, payload=io.BytesIO(body), http_headers=headers))

        seen_hosts: set[str] = set()
        for r in records:
            host = r["url"].split("/")[2]
            if host not in seen_hosts:
                seen_hosts.add(host)
                base = f"https://{host}"
                add(f"{base}/robots.txt", "200 OK", "text/plain", b"User-agent: *\nAllow: /\n")
                add(f"{base}/static/site.css", "200 OK", "text/css", b"body{font:16px serif}")
                add(f"{base}/static/logo.png", "200 OK", "image/png", b"\x89PNG\r\n\x1a\n" * 64)
                add(f"{base}/latest", "301 Moved Permanently", "text/html", b"")
            request = StatusAndHeaders(f"GET /{r['url'].split('/', 3)[3]} HTTP/1.1",
                                       [("Host", host), ("User-Agent", "bench-crawler")],
                                       is_http_request=True)
            writer.write_record(writer.create_warc_record(r["url"], "request",
                                                          http_headers=request))
            add(r["url"], "200 OK", "text/html; charset=utf-8", page(r).encode("utf-8"))
    return path


def ingest_child(inputs: list[str], workers: int) -> dict:
    with tempfile.TemporaryDirectory() as folder:
        db = str(Path(folder) / "ingest.duckdb")
        result = subprocess.run([sys.executable, __file__, "--child", db, str(workers), *inputs],
                                check=True, capture_output=True, text=True, cwd=machine.ROOT)
    return json.loads(result.stdout.strip().splitlines()[-1])


def _child(db: str, workers: int, inputs: list[str]) -> None:
    from triangulate.ingest.runner import ingest
    from triangulate.store import Store

    with Store(db) as store, machine.Measure() as m:
        report = ingest(store, inputs, workers=workers)
    with Store(db, read_only=True) as store:
        words = sum(len(text.split()) for _, text in store.article_texts())
    print(json.dumps({"ingested": report.ingested, "duplicates": report.duplicates,
                      "skipped": len(report.skipped), "words": words,
                      **m.summary()}))


def main() -> None:
    if sys.argv[1:2] == ["--child"]:
        _child(sys.argv[2], int(sys.argv[3]), sys.argv[4:])
        return
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    args = parser.parse_args()

    info = machine.describe()
    print(f"machine: {info['cores']} cores, {info['ram_gb']} GB RAM, Python {info['python']}, "
          f"load {info['load_average']}")
    corpus = synthetic.corpus(args.articles, folder=machine.OUT / "scale")
    records = list(synthetic.read_jsonl(corpus))
    source_words = sum(len(r["text"].split()) for r in records)
    with tempfile.TemporaryDirectory() as folder:
        html_dir = write_html_dir(records, Path(folder) / "html")
        warc = write_warc(records, Path(folder) / "crawl.warc.gz")
        print(f"{len(records):,} articles ({source_words:,} words): "
              f"{sum(f.stat().st_size for f in html_dir.iterdir()) / 2**20:.0f} MB of HTML, "
              f"WARC {warc.stat().st_size / 2**20:.1f} MB gzipped")
        runs = []
        for workers in args.workers:
            for form, inputs in (("jsonl", [str(corpus)]), ("html", [str(html_dir)]),
                                 ("warc", [str(warc)])):
                r = ingest_child(inputs, workers)
                r.update(form=form, workers=workers)
                runs.append(r)
                print(f"  {form} with {workers} worker(s): {r['ingested']:,} articles in "
                      f"{r['seconds']:.1f} s", flush=True)
    rows = [[r["form"], r["workers"], r["ingested"], r["seconds"], r["ingested"] / r["seconds"],
             r["words"] / r["seconds"], r["cpu_seconds"], r["peak_tree_mb"]] for r in runs]
    print()
    print(machine.table(rows, ["input", "workers", "articles", "seconds", "articles/s",
                               "words/s", "CPU s", "peak MB"]))
    for r in runs:
        if r["form"] != "jsonl" and r["words"] < 0.95 * source_words:
            print(f"note: {r['form']} kept {r['words'] / source_words:.0%} of the article words")
    path = machine.write_json("ingest.json", {"machine": info, "articles": len(records),
                                              "source_words": source_words, "runs": runs})
    print(f"-> {path}")


if __name__ == "__main__":
    main()
