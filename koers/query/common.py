"""Very common Dutch and English words (folded): broad on their own, poor anchors.

Shared by the linter (a lone common word floods an inbox) and the combined matcher
(it never indexes a query under a word that nearly every post contains when a rarer
required word is available).
"""

from typing import Final

COMMON_WORDS: Final = frozenset(
    """
    aan al alle als alles bij dan dat de deze die dit doen door dus een eens en er ga gaan
    geen hebben heb heeft hem het hier hij hoe hun ik in is ja je jij jou jouw kan kom
    komen kun kunnen maar me meer met mij mijn moet na naar niet niets nog nu of om ons
    onze ook op over te tegen toch toe tot u uit uw van veel voor want was wat we wel
    werd wie wij wil worden wordt zal ze zei zich zijn zo zou
    a about after all also an and any are as at be been but by can could do for from
    get had has have he her his how i if in into is it its just like me more my no not
    now of on one or our out so some than that the their them then there they this to
    up us was we were what when which who will with would you your
    """.split()  # noqa: SIM905  (a word list reads better as text)
)
