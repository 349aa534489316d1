"""Publishing connectors: one module per account kind (see ``base`` for the contract).
Importing the package registers them all."""

from koers.publishing.connectors import bluesky, manual, mastodon, webhook  # noqa: F401
from koers.publishing.connectors.base import (  # noqa: F401
    REGISTRY,
    Media,
    Metrics,
    Post,
    Published,
    PublishError,
    get_connector,
)
