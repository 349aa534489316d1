"""Encryption at rest: Fernet keys derived from ``SECRET_KEY`` with HKDF, one per
context (each kind of secret has its own, so a key never serves two purposes). The
current key encrypts; the keys in ``SECRET_KEY_FALLBACKS`` still decrypt after a
rotation, until ``koers rotate_secrets`` has re-encrypted everything."""

from __future__ import annotations

import base64

from cryptography.fernet import Fernet, MultiFernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings


def fernet(secret: str, context: bytes) -> Fernet:
    """The Fernet key derived from one secret key for one context."""
    key = HKDF(algorithm=hashes.SHA256(), length=32, salt=context, info=context).derive(
        secret.encode()
    )
    return Fernet(base64.urlsafe_b64encode(key))


def keys(context: bytes) -> MultiFernet:
    """The current key first (it encrypts), then the fallbacks (they only decrypt)."""
    secrets = [settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", [])]
    return MultiFernet([fernet(secret, context) for secret in secrets])
