"""Access tokens of sources, encrypted at rest.

A Mastodon or Bluesky token lets anyone who holds it read (and sometimes write) as the
organisation's account, so the database keeps only a Fernet token of it, under a key
derived from ``SECRET_KEY`` (``koers.crypto``), so there is no second secret to keep;
keys in ``SECRET_KEY_FALLBACKS`` still decrypt after a key rotation, and
``koers rotate_secrets`` re-encrypts under the new key. A token that no key can read
(the secret key was replaced) raises ``TokenUnreadable``: the user has to enter it again.
"""

from __future__ import annotations

from cryptography.fernet import InvalidToken

from koers.crypto import keys

CONTEXT = b"koers.listening.token"


class TokenUnreadable(Exception):
    """The stored token cannot be decrypted with the current (or a fallback) key."""


def encrypt(token: str) -> str:
    return keys(CONTEXT).encrypt(token.encode()).decode("ascii") if token else ""


def decrypt(value: str) -> str:
    if not value:
        return ""
    try:
        return keys(CONTEXT).decrypt(value.encode("ascii")).decode()
    except (InvalidToken, UnicodeError):
        raise TokenUnreadable(
            "The stored access token can no longer be read; enter it again."
        ) from None


def set_token(source, token: str) -> None:
    """Store ``token`` (empty: remove it) on ``source``, saving the row if it exists."""
    source.token_encrypted = encrypt(token.strip())
    if source.pk:
        source.save(update_fields=["token_encrypted"])


def get_token(source) -> str:
    """The source's token in clear ('' when it has none)."""
    return decrypt(source.token_encrypted)
