"""Dutch text normalisation for product titles: folding, tokens, stems, compounds, synonyms.

Pure Python. ``Normaliser`` is built once with a vocabulary (UPL labels plus learned
titles) and caches every token it has seen, so normalising many titles is cheap.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

import snowballstemmer

from .synonyms import BASE_WORDS, PHRASES, SYNONYMS

_TOKEN = re.compile(r"[a-z0-9]+")
_STEMMER = snowballstemmer.stemmer("dutch")
# Dutch linking elements (tussenklanken) between the parts of a compound.
_LINKS = ("", "s", "en", "e", "er")
# Very short parts that are still meaningful heads/modifiers.
_SHORT_PARTS = frozenset({"kap", "bed", "bus", "tax", "wet", "gas", "ijs", "zon", "vis", "hek", "weg", "pas", "tuin", "boot", "brug", "hond", "huis", "bouw", "boom", "kind", "zorg", "land", "dak", "auto"})
_MIN_PART = 4
_MIN_SPLIT = 7
STOPWORDS = frozenset(
    "de het een en of van voor in op aan met bij naar uit over door als te om tot die dat dit deze u uw je jij wij we "
    "ik is zijn wordt worden kan kunt moet mag niet geen ook er hoe wat wie waar wanneer welke nog al meer dan zo "
    "the a an of for to and in on at by with your you is are be how what".split()
)


def fold(text: str) -> str:
    """Lowercase and strip accents (é→e, ë→e, ĳ→ij); mojibake-tolerant enough for titles."""
    text = text or ""
    if text.isascii():
        return text.lower()
    text = unicodedata.normalize("NFKD", text.replace("’", "'").replace("ĳ", "ij").replace("Ĳ", "IJ"))
    return text.encode("ascii", "ignore").decode("ascii").lower()


def tokens(text: str) -> list[str]:
    """Folded alphanumeric tokens (hyphens and punctuation split words)."""
    return _TOKEN.findall(fold(text))


def stem(token: str) -> str:
    return _STEMMER.stemWord(token)


class Normaliser:
    """Turns text into word features: stems of tokens, of compound parts and of synonyms."""

    def __init__(self, vocabulary: Iterable[str] = ()):
        self.vocabulary: set[str] = set()
        self._cache: dict[str, tuple[str, ...]] = {}
        self._split_cache: dict[str, list[str] | None] = {}
        self.add_vocabulary(vocabulary)

    def add_vocabulary(self, words: Iterable[str]) -> None:
        for word in words:
            for tok in tokens(word):
                if len(tok) >= _MIN_PART or tok in _SHORT_PARTS:
                    self.vocabulary.add(tok)
        self.vocabulary.update(_SHORT_PARTS)
        self.vocabulary.update(BASE_WORDS)
        self._cache.clear()
        self._split_cache.clear()

    # -- compounds -----------------------------------------------------------
    def split_compound(self, token: str) -> list[str]:
        """Split a compound into known parts, e.g. omgevingsvergunning → [omgeving, vergunning].

        Tries the longest known tail first (the head of a Dutch compound is its last part) with the
        linking s/en/e/er dropped from the modifier; both sides are split further when possible.
        Returns ``[token]`` when no split into known parts exists.
        """
        parts = self._split(token, 0)
        return parts or [token]

    def _known(self, part: str) -> bool:
        return part in self.vocabulary and (len(part) >= _MIN_PART or part in _SHORT_PARTS)

    def _parts(self, part: str, depth: int) -> list[str] | None:
        """Parts of a known-or-splittable piece, or None."""
        sub = self._split(part, depth + 1) if len(part) >= _MIN_SPLIT else None
        if sub:
            return sub
        return [part] if self._known(part) else None

    def _split(self, token: str, depth: int) -> list[str] | None:
        if depth > 4 or len(token) < _MIN_SPLIT:
            return None
        if token in self._split_cache:
            return self._split_cache[token]
        result = self._split_uncached(token, depth)
        self._split_cache[token] = result
        return result

    def _split_uncached(self, token: str, depth: int) -> list[str] | None:
        # the last part must be a known word: try the longest known tail first (split further when it can be)
        for cut in range(3, len(token) - 2):
            tail = token[cut:]
            if not self._known(tail):
                continue
            tail_parts = self._parts(tail, depth)
            if not tail_parts:
                continue
            head_full = token[:cut]
            for link in _LINKS:
                if link and not head_full.endswith(link):
                    continue
                head = head_full[: len(head_full) - len(link)] if link else head_full
                if len(head) < 3:
                    continue
                head_parts = self._parts(head, depth)
                if head_parts:
                    return head_parts + tail_parts
        return None

    # -- features ------------------------------------------------------------
    def token_features(self, tok: str) -> tuple[str, ...]:
        cached = self._cache.get(tok)
        if cached is not None:
            return cached
        feats: list[str] = []
        if tok in STOPWORDS or (len(tok) < 2 and not tok.isdigit()):
            self._cache[tok] = ()
            return ()
        feats.append(stem(tok))
        for part in self.split_compound(tok) if len(tok) >= _MIN_SPLIT else ():
            if part != tok:
                s = stem(part)
                if s not in feats:
                    feats.append(s)
        for syn in SYNONYMS.get(tok, ()):
            for stok in tokens(syn):
                if stok in STOPWORDS:
                    continue
                s = stem(stok)
                if s not in feats:
                    feats.append(s)
                for part in self.split_compound(stok) if len(stok) >= _MIN_SPLIT else ():
                    sp = stem(part)
                    if sp not in feats:
                        feats.append(sp)
        out = tuple(feats)
        self._cache[tok] = out
        return out

    def words(self, text: str) -> list[str]:
        """Word features of a text (stems, compound parts, synonym expansions)."""
        folded = fold(text)
        toks = _TOKEN.findall(folded)
        out: list[str] = []
        for tok in toks:
            out.extend(self.token_features(tok))
        if PHRASES:
            joined = " " + " ".join(toks) + " "
            for phrase, expansion in PHRASES.items():
                if phrase in joined:
                    for stok in tokens(expansion):
                        out.extend(self.token_features(stok))
        return out


def char_ngrams(text: str, low: int = 3, high: int = 5) -> list[str]:
    """Character n-grams within word boundaries (like scikit-learn's ``char_wb``) of the folded text."""
    out: list[str] = []
    for tok in tokens(text):
        padded = f" {tok} "
        n_chars = len(padded)
        for n in range(low, high + 1):
            if n > n_chars:
                break
            out.extend(padded[i : i + n] for i in range(n_chars - n + 1))
    return out
