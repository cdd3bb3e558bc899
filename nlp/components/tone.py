"""`rassegna_tone`: news tone of each sentence, of the article, and towards each entity.

Tone is whether the news is good or bad for the actors it is about, not the writer's opinion.
The title and each sentence were encoded by the one pass (`rassegna_encoder`, `Doc._.encoded`), which
gives their tone; each entity mention, in the body (`Doc.ents`) or in the title (`Doc._.title_ents`), is judged
by the entity head on its own tokens of that same pass (no second pass).

- A sentence that joins a quantity and its direction ("i crediti deteriorati scendono", "ordini in calo") has the
  tone they say together (`nlp.tone.quantities`, `data/quantities.yaml`), and so have the mentions in it: the
  model reads the direction word alone.
- The article's net tone is the weighted mean of sentence polarity (P(positive) - P(negative)), the title and
  the lead weighing more, so a factual body does not drown clear good or bad news; past `polar_threshold` it is
  positive or negative.
- The tone towards an entity (`Doc._.entity_tones`, one per canonical entity, and `Span._.tone` of each of its
  mentions) is decided for the article, not averaged over its mentions, so one clear statement is not averaged
  away by neutral ones (`entity_verdict`). An actor of the news shares the article's tone, unless a strong statement
  about it (the mean net tone of its clear statements, |net| >= `clear_statement`, reaches `opposite_statement`)
  says otherwise, or a contest does: a sentence with strong statements (>= `contest_statement`) of both signs
  about actors ("Alstom perde la gara, vinta da Stadler") gives each of them its own. Actors are the organisations
  and people named, by a proper name ("il governo" is none), other than as a cited source ("secondo Goldman Sachs")
  and other than public institutions and states (`Span._.institution`); institutions and places act on the news
  or frame it: they get a tone only from a strong statement about them.
  The tone of each mention alone is `Span._.mention_tone`.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from spacy.language import Language
from spacy.tokens import Doc, Span

from nlp.components.saved_data import SavedWithPipeline
from nlp.gazetteers.names import compact, words
from nlp.settings import ToneSettings
from nlp.tone.quantities import direction_tone, load_quantities

QUANTITIES_FILE = "quantities.yaml"
SAID = {"positive": [0.02, 0.08, 0.9], "negative": [0.9, 0.08, 0.02]}  # a quantity's direction, as probabilities

for _name in ("title", "tone", "title_tone", "sentence_tones", "entity_tones", "title_ents"):
    if not Doc.has_extension(_name):
        Doc.set_extension(_name, default=None)
for _name in ("tone", "mention_tone"):
    if not Span.has_extension(_name):
        Span.set_extension(_name, default=None)

ACTING_LABELS = ("ORG", "PER")  # places frame the news: "a Lecco" shares no tone with the company there
CITING = frozenset(  # words just before a name that cite it as a source rather than name an actor of the news
    {"secondo", "stando", "riporta", "riportato", "riferisce", "riferito", "fonte", "fonti", "analista", "analisti",
     "economista", "economisti", "quotidiano", "agenzia", "intervista", "sondaggio", "rapporto", "according",
     "indagine", "dati", "studio", "osservatorio", "elaborazione", "elaborati", "report", "comunicato", "stime"}
)  # fmt: skip


def verdict(probs, labels: list[str]) -> dict:
    """{label, tone in [-1, 1], score = probability of the label} from class probabilities."""
    probs = np.asarray(probs, dtype=np.float64)
    best = int(probs.argmax())
    tone = probs[labels.index("positive")] - probs[labels.index("negative")]
    return {"label": labels[best], "tone": round(float(tone), 4), "score": round(float(probs[best]), 4)}


def polar_label(tone: float, threshold: float) -> str:
    if abs(tone) < threshold or tone == 0:
        return "neutral"
    return "positive" if tone > 0 else "negative"


@dataclass
class EntityMentions:
    """One canonical entity's mentions in an article: their net tones, and where they are."""

    canonical: str
    label: str
    keys: set[str] = field(default_factory=set)  # compact forms of its names, to find its title mentions
    nets: list[float] = field(default_factory=list)
    in_title: bool = False
    in_lead: bool = False
    institution: bool = False
    named: bool = False  # named at least once other than as a cited source
    spans: list[Span] = field(default_factory=list)
    contested: list[float] = field(default_factory=list)  # its clear statements in contest sentences

    @property
    def mentions(self) -> int:
        return len(self.nets)

    @property
    def actor(self) -> bool:
        return self.label in ACTING_LABELS and self.named and not self.institution


class ToneAnalyser(SavedWithPipeline):
    path_settings = ("quantities",)

    def __init__(self, title_weight: float, lead_sentences: int, lead_weight: float, polar_threshold: float,
                 clear_statement: float, opposite_statement: float, contest_statement: float,
                 quantities: str):  # fmt: skip
        self.title_weight, self.lead_sentences, self.lead_weight = title_weight, lead_sentences, lead_weight
        self.polar_threshold, self.clear_statement = polar_threshold, clear_statement
        self.opposite_statement, self.contest_statement = opposite_statement, contest_statement
        if quantities:
            self.read(Path(quantities))

    def read(self, path: Path) -> None:
        self.quantities_file, self.quantities = path, load_quantities(path)

    def use(self, folder: Path) -> None:
        self.read(folder / QUANTITIES_FILE)

    def to_disk(self, path: str | Path, *, exclude=()) -> None:
        Path(path).mkdir(parents=True, exist_ok=True)
        shutil.copyfile(self.quantities_file, Path(path) / QUANTITIES_FILE)

    def unit_tone(self, text: str, probs) -> tuple[np.ndarray, bool]:
        """The model's tone of a title or sentence, or what its quantity and direction say (and whether they did)."""
        said = direction_tone(text.split(), self.quantities)
        return np.asarray(SAID[said] if said else probs, dtype=np.float64), said is not None

    def __call__(self, doc: Doc) -> Doc:
        encoded = doc._.encoded
        labels = encoded.tone_labels
        title = encoded.title()
        title_tone = self.unit_tone(title.text, title.encoded.tone)[0] if title else None
        doc._.title_tone = verdict(title_tone, labels) if title else None
        sentences = encoded.sentences()
        read = [self.unit_tone(unit.text, unit.encoded.tone) for unit in sentences]
        tones = [probs for probs, _ in read]
        doc._.sentence_tones = [verdict(probs, labels) for probs in tones]
        lead_end = sentences[self.lead_sentences].start if len(sentences) > self.lead_sentences else len(doc.text)
        entities: dict[tuple[str, str], EntityMentions] = {}
        for unit, (probs, overridden) in zip(sentences, read, strict=True):
            end = unit.start + len(unit.text)
            in_sentence = []
            for ent in doc.ents:
                if unit.start <= ent.start_char < end:
                    span = (ent.start_char - unit.start, min(ent.end_char, end) - unit.start)
                    mention = probs if overridden else unit.encoded.target_tone(span)
                    ent._.mention_tone = verdict(mention, labels)
                    key = (ent._.canonical or ent.text, ent.label_)
                    group = entities.setdefault(key, EntityMentions(*key))
                    group.keys |= {compact(ent.text), compact(key[0])}
                    group.nets.append(ent._.mention_tone["tone"])
                    group.spans.append(ent)
                    group.in_lead |= ent.start_char < lead_end
                    group.institution |= bool(ent._.institution)
                    group.named |= not cited(ent) and not ent.text.islower()  # "il governo" names no one
                    in_sentence.append((group, ent._.mention_tone["tone"]))
            self.mark_contest(in_sentence)
        if title:
            for start, end, label in doc._.title_ents or []:
                group = _title_group(entities, title.text[start:end], label)
                group.nets.append(verdict(title.encoded.target_tone((start, end)), labels)["tone"])
                group.in_title = group.named = True
        doc._.tone = self.article_tone(doc, [title_tone] if title else [], tones, labels)
        found = []
        for group in entities.values():
            found.append(self.entity_tone(group, doc._.tone))
            for span in group.spans:
                span._.tone = {"label": found[-1]["label"], "tone": found[-1]["tone"]}
        doc._.entity_tones = sorted(found, key=lambda t: (-t["mentions"], t["canonical"]))
        return doc

    def mark_contest(self, mentions: list[tuple[EntityMentions, float]]) -> None:
        """Strong statements of both signs about actors in one sentence: each actor's own counts."""
        clear = [(group, net) for group, net in mentions if group.actor and abs(net) >= self.contest_statement]
        if any(net > 0 for _, net in clear) and any(net < 0 for _, net in clear):
            for group, net in clear:
                group.contested.append(net)

    def article_tone(self, doc: Doc, title: list, body: list, labels: list[str]) -> dict:
        shares = {
            label: round(sum(v["label"] == label for v in doc._.sentence_tones) / len(body), 4) if body else 0.0
            for label in labels
        }
        probs = [*title, *body]
        if not probs:
            return {"label": "neutral", "tone": 0.0, "score": 0.0, "shares": shares}
        weights = [self.title_weight] * len(title) + [
            self.lead_weight if i < self.lead_sentences else 1.0 for i in range(len(body))
        ]
        weights = np.array(weights)[:, None]
        mean = (np.array(probs) * weights).sum(0) / weights.sum()
        tone = float(mean[labels.index("positive")] - mean[labels.index("negative")])
        label = polar_label(tone, self.polar_threshold)
        return {
            "label": label,
            "tone": round(tone, 4),
            "score": round(float(mean[labels.index(label)]), 4),
            "shares": shares,
        }

    def entity_tone(self, group: EntityMentions, article: dict) -> dict:
        label, tone = entity_verdict(group, article, self.clear_statement, self.opposite_statement)
        return {"canonical": group.canonical, "type": group.label, "label": label, "tone": tone,
                "mentions": group.mentions}  # fmt: skip


def cited(span: Span) -> bool:
    """Whether a mention cites its entity as a source: "secondo Goldman Sachs", "l'analista di UBS"."""
    before = span.doc[max(span.sent.start, span.start - 4) : span.start]
    return any(token.lower_ in CITING for token in before)


def entity_verdict(group: EntityMentions, article: dict, clear: float, opposite: float) -> tuple[str, float]:
    """The tone towards one entity in its article, and its net tone (see the module docstring)."""
    if group.contested:
        contested = float(np.mean(group.contested))
        return polar_label(contested, clear), round(contested, 4)
    statements = [net for net in group.nets if abs(net) >= clear]
    own = float(np.mean(statements)) if statements else 0.0
    own_label = polar_label(own, clear)
    article_label = article["label"]
    if abs(own) >= opposite and (own_label != article_label or not group.actor):
        return own_label, round(own, 4)
    if group.actor and article_label != "neutral":
        return article_label, round(article["tone"], 4)
    return "neutral", round(float(np.mean(group.nets)), 4)


def _title_group(entities: dict[tuple[str, str], EntityMentions], text: str, label: str) -> EntityMentions:
    """The body entity a title mention names (same name, or the one longer name holding its words), else its own."""
    key = compact(text)
    same = [g for g in entities.values() if key in g.keys]
    if not same:
        named = set(words(text))
        same = [g for g in entities.values() if named and named <= set(words(g.canonical))]
    if len(same) == 1 or (same and len({g.canonical for g in same}) == 1):
        return same[0]
    if same:
        return max(same, key=lambda g: (g.label == label, g.mentions))
    return entities.setdefault((text, label), EntityMentions(text, label, {key}))


@Language.factory(
    "rassegna_tone",
    default_config=ToneSettings().model_dump(mode="json", exclude={"factory", "model"}),
    requires=["doc._.encoded", "doc.ents"],
    assigns=["doc._.tone", "doc._.entity_tones", "span._.tone", "span._.mention_tone"],
)
def make_tone_analyser(
    nlp: Language,
    name: str,
    title_weight: float,
    lead_sentences: int,
    lead_weight: float,
    polar_threshold: float,
    clear_statement: float,
    opposite_statement: float,
    contest_statement: float,
    quantities: str,
) -> ToneAnalyser:
    return ToneAnalyser(title_weight, lead_sentences, lead_weight, polar_threshold, clear_statement,
                        opposite_statement, contest_statement, quantities)  # fmt: skip
