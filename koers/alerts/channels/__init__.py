"""Where alerts go: one module per channel kind, each registering a small class (see
``base.py`` for the contract, and "Adding an alert channel" in docs/CONTRIBUTING.md).
"""

from koers.alerts.channels import (  # noqa: F401 (each module registers its kind)
    email,
    in_app,
    mattermost,
    slack,
    teams,
    webhook,
)
from koers.alerts.channels.base import REGISTRY, ChannelKindBase, DeliveryError

__all__ = ["REGISTRY", "ChannelKindBase", "DeliveryError", "get_kind"]


def get_kind(kind: str) -> ChannelKindBase:
    """The registered class for a ``ChannelKind`` value."""
    return REGISTRY[kind]
