"""Threat score: reach × negativity × velocity × stakeholder, 0 … 100."""

from koers.nlp.sentiment import analyse
from koers.nlp.threat import (
    negativity_factor,
    reach_factor,
    stakeholder_factor,
    threat_score,
    velocity_factor,
)


def score(text, followers, groups=(), **velocity):
    s = analyse(text, "nl")
    return threat_score(
        followers=followers,
        sentiment_score=s.score,
        sentiment_confidence=s.confidence,
        groups=groups,
        **velocity,
    )


def test_a_journalist_with_reach_outranks_an_ambassador_without():
    text = "Al drie dagen een storing, belachelijk"
    journalist = score(text, 50_000, ["journalist"])
    ambassador = score(text, 100, ["ambassador"])
    assert journalist > ambassador > 0


def test_positive_and_neutral_posts_are_no_threat():
    assert score("Super blij met de snelle hulp, bedankt!", 1_000_000, ["journalist"]) == 0
    assert score("Hoe laat gaan jullie open?", 1_000_000, ["journalist"]) == 0


def test_each_factor_raises_the_score():
    text = "Wat een slechte service"
    base = score(text, 1_000)
    assert score(text, 100_000) > base
    assert score("Wat een waardeloze, belachelijke service, schandalig!", 1_000) > base
    assert score(text, 1_000, recent=8, baseline=0.5) > base
    assert score(text, 1_000, ["employee"]) > base > score(text, 1_000, ["ambassador"])


def test_scores_stay_within_0_and_100():
    top = threat_score(
        followers=10**9,
        sentiment_score=-1,
        sentiment_confidence=1,
        recent=1000,
        groups=["journalist"],
    )
    assert 0 <= top <= 100
    assert threat_score(followers=0, sentiment_score=None, sentiment_confidence=None) == 0


def test_factors():
    assert reach_factor(0) == 0.05 and reach_factor(999) == 0.5 and reach_factor(10**7) == 1
    assert negativity_factor(0.8, 1) == 0 and negativity_factor(-0.5, 0.5) == 0.25
    assert velocity_factor(0, 0) == 1 and velocity_factor(1, 5) == 1
    assert velocity_factor(3, 0) == 2 and velocity_factor(10_000, 0) == 3
    assert stakeholder_factor([]) == 1 and stakeholder_factor(["ambassador", "journalist"]) == 2
