"""The one hash of cache keys and digests: BLAKE2b, without loading OpenSSL.

``import hashlib`` loads OpenSSL's libcrypto for the constructors it offers (4 ms,
a twentieth of a warm run on Django); BLAKE2 is CPython's own code, in the
``_blake2`` module hashlib itself falls back to. Report fingerprints keep their
SHA-256 (``tally``): users store them in baselines, and only the analysis, which
imports hashlib anyway, computes them.
"""

from __future__ import annotations

try:
    from _blake2 import blake2b
except ImportError:  # an interpreter built without it: hashlib's, whatever backs it
    from hashlib import blake2b

__all__ = ["blake2b", "content_hash", "facts_digest", "hex_digest"]


def hex_digest(text: str, size: int = 32) -> str:
    """A key for ``text``: ``size`` bytes of BLAKE2b of its UTF-8, in hex."""
    return blake2b(text.encode("utf-8"), digest_size=size).hexdigest()


def facts_digest(text: str) -> str:
    """Identifies a file's facts in their stored form (``facts.packed``), or a stored
    result's text: equal facts, equal analysis (given equal settings)."""
    return hex_digest(text, 16)


def content_hash(data: bytes) -> str:
    """What the cache knows a file's content by: 16 bytes of BLAKE2b, in hex. Here,
    not with the parsing pool: a run that hashes a file it need not parse (its
    stat changed, its content did not) imports neither the pool nor the facts."""
    return blake2b(data, digest_size=16).hexdigest()
