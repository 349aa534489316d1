"""The secrets of channel accounts, encrypted at rest.

An account's tokens, app credentials, app password, session and webhook address let
anyone who holds them post as the organisation, so ``ChannelAccount.secrets_encrypted``
holds one Fernet token of a JSON object. The key is derived from
``SECRET_KEY`` (``koers.crypto``, under a context of its own), and the keys in
``SECRET_KEY_FALLBACKS`` still decrypt after a rotation; ``koers rotate_secrets``
re-encrypts every stored secret under the current key. A value no key can read raises
``SecretsUnreadable``: the account has to be connected again.
"""

from __future__ import annotations

import json

from cryptography.fernet import InvalidToken

from koers.crypto import keys

CONTEXT = b"koers.publishing.secrets"


class SecretsUnreadable(Exception):
    """The stored secrets cannot be decrypted with the current (or a fallback) key."""


def encrypt(data: dict) -> str:
    """A JSON object as a Fernet token ('' for an empty object)."""
    if not data:
        return ""
    return keys(CONTEXT).encrypt(json.dumps(data, sort_keys=True).encode()).decode("ascii")


def decrypt(value: str) -> dict:
    if not value:
        return {}
    try:
        return json.loads(keys(CONTEXT).decrypt(value.encode("ascii")))
    except (InvalidToken, UnicodeError, ValueError):
        raise SecretsUnreadable(
            "The stored credentials of this account can no longer be read; connect it again."
        ) from None


def read(account) -> dict:
    """The account's secrets in clear ({} when it has none)."""
    return decrypt(account.secrets_encrypted)


def store(account, data: dict) -> None:
    """Replace the account's secrets, saving the row if it exists."""
    account.secrets_encrypted = encrypt(data)
    if account.pk:
        account.save(update_fields=["secrets_encrypted"])


def update(account, **changes) -> dict:
    """Merge ``changes`` into the account's secrets (a value of None removes a key)."""
    data = read(account)
    for name, value in changes.items():
        if value is None:
            data.pop(name, None)
        else:
            data[name] = value
    store(account, data)
    return data
