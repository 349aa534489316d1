"""Microsoft Teams incoming webhooks (a Workflows webhook or a classic connector): a
message with one Adaptive Card.

User text goes in ``TextRun`` elements of ``RichTextBlock``s, which Teams shows
literally (a ``TextBlock`` would read it as Markdown), so it needs no escaping.
"""

from __future__ import annotations

from koers.alerts.channels.base import (
    ChannelKindBase,
    heading,
    more_text,
    open_text,
    post_json,
    register,
    shown,
)
from koers.alerts.models import ChannelKind

CARD_SCHEMA = "http://adaptivecards.io/schemas/adaptive-card.json"


def _text(text: str, **style) -> dict:
    return {"type": "RichTextBlock", "inlines": [{"type": "TextRun", "text": text, **style}]}


@register
class Teams(ChannelKindBase):
    kind = ChannelKind.TEAMS
    needs_url = True

    def render(self, alerts, *, digest, test=False):
        items, more = shown(alerts)
        body: list[dict] = [
            _text(heading(alerts, digest=digest, test=test), size="Large", weight="Bolder")
        ]
        for entry in items:
            block = [
                _text(entry.title, weight="Bolder"),
                _text(f"{entry.severity} · {entry.when}", isSubtle=True),
            ]
            block += [_text(text) for text in (entry.summary, entry.facts) if text]
            block.append(
                {
                    "type": "ActionSet",
                    "actions": [{"type": "Action.OpenUrl", "title": open_text(), "url": entry.url}],
                }
            )
            body.append({"type": "Container", "separator": True, "items": block})
        if more:
            body.append(_text(more_text(more), isSubtle=True))
        card = {
            "$schema": CARD_SCHEMA,
            "type": "AdaptiveCard",
            "version": "1.4",
            "body": body,
            "msteams": {"width": "Full"},
        }
        return {
            "type": "message",
            "attachments": [
                {
                    "contentType": "application/vnd.microsoft.card.adaptive",
                    "contentUrl": None,
                    "content": card,
                }
            ],
        }

    def send(self, channel, payload):
        return post_json(channel, payload)
