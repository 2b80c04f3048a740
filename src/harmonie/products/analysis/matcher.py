"""UPL suggestions for local product titles: neighbours + label text + a calibrated re-ranker.

How a suggestion is scored (see docs/producten-upl.md):

1. Every text becomes three sparse TF-IDF vectors: title character n-grams (3–4, within words),
   title word features and title+abstract word features (stems, compound parts, synonyms; see
   ``text.Normaliser``; abstract: HTML stripped, first 600 characters).
2. Evidence per UPL name: (a) votes of the 30 most similar distinct learned titles (similarity⁴-weighted),
   once with title similarity and once with title+abstract similarity, plus the tags of exactly the same
   title; (b) similarity of the title to the UPL label text and coverage of the label's words; (c)
   similarity to the centroid of the records tagged with the name and a naive-Bayes score; (d) how often
   the name is used and whether the audience (particulier/ondernemer) fits.
3. The 15 best candidates per title are scored by a conditional-logit ranker (softmax over a title's
   candidates) whose weights are fitted during ``learn`` on held-out municipalities (cross-validation
   grouped by municipality); an isotonic map fitted on the same held-out predictions turns the result into
   a calibrated probability: a score of 0.9 means "right in about 90 % of the cases".

Cold (no ``learn`` yet): only the label-text evidence, with fixed weights and a fixed calibration.
Pure Python + numpy/scipy; no Django.
"""

from __future__ import annotations

import io
import multiprocessing as mp
import os
import re
import json
import math
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp

from .calibration import Isotonic, fit_logistic, fit_softmax_ranker, logistic_predict, softmax_predict
from .synonyms import PHRASES
from .text import _TOKEN, STOPWORDS, Normaliser, char_ngrams, fold, stem, tokens
from .upl import UplEntry

FORMAT_VERSION = 1
K_NEIGHBOURS = 30  # neighbours (distinct learned titles) that vote
N_CANDIDATES = 15  # candidates per title scored by the ranker
POWER = 4.0  # vote weight = similarity ** POWER
NEIGHBOUR_FLOOR = 0.3  # neighbours less similar than this share of the best one do not vote
W_CHAR, W_WORD, W_BODY = 0.45, 0.30, 0.4  # title chars vs title words (title similarity), and body share
ABSTRACT_CHARS = 600  # the lead of the abstract carries the evidence; the rest mostly noise
NB_ALPHA = 0.1  # naive-Bayes smoothing
CHAR_MAX = 4  # character n-grams 3..4
MAX_DF_CHAR = 0.03  # drop character n-grams in more than 3 % of the titles
MAX_DF_WORD = 0.1  # and words in more than 10 %
EXPAND = False  # squares/roots of features for the ranker: +0.1 pt top-1 but worse calibration
INTERACT = True  # every feature also times "the title is known": separate weights for known and new titles
_HTML = re.compile(r"<[^>]{0,200}>|&[a-z]+;|&#[0-9]+;")
# Calibration of the cold score (label text only), fitted once on 3,000 tagged SC records (isotonic; on
# another 3,000: ECE 0.025, top-1 0.63, top-3 0.77). Refit when the cold score formula in ``_score`` changes.
COLD_CALIBRATION = {
    "xs": [0.0, 0.068, 0.130, 0.174, 0.218, 0.265, 0.317, 0.372, 0.469, 0.578, 0.682, 0.775, 0.861, 0.979, 1.2],
    "ys": [0.0, 0.0, 0.017, 0.044, 0.068, 0.098, 0.109, 0.114, 0.205, 0.303, 0.447, 0.669, 0.739, 0.964, 0.97],
}
CHUNK = 512
RANKER = "softmax"
MAX_WORKERS = 2
PARALLEL_FROM = 4 * 512
_FORKED = None


def _suggest_part(a: int, b: int):
    """Runs in a forked worker: the matcher and the inputs were inherited from the parent."""
    matcher, titles, abstracts, audiences, k = _FORKED
    return matcher._suggest_range(titles[a:b], abstracts[a:b], audiences[a:b], k)


@dataclass
class LabelledRecord:
    title: str
    upl_uris: Sequence[str]
    abstract: str = ""
    audience: str = ""
    group: str | None = None


def title_key(title: str) -> str:
    """Identity of a title for exact matching: folded tokens (case, accents and punctuation ignored)."""
    return " ".join(tokens(title))


_PAREN = re.compile(r"\([^)]*\)")


def loose_key(title: str) -> str:
    """A looser identity: stems of the words outside parentheses, stop words dropped, order ignored
    ("Bijstand voor zelfstandigen (Bbz)" = "Bijstand zelfstandigen")."""
    return " ".join(sorted({stem(t) for t in tokens(_PAREN.sub(" ", title)) if t not in STOPWORDS}))


def text_key(title: str, abstract: str | None) -> str:
    """Identity of a product text: the title key plus the lead of the abstract (HTML and case ignored);
    municipalities that take their texts from the same supplier share it, and mostly its tags too."""
    return title_key(title) + "\x00" + abstract_lead(abstract)


def abstract_lead(abstract: str | None) -> str:
    return " ".join(tokens(_HTML.sub(" ", (abstract or "")[:400])))[:200]


def audience_flags(audience: str | None) -> tuple[float, float]:
    text = fold(audience or "")
    return (1.0 if "particulier" in text or "burger" in text else 0.0, 1.0 if "ondernemer" in text or "bedrijf" in text else 0.0)


class _Block:
    """A TF-IDF vocabulary: feature → column, idf weights; rows sublinear-tf × idf, L2-normalised."""

    def __init__(self, vocab: dict[str, int], idf: np.ndarray):
        self.vocab = vocab
        self.idf = idf.astype(np.float32)

    @classmethod
    def fit(cls, docs: Iterable[list[str]], min_df: int = 1, max_df: float = 1.0) -> "_Block":
        """Vocabulary of features in at least ``min_df`` docs and at most a share ``max_df`` of them
        (very common features add little to a cosine but make the sparse products slow)."""
        df: Counter = Counter()
        n = 0
        for doc in docs:
            df.update(set(doc))
            n += 1
        limit = max(max_df * n, 10)
        feats = sorted(f for f, c in df.items() if min_df <= c <= limit)
        vocab = {f: i for i, f in enumerate(feats)}
        idf = np.array([math.log((n + 1) / (df[f] + 1)) + 1.0 for f in feats], dtype=np.float32)
        return cls(vocab, idf)

    def transform(self, docs: Sequence[list[str]]) -> sp.csr_matrix:
        vocab_get = self.vocab.get
        n_docs = len(docs)
        lens = np.fromiter((len(d) for d in docs), dtype=np.int64, count=n_docs)
        cols = np.fromiter((vocab_get(f, -1) for d in docs for f in d), dtype=np.int64, count=int(lens.sum()))
        return self.from_columns(lens, cols)

    def columns(self, feats: Iterable[str]) -> tuple[int, ...]:
        get = self.vocab.get
        return tuple(c for c in (get(f, -1) for f in feats) if c >= 0)

    def from_columns(self, lens: np.ndarray, cols: np.ndarray) -> sp.csr_matrix:
        """The TF-IDF rows of documents given as column numbers (``lens[i]`` columns for document i; -1 = unknown)."""
        n_docs = len(lens)
        n_feat = max(len(self.vocab), 1)
        rows = np.repeat(np.arange(n_docs, dtype=np.int64), lens)
        cols = np.asarray(cols, dtype=np.int64)
        keep = cols >= 0
        keys, counts = np.unique(rows[keep] * n_feat + cols[keep], return_counts=True)
        r, c = keys // n_feat, keys % n_feat
        data = (1.0 + np.log(counts.astype(np.float32))) * self.idf[c]
        m = sp.csr_matrix((data.astype(np.float32), (r, c)), shape=(n_docs, len(self.vocab)))
        return _l2(m)


def _l2(m: sp.csr_matrix) -> sp.csr_matrix:
    norms = np.sqrt(np.asarray(m.multiply(m).sum(axis=1)).ravel())
    norms[norms == 0] = 1.0
    return sp.csr_matrix(sp.diags((1.0 / norms).astype(np.float32)) @ m)


def _dense(m) -> np.ndarray:
    return np.asarray(m.toarray() if sp.issparse(m) else m, dtype=np.float32)


FEATURES = (
    "vs_full", "vs_title", "max_full", "max_title", "vs_full_x_top", "vs_title_x_top",
    "lab_char", "lab_word", "lab_body", "lab_gap", "centroid", "centroid_gap",
    "log_prior", "audience", "gemeente", "top_title", "vs_gap", "seen_x_vs", "cover", "cover_title",
    "nb_gap", "nb_post", "exact", "has_exact", "loose", "has_loose", "same_text", "has_same_text",
)


class UplMatcher:
    """Suggest UPL names for product titles. ``learn`` from labelled records; ``suggest`` top-k."""

    def __init__(self, upl_entries: Iterable[UplEntry]):
        entries = [e for e in upl_entries if not e.withdrawn]
        self.entries: list[UplEntry] = entries
        self.index = {e.uri: i for i, e in enumerate(entries)}
        self.normaliser = Normaliser(e.label for e in entries)
        self.trained = False
        self.weights: np.ndarray | None = None
        self.mean: np.ndarray | None = None
        self.std: np.ndarray | None = None
        self.calibration = Isotonic.from_dict(COLD_CALIBRATION)
        self.stats: dict = {}
        self.title_keys: list[str] = []
        self.title_keys2: list[str] = []
        self.record_keys: list[str] = []
        self._fit_blocks([], [], [])
        self._set_training(sp.csr_matrix((0, 1)), sp.csr_matrix((0, 1)), np.zeros(0, np.int64), sp.csr_matrix((0, 1)), sp.csr_matrix((0, len(entries))), np.zeros((0, 2), np.float32))

    # ------------------------------------------------------------------ features
    def _docs(self, titles: Sequence[str], abstracts: Sequence[str] | None):
        norm = self.normaliser
        chars = [char_ngrams(t, 3, CHAR_MAX) for t in titles]
        words = [norm.words(t) for t in titles]
        if abstracts is None:
            body = [list(w) for w in words]
        else:
            body = [w + norm.words(_HTML.sub(" ", (a or "")[: ABSTRACT_CHARS * 2])[:ABSTRACT_CHARS]) for w, a in zip(words, abstracts)]
        return chars, words, body

    def _label_docs(self):
        labels = [e.label for e in self.entries]
        return self._docs(labels, None)

    def _fit_blocks(self, chars, words, body):
        lc, lw, lb = self._label_docs()
        self.b_char = _Block.fit(list(chars) + lc, max_df=MAX_DF_CHAR)
        self.b_word = _Block.fit(list(words) + lw, max_df=MAX_DF_WORD)
        self.b_body = _Block.fit(list(body) + lb, max_df=MAX_DF_WORD)
        self._reset_caches()
        self.L_char = self.b_char.transform(lc)
        self.L_word = self.b_word.transform(lw)
        self.L_body = self.b_body.transform(lb)
        self._label_cover()
        self.gemeente = np.array([1.0 if e.gemeente else 0.0 for e in self.entries], dtype=np.float32)
        aud = np.array([[float(e.burger), float(e.bedrijf)] for e in self.entries], dtype=np.float32).reshape(-1, 2)
        self.label_audience = aud

    def _label_cover(self):
        """Label word coverage: share of a label's (idf-weighted) word features found in the query."""
        self.L_cover = self._cover_matrix(self.L_body, self.b_body)
        self.L_cover_word = self._cover_matrix(self.L_word, self.b_word)

    @staticmethod
    def _cover_matrix(lm, block):
        lb = lm.copy()
        if lb.nnz:
            lb.data = block.idf[lb.indices].copy()
        sums = np.asarray(lb.sum(axis=1)).ravel()
        sums[sums == 0] = 1.0
        return sp.csr_matrix(sp.diags((1.0 / sums).astype(np.float32)) @ lb).T.tocsr()

    def _vectors(self, titles, abstracts):
        """The three TF-IDF matrices of queries; the same as transforming ``_docs`` but through per-token
        caches of column numbers (a token's n-grams, stems, compound parts and synonyms are worked out once)."""
        tok_cols = self._tok_cols
        text_cache = self._text_cache
        if len(text_cache) > 200_000:
            text_cache.clear()
        if len(tok_cols) > 500_000:
            tok_cols.clear()
            self._char_cols.clear()
        c_lens, w_lens, b_lens = [], [], []
        c_cols: list[int] = []
        w_cols: list[int] = []
        b_cols: list[int] = []
        for i, title in enumerate(titles):
            entry = text_cache.get(title)
            if entry is None:
                toks, extra = self._word_tokens(title)
                cc, wc, bc = [], [], []
                char_cols = self._char_cols
                for tok in toks:
                    cols = tok_cols.get(tok) or self._token_columns(tok)
                    cc.extend(char_cols.get(tok) or self._token_char_columns(tok))
                    wc.extend(cols[0])
                    bc.extend(cols[1])
                for tok in extra:
                    cols = tok_cols.get(tok) or self._token_columns(tok)
                    wc.extend(cols[0])
                    bc.extend(cols[1])
                entry = text_cache[title] = (tuple(cc), tuple(wc), tuple(bc))
            c_cols.extend(entry[0])
            w_cols.extend(entry[1])
            c_lens.append(len(entry[0]))
            w_lens.append(len(entry[1]))
            b = entry[2]
            a = abstracts[i] if abstracts is not None else ""
            if a:
                key = "\x01" + a[: ABSTRACT_CHARS * 2]
                ab = text_cache.get(key)
                if ab is None:
                    toks, extra = self._word_tokens(_HTML.sub(" ", a[: ABSTRACT_CHARS * 2])[:ABSTRACT_CHARS])
                    bc = []
                    for tok in toks + extra:
                        bc.extend((tok_cols.get(tok) or self._token_columns(tok))[1])
                    ab = text_cache[key] = tuple(bc)
                b_cols.extend(b)
                b_cols.extend(ab)
                b_lens.append(len(b) + len(ab))
            else:
                b_cols.extend(b)
                b_lens.append(len(b))
        return (
            self.b_char.from_columns(np.array(c_lens, np.int64), np.array(c_cols, np.int64)),
            self.b_word.from_columns(np.array(w_lens, np.int64), np.array(w_cols, np.int64)),
            self.b_body.from_columns(np.array(b_lens, np.int64), np.array(b_cols, np.int64)),
        )

    @staticmethod
    def _word_tokens(text: str) -> tuple[list[str], list[str]]:
        """The folded tokens of a text and the tokens its phrases add (see ``Normaliser.words``)."""
        toks = _TOKEN.findall(fold(text))
        extra: list[str] = []
        if PHRASES:
            joined = " " + " ".join(toks) + " "
            for phrase, expansion in PHRASES.items():
                if phrase in joined:
                    extra.extend(tokens(expansion))
        return toks, extra

    def _token_columns(self, tok: str):
        """Columns of one token in the title-word and body-word vocabularies (cached)."""
        feats = self.normaliser.token_features(tok)
        cols = (self.b_word.columns(feats), self.b_body.columns(feats))
        self._tok_cols[tok] = cols
        return cols

    def _token_char_columns(self, tok: str):
        """Columns of the character n-grams of one title token (cached)."""
        padded = f" {tok} "
        cols = self.b_char.columns(padded[i : i + n] for n in range(3, CHAR_MAX + 1) for i in range(len(padded) - n + 1))
        self._char_cols[tok] = cols
        return cols

    def _keys(self, titles, abstracts):
        """``title_key``, ``loose_key`` and ``text_key`` of queries (cached per title and per abstract)."""
        cache = self._key_cache
        if len(cache) > 200_000:
            cache.clear()
        k1, k2, k3 = [], [], []
        for title, abstract in zip(titles, abstracts):
            keys = cache.get(title)
            if keys is None:
                keys = cache[title] = (title_key(title), loose_key(title))
            lead_key = "\x01" + (abstract or "")[:400]
            lead = cache.get(lead_key)
            if lead is None:
                lead = cache[lead_key] = abstract_lead(abstract)
            k1.append(keys[0])
            k2.append(keys[1])
            k3.append(keys[0] + "\x00" + lead)
        return k1, k2, k3

    def _reset_caches(self):
        self._key_cache: dict[str, object] = {}
        self._tok_cols: dict[str, tuple] = {}
        self._char_cols: dict[str, tuple] = {}
        self._text_cache: dict[str, tuple] = {}

    @staticmethod
    def _title_matrix(c, w):
        a = math.sqrt(W_CHAR / (W_CHAR + W_WORD))
        b = math.sqrt(W_WORD / (W_CHAR + W_WORD))
        return sp.hstack([c * a, w * b], format="csr", dtype=np.float32)

    def _set_training(self, u_char, u_word, title_id, t_body, y, audience):
        """Training data: unique-title matrices, each record's title row, record body vectors, tags."""
        self.U_char, self.U_word, self.title_id, self.T_body = u_char, u_word, np.asarray(title_id, np.int64), t_body
        self.Y = sp.csr_matrix(y, dtype=np.float32)
        self.train_audience = audience
        self._prepare()

    def _prepare(self, rows: np.ndarray | None = None):
        """Derived arrays for a training subset (all rows when ``rows`` is None)."""
        if self.T_body.shape[0] == 0:
            self._tt = None
            return
        tid, tb, y, aud = self.title_id, self.T_body, self.Y, self.train_audience
        if rows is not None:
            tid, tb, y, aud = tid[rows], tb[rows], y[rows], aud[rows]
        uniq, rec_title = np.unique(tid, return_inverse=True)
        u_title = self._title_matrix(self.U_char, self.U_word)[uniq]
        self._tt = u_title.T.tocsr()
        self._rec_title = rec_title.ravel()
        keys = getattr(self, "title_keys", None) or []
        self._key_pos = {keys[u]: i for i, u in enumerate(uniq)} if keys else {}
        member = sp.csr_matrix((np.ones(len(tid), np.float32), (self._rec_title, np.arange(len(tid)))), shape=(len(uniq), len(tid)))
        self._y_title = sp.csr_matrix(member @ y)
        rkeys = getattr(self, "record_keys", None) or []
        self._key3_pos: dict[str, int] = {}
        if rkeys:
            recs = np.arange(len(self.title_id)) if rows is None else rows
            k3_of = np.array([self._key3_pos.setdefault(rkeys[r], len(self._key3_pos)) for r in recs], np.int64)
            m3 = sp.csr_matrix((np.ones(len(recs), np.float32), (k3_of, np.arange(len(recs)))), shape=(len(self._key3_pos), len(recs)))
            self._y_key3 = sp.csr_matrix(m3 @ y)
        keys2 = getattr(self, "title_keys2", None) or []
        self._key2_pos: dict[str, int] = {}
        if keys2:
            k2_of = np.array([self._key2_pos.setdefault(keys2[u], len(self._key2_pos)) for u in uniq], np.int64)
            m2 = sp.csr_matrix((np.ones(len(uniq), np.float32), (k2_of, np.arange(len(uniq)))), shape=(len(self._key2_pos), len(uniq)))
            self._y_key2 = sp.csr_matrix(m2 @ member @ y)
        # one body vector per distinct title: the normalised sum of its records' title+abstract vectors
        self._tb = _l2(sp.csr_matrix(member @ tb)).T.tocsr()
        self._y = y
        full = sp.hstack([u_title[self._rec_title] * math.sqrt(1 - W_BODY), tb * math.sqrt(W_BODY)], format="csr")
        cent = _l2(sp.csr_matrix(y.T @ full))
        self._centroid_t = cent.T.tocsr()
        # multinomial naive Bayes over title+abstract word presence (sparse form of log P(w|c))
        xb = tb.copy()
        xb.data[:] = 1.0
        yb_ = sp.csr_matrix((y > 0).astype(np.float32))
        ncw = sp.csr_matrix(yb_.T @ xb)
        n_feat = tb.shape[1]
        nc = np.asarray(ncw.sum(axis=1)).ravel()
        ncw.data = np.log1p(ncw.data / NB_ALPHA).astype(np.float32)
        self._nb_t = ncw.T.tocsr()
        self._nb_base = (math.log(NB_ALPHA) - np.log(nc + NB_ALPHA * n_feat)).astype(np.float32)
        counts = np.asarray((y > 0).sum(axis=0)).ravel().astype(np.float32)
        self._nb_prior = np.log((counts + 0.1) / (counts.sum() + 0.1)).astype(np.float32)
        self._log_prior = np.log1p(counts)
        yb = (y > 0).astype(np.float32)
        with np.errstate(invalid="ignore", divide="ignore"):
            frac = np.asarray(yb.T @ aud) / np.maximum(counts[:, None], 1)
        self._train_label_audience = np.where(counts[:, None] > 0, frac, 0.5).astype(np.float32)

    def _evidence(self, q_char, q_word, q_body, q_aud, keys=None, keys2=None, keys3=None):
        """Dense per-label evidence arrays for a chunk of queries."""
        n = q_char.shape[0]
        n_labels = len(self.entries)
        lab_char = _dense(q_char @ self.L_char.T)
        lab_word = _dense(q_word @ self.L_word.T)
        lab_body = _dense(q_body @ self.L_body.T)
        qb = q_body.copy()
        qb.data[:] = 1.0
        cover = _dense(qb @ self.L_cover)
        qw = q_word.copy()
        qw.data[:] = 1.0
        cover_title = _dense(qw @ self.L_cover_word)
        ev = {"lab_char": lab_char, "lab_word": lab_word, "lab_body": lab_body, "cover": cover, "cover_title": cover_title}
        if self._tt is None:
            zeros = np.zeros((n, n_labels), np.float32)
            for key in ("vs_full", "vs_title", "max_full", "max_title", "centroid", "nb_gap", "nb_post", "exact", "loose", "same_text"):
                ev[key] = zeros
            ev["top_full"] = np.zeros(n, np.float32)
            ev["top_title"] = np.zeros(n, np.float32)
            ev["log_prior"] = np.zeros(n_labels, np.float32)
            aud_l = self.label_audience
        else:
            q_title = self._title_matrix(q_char, q_word)
            s_title = _dense(q_title @ self._tt)
            s_body = _dense(q_body @ self._tb)
            s_full = (1 - W_BODY) * s_title + W_BODY * s_body
            for name, s, y in (("full", s_full, self._y_title), ("title", s_title, self._y_title)):
                vs, mx, top = self._votes(s, y)
                ev["vs_" + name], ev["max_" + name], ev["top_" + name] = vs, mx, top
            q_full = sp.hstack([q_title * math.sqrt(1 - W_BODY), q_body * math.sqrt(W_BODY)], format="csr")
            ev["centroid"] = _dense(q_full @ self._centroid_t)
            # the tags of exactly the same title elsewhere (share per label)
            exact = np.zeros((n, n_labels), np.float32)
            if keys is not None and self._key_pos:
                pos = np.fromiter((self._key_pos.get(k_, -1) for k_ in keys), dtype=np.int64, count=n)
                hit = np.flatnonzero(pos >= 0)
                if hit.size:
                    rows_ = _dense(self._y_title[pos[hit]])
                    exact[hit] = rows_ / np.maximum(rows_.sum(axis=1, keepdims=True), 1e-9)
            ev["exact"] = exact
            loose = np.zeros((n, n_labels), np.float32)
            if keys2 is not None and self._key2_pos:
                pos = np.fromiter((self._key2_pos.get(k_, -1) for k_ in keys2), dtype=np.int64, count=n)
                hit = np.flatnonzero(pos >= 0)
                if hit.size:
                    rows_ = _dense(self._y_key2[pos[hit]])
                    loose[hit] = rows_ / np.maximum(rows_.sum(axis=1, keepdims=True), 1e-9)
            ev["loose"] = loose
            same = np.zeros((n, n_labels), np.float32)
            if keys3 is not None and self._key3_pos:
                pos = np.fromiter((self._key3_pos.get(k_, -1) for k_ in keys3), dtype=np.int64, count=n)
                hit = np.flatnonzero(pos >= 0)
                if hit.size:
                    rows_ = _dense(self._y_key3[pos[hit]])
                    same[hit] = rows_ / np.maximum(rows_.sum(axis=1, keepdims=True), 1e-9)
            ev["same_text"] = same
            qb1 = q_body.copy()
            qb1.data[:] = 1.0
            n_tok = np.asarray(qb1.sum(axis=1)).ravel().astype(np.float32)
            ll = _dense(qb1 @ self._nb_t) + n_tok[:, None] * self._nb_base[None, :] + self._nb_prior[None, :]
            per_tok = (ll - ll.max(axis=1, keepdims=True)) / np.maximum(n_tok, 1)[:, None]
            ev["nb_gap"] = per_tok
            e = np.exp(3.0 * per_tok)
            ev["nb_post"] = e / e.sum(axis=1, keepdims=True)
            ev["log_prior"] = self._log_prior
            aud_l = self._train_label_audience
        has = q_aud.sum(axis=1, keepdims=True) > 0
        fit = (q_aud @ aud_l.T) / np.maximum(q_aud.sum(axis=1, keepdims=True), 1)
        ev["audience"] = np.where(has, fit, 0.5).astype(np.float32)
        return ev

    def _votes(self, s: np.ndarray, y):
        """Similarity⁴-weighted votes of the ``K_NEIGHBOURS`` most similar learned titles (share per label), the
        highest neighbour similarity per label and per query. Neighbours below ``NEIGHBOUR_FLOOR`` × the best
        similarity of the query are left out (their weight would be under 1 % of the best one's): that keeps
        the selection to a sort of a few dozen values per query instead of a partition of every row."""
        n, m = s.shape
        n_labels = y.shape[1]
        top = s.max(axis=1) if m else np.zeros(n, np.float32)
        if m == 0:
            z = np.zeros((n, n_labels), np.float32)
            return z, z, top
        rows, cols = np.nonzero(s >= np.maximum(top * NEIGHBOUR_FLOOR, 1e-6)[:, None])
        sims = s[rows, cols]
        order = np.lexsort((-sims, rows))
        rows, cols, sims = rows[order], cols[order], sims[order]
        rank = np.arange(len(rows)) - np.searchsorted(rows, np.arange(n))[rows]
        keep = rank < K_NEIGHBOURS
        rows, cols, sims = rows[keep], cols[keep], sims[keep]
        wm = sp.csr_matrix((sims ** POWER, (rows, cols)), shape=(n, m))
        votes = _dense(wm @ y)
        vs = votes / np.maximum(votes.sum(axis=1, keepdims=True), 1e-9)
        # max neighbour similarity per label
        mx = np.zeros((n, n_labels), np.float32)
        starts, ends = y.indptr[cols], y.indptr[cols + 1]
        lens = ends - starts
        total_len = int(lens.sum())
        if total_len:
            offsets = np.repeat(starts - np.concatenate([[0], np.cumsum(lens)[:-1]]), lens)
            lab = y.indices[offsets + np.arange(total_len)]
            np.maximum.at(mx, (np.repeat(rows, lens), lab), np.repeat(sims, lens))
        return vs, mx, top

    def _candidate_features(self, ev, k: int = 0):
        prelim = ev["vs_full"] + ev["vs_title"] + 0.5 * (ev["lab_char"] + ev["lab_word"]) + 0.5 * ev["centroid"] + ev["nb_post"] + ev["exact"] + ev["loose"]
        n, n_labels = prelim.shape
        m = min(max(N_CANDIDATES, k), n_labels)
        cand = np.argpartition(-prelim, m - 1, axis=1)[:, :m]

        def g(name):
            return np.take_along_axis(ev[name], cand, axis=1)

        vs_full, vs_title = g("vs_full"), g("vs_title")
        lab_char, lab_word, lab_body = g("lab_char"), g("lab_word"), g("lab_body")
        lab = 0.5 * (lab_char + lab_word)
        centroid = g("centroid")
        top_full = ev["top_full"][:, None] * np.ones((1, m), np.float32)
        top_title = ev["top_title"][:, None] * np.ones((1, m), np.float32)
        seen = (top_title > 0.98).astype(np.float32)
        feats = np.stack(
            [
                vs_full, vs_title, g("max_full"), g("max_title"), vs_full * top_full, vs_title * top_title,
                lab_char, lab_word, lab_body, lab - lab.max(axis=1, keepdims=True), centroid,
                centroid - centroid.max(axis=1, keepdims=True), ev["log_prior"][cand] if ev["log_prior"].size else np.zeros_like(lab),
                g("audience"), self.gemeente[cand], top_title, vs_full - vs_full.max(axis=1, keepdims=True), seen * vs_title,
                g("cover"), g("cover_title"), g("nb_gap"), g("nb_post"),
                g("exact"), np.broadcast_to(ev["exact"].max(axis=1, keepdims=True), lab.shape),
                g("loose"), np.broadcast_to(ev["loose"].max(axis=1, keepdims=True), lab.shape),
                g("same_text"), np.broadcast_to(ev["same_text"].max(axis=1, keepdims=True), lab.shape),
            ],
            axis=2,
        )
        if INTERACT:
            has = (ev["exact"].max(axis=1) > 0).astype(np.float32)[:, None, None]
            feats = np.concatenate([feats, feats * has], axis=2)
        if EXPAND:
            # a little non-linearity for the linear ranker: squares and square roots of every feature
            feats = np.concatenate([feats, feats * feats, np.sqrt(np.abs(feats))], axis=2)
        return cand, feats

    def _score(self, feats: np.ndarray) -> np.ndarray:
        n, m, d = feats.shape
        flat = feats.reshape(-1, d)
        if self.weights is None:
            # cold: label text only (fixed weights, see docs)
            raw = 0.5 * flat[:, 6] + 0.35 * flat[:, 7] + 0.15 * flat[:, 8] + 0.1 * flat[:, 9] + 0.03 * flat[:, 14]
            return self.calibration(raw).reshape(n, m)
        z = ((flat - self.mean) / self.std).reshape(n, m, d)
        raw = softmax_predict(self.weights, z) if RANKER == "softmax" else logistic_predict(self.weights, z.reshape(-1, d)).reshape(n, m)
        return self.calibration(raw)

    # ------------------------------------------------------------------ public API
    def suggest(self, title: str, abstract: str | None = None, audience: str | None = None, k: int = 3):
        return self.suggest_many([title], [abstract or ""], [audience or ""], k=k)[0]

    def suggest_many(
        self,
        titles,
        abstracts=None,
        audiences=None,
        k: int = 3,
        progress: Callable[[int], None] | None = None,
        workers: int | None = None,
    ):
        """Top-k ``(uri, label, score)`` per title; score is the calibrated probability of a hit.

        Large batches are split over ``workers`` forked processes (default: up to 2, the machine's cores).
        """
        titles = list(titles)
        n = len(titles)
        abstracts = list(abstracts) if abstracts is not None else [""] * n
        audiences = list(audiences) if audiences is not None else [""] * n
        # identical products (same title, abstract lead and audience) are scored once
        keys: dict[tuple, int] = {}
        which = [keys.setdefault((t, (a or "")[:ABSTRACT_CHARS * 2], u or ""), len(keys)) for t, a, u in zip(titles, abstracts, audiences)]
        if len(keys) < n:
            first = {}
            for i, j in enumerate(which):
                first.setdefault(j, i)
            order = [first[j] for j in range(len(keys))]
            done = [0]

            def relay(step):
                done[0] += step
                if progress:
                    progress(step * n // max(len(keys), 1))

            unique = self.suggest_many(
                [titles[i] for i in order], [abstracts[i] for i in order], [audiences[i] for i in order],
                k=k, progress=relay if progress else None, workers=workers,
            )
            return [unique[j] for j in which]
        if workers is None:
            workers = min(MAX_WORKERS, os.cpu_count() or 1)
        if workers > 1 and n >= PARALLEL_FROM and "fork" in mp.get_all_start_methods():
            return self._suggest_parallel(titles, abstracts, audiences, k, progress, workers)
        return self._suggest_range(titles, abstracts, audiences, k, progress)

    def _suggest_range(self, titles, abstracts, audiences, k, progress=None):
        n = len(titles)
        out: list[list[tuple[str, str, float]]] = []
        for start in range(0, n, CHUNK):
            sl = slice(start, start + CHUNK)
            cand, probs = self._rank(titles[sl], abstracts[sl], audiences[sl], k)
            order = np.argsort(-probs, axis=1, kind="stable")[:, :k]
            top_c = np.take_along_axis(cand, order, axis=1)
            top_p = np.take_along_axis(probs, order, axis=1)
            uris, labels = self._uris_labels()
            for row_c, row_p in zip(top_c.tolist(), np.round(top_p.astype(np.float64), 4).tolist()):
                out.append([(uris[c], labels[c], p) for c, p in zip(row_c, row_p)])
            if progress:
                progress(min(CHUNK, n - start))
        return out

    def _uris_labels(self):
        cached = getattr(self, "_ul_cache", None)
        if cached is None or len(cached[0]) != len(self.entries):
            cached = self._ul_cache = ([e.uri for e in self.entries], [e.label for e in self.entries])
        return cached

    def _suggest_parallel(self, titles, abstracts, audiences, k, progress, workers):
        global _FORKED
        n = len(titles)
        parts = max(workers * 4, 1)
        bounds = [(n * i // parts, n * (i + 1) // parts) for i in range(parts)]
        _FORKED = (self, titles, abstracts, audiences, k)
        results: dict[int, list] = {}
        try:
            with ProcessPoolExecutor(max_workers=workers, mp_context=mp.get_context("fork")) as pool:
                futures = {pool.submit(_suggest_part, a, b): a for a, b in bounds if b > a}
                for fut in as_completed(futures):
                    results[futures[fut]] = fut.result()
                    if progress:
                        progress(len(results[futures[fut]]))
        finally:
            _FORKED = None
        return [row for a, _ in bounds if a in results for row in results[a]]

    def _rank(self, titles, abstracts, audiences, k=3):
        q_char, q_word, q_body = self._vectors(titles, abstracts)
        q_aud = np.array([audience_flags(a) for a in audiences], dtype=np.float32).reshape(-1, 2)
        ev = self._evidence(q_char, q_word, q_body, q_aud, *self._keys(titles, abstracts))
        cand, feats = self._candidate_features(ev, k)
        return cand, self._score(feats)

    def learn(self, records: Iterable[LabelledRecord], folds: int = 5, progress: Callable[[str], None] | None = None) -> dict:
        """Learn from labelled records (tags outside the current list are ignored) and fit calibration."""
        kept: list[LabelledRecord] = []
        label_ids: list[list[int]] = []
        ignored = 0
        for rec in records:
            ids = [self.index[u] for u in rec.upl_uris if u in self.index]
            if not ids or not (rec.title or "").strip():
                ignored += 1
                continue
            kept.append(rec)
            label_ids.append(sorted(set(ids)))
        if not kept:
            self.stats = {"records": 0, "ignored": ignored}
            return self.stats
        titles = [r.title for r in kept]
        abstracts = [r.abstract or "" for r in kept]
        self.normaliser.add_vocabulary(titles)
        chars, words, body = self._docs(titles, abstracts)
        self._fit_blocks(chars, words, body)
        keys = [title_key(t) for t in titles]
        key_id: dict[str, int] = {}
        title_id = np.array([key_id.setdefault(k_, len(key_id)) for k_ in keys], np.int64)
        self.title_keys = list(key_id)
        first = np.zeros(len(key_id), np.int64)
        first[title_id[::-1]] = np.arange(len(keys))[::-1]
        self.title_keys2 = [loose_key(titles[i]) for i in first]
        self.record_keys = [text_key(t, a) for t, a in zip(titles, abstracts)]
        u_char = self.b_char.transform([chars[i] for i in first])
        u_word = self.b_word.transform([words[i] for i in first])
        t_body = self.b_body.transform(body)
        n = len(kept)
        data = np.concatenate([np.full(len(ids), 1.0 / len(ids), np.float32) for ids in label_ids])
        indices = np.concatenate([np.asarray(ids, np.int32) for ids in label_ids])
        indptr = np.concatenate([[0], np.cumsum([len(ids) for ids in label_ids])])
        y = sp.csr_matrix((data, indices, indptr), shape=(n, len(self.entries)))
        aud = np.array([audience_flags(r.audience) for r in kept], dtype=np.float32)
        self._set_training(u_char, u_word, title_id, t_body, y, aud)

        # --- cross-validated candidate features, grouped by municipality when known
        groups = [r.group or "" for r in kept]
        uniq = sorted(set(groups))
        rng = np.random.default_rng(7)
        if len(uniq) >= folds:
            perm = rng.permutation(len(uniq))
            gfold = {g: int(perm[i] % folds) for i, g in enumerate(uniq)}
            fold_of = np.array([gfold[g] for g in groups])
        else:
            fold_of = rng.integers(0, folds, n)
        all_feats, all_y, all_q = [], [], []
        top1_hits = []
        for f in range(folds):
            test = np.flatnonzero(fold_of == f)
            train = np.flatnonzero(fold_of != f)
            if len(test) == 0 or len(train) == 0:
                continue
            if progress:
                progress(f"kruisvalidatie {f + 1}/{folds}")
            self._prepare(train)
            for start in range(0, len(test), CHUNK):
                rows = test[start : start + CHUNK]
                ev = self._evidence(
                    u_char[title_id[rows]], u_word[title_id[rows]], t_body[rows], aud[rows],
                    [self.title_keys[title_id[r]] for r in rows],
                    [self.title_keys2[title_id[r]] for r in rows],
                    [self.record_keys[r] for r in rows],
                )
                cand, feats = self._candidate_features(ev)
                truth = np.zeros_like(cand, dtype=np.float32)
                for i, r in enumerate(rows):
                    truth[i] = np.isin(cand[i], label_ids[r])
                all_feats.append(feats)
                all_y.append(truth)
        self._prepare()
        feats = np.concatenate(all_feats)
        truth = np.concatenate(all_y)
        d = feats.shape[2]
        flat = feats.reshape(-1, d).astype(np.float64)
        yflat = truth.reshape(-1).astype(np.float64)
        self.mean = flat.mean(axis=0)
        self.std = flat.std(axis=0) + 1e-6
        z = (flat - self.mean) / self.std
        if RANKER == "softmax":
            self.weights = fit_softmax_ranker(z.reshape(feats.shape), truth, l2=1.0)
            raw = softmax_predict(self.weights, z.reshape(feats.shape)).reshape(-1)
        else:
            self.weights = fit_logistic(z, yflat, l2=1.0)
            raw = logistic_predict(self.weights, z)
        self.calibration = Isotonic.fit(raw, yflat, min_block=50)
        cal = self.calibration(raw).reshape(truth.shape)
        best = np.argmax(cal, axis=1)
        top1 = truth[np.arange(len(best)), best]
        self.trained = True
        self.stats = {
            "records": n,
            "ignored": ignored,
            "labels_used": int((np.asarray(self.Y.sum(axis=0)).ravel() > 0).sum()),
            "cv_top1": round(float(top1.mean()), 4),
            "cv_candidate_recall": round(float((truth.max(axis=1) > 0).mean()), 4),
            "groups": len(uniq),
        }
        return self.stats

    # ------------------------------------------------------------------ persistence
    def to_bytes(self) -> bytes:
        """Compact numpy ``.npz`` (no pickle): vocabularies, idf, training matrices, weights, calibration."""
        arrays: dict[str, np.ndarray] = {}
        meta = {
            "version": FORMAT_VERSION,
            "entries": [[e.uri, e.label, e.end_date, e.burger, e.bedrijf, e.gemeente] for e in self.entries],
            "vocabulary": sorted(self.normaliser.vocabulary),
            "trained": self.trained,
            "calibration": self.calibration.to_dict(),
            "stats": self.stats,
            "title_keys": getattr(self, "title_keys", []),
            "title_keys2": getattr(self, "title_keys2", []),
            "record_keys": getattr(self, "record_keys", []),
        }
        for name in ("char", "word", "body"):
            block = getattr(self, "b_" + name)
            feats = sorted(block.vocab, key=block.vocab.get)
            arrays[f"vocab_{name}"] = np.array("\x00".join(feats).encode("utf-8"), dtype=bytes).reshape(1) if feats else np.array([b""])
            arrays[f"idf_{name}"] = block.idf
            t = {"char": self.U_char, "word": self.U_word, "body": self.T_body}[name].tocsr()
            arrays[f"T_{name}_data"] = t.data.astype(np.float16)
            arrays[f"T_{name}_indices"] = t.indices.astype(np.int32)
            arrays[f"T_{name}_indptr"] = t.indptr.astype(np.int64)
            arrays[f"T_{name}_shape"] = np.array(t.shape, np.int64)
        arrays["Y_data"], arrays["Y_indices"], arrays["Y_indptr"] = self.Y.data, self.Y.indices.astype(np.int32), self.Y.indptr.astype(np.int64)
        arrays["Y_shape"] = np.array(self.Y.shape, np.int64)
        arrays["audience"] = self.train_audience.astype(np.float32)
        arrays["title_id"] = self.title_id.astype(np.int64)
        if self.weights is not None:
            arrays["weights"], arrays["mean"], arrays["std"] = self.weights, self.mean, self.std
        # the word features of every token met while learning (titles, abstracts, labels), so a fresh process
        # does not have to stem and split them again
        cache = self.normaliser._cache
        arrays["token_features"] = np.frombuffer(
            "\x00".join(tok + "\x01" + "\x01".join(feats) for tok, feats in cache.items()).encode("utf-8"), dtype=np.uint8
        )
        arrays["meta"] = np.frombuffer(json.dumps(meta).encode("utf-8"), dtype=np.uint8)
        buf = io.BytesIO()
        np.savez_compressed(buf, **arrays)
        return buf.getvalue()

    @classmethod
    def from_bytes(cls, payload: bytes) -> "UplMatcher":
        with np.load(io.BytesIO(payload), allow_pickle=False) as z:
            arrays = {k: z[k] for k in z.files}
        meta = json.loads(arrays["meta"].tobytes().decode("utf-8"))
        if meta.get("version") != FORMAT_VERSION:
            raise ValueError(f"onbekende modelversie {meta.get('version')}")
        self = cls.__new__(cls)
        self.entries = [UplEntry(uri=u, label=l, end_date=d, burger=b, bedrijf=f, gemeente=g) for u, l, d, b, f, g in meta["entries"]]
        self.index = {e.uri: i for i, e in enumerate(self.entries)}
        self.normaliser = Normaliser()
        self.normaliser.vocabulary = set(meta["vocabulary"])
        if "token_features" in arrays and arrays["token_features"].size:
            for item in arrays["token_features"].tobytes().decode("utf-8").split("\x00"):
                tok, *feats = item.split("\x01")
                self.normaliser._cache[tok] = tuple(f for f in feats if f)
        self.trained = meta["trained"]
        self.calibration = Isotonic.from_dict(meta["calibration"])
        self.stats = meta.get("stats", {})
        self.title_keys = meta.get("title_keys", [])
        self.title_keys2 = meta.get("title_keys2", [])
        self.record_keys = meta.get("record_keys", [])
        for name in ("char", "word", "body"):
            raw = arrays[f"vocab_{name}"][0].decode("utf-8")
            feats = raw.split("\x00") if raw else []
            setattr(self, "b_" + name, _Block({f: i for i, f in enumerate(feats)}, arrays[f"idf_{name}"]))
        self._reset_caches()
        lc, lw, lb = self._label_docs()
        self.L_char, self.L_word, self.L_body = self.b_char.transform(lc), self.b_word.transform(lw), self.b_body.transform(lb)
        self._label_cover()
        self.gemeente = np.array([1.0 if e.gemeente else 0.0 for e in self.entries], dtype=np.float32)
        self.label_audience = np.array([[float(e.burger), float(e.bedrijf)] for e in self.entries], dtype=np.float32).reshape(-1, 2)
        mats = {}
        for name in ("char", "word", "body"):
            mats[name] = sp.csr_matrix(
                (arrays[f"T_{name}_data"].astype(np.float32), arrays[f"T_{name}_indices"], arrays[f"T_{name}_indptr"]),
                shape=tuple(arrays[f"T_{name}_shape"]),
            )
        y = sp.csr_matrix((arrays["Y_data"], arrays["Y_indices"], arrays["Y_indptr"]), shape=tuple(arrays["Y_shape"]))
        self.weights = arrays.get("weights")
        self.mean = arrays.get("mean")
        self.std = arrays.get("std")
        self._set_training(mats["char"], mats["word"], arrays["title_id"], mats["body"], y, arrays["audience"])
        return self
