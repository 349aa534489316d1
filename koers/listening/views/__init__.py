"""Listening pages: the mention explorer, the query editor, sources, stakeholders,
share of voice and file imports. Thin adapters over ``listening/actions.py`` and the
access chokepoints in ``orgs/access.py``."""
