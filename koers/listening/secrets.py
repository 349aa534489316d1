"""Access tokens of sources, encrypted at rest.

A Mastodon or Bluesky token lets anyone who holds it read (and sometimes write) as the
organisation's account, so the database keeps only a Fernet token of it. The key is
derived from ``SECRET_KEY`` with HKDF, so there is no second secret to keep; keys in
``SECRET_KEY_FALLBACKS`` still decrypt after a key rotation (save the source again to
re-encrypt it under the new key). A token that no key can read (the secret key was
replaced) raises ``TokenUnreadable``: the user has to enter it again.
"""

from __future__ import annotations

import base64

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings

_CONTEXT = b"koers.listening.token"


class TokenUnreadable(Exception):
    """The stored token cannot be decrypted with the current (or a fallback) key."""


def _fernet(secret: str) -> Fernet:
    key = HKDF(algorithm=hashes.SHA256(), length=32, salt=_CONTEXT, info=_CONTEXT).derive(
        secret.encode()
    )
    return Fernet(base64.urlsafe_b64encode(key))


def _keys() -> MultiFernet:
    secrets = [settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", [])]
    return MultiFernet([_fernet(secret) for secret in secrets])


def encrypt(token: str) -> str:
    return _keys().encrypt(token.encode()).decode("ascii") if token else ""


def decrypt(value: str) -> str:
    if not value:
        return ""
    try:
        return _keys().decrypt(value.encode("ascii")).decode()
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
