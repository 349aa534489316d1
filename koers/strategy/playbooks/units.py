"""Units shared by the playbooks."""

from koers.strategy.playbook_types import Text

MINUTES = Text("minuten", "minutes")
PERCENT = Text("%", "%")
EURO = Text("euro", "euro")
COUNT = Text("aantal", "count")
