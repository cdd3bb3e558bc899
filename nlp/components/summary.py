"""`rassegna_summary`: an extractive summary (`Doc._.summary`) and key phrases (`Doc._.keyphrases`).

The summary is the article's own best `sentences` sentences, in their original order (sentences are also
cut at line breaks, so a headline is not glued to the first sentence). A sentence's score mixes its
TextRank centrality (PageRank over the cosine similarity of the sentences' content lemmas) with a lead
bias 1 / (1 + position), since news put the facts first:
`(1 - lead_weight) * centrality / max centrality + lead_weight * lead`. Skipped: sentences under
`min_sentence_words` words or mostly inside quotation marks, near-repeats of a chosen sentence and, when
enough others remain, lines without final punctuation (headlines, captions).

Key phrases are YAKE! candidates (Italian, up to `keyphrase_words` words), kept in YAKE's order when
they occur in the text as written (not across a line break), do not start or end with a stop word, a
weekday or a verb form (by simplemma's lemma; a participle may end a phrase: "amministratore delegato"),
hold no stop word other than a preposition or "e", are not only ever a piece of a longer capitalised
name ("Jones Industrial Average"), and do not repeat the content lemmas of a better phrase. A single
word must be a capitalised name or acronym.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable

import networkx as nx
import simplemma
import yake
from spacy.lang.en.stop_words import STOP_WORDS as ENGLISH_STOP_WORDS
from spacy.language import Language
from spacy.tokens import Doc, Span, Token

from nlp.settings import SummarySettings

for _name, _default in (("summary", None), ("keyphrases", None)):
    if not Doc.has_extension(_name):
        Doc.set_extension(_name, default=_default)

# prepositions (simple, articulated, elided) and "e": the only stop words allowed inside a key phrase
ARTICLES = ("l", "llo", "lla", "i", "gli", "lle", "ll'")
CONNECTORS = frozenset(
    ["di", "a", "da", "in", "con", "su", "per", "tra", "fra", "e", "ed", "d'", "and", "of", "&"]
    + [preposition + article for preposition in ("de", "a", "da", "ne", "su") for article in ARTICLES]
)
QUOTE_PAIRS = {"«": "»", "“": "”", '"': '"'}
QUOTE_MARK = re.compile('[«»“”"]')
INFINITIVE = ("are", "ere", "ire", "rre")
PARTICIPLE = re.compile(r"(?:at|it|ut|ost|ess|ott|ers|ist|ert)[oaie]$")
# never the first or last word of a key phrase, beside the stop words
EDGE_WORDS = frozenset(
    ["lunedì", "martedì", "mercoledì", "giovedì", "venerdì", "sabato", "domenica"]
    + ["presso", "oltre", "dopo", "verso", "durante", "circa", "rispetto", "secondo"]
    + ["soprattutto", "particolare", "inoltre", "ancora", "sempre", "ormai", "anche"]
)
FINAL = tuple('.!?…»”"')


def quotations(text: str) -> list[tuple[int, int]]:
    """Character ranges between paired quote marks; an unclosed quote runs to the end of its line."""
    found, opening, start = [], "", 0
    for mark in QUOTE_MARK.finditer(text):
        if not opening and mark.group() in QUOTE_PAIRS:
            opening, start = mark.group(), mark.start()
        elif opening and mark.group() == QUOTE_PAIRS[opening]:
            found.append((start, mark.end()))
            opening = ""
    if opening:
        end = text.find("\n", start)
        found.append((start, len(text) if end < 0 else end))
    return found


def quoted_share(span: Span, quoted: list[tuple[int, int]]) -> float:
    """The share of the span's words that lie inside quotation marks."""
    words = [token.idx for token in span if token.is_alpha]
    inside = sum(any(start <= idx < end for start, end in quoted) for idx in words)
    return inside / len(words) if words else 0.0


def clean_text(span: Span, quoted: list[tuple[int, int]]) -> str:
    """The span's text on one line, without a quote mark the sentencizer cut from its quotation."""
    text = span.text.strip()
    start = span.start_char + len(span.text) - len(span.text.lstrip())
    if text[-1:] in QUOTE_PAIRS and start + len(text) - 1 in {begin for begin, _ in quoted}:
        text = text[:-1]
    if text[:1] in QUOTE_PAIRS.values() and start in {end - 1 for _, end in quoted}:
        text = text[1:]
    return " ".join(text.split())


def lines(sent: Span) -> list[Span]:
    """The sentence cut at line breaks, without the breaks."""
    pieces, start = [], sent.start
    for token in sent:
        if token.is_space and "\n" in token.text:
            pieces.append(sent.doc[start : token.i])
            start = token.i + 1
    pieces.append(sent.doc[start : sent.end])
    return [piece for piece in pieces if len(piece)]


def content_lemmas(span: Span) -> frozenset[str]:
    return frozenset(
        (token.lemma_ or token.text).lower()
        for token in span
        if token.is_alpha and not token.is_stop and len(token) > 2
    )


def cosine(a: frozenset[str], b: frozenset[str]) -> float:
    return len(a & b) / math.sqrt(len(a) * len(b)) if a and b else 0.0


def centrality(bags: list[frozenset[str]]) -> list[float]:
    """TextRank: PageRank over sentences linked by the cosine of their content lemmas."""
    graph = nx.Graph()
    graph.add_nodes_from(range(len(bags)))
    for i, a in enumerate(bags):
        for j in range(i + 1, len(bags)):
            if weight := cosine(a, bags[j]):
                graph.add_edge(i, j, weight=weight)
    ranks = nx.pagerank(graph, weight="weight")
    return [ranks[i] for i in range(len(bags))]


def verb_form(word: str) -> bool:
    """An inflected verb (annuncia, utilizzato): simplemma's lemma is a different, infinitive word."""
    lemma = simplemma.lemmatize(word, lang="it").lower()
    return lemma != word.lower() and lemma.endswith(INFINITIVE)


def _capitalised(token: Token) -> bool:
    return token.is_title or (token.is_upper and token.is_alpha)


def _cut_from_name(span: Span) -> bool:
    doc = span.doc
    before = span.start > 0 and _capitalised(doc[span.start - 1]) and not doc[span.start - 1].is_sent_start
    after = span.end < len(doc) and _capitalised(doc[span.end])
    return (before and _capitalised(span[0])) or (after and _capitalised(span[-1]))


def inside_longer_name(doc: Doc, text: str, phrase: str) -> bool:
    """Every occurrence of `phrase` in `text` (the doc's) is a piece of a longer capitalised name ("Uniti" of
    "Stati Uniti")."""
    found = [doc.char_span(m.start(), m.end()) for m in re.finditer(re.escape(phrase), text)]
    spans = [span for span in found if span is not None]
    return bool(spans) and all(_cut_from_name(span) for span in spans)


def _near(a: frozenset[str], b: frozenset[str]) -> bool:
    """One phrase's content lemmas contain the other's, or they share at least half of them."""
    return a <= b or b <= a or len(a & b) >= 0.5 * len(a | b)


class Summariser:
    def __init__(
        self,
        nlp: Language,
        sentences: int,
        keyphrases: int,
        min_sentence_words: int,
        lead_weight: float,
        max_overlap: float,
        keyphrase_words: int,
    ):
        self.tokenizer = nlp.tokenizer
        self.stop_words = frozenset(nlp.Defaults.stop_words) | ENGLISH_STOP_WORDS
        self.sentences, self.keyphrases = sentences, keyphrases
        self.min_sentence_words, self.lead_weight, self.max_overlap = min_sentence_words, lead_weight, max_overlap
        self.yake = yake.KeywordExtractor(lan="it", n=keyphrase_words, top=5 * keyphrases)

    def __call__(self, doc: Doc) -> Doc:
        doc._.summary = self.summarise(doc)
        doc._.keyphrases = self.extract_keyphrases(doc)
        return doc

    def pipe(self, docs: Iterable[Doc], batch_size: int = 32) -> Iterable[Doc]:
        for doc in docs:
            yield self(doc)

    def candidates(self, doc: Doc) -> list[tuple[Span, str]]:
        """Sentences a summary may use, with their clean text, in article order."""
        quoted = quotations(doc.text)
        usable = [
            (piece, clean_text(piece, quoted))
            for sent in doc.sents
            for piece in lines(sent)
            if sum(token.is_alpha for token in piece) >= self.min_sentence_words and quoted_share(piece, quoted) <= 0.5
        ]
        finished = [(piece, text) for piece, text in usable if text.endswith(FINAL)]
        return finished if len(finished) >= min(self.sentences, len(usable)) else usable

    def summarise(self, doc: Doc) -> str:
        """The best sentences, in article order, joined by a space."""
        sentences = self.candidates(doc)
        if not sentences:
            return ""
        bags = [content_lemmas(sent) for sent, _ in sentences]
        ranks = centrality(bags)
        top = max(ranks)
        scores = [
            (1 - self.lead_weight) * rank / top + self.lead_weight / (1 + position)
            for position, rank in enumerate(ranks)
        ]
        chosen: list[int] = []
        for index in sorted(range(len(sentences)), key=lambda i: -scores[i]):
            if all(cosine(bags[index], bags[other]) <= self.max_overlap for other in chosen):
                chosen.append(index)
            if len(chosen) == self.sentences:
                break
        return " ".join(sentences[i][1] for i in sorted(chosen))

    def extract_keyphrases(self, doc: Doc) -> list[str]:
        text = doc.text  # built from the tokens on every access
        if not text.strip():
            return []
        lemma_of = {token.lower_: (token.lemma_ or token.text).lower() for token in doc}
        kept: list[str] = []
        kept_lemmas: list[frozenset[str]] = []
        for phrase, _ in self.yake.extract_keywords(text):
            words = [token.lower_ for token in self.tokenizer(phrase)]
            if phrase not in text or not self._well_formed(words):
                continue
            if (len(words) == 1 and not phrase[0].isupper()) or inside_longer_name(doc, text, phrase):
                continue
            lemmas = frozenset(lemma_of.get(word, word) for word in words if word not in self.stop_words)
            if any(_near(lemmas, other) for other in kept_lemmas):
                continue
            kept.append(phrase)
            kept_lemmas.append(lemmas)
            if len(kept) == self.keyphrases:
                break
        return kept

    def _well_formed(self, words: list[str]) -> bool:
        if not words or any(word in self.stop_words or word in EDGE_WORDS for word in (words[0], words[-1])):
            return False
        if not all(re.search(r"[^\W\d_]", word) for word in (words[0], words[-1])):
            return False
        if verb_form(words[0]) or (verb_form(words[-1]) and not PARTICIPLE.search(words[-1])):
            return False
        if PARTICIPLE.search(words[0]) and simplemma.lemmatize(words[0], lang="it") != words[0]:
            return False  # nominata a capo, prevista dal Chapter
        return all(word in CONNECTORS or word not in self.stop_words for word in words[1:-1])


_DEFAULTS = SummarySettings()


@Language.factory(
    "rassegna_summary",
    default_config={
        "sentences": _DEFAULTS.sentences,
        "keyphrases": _DEFAULTS.keyphrases,
        "min_sentence_words": _DEFAULTS.min_sentence_words,
        "lead_weight": _DEFAULTS.lead_weight,
        "max_overlap": _DEFAULTS.max_overlap,
        "keyphrase_words": _DEFAULTS.keyphrase_words,
    },
    requires=["doc.sents", "token.lemma"],
    assigns=["doc._.summary", "doc._.keyphrases"],
)
def make_summariser(
    nlp: Language,
    name: str,
    sentences: int,
    keyphrases: int,
    min_sentence_words: int,
    lead_weight: float,
    max_overlap: float,
    keyphrase_words: int,
) -> Summariser:
    return Summariser(nlp, sentences, keyphrases, min_sentence_words, lead_weight, max_overlap, keyphrase_words)
