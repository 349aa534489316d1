"""Reposts and near-duplicates collapse onto the first post; different posts do not."""

from koers.nlp.duplicates import DuplicateIndex, find_duplicates, fingerprint, normalise

ORIGINAL = "Al drie dagen een storing bij @kpn in Utrecht, belachelijk! https://t.co/abc"


def test_normalising_removes_what_reposts_add():
    assert normalise("RT @piet: Hallo   WERELD!! https://x.nl/a via @jan") == "hallo wereld"


def test_a_repost_and_a_near_duplicate_are_collapsed_a_different_text_is_not():
    batch = [
        (1, ORIGINAL),
        (2, "RT @piet: " + ORIGINAL),
        (3, "Al drie dagen een storing bij @kpn in Amsterdam, belachelijk!"),
        (4, "Vandaag eindelijk mijn nieuwe telefoon binnen, super blij mee"),
        (5, "Ik bel morgen de klantenservice wel even over die storing"),
    ]
    assert find_duplicates(batch) == {2: 1, 3: 1}


def test_a_duplicate_of_a_duplicate_points_at_the_original():
    batch = [
        (1, ORIGINAL),
        (2, "Al drie dagen een storing bij @kpn in Amsterdam, belachelijk!"),
        (3, "Al drie dagen een storing bij @kpn in Amsterdam, echt belachelijk!"),
    ]
    assert find_duplicates(batch) == {2: 1, 3: 1}


def test_earlier_fingerprints_count():
    recent = [(10, fingerprint(ORIGINAL))]
    assert find_duplicates([(11, "RT @x: " + ORIGINAL), (12, "Iets heel anders")], recent) == {
        11: 10
    }


def test_short_posts_are_never_duplicates():
    assert fingerprint("Bedankt!") is None
    assert find_duplicates([(1, "Bedankt!"), (2, "Bedankt!")]) == {}


def test_similarity_estimates():
    a = fingerprint(ORIGINAL)
    assert a.similarity(fingerprint("RT @x: " + ORIGINAL)) == 1
    assert a.similarity(fingerprint("Het weer is vandaag prachtig in de hele provincie")) < 0.2


def test_the_index_remembers_keys_once():
    index = DuplicateIndex()
    fp = fingerprint(ORIGINAL)
    assert index.check_and_add(1, fp) is None
    assert index.check_and_add(1, fp) == 1  # itself: callers treat that as original
    assert len(index) == 1 and 1 in index
