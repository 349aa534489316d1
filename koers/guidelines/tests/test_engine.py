"""The guideline check engine: every rule kind, with true and false positives."""

import pytest

from koers.guidelines.engine import Rule, RuleSet, check

ZEEMEEUW = Rule("secret", "confidential", "block", terms=("Project Zeemeeuw", "ZM-2027"))


def _spans(result):
    return [(f.rule_key, f.match) for f in result.findings]


@pytest.mark.parametrize(
    "text",
    [
        "Binnenkort: Project Zeemeeuw!",
        "binnenkort project-zeemeeuw",
        "Ons #ProjectZeemeeuw komt eraan",
        "PROJECT   ZEEMEEUW",
        "Projéct Zeemeeuw",
        "Codenaam zm 2027 gaat live",
    ],
)
def test_confidential_terms_match_their_variants(text):
    result = check(text, [ZEEMEEUW])
    assert result.blocked
    assert [f.rule_key for f in result.findings] == ["secret"]


@pytest.mark.parametrize(
    "text",
    [
        "De zeemeeuwen zijn terug op het strand.",
        "Projectzeemeeuwen",  # a longer word: not the term
        "Geen geheimen hier.",
    ],
)
def test_confidential_terms_do_not_match_inside_other_words(text):
    assert check(text, [ZEEMEEUW]).findings == ()


def test_offsets_point_into_the_original_text_after_emoji():
    text = "🎉🎉 Nieuws over project-zeemeeuw vandaag"
    finding = check(text, [ZEEMEEUW]).findings[0]
    assert text[finding.start : finding.end] == "project-zeemeeuw"


def test_personal_data_is_checksum_validated():
    rules = [Rule("pd", "personal_data", "block")]
    assert [f.detail for f in check("Mijn BSN is 111222333.", rules).findings] == ["bsn"]
    assert check("Ordernummer 123456789 is verzonden.", rules).findings == ()
    iban = check("Maak over naar NL91 ABNA 0417 1643 00 graag", rules).findings
    assert [f.detail for f in iban] == ["iban"]
    assert check("Maak over naar NL91 ABNA 0417 1643 01 graag", rules).findings == ()


def test_a_rule_can_pick_its_detectors():
    rules = [Rule("mail", "personal_data", "warn", detectors=("email",))]
    result = check("Mail jan@example.nl of bel 06-12345678", rules)
    assert [f.detail for f in result.findings] == ["email"]
    assert not result.blocked and len(result.warnings) == 1


def test_abuse_is_found():
    rules = [Rule("abuse", "abuse", "block")]
    assert check("Wat een klootzak ben jij", rules).blocked
    assert not check("Wat een fijne collega ben jij", rules).blocked


def test_paid_content_needs_a_disclosure_tag():
    rules = [Rule("ad", "disclosure", "block")]
    assert check("Probeer onze nieuwe fiets!", rules, paid=True).blocked
    assert not check("Probeer onze nieuwe fiets! #advertentie", rules, paid=True).blocked
    assert not check("Probeer onze nieuwe fiets! #AD", rules, paid=True).blocked
    assert not check("Probeer onze nieuwe fiets!", rules, paid=False).blocked
    assert check("Lees #adverteren tips", rules, paid=True).blocked, "#adverteren is no tag"


def test_links_only_to_allowed_domains():
    rules = [Rule("links", "links", "warn", allowed_domains=("vandijkfietsen.nl",))]
    text = (
        "Zie https://www.vandijkfietsen.nl/e-bikes en shop.vandijkfietsen.nl, "
        "niet http://evil.example.com/x."
    )
    result = check(text, rules)
    assert [(f.detail, f.match) for f in result.findings] == [
        ("evil.example.com", "http://evil.example.com/x")
    ]


def test_severities_and_result():
    rules = [ZEEMEEUW, Rule("mail", "personal_data", "info", detectors=("email",))]
    result = check("project zeemeeuw, mail info@example.nl", rules)
    assert result.blocked
    assert [f.severity for f in result.findings] == ["block", "info"]
    assert result.by_severity("info")[0].match == "info@example.nl"


@pytest.mark.parametrize(
    ("rule", "message"),
    [
        (dict(key="x", kind="nonsense", severity="warn"), "unknown kind"),
        (dict(key="x", kind="confidential", severity="loud", terms=("a",)), "unknown severity"),
        (dict(key="x", kind="confidential", severity="warn", terms=("  ",)), "needs terms"),
        (dict(key="x", kind="personal_data", severity="warn", detectors=("dna",)), "detector"),
    ],
)
def test_bad_rules_are_refused(rule, message):
    with pytest.raises(ValueError, match=message):
        Rule(**rule)


def test_rule_keys_are_unique():
    with pytest.raises(ValueError, match="share a key"):
        RuleSet([ZEEMEEUW, ZEEMEEUW])


def test_many_rules_share_one_automaton():
    rules = [Rule(f"term{n}", "confidential", "warn", terms=(f"geheim{n}",)) for n in range(500)]
    result = RuleSet(rules).check("Niet delen: Geheim17 en geheim499, wel geheim5000.")
    assert [f.rule_key for f in result.findings] == ["term17", "term499"]
