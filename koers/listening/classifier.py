"""A per-organisation classifier for sentiment and category, learned from corrections.

When people correct a mention's sentiment or category (``Correction`` rows), the
organisation's own words start to count: "levertijd" may be a complaint for a web shop
and neutral for a bakery. A multinomial naive Bayes on word unigrams and bigrams,
written small (a few hundred lines of scikit-learn's machinery are not needed for a few
thousand short texts), is trained in the background (``enrich_tasks.train_classifier``)
and stored as JSON in ``DATA_DIR/classifiers/<organisation id>.json``.

What it learns from:

- every corrected mention, with the latest correction's value (weight 1);
- as a background, up to ``BACKGROUND_PER_CORRECTION`` times as many recent enriched,
  uncorrected mentions with the label the rules gave them (weight ``BACKGROUND_WEIGHT``).
  Without them a model trained on twenty complaints would call everything a complaint;
  with them it learns what the corrections change *relative to the rules*.

Enrichment uses a field's model once it has ``MINIMUM_CORRECTIONS`` corrections and at
least two classes, and only where it is sure (``MINIMUM_PROBABILITY``) and knows some
of the post's words; otherwise the rules decide.
"""

from __future__ import annotations

import json
import math
import os
import re
from collections import defaultdict
from dataclasses import dataclass
from itertools import pairwise
from pathlib import Path

from django.conf import settings
from django.utils import timezone

from koers.query.tokenize import folded_tokens

MINIMUM_CORRECTIONS = 20
MINIMUM_PROBABILITY = 0.7
BACKGROUND_PER_CORRECTION = 5
BACKGROUND_WEIGHT = 0.3
SMOOTHING = 0.5
FIELDS = ("category", "sentiment")
VERSION = 1

_URL = re.compile(r"https?://\S+|www\.\S+")


def features(text: str) -> list[str]:
    """Word unigrams and bigrams, folded; links and @handles left out."""
    words = [t for t in folded_tokens(_URL.sub(" ", text)) if t[0] != "@"]
    return words + [f"{a} {b}" for a, b in pairwise(words)]


@dataclass(frozen=True, slots=True)
class Prediction:
    label: str
    probability: float


class NaiveBayes:
    """Multinomial naive Bayes with a uniform class prior (the corrections say which
    words matter, not how often each class occurs in the whole stream)."""

    def __init__(self, counts: dict[str, dict[str, float]], corrections: int) -> None:
        self.counts = counts
        self.corrections = corrections
        self.labels = sorted(counts)
        vocabulary: set[str] = set()
        for table in counts.values():
            vocabulary.update(table)
        self.vocabulary = vocabulary
        size = len(vocabulary) or 1
        self._denominator = {
            label: math.log(sum(table.values()) + SMOOTHING * size)
            for label, table in counts.items()
        }

    @classmethod
    def train(cls, examples: list[tuple[str, str, float]], corrections: int) -> NaiveBayes:
        """``examples``: (text, label, weight)."""
        counts: dict[str, defaultdict[str, float]] = {}
        for text, label, weight in examples:
            table = counts.setdefault(label, defaultdict(float))
            for feature in features(text):
                table[feature] += weight
        return cls({label: dict(table) for label, table in counts.items()}, corrections)

    @property
    def usable(self) -> bool:
        return self.corrections >= MINIMUM_CORRECTIONS and len(self.labels) >= 2

    def predict(self, text: str) -> Prediction | None:
        """The most probable label, or None when none of the words is known."""
        known = [f for f in features(text) if f in self.vocabulary]
        if not known or not self.labels:
            return None
        logs = {}
        for label in self.labels:
            table = self.counts[label]
            denominator = self._denominator[label]
            logs[label] = sum(math.log(table.get(f, 0.0) + SMOOTHING) - denominator for f in known)
        top = max(logs.values())
        total = sum(math.exp(v - top) for v in logs.values())
        label = max(logs, key=logs.__getitem__)
        return Prediction(label, math.exp(logs[label] - top) / total)

    def to_json(self) -> dict:
        return {"counts": self.counts, "corrections": self.corrections}

    @classmethod
    def from_json(cls, data: dict) -> NaiveBayes:
        return cls(data["counts"], data["corrections"])


@dataclass
class OrganisationModel:
    """The trained models of one organisation, by field."""

    models: dict[str, NaiveBayes]
    trained_at: str = ""

    def predict(self, field: str, text: str) -> Prediction | None:
        """The model's answer for ``field``, only where it may and is sure to answer."""
        model = self.models.get(field)
        if model is None or not model.usable:
            return None
        prediction = model.predict(text)
        if prediction is None or prediction.probability < MINIMUM_PROBABILITY:
            return None
        return prediction


def path_for(organisation_id: int) -> Path:
    return Path(settings.DATA_DIR) / "classifiers" / f"{int(organisation_id)}.json"


_loaded: dict[int, tuple[float, OrganisationModel]] = {}


def load(organisation_id: int) -> OrganisationModel | None:
    """The organisation's models, read again only when the file changed."""
    path = path_for(organisation_id)
    try:
        modified = path.stat().st_mtime
    except FileNotFoundError:
        _loaded.pop(organisation_id, None)
        return None
    cached = _loaded.get(organisation_id)
    if cached and cached[0] == modified:
        return cached[1]
    data = json.loads(path.read_text())
    if data.get("version") != VERSION:
        return None
    model = OrganisationModel(
        {field: NaiveBayes.from_json(value) for field, value in data["fields"].items()},
        data.get("trained_at", ""),
    )
    _loaded[organisation_id] = (modified, model)
    return model


def _examples(organisation_id: int, field: str) -> tuple[list[tuple[str, str, float]], int]:
    from koers.listening.models import Correction, Mention

    latest: dict[int, str] = {}
    # Newest first: the first value seen per mention is the one that stands.
    for mention_id, value in (
        Correction.objects.filter(organisation_id=organisation_id, field=field)
        .order_by("-at", "-pk")
        .values_list("mention_id", "new_value")
    ):
        latest.setdefault(mention_id, value)
    texts = dict(Mention.objects.filter(pk__in=latest).values_list("pk", "text"))
    examples = [(texts[pk], value, 1.0) for pk, value in latest.items() if pk in texts]
    background = (
        Mention.objects.filter(organisation_id=organisation_id, is_enriched=True)
        .exclude(pk__in=latest)
        .exclude(**{field: ""})
        .order_by("-pk")
        .values_list("text", field)[: BACKGROUND_PER_CORRECTION * len(examples)]
    )
    examples += [(text, value, BACKGROUND_WEIGHT) for text, value in background]
    return examples, len(latest)


def train(organisation_id: int) -> OrganisationModel:
    """Train the organisation's models from its corrections and store them."""
    models = {}
    for field in FIELDS:
        examples, corrections = _examples(organisation_id, field)
        models[field] = NaiveBayes.train(examples, corrections)
    trained_at = timezone.now().isoformat()
    path = path_for(organisation_id)
    path.parent.mkdir(parents=True, exist_ok=True)
    data = {
        "version": VERSION,
        "trained_at": trained_at,
        "fields": {field: model.to_json() for field, model in models.items()},
    }
    # Written beside and renamed: a reader never sees half a file.
    temporary = path.with_suffix(".tmp")
    temporary.write_text(json.dumps(data, separators=(",", ":")))
    os.replace(temporary, path)
    _loaded.pop(organisation_id, None)
    return OrganisationModel(models, trained_at)
