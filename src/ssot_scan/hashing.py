"""The one hash of cache keys and digests: BLAKE2b, without loading OpenSSL.

``import hashlib`` loads OpenSSL's libcrypto for the constructors it offers (4 ms,
a twentieth of a warm run on Django); BLAKE2 is CPython's own code, in the
``_blake2`` module hashlib itself falls back to. Report fingerprints keep their
SHA-256 (``tally``: users store them in baselines), from CPython's own module too:
nothing else a scan imports loads OpenSSL (2.4 ms of every analysing run).
"""

from __future__ import annotations

try:
    from _blake2 import blake2b
except ImportError:  # an interpreter built without it: hashlib's, whatever backs it
    from hashlib import blake2b
try:  # (no stubs: private modules)
    from _sha2 import sha256 as _sha256  # type: ignore[import-not-found]  # 3.12 and later
except ImportError:
    try:
        from _sha256 import sha256 as _sha256  # type: ignore[import-not-found]  # 3.11
    except ImportError:  # built without either: hashlib's
        from hashlib import sha256 as _sha256

__all__ = ["blake2b", "content_hash", "facts_digest", "hex_digest", "sha256_hex"]


def hex_digest(text: str | bytes, size: int = 32) -> str:
    """A key for ``text``: ``size`` bytes of BLAKE2b of its UTF-8 (of the bytes as
    they are, given bytes: text and its UTF-8 have one digest), in hex."""
    data = text if isinstance(text, bytes) else text.encode("utf-8")
    return blake2b(data, digest_size=size).hexdigest()


def facts_digest(text: str | bytes) -> str:
    """Identifies a file's facts in their stored form (``facts.packed``), or a stored
    result's text: equal facts, equal analysis (given equal settings). Text or its
    UTF-8 bytes alike: the cache reads its rows as bytes."""
    return hex_digest(text, 16)


def content_hash(data: bytes) -> str:
    """What the cache knows a file's content by: 16 bytes of BLAKE2b, in hex. Here,
    not with the parsing pool: a run that hashes a file it need not parse (its
    stat changed, its content did not) imports neither the pool nor the facts."""
    return hex_digest(data, 16)


def sha256_hex(data: bytes) -> str:
    """SHA-256 of ``data``, in hex: what report fingerprints are cut from."""
    return str(_sha256(data).hexdigest())
