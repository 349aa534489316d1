"""Fixtures of the publishing tests: the local peers (see peers.py and builders.py)."""

from koers.publishing.tests.builders import (  # noqa: F401  (fixtures)
    _mastodon_server,
    _short_timeout,
    bluesky,
    mastodon,
)
