"""Duplicate checks before analysis: same canonical URL, same content hash, or MinHash near-duplicate text."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Protocol
from urllib.parse import urldefrag

import courlan
from datasketch import LeanMinHash, MinHash, MinHashLSH

from flows.records import Reason
from flows.settings import DedupSettings
from nlp.text.normalise import canonical_form, content_hash

# affine32 (datasketch >= 2.0) gives uint32 hash values, stable across processes for a fixed seed
MINHASH_SCHEME = "affine32"
# LSH only proposes candidates, each then checked by its estimated Jaccard: trade false positives for recall
# (with the default 0.8, 98.6% of pairs with Jaccard 0.8 become candidates, against 40% with equal weights)
LSH_WEIGHTS = (0.01, 0.99)  # (false positive, false negative)


class Known(Protocol):
    """What is already stored; `Warehouse.known()` returns one."""

    canonical_urls: dict[str, str]  # canonical URL -> article_id
    content_hashes: dict[str, str]  # content hash -> article_id
    signatures: Iterable[tuple[str, list[int]]]  # (article_id, minhash), earliest first


@dataclass
class KnownArticles:
    canonical_urls: dict[str, str] = field(default_factory=dict)
    content_hashes: dict[str, str] = field(default_factory=dict)
    signatures: Iterable[tuple[str, list[int]]] = ()


@dataclass
class DedupVerdict:
    canonical_url: str | None
    content_hash: str
    minhash: list[int]
    duplicate_of: str | None = None
    reason: Reason | None = None
    similarity: float | None = None  # estimated Jaccard for near-duplicates, 1.0 for equal content


def canonical_url(url: str | None) -> str | None:
    """Lowercase scheme and host, default port, tracking parameters and fragment removed; None when not a web URL."""
    if not url:
        return None
    cleaned = courlan.clean_url(url)
    if cleaned is None or not courlan.is_valid_url(cleaned):
        return None
    return urldefrag(cleaned).url


def signature(text: str, settings: DedupSettings | None = None) -> list[int]:
    """MinHash over word shingles of the canonical form of `text`."""
    return _minhash(text, settings or DedupSettings()).hashvalues.tolist()


def _minhash(text: str, settings: DedupSettings) -> MinHash:
    words = canonical_form(text).split()
    size = settings.shingle_words
    shingles = {" ".join(words[start : start + size]).encode() for start in range(max(1, len(words) - size + 1))}
    minhash = MinHash(num_perm=settings.num_perm, seed=settings.seed, scheme=MINHASH_SCHEME)
    minhash.update_batch(list(shingles))
    return minhash


class Deduplicator:
    """Checks articles against those already stored and those accepted earlier in the batch (via `add`)."""

    def __init__(self, settings: DedupSettings, known: Known) -> None:
        self.settings = settings
        self._urls = dict(known.canonical_urls)
        self._hashes = dict(known.content_hashes)
        self._lsh = MinHashLSH(
            threshold=settings.near_duplicate_threshold, num_perm=settings.num_perm, weights=LSH_WEIGHTS
        )
        self._minhashes: dict[str, LeanMinHash] = {}  # lean: no permutation tables kept per article
        self._rank: dict[str, int] = {}  # order added: the lowest rank is the first copy
        for article_id, values in known.signatures:
            self._index(article_id, values)

    def check(self, article_id: str, text: str, url: str | None) -> DedupVerdict:
        """Verdict for one article: duplicate URL, then equal content, then the first near-duplicate copy.

        `article_id` is the incoming article's id; one already stored under it is reported as a duplicate of itself.
        """
        minhash = _minhash(text, self.settings)
        verdict = DedupVerdict(canonical_url(url), content_hash(text), minhash.hashvalues.tolist())
        if verdict.canonical_url in self._urls:
            verdict.duplicate_of, verdict.reason = self._urls[verdict.canonical_url], Reason.DUPLICATE_URL
        elif verdict.content_hash in self._hashes:
            verdict.duplicate_of, verdict.reason = self._hashes[verdict.content_hash], Reason.DUPLICATE_CONTENT
            verdict.similarity = 1.0
        elif match := self._first_near_duplicate(minhash):
            verdict.duplicate_of, verdict.similarity = match
            verdict.reason = Reason.NEAR_DUPLICATE
        return verdict

    def add(self, article_id: str, verdict: DedupVerdict) -> None:
        """Register an accepted article; earlier registrations keep priority as the first copy."""
        if verdict.canonical_url:
            self._urls.setdefault(verdict.canonical_url, article_id)
        self._hashes.setdefault(verdict.content_hash, article_id)
        self._index(article_id, verdict.minhash)

    def _index(self, article_id: str, values: list[int]) -> None:
        if article_id in self._minhashes:
            return
        if len(values) != self.settings.num_perm:
            raise ValueError(
                f"signature of {article_id} has {len(values)} values, settings say num_perm={self.settings.num_perm}"
            )
        minhash = LeanMinHash(seed=self.settings.seed, hashvalues=values, scheme=MINHASH_SCHEME)
        self._minhashes[article_id] = minhash
        self._rank[article_id] = len(self._rank)
        self._lsh.insert(article_id, minhash)

    def _first_near_duplicate(self, minhash: MinHash) -> tuple[str, float] | None:
        for candidate in sorted(self._lsh.query(minhash), key=self._rank.__getitem__):
            similarity = minhash.jaccard(self._minhashes[candidate])
            if similarity >= self.settings.near_duplicate_threshold:
                return candidate, similarity
        return None
