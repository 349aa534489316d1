"""Mattermost incoming webhooks: ``text`` in Markdown, sent as the user "Koers".

User text has Markdown's control characters escaped with a backslash, and an ``@``
followed by a word gets a zero-width space, so a title cannot ping ``@channel``.
"""

from __future__ import annotations

import re

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

USERNAME = "Koers"
_MARKDOWN = re.compile(r"([\\`*_{}\[\]()#+\-!|<>~])")
_MENTION = re.compile(r"@(?=\w)")


def escape(text: str) -> str:
    return _MENTION.sub("@\u200b", _MARKDOWN.sub(r"\\\1", text))


@register
class Mattermost(ChannelKindBase):
    kind = ChannelKind.MATTERMOST
    needs_url = True

    def render(self, alerts, *, digest, test=False):
        items, more = shown(alerts)
        parts = [f"#### {escape(heading(alerts, digest=digest, test=test))}"]
        for entry in items:
            lines = [f"**{escape(entry.title)}** · {escape(entry.severity)}"]
            lines += [escape(text) for text in (entry.summary, entry.facts) if text]
            lines.append(f"{escape(entry.when)} · [{escape(open_text())}]({entry.url})")
            parts.append("\n".join(lines))
        if more:
            parts.append(escape(more_text(more)))
        return {"text": "\n\n".join(parts), "username": USERNAME}

    def send(self, channel, payload):
        return post_json(channel, payload)
