"""Reposts and near-duplicates collapse onto the first post; different posts do not."""

from hypothesis import given, settings
from hypothesis import strategies as st

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


# --- the fast paths agree with the plain definitions ---------------------------------


def _plain_fingerprint(text: str):
    """One-permutation MinHash written out: CRC-32 per 5-gram, smallest per bin."""
    import hashlib
    import zlib

    from koers.nlp import duplicates

    normal = normalise(text)
    if len(normal) < duplicates.MINIMUM_CHARACTERS:
        return None
    data = normal.encode()
    exact = int.from_bytes(hashlib.blake2b(data, digest_size=8).digest(), "big")
    bins = [duplicates.EMPTY] * duplicates.BINS
    for i in range(len(data) - duplicates.SHINGLE + 1):
        value = zlib.crc32(data[i : i + duplicates.SHINGLE])
        slot, rest = value % duplicates.BINS, value // duplicates.BINS
        if bins[slot] == duplicates.EMPTY or rest < bins[slot]:
            bins[slot] = rest
    return exact, tuple(bins)


def _plain_similarity(a, b) -> float:
    filled = [(x, y) for x, y in zip(a.bins, b.bins, strict=True) if x != -1 or y != -1]
    return sum(x == y for x, y in filled) / len(filled) if filled else 0.0


@settings(max_examples=300, deadline=None)
@given(st.text(min_size=0, max_size=400))
def test_fingerprint_is_the_plain_minhash(text):
    fp = fingerprint(text)
    plain = _plain_fingerprint(text)
    assert (fp is None) == (plain is None)
    if fp is not None:
        assert (fp.exact, fp.bins) == plain


@settings(max_examples=200, deadline=None)
@given(st.text(min_size=20, max_size=200), st.text(min_size=20, max_size=200))
def test_packed_similarity_is_the_share_of_equal_filled_bins(one, other):
    a, b = fingerprint(one), fingerprint(other)
    if a is None or b is None or a.exact == b.exact:
        return
    assert a.similarity(b) == _plain_similarity(a, b)


def test_a_short_text_leaves_bins_empty_and_they_do_not_count_as_equal():
    a, b = fingerprint("abcdefghijklmnopqrstu"), fingerprint("abcdefghijklmnopqrstv")
    assert -1 in a.bins
    assert a.similarity(b) == _plain_similarity(a, b)


def test_the_index_gives_back_the_fingerprint_a_post_was_added_with():
    index: DuplicateIndex[int] = DuplicateIndex()
    fp = fingerprint(ORIGINAL)
    index.add(1, fp)
    assert index.fingerprint_of(1) is fp
    assert index.fingerprint_of(2) is None
