"""Slack incoming webhooks: ``text`` (the notification and fallback) plus Block Kit
blocks with each alert's title, severity, summary and a link to its page.

Slack reads ``&``, ``<`` and ``>`` as control characters (``<!channel>`` pings
everyone, ``<url|text>`` makes a link), so user text has them escaped.
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

# Slack's limit for a header block.
HEADER_MAX = 150


def escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


@register
class Slack(ChannelKindBase):
    kind = ChannelKind.SLACK
    needs_url = True

    def render(self, alerts, *, digest, test=False):
        title = heading(alerts, digest=digest, test=test)
        items, more = shown(alerts)
        blocks: list[dict] = [
            {"type": "header", "text": {"type": "plain_text", "text": title[:HEADER_MAX]}}
        ]
        for entry in items:
            lines = [f"*{escape(entry.title)}*", escape(entry.severity)]
            lines += [escape(text) for text in (entry.summary, entry.facts) if text]
            blocks.append({"type": "section", "text": {"type": "mrkdwn", "text": "\n".join(lines)}})
            link = f"{escape(entry.when)} · <{entry.url}|{escape(open_text())}>"
            blocks.append({"type": "context", "elements": [{"type": "mrkdwn", "text": link}]})
        if more:
            blocks.append(
                {"type": "context", "elements": [{"type": "mrkdwn", "text": more_text(more)}]}
            )
        return {"text": escape(title), "blocks": blocks}

    def send(self, channel, payload):
        return post_json(channel, payload)
