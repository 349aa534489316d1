"""Multi-word patterns for the derogation of protected groups: hatred, comparisons with
vermin and disease, denied humanity or rights, abusive words before a group."""

from __future__ import annotations

from koers.nlp.abuse.categories import DEHUMANISING, SLUR
from koers.nlp.abuse.expressions import _SEP
from koers.nlp.abuse.grammar import (
    _COPULA,
    _GROUP_ANY,
    _GROUP_MODIFIERS,
    _GROUP_REF,
    _HATE,
    _NEG_PRED,
    _NOT,
    _POS_PRED,
    _alt,
    _anchors,
    _gap,
    _optional,
    _Phrase,
    _seq,
)

GROUP_PHRASES = [
    # Derogation of groups.
    _Phrase(
        "ik haat ...",
        DEHUMANISING,
        _seq(_alt("ik", "we", "wij", "i"), _gap(1), _HATE, _gap(3), _GROUP_REF)
        + rf"(?!{_SEP}{_alt('niet', 'not')})",
        group=True,
    ),
    _Phrase(
        "ik voel haat voor ...",
        DEHUMANISING,
        _seq(
            _alt("ik", "we", "wij", "i"),
            _gap(3),
            _alt("haat", "afkeer", "hekel", "walging", "hatred"),
            _alt("voor", "tegen", "van", "aan", "for", "towards", "of"),
            _GROUP_REF,
        ),
        group=True,
    ),
    _Phrase(
        "haat ik ...",
        DEHUMANISING,
        _seq(_HATE, _alt("ik", "we", "wij"), _gap(3), _GROUP_REF),
        group=True,
    ),
    _Phrase(
        "ik kan ... niet uitstaan",
        DEHUMANISING,
        _seq(
            _alt("ik", "we", "wij"),
            _alt("kan", "kunnen"),
            _gap(1),
            _GROUP_REF,
            _gap(3),
            _alt("niet uitstaan", "niet luchten", "niet zien", "niet hebben", "niet verdragen"),
        ),
        group=True,
    ),
    _Phrase(
        "... zijn walgelijk",
        DEHUMANISING,
        _seq(_GROUP_REF, _gap(3), _COPULA, _gap(3), _NEG_PRED) + rf"(?!{_SEP}{_NOT})",
        group=True,
    ),
    _Phrase(
        "zijn ... walgelijk",
        DEHUMANISING,
        _seq(_COPULA, _gap(1), _GROUP_REF, _gap(2), _NEG_PRED),
        group=True,
    ),
    _Phrase(
        "dat ... walgelijk zijn",
        DEHUMANISING,
        _seq(
            _GROUP_REF,
            _gap(3),
            _NEG_PRED,
            _optional(r"[^\W_]+"),  # "de domste mensen zijn"
            _optional(_alt("te")),
            _alt("zijn", "is", "waren", "blijven", "worden", "te zijn"),
        ),
        group=True,
    ),
    _Phrase(
        "ik vind ... walgelijk",
        DEHUMANISING,
        _seq(
            _alt("vind", "vinden", "vond", "find", "consider"),
            _gap(1),
            _GROUP_REF,
            _gap(2),
            _NEG_PRED,
        ),
        group=True,
    ),
    _Phrase(
        "... ? ze zijn walgelijk",
        DEHUMANISING,
        _GROUP_REF
        + r"[^\w\ue000-\ue002]+(?:[^\W_]+[^\w\ue000-\ue002]+){0,8}?"
        + _seq(
            _alt("ze", "zij", "die", "they", "ze zijn allemaal"),
            rf"(?:{_seq(_COPULA, _gap(2), _NEG_PRED)}"
            rf"|{_seq(_gap(2), _NEG_PRED, _alt('zijn', 'is', 'waren', 'blijven'))})",
        ),
        group=True,
    ),
    _Phrase(
        "... zijn niet welkom",
        DEHUMANISING,
        _seq(
            _GROUP_REF,
            _gap(2),
            _COPULA,
            _gap(1),
            _NOT,
            _optional(_alt("echt", "zo", "erg", "heel", "really", "very", "so")),
            _POS_PRED,
        ),
        group=True,
    ),
    _Phrase(
        "... kunnen nooit slim zijn",
        DEHUMANISING,
        _seq(
            _GROUP_REF,
            _gap(2),
            _alt("kunnen", "zullen", "zouden", "can", "will"),
            _NOT,
            _gap(2),
            _POS_PRED,
            _alt("zijn", "worden", "be"),
        ),
        group=True,
    ),
    _Phrase(
        "geen respect voor ...",
        DEHUMANISING,
        _seq(
            _alt("heb", "hebben", "have", "has"),
            _alt("geen", "nul", "no", "zero", "totaal geen", "helemaal geen"),
            _alt("respect", "waardering", "medelijden", "sympathie", "empathie", "sympathy"),
            _alt("voor", "met", "for"),
            _gap(1),
            _GROUP_REF,
        ),
        group=True,
    ),
    _Phrase(
        "... verdienen geen rechten",
        DEHUMANISING,
        _seq(
            _GROUP_REF,
            _gap(2),
            _alt("verdienen", "hebben", "horen", "deserve", "have"),
            _gap(1),
            _alt("geen", "no", "niet"),
            _gap(1),
            _alt(
                "rechten",
                "recht",
                "respect",
                "plek",
                "plaats",
                "stemrecht",
                "bestaansrecht",
                "te leven",
                "te bestaan",
                "rights",
                "respect",
                "to live",
                "to exist",
                "place",
            ),
        ),
        group=True,
    ),
    _Phrase(
        "... horen hier niet",
        DEHUMANISING,
        _seq(
            _GROUP_REF,
            _alt(
                "horen hier niet",
                "horen niet hier",
                "horen hier niet thuis",
                "horen niet in nederland",
                "horen niet in dit land",
                "mogen niet bestaan",
                "zouden niet moeten bestaan",
                "should not exist",
                "shouldn't exist",
                "don't belong here",
                "do not belong here",
                "have no place",
            ),
        ),
        group=True,
    ),
    _Phrase(
        "de wereld is beter zonder ...",
        DEHUMANISING,
        _seq(
            _alt("de wereld", "the world", "nederland", "dit land", "this country"),
            _gap(3),
            _alt("beter", "better"),
            _gap(2),
            _alt("zonder", "without"),
            _GROUP_REF,
        ),
        group=True,
    ),
    _Phrase(
        "vuile jood",
        SLUR,
        _seq(_alt(*_GROUP_MODIFIERS), _GROUP_ANY),
        _anchors(_GROUP_MODIFIERS),
        group=True,
    ),
]
