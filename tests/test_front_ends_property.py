"""The two front ends agree on generated sources (hypothesis): the property test
that would have caught ``f"{x=}"`` losing its ``x=`` through libcst, and columns
after a form feed. Every generated module is valid for this interpreter."""

from __future__ import annotations

from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ssot_scan.extract import extract

NAMES = st.sampled_from(["a", "b", "pkg", "core", "λ", "name_2", "Thing", "_private"])
DOTTED = st.lists(NAMES, min_size=1, max_size=3).map(".".join)
SPACE = st.sampled_from(["", " ", "  "])
LEAD = st.sampled_from(["", "\x0c", " \x0c", "\x0c\x0c"])  # form feeds before a statement


@st.composite
def fstring(draw: Any) -> str:
    name = draw(NAMES)
    before, after = draw(SPACE), draw(SPACE)
    conversion = draw(st.sampled_from(["", "!r", "!s"]))
    spec = draw(st.sampled_from(["", ":>5", ":{width}"]))
    text = draw(st.sampled_from(["use ", "", "{{braces}} ", "é "]))
    return f'f"{text}{{{before}{name}{after}={conversion}{spec}}} instead"'


@st.composite
def statement(draw: Any) -> str:
    kind = draw(st.integers(0, 8))
    lead = draw(LEAD)
    if kind == 0:
        return f"{lead}import {draw(DOTTED)}"
    if kind == 1:
        alias = draw(st.sampled_from(["", " as other"]))
        return f"{lead}from {draw(DOTTED)} import {draw(NAMES)}{alias}"
    if kind == 2:
        return f"{lead}from {'.' * draw(st.integers(1, 2))} import {draw(NAMES)}"
    if kind == 3:
        return f"{lead}warnings.warn({draw(fstring())}, DeprecationWarning)"
    if kind == 4:
        return f"{lead}def {draw(NAMES)}():\n    from {draw(DOTTED)} import {draw(NAMES)}"
    if kind == 5:
        return f"{lead}class {draw(NAMES)}:\n    x = 1"
    if kind == 6:
        return f"{lead}try:\n    import {draw(DOTTED)}\nexcept ImportError:\n    pass"
    if kind == 7:
        return f"{lead}if TYPE_CHECKING:\n    from {draw(DOTTED)} import {draw(NAMES)}"
    return f"{lead}{draw(NAMES)} = {draw(DOTTED)}"


MODULES = st.lists(statement(), min_size=1, max_size=8).map(
    lambda lines: "import warnings\n" + "\n".join(lines) + "\n"
)


def _comparable(source: str, engine: str) -> dict[str, Any]:
    facts = extract(source.encode("utf-8"), "pkg.sub.mod", False, engine)
    assert facts.parse_error is None, (engine, facts.parse_error, source)
    data = facts.to_json()
    data.pop("engine")
    return data


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(MODULES)
def test_both_front_ends_read_generated_modules_alike(source: str) -> None:
    assert _comparable(source, "ast") == _comparable(source, "libcst")


def test_a_self_documenting_fstring_keeps_its_name_through_libcst() -> None:
    source = 'import warnings\nwarnings.warn(f"use {new = } instead", DeprecationWarning)\n'
    for engine in ("ast", "libcst"):
        facts = extract(source.encode(), "m", False, engine)
        assert [w.message for w in facts.warnings] == ["use new = {new} instead"]
