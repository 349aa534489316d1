"""A "manual" channel: Koers does not post; when the moment comes it reminds the
person responsible (``ChannelAccount.responsible``) by e-mail, and the publication
waits until they record the link of what they posted (``engine.record_manual_post``).
"""

from __future__ import annotations

from koers.publishing.connectors.base import Connector, Post, Published, PublishError, register


@register
class Manual(Connector):
    kind = "manual"
    manual = True
    has_metrics = False

    def publish(self, account, post: Post) -> Published:
        raise PublishError("A person posts this one by hand.")
