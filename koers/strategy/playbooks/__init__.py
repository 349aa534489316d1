"""The three strategy playbooks the wizard proposes, one per value discipline.

The value discipline (Treacy & Wiersema) decides what social media is for: operational
excellence makes it a service channel with hard savings, customer intimacy a place to
listen and create together, product leadership a stage for launches and expertise. Each
playbook is a starting point: the wizard copies it into an editable draft, and every
suggested target is a figure the organisation confirms or changes.

Plain data, no Django: the wizard, the strategy export and the tests share it.
"""

from koers.strategy.playbook_types import DISCIPLINES, Playbook
from koers.strategy.playbooks.customer_intimacy import CUSTOMER_INTIMACY
from koers.strategy.playbooks.operational_excellence import OPERATIONAL_EXCELLENCE
from koers.strategy.playbooks.product_leadership import PRODUCT_LEADERSHIP

PLAYBOOKS: dict[str, Playbook] = {
    playbook.discipline: playbook
    for playbook in (OPERATIONAL_EXCELLENCE, CUSTOMER_INTIMACY, PRODUCT_LEADERSHIP)
}


def get_playbook(discipline: str) -> Playbook:
    """The playbook for ``discipline``; KeyError naming the allowed ones if it is unknown."""
    try:
        return PLAYBOOKS[discipline]
    except KeyError:
        allowed = ", ".join(DISCIPLINES)
        raise KeyError(
            f"Unknown value discipline {discipline!r}; expected one of: {allowed}"
        ) from None
