"""How inputs are read beyond the paths themselves."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import BinaryIO

from triangulate.ingest.fetch import Network, Policy, fetch


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
