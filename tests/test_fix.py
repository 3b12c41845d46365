"""ssot-scan fix: imports moved to their canonical path, formatting kept, never a
broken or half-written file."""

from __future__ import annotations

import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest
from helpers import THREE_FINDINGS, websocket_findings, write_project

RunCli = Callable[..., "tuple[int, str, str]"]
MakeProject = Callable[..., Path]

CONFIG = """\
[[tool.ssot-scan.canonical]]
symbol = "pkg.core.Thing"
path = "pkg.api"
"""
BASE = {
    "pkg/__init__.py": "",
    "pkg/core.py": "class Thing: ...\nclass Other: ...\n",
    "pkg/api.py": 'from pkg.core import Thing, Other\n__all__ = ["Thing", "Other"]\n',
}


def project(tmp_path: Path, use: str) -> Path:
    return write_project(tmp_path, {**BASE, "pkg/use.py": textwrap.dedent(use)}, CONFIG)


def fixed(tmp_path: Path, run_cli: RunCli, use: str) -> str:
    root = project(tmp_path, use)
    code, out, err = run_cli(["fix", "--no-cache"], root)
    assert code == 0, (out, err)
    return (root / "pkg" / "use.py").read_text(encoding="utf-8")


def ssot002(run_cli: RunCli, root: Path) -> int:
    _, out, _ = run_cli(["--no-cache", "-q", "--select", "SSOT002", "."], root)
    return sum(1 for line in out.splitlines() if " SSOT002 " in line)


def test_a_single_name_import_moves_to_the_canonical_path(tmp_path: Path, run_cli: RunCli) -> None:
    text = fixed(tmp_path, run_cli, "from pkg.core import Thing  # why\n\nx = Thing()\n")
    assert text == "from pkg.api import Thing  # why\n\nx = Thing()\n"
    assert ssot002(run_cli, tmp_path) == 0


def test_other_names_and_their_comments_stay(tmp_path: Path, run_cli: RunCli) -> None:
    text = fixed(
        tmp_path,
        run_cli,
        """\
        from pkg.core import (
            Other,  # keep me
            Thing,
        )
        """,
    )
    # The moved name goes where isort puts it: pkg.api sorts before pkg.core.
    assert text == "from pkg.api import Thing\nfrom pkg.core import (\n    Other,  # keep me\n)\n"


def test_a_moved_name_keeps_its_local_alias(tmp_path: Path, run_cli: RunCli) -> None:
    text = fixed(tmp_path, run_cli, "from pkg.core import Other, Thing as T\n")
    assert text == "from pkg.api import Thing as T\nfrom pkg.core import Other\n"


def test_moved_names_join_an_earlier_import_of_the_canonical_module(
    tmp_path: Path, run_cli: RunCli
) -> None:
    text = fixed(tmp_path, run_cli, "from pkg.api import Other\nfrom pkg.core import Thing\n")
    assert text == "from pkg.api import Other, Thing\n"


def test_imports_inside_functions_are_moved_too(tmp_path: Path, run_cli: RunCli) -> None:
    text = fixed(tmp_path, run_cli, "def f():\n    from pkg.core import Thing\n    return Thing\n")
    assert text == "def f():\n    from pkg.api import Thing\n    return Thing\n"


def test_a_suppressed_finding_is_left_alone(tmp_path: Path, run_cli: RunCli) -> None:
    source = "from pkg.core import Thing  # ssot: ignore[SSOT002]\n"
    assert fixed(tmp_path, run_cli, source) == source


def test_a_relative_import_is_moved_to_a_relative_canonical_path(
    tmp_path: Path, run_cli: RunCli
) -> None:
    # The statement was relative: the file prefers that spelling, and keeps it.
    root = project(tmp_path, "from .core import Thing\n")
    code, _, err = run_cli(["fix", "--no-cache"], root)
    assert code == 0, err
    assert (root / "pkg" / "use.py").read_text() == "from .api import Thing\n"


@pytest.mark.parametrize(
    ("use", "expected"),
    [
        ("from ..core import Thing\n", "from ..api import Thing\n"),
        (
            "from ..sub.sibling import S\nfrom ..core import Thing\n",
            "from ..api import Thing\nfrom ..sub.sibling import S\n",
        ),
        ("from pkg.core import Thing\n", "from pkg.api import Thing\n"),
        (
            "from ..api import Other\nfrom ..core import Thing\n",
            "from ..api import Other, Thing\n",
        ),
        (
            "from pkg.api import Other\nfrom ..core import Thing\n",
            "from pkg.api import Other, Thing\n",
        ),
        (
            "from .. import core\nfrom ..core import Thing\nfrom .sibling import S\n",
            "from .. import core\nfrom ..api import Thing\nfrom .sibling import S\n",
        ),
    ],
    ids=[
        "up-one",
        "up-two",
        "absolute-stays-absolute",
        "joins-relative",
        "joins-absolute",
        "sorted",
    ],
)
def test_a_relative_import_in_a_subpackage_keeps_its_spelling(
    tmp_path: Path, run_cli: RunCli, use: str, expected: str
) -> None:
    files = {
        **BASE,
        "pkg/sub/__init__.py": "",
        "pkg/sub/sibling.py": "S = 1\n",
        "pkg/sub/use.py": use,
    }
    root = write_project(tmp_path, files, CONFIG)
    code, _, err = run_cli(["fix", "--no-cache"], root)
    assert code == 0, err
    assert (root / "pkg" / "sub" / "use.py").read_text() == expected
    assert ssot002(run_cli, root) == 0


def test_diff_writes_nothing_and_fails_when_there_is_work(tmp_path: Path, run_cli: RunCli) -> None:
    root = project(tmp_path, "from pkg.core import Thing\n")
    code, out, _ = run_cli(["fix", "--diff", "--no-cache"], root)
    assert code == 1
    assert "-from pkg.core import Thing\n+from pkg.api import Thing\n" in out
    assert (root / "pkg" / "use.py").read_text() == "from pkg.core import Thing\n"
    run_cli(["fix", "--no-cache"], root)
    assert run_cli(["fix", "--diff", "--no-cache"], root)[0] == 0


def test_a_file_not_in_utf8_is_not_rewritten(tmp_path: Path, run_cli: RunCli) -> None:
    root = project(tmp_path, "")
    data = "# -*- coding: latin-1 -*-\nfrom pkg.core import Thing\nS = 'é'\n".encode("latin-1")
    (root / "pkg" / "use.py").write_bytes(data)
    code, _, err = run_cli(["fix", "--no-cache"], root)
    assert code == 0
    assert (root / "pkg" / "use.py").read_bytes() == data
    assert "only UTF-8 files" in err


def test_a_result_that_would_not_parse_is_never_written(
    tmp_path: Path, run_cli: RunCli, monkeypatch: pytest.MonkeyPatch
) -> None:
    import ssot_scan.fix.files as files

    monkeypatch.setattr(files, "_check_parses", lambda *args: "pretend it broke")
    root = project(tmp_path, "from pkg.core import Thing\n")
    code, _, err = run_cli(["fix", "--no-cache"], root)
    assert code == 0
    assert (root / "pkg" / "use.py").read_text() == "from pkg.core import Thing\n"
    assert "the result would not parse (pretend it broke)" in err


@pytest.mark.parametrize(
    ("existing", "expected"),
    [
        (
            "from pkg.api import (\n    Other,  # note\n)\n",
            "from pkg.api import (\n    Other,  # note\n    Thing,\n)\n",
        ),
        (
            "from pkg.api import (\n    Other\n)\n",
            "from pkg.api import (\n    Other,\n    Thing\n)\n",
        ),
        ("from pkg.api import (Other)\n", "from pkg.api import (Other, Thing)\n"),
        ("from pkg.api import (Other,)\n", "from pkg.api import (Other, Thing,)\n"),
    ],
    ids=["one-per-line-with-comment", "one-per-line-no-trailing-comma", "inline", "inline-comma"],
)
def test_moved_names_join_a_parenthesised_import_in_its_layout(
    tmp_path: Path, run_cli: RunCli, existing: str, expected: str
) -> None:
    # Django's http/request.py: the moved name used to get a second statement beside
    # a parenthesised import of the same module.
    assert fixed(tmp_path, run_cli, existing + "from pkg.core import Thing\n") == expected


def test_the_fast_path_rewrites_exactly_as_the_metadata_pass(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Module-level statements are found by counting lines, without libcst's metadata
    # pass over the whole tree; the result must not differ by a byte.
    from ssot_scan import fix as fix_module

    root, findings = websocket_findings(tmp_path, ["SSOT001", "SSOT002"])
    fast, _ = fix_module.plan(findings, root)
    assert any(f.after is not None and f.after != f.before for f in fast)
    from ssot_scan.fix.rewriter import Rewriter

    monkeypatch.setattr(Rewriter, "rewrite_top_level", lambda *args: None)
    slow, _ = fix_module.plan(findings, root)
    assert [(f.rel, f.after, f.moved) for f in fast] == [(f.rel, f.after, f.moved) for f in slow]


def test_a_latin1_file_whose_bytes_are_valid_utf8_is_refused_not_reencoded(
    tmp_path: Path, make_project: MakeProject, run_cli: RunCli
) -> None:
    # Decoded as latin-1 and written back as UTF-8, "Ã©" would become four bytes.
    make_project(tmp_path, THREE_FINDINGS)
    path = tmp_path / "pkg" / "c.py"
    data = "# -*- coding: latin-1 -*-\nfrom pkg.helpers import Thing\nS = 'é'\n".encode()
    path.write_bytes(data)
    code, _, err = run_cli(["fix", "--no-cache"], tmp_path)
    assert code == 0
    assert "pkg/c.py: not rewritten: only UTF-8 files without a BOM are" in err
    assert path.read_bytes() == data


def test_libcst_failing_on_one_file_leaves_it_alone_and_goes_on(
    tmp_path: Path, make_project: MakeProject, run_cli: RunCli, monkeypatch: pytest.MonkeyPatch
) -> None:
    import libcst

    make_project(tmp_path, {**THREE_FINDINGS, "pkg/e.py": "from pkg.helpers import Thing\n"})
    real = libcst.parse_module

    def failing(text: str, *args: object, **kwargs: object) -> libcst.Module:
        if text.startswith("from pkg.helpers import Thing\n") and "# e" not in text:
            raise libcst.CSTValidationError("Cannot have a return.5 here")
        return real(text, *args, **kwargs)  # type: ignore[arg-type]

    (tmp_path / "pkg" / "e.py").write_text("# e\nfrom pkg.helpers import Thing\n")
    monkeypatch.setattr(libcst, "parse_module", failing)
    code, _, err = run_cli(["fix", "--no-cache"], tmp_path)
    assert code == 0, err
    assert "pkg/c.py: not rewritten: libcst failed (CSTValidationError" in err
    assert (tmp_path / "pkg" / "c.py").read_text() == "from pkg.helpers import Thing\n"
    assert (tmp_path / "pkg" / "e.py").read_text() == "# e\nfrom pkg.core import Thing\n"


def test_a_moved_name_never_joins_an_import_above_a_rebinding(
    tmp_path: Path, make_project: MakeProject, run_cli: RunCli
) -> None:
    # Merged into line 1, `Thing` would be bound before `def Thing`, which would win.
    make_project(tmp_path, THREE_FINDINGS)
    path = tmp_path / "pkg" / "c.py"
    path.write_text(
        "from pkg.core import Thing as Core\n\n\ndef Thing():\n    pass\n\n\n"
        "from pkg.helpers import Thing\n"
    )
    code, _, err = run_cli(["fix", "--no-cache"], tmp_path)
    assert code == 0, err
    assert path.read_text() == (
        "from pkg.core import Thing as Core\n\n\ndef Thing():\n    pass\n\n\n"
        "from pkg.core import Thing\n"
    )


def test_a_moved_name_joins_an_earlier_import_when_nothing_between_mentions_it(
    tmp_path: Path, make_project: MakeProject, run_cli: RunCli
) -> None:
    make_project(tmp_path, THREE_FINDINGS)
    path = tmp_path / "pkg" / "c.py"
    path.write_text("from pkg.core import Other\n\nX = 1\nfrom pkg.helpers import Thing\n")
    (tmp_path / "pkg" / "core.py").write_text("class Thing:\n    pass\n\n\nOther = 1\n")
    code, _, err = run_cli(["fix", "--no-cache"], tmp_path)
    assert code == 0, err
    assert path.read_text() == "from pkg.core import Other, Thing\n\nX = 1\n"


def test_a_relative_import_keeps_its_other_names_relative(
    tmp_path: Path, make_project: MakeProject, run_cli: RunCli
) -> None:
    make_project(tmp_path, THREE_FINDINGS)
    path = tmp_path / "pkg" / "c.py"
    path.write_text("from .helpers import DEFAULT, Thing\n")
    code, _, err = run_cli(["fix", "--no-cache"], tmp_path)
    assert code == 0, err
    assert path.read_text() == "from .core import Thing\nfrom .helpers import DEFAULT\n"


def test_a_file_ruff_isort_accepted_before_it_accepts_after(
    tmp_path: Path, make_project: MakeProject, run_cli: RunCli
) -> None:
    import shutil
    import subprocess
    import sys

    if (
        shutil.which("ruff") is None
        and subprocess.run(
            [sys.executable, "-m", "ruff", "--version"], capture_output=True
        ).returncode
    ):
        pytest.skip("ruff is not installed")
    make_project(
        tmp_path,
        {
            **THREE_FINDINGS,
            "pkg/alpha.py": "A = 1\n",
            "pkg/zeta.py": "Z = 1\n",
            "pkg/c.py": (
                "import os\n\nfrom pkg.alpha import A\nfrom pkg.helpers import Thing\n"
                "from pkg.zeta import Z\n\nprint(os, A, Thing, Z)\n"
            ),
            "pkg/e.py": (
                "import os\n\nfrom .alpha import A\nfrom .helpers import Thing\n"
                "from .zeta import Z\n\nprint(os, A, Thing, Z)\n"
            ),
        },
    )
    ruff = [sys.executable, "-m", "ruff", "check", "--isolated", "--select", "I"]
    ruff += ["pkg/c.py", "pkg/e.py"]
    assert subprocess.run(ruff, cwd=tmp_path, capture_output=True).returncode == 0
    code, _, err = run_cli(["fix", "--no-cache"], tmp_path)
    assert code == 0, err
    assert (tmp_path / "pkg" / "c.py").read_text() == (
        "import os\n\nfrom pkg.alpha import A\nfrom pkg.core import Thing\n"
        "from pkg.zeta import Z\n\nprint(os, A, Thing, Z)\n"
    )
    assert (tmp_path / "pkg" / "e.py").read_text() == (
        "import os\n\nfrom .alpha import A\nfrom .core import Thing\n"
        "from .zeta import Z\n\nprint(os, A, Thing, Z)\n"
    )
    done = subprocess.run(ruff, cwd=tmp_path, capture_output=True, text=True)
    assert done.returncode == 0, done.stdout


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        (
            "from pkg.core import (\n    Other,  # keep me\n    Thing,  # type: ignore[misc]\n)\n",
            "from pkg.api import Thing  # type: ignore[misc]\n"
            "from pkg.core import (\n    Other,  # keep me\n)\n",
        ),
        (
            "from pkg.core import (\n    Thing,  # pylint: disable=unused-import\n)\n",
            "from pkg.api import Thing  # pylint: disable=unused-import\n",
        ),
    ],
    ids=["with-a-kept-name", "alone"],
)
def test_a_moved_names_own_comment_goes_with_it(
    tmp_path: Path, run_cli: RunCli, source: str, expected: str
) -> None:
    assert fixed(tmp_path, run_cli, source) == expected


@pytest.mark.parametrize(
    ("existing", "expected"),
    [
        ("from pkg.api import Widget\n", "from pkg.api import Thing, Widget\n"),
        ("from pkg.api import (Widget,)\n", "from pkg.api import (Thing, Widget,)\n"),
        (
            "from pkg.api import (\n    WIDTH,\n    Widget,\n    widget,\n)\n",
            "from pkg.api import (\n    WIDTH,\n    Thing,\n    Widget,\n    widget,\n)\n",
        ),
        (
            "from pkg.api import (\n    Widget,  # note\n)\n",
            "from pkg.api import (\n    Widget,  # note\n    Thing,\n)\n",
        ),
        ("from pkg.api import widget, Widget\n", "from pkg.api import widget, Widget, Thing\n"),
    ],
    ids=["inline", "parenthesised", "one-per-line-by-type", "comment-appends", "unsorted-appends"],
)
def test_a_moved_name_joins_in_isort_order_when_the_names_were_in_it(
    tmp_path: Path, run_cli: RunCli, existing: str, expected: str
) -> None:
    # Seen on pandas: `from pandas.errors import Pandas4Warning, IndexingError` failed
    # ruff's I001, which the file had passed.
    files = {
        **BASE,
        "pkg/api.py": BASE["pkg/api.py"] + "WIDTH = 1\nclass Widget: ...\nwidget = 1\n",
        "pkg/use.py": existing + "from pkg.core import Thing\n",
    }
    root = write_project(tmp_path, files, CONFIG)
    code, _, err = run_cli(["fix", "--no-cache"], root)
    assert code == 0, err
    assert (root / "pkg" / "use.py").read_text() == expected


def _ruff_isort_passes(root: Path, rel: str) -> bool:
    import subprocess
    import sys

    command = [sys.executable, "-m", "ruff", "check", "--isolated", "--select", "I", rel]
    return subprocess.run(command, cwd=root, capture_output=True).returncode == 0


@pytest.mark.parametrize(
    ("rel", "before", "after"),
    [
        (
            "pkg/use.py",
            "def f():\n    from pkg.core import Other, Thing\n\n    return Other, Thing\n",
            "def f():\n    from pkg.api import Thing\n    from pkg.core import Other\n\n"
            "    return Other, Thing\n",
        ),
        (
            "pkg/use.py",
            "import os\n\nfrom pkg.b import B\nfrom pkg.core import Other, Thing\n"
            "\nprint(os, B)\n",
            "import os\n\nfrom pkg.api import Thing\nfrom pkg.b import B\n"
            "from pkg.core import Other\n\nprint(os, B)\n",
        ),
        (
            "app/use.py",
            "from pkg.b import B\n\nfrom .helpers import H, Thing\n\nprint(B, H, Thing)\n",
            "from pkg.api import Thing\nfrom pkg.b import B\n\nfrom .helpers import H\n\n"
            "print(B, H, Thing)\n",
        ),
    ],
    ids=["inside-a-function", "first-of-its-run", "into-its-own-section"],
)
def test_a_moved_name_goes_where_isort_puts_it(
    tmp_path: Path, run_cli: RunCli, rel: str, before: str, after: str
) -> None:
    # Seen on Django: the new statement stayed after a relative section, at the end
    # of a run it belonged at the top of, and unsorted inside a function.
    files = {
        **BASE,
        "pkg/b.py": "B = 1\n",
        "app/__init__.py": "",
        "app/helpers.py": "from pkg.core import Thing\n\nH = 1\n",
        rel: before,
    }
    root = write_project(tmp_path, files, CONFIG)
    ruff = _ruff_isort_passes(root, rel)
    code, _, err = run_cli(["fix", "--no-cache"], root)
    assert code == 0, err
    assert (root / rel).read_text() == after
    assert _ruff_isort_passes(root, rel) == ruff


@pytest.mark.parametrize(
    ("existing", "length", "expected"),
    [
        (
            "from pkg.api import Other\n",
            "",
            "from pkg.api import Other, Thing\n",
        ),
        (
            "from pkg.api import Other\n",
            "[tool.ruff]\nline-length = 30\n",
            "from pkg.api import (\n    Other,\n    Thing,\n)\n",
        ),
        (
            "",
            "[tool.black]\nline-length = 20\n",
            "from pkg.api import (\n    Thing,\n)\n",
        ),
        (
            "",
            "[tool.ruff]\nline-length = 99\n[tool.black]\nline-length = 20\n",
            "from pkg.api import Thing\n",
        ),
    ],
    ids=["fits", "joined-too-long", "created-too-long", "ruff-wins-over-black"],
)
def test_an_import_longer_than_the_line_length_is_wrapped_as_isort_does(
    tmp_path: Path, run_cli: RunCli, existing: str, length: str, expected: str
) -> None:
    # Seen on Django: joining names made an 93-character line that ruff's I001
    # wanted wrapped (line-length 88).
    files = {**BASE, "pkg/use.py": existing + "from pkg.core import Thing\n"}
    root = write_project(tmp_path, files, CONFIG + length)
    code, _, err = run_cli(["fix", "--no-cache"], root)
    assert code == 0, err
    assert (root / "pkg" / "use.py").read_text() == expected
