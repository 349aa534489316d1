"""The guideline check engine, without Django.

One engine checks posts, channel variants, webcare replies and an employee's own text
("check my own post"). Rules are plain data; a ``RuleSet`` compiles them once (all
confidential terms of all rules go into one Aho-Corasick automaton, so 500 rules cost
little more than 5) and then checks any number of texts.

Rule kinds:

- ``confidential``: terms that must not be published, with variants. Matching ignores
  case, accents and the way words are joined ("Project Zeemeeuw", "project-zeemeeuw",
  "ProjectZeemeeuw"), and only whole words match.
- ``personal_data``: Dutch personal data (BSN, IBAN, KvK, phone, e-mail, postcode with
  house number), found and checksum-validated by ``koers.nlp.personal_data``.
- ``abuse``: profanity, insults, slurs and threats, Dutch and English
  (``koers.nlp.abuse``).
- ``disclosure``: paid content must carry one of the disclosure tags (#ad,
  #advertentie…).
- ``links``: links only to domains on the allow list (subdomains included).

Each finding carries the rule's severity: ``info``, ``warn`` or ``block``.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field

import ahocorasick

from koers.nlp.abuse import find_abuse
from koers.nlp.personal_data import KINDS as PERSONAL_DATA_KINDS
from koers.nlp.personal_data import find_personal_data

KINDS = ("confidential", "personal_data", "abuse", "disclosure", "links")
SEVERITIES = ("info", "warn", "block")
DEFAULT_DISCLOSURE_TAGS = ("#ad", "#advertentie", "#adv", "#sponsored", "#gesponsord")

URL = re.compile(
    r"(?i)\b(?:https?://|www\.)[^\s<>\"']+|\b(?:[a-z0-9-]+\.)+(?:nl|com|org|net|eu|be|de|io|"
    r"app|info|biz|co|uk|social)(?:/[^\s<>\"']*)?"
)


@dataclass(frozen=True)
class Rule:
    """One guideline rule, as the engine needs it."""

    key: str
    kind: str
    severity: str
    terms: tuple[str, ...] = ()  # confidential
    detectors: tuple[str, ...] = ()  # personal_data: a subset of PERSONAL_DATA_KINDS
    allowed_domains: tuple[str, ...] = ()  # links
    disclosure_tags: tuple[str, ...] = DEFAULT_DISCLOSURE_TAGS  # disclosure

    def __post_init__(self):
        if self.kind not in KINDS:
            raise ValueError(f"rule {self.key!r}: unknown kind {self.kind!r}")
        if self.severity not in SEVERITIES:
            raise ValueError(f"rule {self.key!r}: unknown severity {self.severity!r}")
        if self.kind == "confidential" and not any(_normalise(t)[0] for t in self.terms):
            raise ValueError(f"rule {self.key!r}: a confidential rule needs terms")
        unknown = set(self.detectors) - set(PERSONAL_DATA_KINDS)
        if unknown:
            raise ValueError(f"rule {self.key!r}: unknown detector {sorted(unknown)[0]!r}")


@dataclass(frozen=True)
class Finding:
    """Something a rule found: where (character offsets into the text; 0, 0 for what
    is missing, such as a disclosure tag), what, and how severe."""

    rule_key: str
    kind: str
    severity: str
    start: int
    end: int
    match: str
    detail: str = ""


@dataclass(frozen=True)
class CheckResult:
    findings: tuple[Finding, ...] = field(default_factory=tuple)

    @property
    def blocked(self) -> bool:
        return any(f.severity == "block" for f in self.findings)

    @property
    def warnings(self) -> tuple[Finding, ...]:
        return tuple(f for f in self.findings if f.severity == "warn")

    def by_severity(self, severity: str) -> tuple[Finding, ...]:
        return tuple(f for f in self.findings if f.severity == severity)


def _normalise(text: str) -> tuple[str, list[int]]:
    """Lower case, accents removed, every run of non-alphanumerics one space; with,
    for each character of the result, its offset in the original text."""
    out: list[str] = []
    offsets: list[int] = []
    space = True  # collapse leading separators
    for index, char in enumerate(text):
        decomposed = unicodedata.normalize("NFKD", char.casefold())
        base = "".join(c for c in decomposed if not unicodedata.combining(c))
        if base and all(c.isalnum() for c in base):
            for c in base:
                out.append(c)
                offsets.append(index)
            space = False
        elif not space:
            out.append(" ")
            offsets.append(index)
            space = True
    return "".join(out), offsets


def _variants(term: str) -> set[str]:
    """A term as it can be written: with its words apart or joined."""
    normal, _offsets = _normalise(term)
    normal = normal.strip()
    if not normal:
        return set()
    return {normal, normal.replace(" ", "")}


class RuleSet:
    """Rules compiled for fast checking. Build once, check many texts."""

    def __init__(self, rules: Iterable[Rule]):
        self.rules = tuple(rules)
        keys = [rule.key for rule in self.rules]
        if len(keys) != len(set(keys)):
            raise ValueError("two rules share a key")
        self._automaton = ahocorasick.Automaton()
        for position, rule in enumerate(self.rules):
            if rule.kind != "confidential":
                continue
            for term in rule.terms:
                for variant in _variants(term):
                    existing = self._automaton.get(variant, ())
                    self._automaton.add_word(variant, (*existing, (position, variant)))
        self._has_terms = len(self._automaton) > 0
        if self._has_terms:
            self._automaton.make_automaton()
        self._personal = [r for r in self.rules if r.kind == "personal_data"]
        self._detectors = sorted(
            {d for r in self._personal for d in (r.detectors or PERSONAL_DATA_KINDS)}
        )
        self._abuse = [r for r in self.rules if r.kind == "abuse"]
        self._disclosure = [r for r in self.rules if r.kind == "disclosure"]
        self._links = [r for r in self.rules if r.kind == "links"]

    def check(self, text: str, *, paid: bool = False) -> CheckResult:
        """Every finding of every rule in ``text``; ``paid`` asks for disclosure."""
        findings: list[Finding] = []
        if self._has_terms:
            findings += self._confidential(text)
        if self._personal:
            found = find_personal_data(text, self._detectors)
            for rule in self._personal:
                wanted = set(rule.detectors or PERSONAL_DATA_KINDS)
                findings += [
                    Finding(rule.key, rule.kind, rule.severity, p.start, p.end, p.value, p.kind)
                    for p in found
                    if p.kind in wanted
                ]
        if self._abuse:
            found = find_abuse(text)
            for rule in self._abuse:
                findings += [
                    Finding(
                        rule.key,
                        rule.kind,
                        rule.severity,
                        a.start,
                        a.end,
                        text[a.start : a.end],
                        a.category,
                    )
                    for a in found
                ]
        if paid and self._disclosure:
            lowered = text.casefold()
            for rule in self._disclosure:
                tags = [t.casefold() for t in rule.disclosure_tags]
                if not any(re.search(rf"(?<![\w#]){re.escape(t)}(?!\w)", lowered) for t in tags):
                    findings.append(
                        Finding(
                            rule.key,
                            rule.kind,
                            rule.severity,
                            0,
                            0,
                            "",
                            " ".join(rule.disclosure_tags),
                        )
                    )
        if self._links:
            findings += self._check_links(text)
        findings.sort(key=lambda f: (f.start, f.end, f.rule_key))
        return CheckResult(tuple(findings))

    def _confidential(self, text: str) -> list[Finding]:
        normal, offsets = _normalise(text)
        seen: set[tuple[int, int, int]] = set()
        findings = []
        for end, entries in self._automaton.iter(normal):
            for position, variant in entries:
                start = end - len(variant) + 1
                # Whole words only: "zeemeeuw" must not fire inside "zeemeeuwen".
                if start > 0 and normal[start - 1] != " ":
                    continue
                if end + 1 < len(normal) and normal[end + 1] != " ":
                    continue
                span = (position, offsets[start], offsets[end] + 1)
                if span in seen:
                    continue
                seen.add(span)
                rule = self.rules[position]
                findings.append(
                    Finding(
                        rule.key,
                        rule.kind,
                        rule.severity,
                        span[1],
                        span[2],
                        text[span[1] : span[2]],
                        variant,
                    )
                )
        return findings

    def _check_links(self, text: str) -> list[Finding]:
        findings = []
        for match in URL.finditer(text):
            link = match.group(0).rstrip(".,;:!?)")
            host = re.sub(r"(?i)^(?:https?://)?", "", link).split("/")[0].split(":")[0]
            host = host.casefold().removeprefix("www.")
            for rule in self._links:
                allowed = [d.casefold().removeprefix("www.") for d in rule.allowed_domains]
                if not any(host == d or host.endswith("." + d) for d in allowed):
                    findings.append(
                        Finding(
                            rule.key,
                            rule.kind,
                            rule.severity,
                            match.start(),
                            match.start() + len(link),
                            link,
                            host,
                        )
                    )
        return findings


def check(text: str, rules: Iterable[Rule], *, paid: bool = False) -> CheckResult:
    """Compile and check once (for a single text; keep a RuleSet for many)."""
    return RuleSet(rules).check(text, paid=paid)
