"""Hostile and odd files: every one ends as facts or as that file's one-line SSOT000,
never as a hang, a crash, a lost import, or a broken file read as a good one."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from ssot_scan.extract import LIBCST_MAX_BYTES, extract

RunCli = Callable[..., "tuple[int, str, str]"]


def test_five_hundred_elifs_are_read_not_an_internal_error() -> None:
    # Valid code deeper than Python's default recursion limit for the walker.
    source = "x = 0\nif x == 0:\n    pass\n"
    source += "".join(f"elif x == {i}:\n    import os{i}\n" for i in range(1, 500))
    facts = extract(source.encode(), "m", False)
    assert facts.parse_error is None
    assert len(facts.imports) == 499
    assert facts.imports[-1].target == "os499"


@pytest.mark.parametrize(
    ("source", "message"),
    [
        (b'X = "a\x00b"\nimport os\n', "null bytes"),
        (b'X = "\\N{NOT A REAL NAME}"\nimport os\n', "unknown Unicode character name"),
        (b'X = b"\xc3\xa9"\nimport os\n', "bytes can only contain ASCII"),
    ],
    ids=["nul-in-a-string", "unknown-character-name", "non-ascii-bytes-literal"],
)
def test_a_file_no_python_compiles_is_ssot000_even_where_libcst_reads_it(
    source: bytes, message: str
) -> None:
    import libcst

    libcst.parse_module(source.decode("utf-8"))  # libcst does read it
    facts = extract(source, "m", False, "auto")
    assert facts.parse_error is not None
    assert message in facts.parse_error.message


def test_the_importers_of_a_broken_module_keep_their_finding(
    tmp_path: Path, run_cli: RunCli
) -> None:
    (tmp_path / "pkg").mkdir()
    (tmp_path / "pkg" / "__init__.py").write_text("")
    (tmp_path / "pkg" / "broken.py").write_text('X = "\\N{NOT A REAL NAME}"\n')
    (tmp_path / "pkg" / "user.py").write_text("from pkg.broken import X\n")
    code, out, _ = run_cli(["--no-cache", "--select", "SSOT000,SSOT005", "."], tmp_path)
    assert code == 1
    assert "pkg/broken.py:1:" in out and " SSOT000 " in out
    assert "pkg/user.py:1:1: SSOT005" in out


@pytest.mark.skipif(sys.version_info >= (3, 12), reason="this Python reads PEP 695")
def test_syntax_newer_than_this_python_still_goes_to_libcst() -> None:
    facts = extract(b"import os\ntype Alias = int\n", "m", False, "auto")
    assert facts.parse_error is None
    assert facts.engine == "libcst"
    assert [site.target for site in facts.imports] == ["os"]


@pytest.mark.skipif(sys.version_info >= (3, 12), reason="this Python reads PEP 695")
def test_libcst_is_not_asked_about_a_file_too_large_for_it() -> None:
    filler = "x = 1\n" * (LIBCST_MAX_BYTES // 6 + 10)
    facts = extract(f"import os\ntype Alias = int\n{filler}".encode(), "m", False, "auto")
    assert facts.parse_error is not None
    assert "too large for the libcst parser" in facts.parse_error.message
    assert facts.parse_error.line == 2


def _project_with(tmp_path: Path, extra: str = "") -> Path:
    (tmp_path / "pkg").mkdir()
    (tmp_path / "pkg" / "__init__.py").write_text("")
    (tmp_path / "pkg" / "good.py").write_text("import os\n")
    (tmp_path / "pyproject.toml").write_text(f"[tool.ssot-scan]\n{extra}")
    return tmp_path


@pytest.mark.skipif(not hasattr(__import__("os"), "mkfifo"), reason="no FIFOs here")
def test_a_fifo_named_like_a_module_is_ssot000_not_a_hang(tmp_path: Path, run_cli: RunCli) -> None:
    import os

    root = _project_with(tmp_path)
    os.mkfifo(root / "pkg" / "pipe.py")
    code, out, _ = run_cli(["--no-cache", "."], root)
    assert code == 1
    assert "pkg/pipe.py:1:1: SSOT000" in out and "not a regular file" in out


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="no /dev/zero here")
def test_a_link_to_an_endless_device_is_ssot000_not_a_memory_blowup(
    tmp_path: Path, run_cli: RunCli
) -> None:
    root = _project_with(tmp_path)
    (root / "pkg" / "zero.py").symlink_to("/dev/zero")
    for args in (["--no-cache", "."], ["."]):  # with the cache, the file is hashed first
        code, out, _ = run_cli(args, root)
        assert code == 1
        assert "pkg/zero.py:1:1: SSOT000" in out and "not a regular file" in out


def test_a_file_over_the_size_limit_is_one_ssot000(tmp_path: Path, run_cli: RunCli) -> None:
    root = _project_with(tmp_path, 'max-file-size = "1 KB"\n')
    (root / "pkg" / "big.py").write_text("x = 1\n" * 400)
    code, out, _ = run_cli(["--no-cache", "."], root)
    assert code == 1
    assert (
        "pkg/big.py:1:1: SSOT000 not read: too large, 2,400 bytes, more than max-file-size (1,000)"
        in out
    )
    assert "pkg/good.py" not in out


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ('"ten"', "expected a size such as 10000000 or \"10 MB\", got 'ten'"),
        ("0", "must be at least 1 byte"),
        ("true", "expected a size such as"),
    ],
)
def test_a_bad_size_limit_is_a_config_error(
    tmp_path: Path, run_cli: RunCli, value: str, message: str
) -> None:
    root = _project_with(tmp_path, f"max-file-size = {value}\n")
    code, _, err = run_cli(["--no-cache", "."], root)
    assert code == 2
    assert message in err
    assert len(err.strip().splitlines()) == 1


@pytest.mark.skipif(sys.platform in ("win32", "darwin"), reason="needs byte file names")
def test_a_file_name_that_is_not_utf8_is_scanned_with_the_cache_and_shown_escaped(
    tmp_path: Path, run_cli: RunCli
) -> None:
    import os

    root = _project_with(tmp_path)
    with open(os.path.join(os.fsencode(root / "pkg"), b"bad\xff.py"), "wb") as handle:
        handle.write(b"from pkg import nothere\n")
    for _ in range(2):  # cold, then from the cache
        code, out, err = run_cli(["-f", "json", "."], root)
        assert code == 1, err
        assert '"path": "pkg/bad\\\\xff.py"' in out


@pytest.mark.skipif(sys.platform in ("win32", "darwin"), reason="needs byte file names")
def test_a_project_in_a_folder_whose_name_is_not_utf8_scans_with_the_cache(
    tmp_path: Path, run_cli: RunCli
) -> None:
    # The project root is a setting, and the cache keys results by the settings'
    # JSON: a root whose name is not UTF-8 (a surrogate escape) must still make a key.
    # Seen: "internal error: UnicodeEncodeError" once msgspec wrote that JSON.
    import os

    folder = os.path.join(os.fsencode(tmp_path), b"bad\xffdir")
    os.mkdir(folder)
    root = _project_with(Path(os.fsdecode(folder)))
    (root / "pkg" / "uses.py").write_text("from pkg import nothere\n")
    for _ in range(2):  # cold into the cache, then from it
        code, out, err = run_cli(["-f", "json", "."], root)
        assert code == 1, err
        assert '"path": "pkg/uses.py"' in out


@pytest.mark.parametrize("name", ["new\nline.py", "esc\x1b[31mred.py", "tab\there.py"])
def test_a_control_character_in_a_file_name_cannot_forge_output(
    tmp_path: Path, run_cli: RunCli, name: str
) -> None:
    root = _project_with(tmp_path)
    (root / "pkg" / name).write_text("from pkg import nothere\n")
    code, out, _ = run_cli(["--no-cache", "."], root)
    assert code == 1
    finding = [line for line in out.splitlines() if ": SSOT005 " in line]
    assert len(finding) == 1
    assert finding[0].startswith(
        "pkg/" + name.replace("\n", "\\n").replace("\x1b", "\\x1b").replace("\t", "\\t")
    )
    assert "\x1b" not in out and "\t" not in out


def test_printable_escapes_only_what_cannot_be_shown() -> None:
    from ssot_scan.printable import printable

    assert printable("pkg/ordinary_name.py") == "pkg/ordinary_name.py"
    assert printable("pkg/ünïcode.py") == "pkg/ünïcode.py"
    assert printable("a\nb\rc\td\x1be\x7f") == "a\\nb\\rc\\td\\x1be\\x7f"
    assert printable(b"bad\xff.py".decode("utf-8", "surrogateescape")) == "bad\\xff.py"


@pytest.mark.parametrize("pattern", ["!", "\\\\"])
def test_an_invalid_exclude_pattern_is_a_config_error_naming_it(
    tmp_path: Path, run_cli: RunCli, pattern: str
) -> None:
    root = _project_with(tmp_path, f'exclude = ["{pattern}"]\n')
    code, _, err = run_cli(["--no-cache", "."], root)
    assert code == 2
    assert err.startswith(
        "ssot-scan: error: pyproject.toml: [tool.ssot-scan].exclude: invalid pattern"
    )
    assert len(err.strip().splitlines()) == 1


def test_one_bad_gitignore_line_is_skipped_and_the_rest_kept(
    tmp_path: Path, run_cli: RunCli
) -> None:
    root = _project_with(tmp_path)
    (root / ".gitignore").write_text("pkg/skipped.py\n\\\n")
    (root / "pkg" / "skipped.py").write_text("from pkg import nothere\n")
    code, out, err = run_cli(["--no-cache", "."], root)
    assert (code, out.count(": SSOT")) == (0, 0)
    assert ".gitignore:2: invalid pattern '\\\\', skipped" in err


@pytest.mark.parametrize("literal", [b'"a\x00b"', b'"\\N{NOT A REAL NAME}"'])
def test_the_libcst_engine_reads_a_string_the_compiler_rejects_without_raising(
    literal: bytes,
) -> None:
    # Found by the fuzz harness: libcst's evaluated_value raised SyntaxError.
    facts = extract(b"import os\n__all__ = [" + literal + b"]\n", "m", False, "libcst")
    assert facts.parse_error is None or facts.parse_error.message


@pytest.mark.skipif(sys.version_info >= (3, 12), reason="this Python reads PEP 695")
def test_five_hundred_elifs_with_newer_syntax_are_read_through_libcst() -> None:
    # Seen: the file went to libcst, and the run printed half a million lines of a
    # RecursionError traceback.
    source = "type Alias = int\nx = 0\nif x == 0:\n    pass\n"
    source += "".join(f"elif x == {i}:\n    import os{i}\n" for i in range(1, 500))
    facts = extract(source.encode(), "m", False, "auto")
    assert facts.parse_error is None
    assert facts.engine == "libcst"
    assert len(facts.imports) == 499


def test_libcst_rejecting_a_node_is_a_parse_error_not_a_crash() -> None:
    # Found by fuzzing: libcst's parser raises CSTValidationError, not
    # ParserSyntaxError, for a string literal concatenated with a bytes literal.
    from ssot_scan.extract import extract

    facts = extract(b'X = ("a"\n     b"b")\n', "m", False, "libcst")
    assert facts.parse_error is not None
    assert facts.parse_error.message == "SyntaxError: cannot mix bytes and nonbytes literals"
    assert (facts.parse_error.line, facts.parse_error.transient) == (2, False)  # CPython's
