"""JSON of ``msgspec`` records, in C, and of what msgspec cannot write.

msgspec writes and reads only UTF-8; a string literal in a scanned file may spell a
lone surrogate (``"\\ud800"``: a warning's message, an ``__all__`` entry), which is no
UTF-8. Facts and kept answers holding one are written by ``json``, which escapes it,
and read back through ``msgspec.convert``, which checks every value as msgspec's
decoder does. One place for that rule, for every record the cache stores.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any, Optional, TypeVar

import msgspec

Value = TypeVar("Value")


def dumps(
    value: Any, encoder: msgspec.json.Encoder, plain: Optional[Callable[[], Any]] = None
) -> str:
    """``encoder``'s JSON of ``value``; where that cannot be UTF-8, ``json``'s of it as
    builtins, in the encoder's order. ``plain``: what to write then instead, made
    only then (a value holding what builtins cannot hold, ``msgspec.Raw``)."""
    try:
        return encoder.encode(value).decode()
    except UnicodeEncodeError:
        builtins = msgspec.to_builtins(
            plain() if plain else value, enc_hook=encoder.enc_hook, order=encoder.order
        )
        return json.dumps(builtins, separators=(",", ":"))


# Keys sorted, anything msgspec cannot write (a ``Path``) as its ``str``.
_CANONICAL = msgspec.json.Encoder(enc_hook=str, order="sorted")


def canonical(value: Any) -> str:
    """One JSON text for ``value``, the same for equal values in any process: what a
    cache key hashes (the settings, a result's files). A string that is not UTF-8 (a
    folder or file name's surrogate escape) is written escaped, by ``json``."""
    return dumps(value, _CANONICAL)


def loads(text: Any, decoder: msgspec.json.Decoder[Value], kind: Any) -> Value:
    """``decoder``'s reading of ``text`` (text, bytes or ``msgspec.Raw``); where it
    fails, ``json``'s, converted to ``kind`` (what ``dumps`` wrote with ``json``).
    Raises ValueError on anything else, RecursionError on JSON nested too deep."""
    try:
        return decoder.decode(text)
    except msgspec.DecodeError:
        written = json.loads(text if isinstance(text, (str, bytes)) else bytes(text))
        return msgspec.convert(written, kind)  # type: ignore[no-any-return]
