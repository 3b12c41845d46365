"""The command line: ``ssot-scan [PATHS]``.

Exit codes: 0 within budget, 1 over budget (any finding when no budget is set),
2 usage or configuration error. Heavy modules (networkx, libcst, the checks) are
imported only once a scan really runs, so ``--help`` and ``--version`` stay instant.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Optional

import click

from ssot_scan import __version__
from ssot_scan.checks.registry import CHECK_NAMES
from ssot_scan.errors import UsageError

EXIT_USAGE = 2
_PROGRESS_MIN_FILES = 200
_CONTEXT = {"help_option_names": ["-h", "--help"]}


def _split(values: tuple[str, ...]) -> list[str]:
    return [part.strip() for value in values for part in value.split(",") if part.strip()]


def _explain(code: str) -> str:
    from ssot_scan.checks import all_checks

    for check in all_checks():
        if code in (check.code, check.name):
            doc = (check.__doc__ or "").strip()
            return f"{check.code} ({check.name})\n\n{doc}\n"
    known = ", ".join(CHECK_NAMES)
    raise UsageError(f"--explain: unknown rule code {code!r} (known: {known})")


class _Progress:
    """A progress bar on stderr for long scans, only when stderr is a terminal."""

    def __init__(self, enabled: bool) -> None:
        self.enabled = enabled and sys.stderr.isatty()
        self._bar: Optional[object] = None
        self._shown = 0

    def __call__(self, done: int, total: int) -> None:
        if not self.enabled or total < _PROGRESS_MIN_FILES:
            return
        if self._bar is None:
            bar = click.progressbar(length=total, label="Scanning", file=sys.stderr)
            bar.__enter__()
            self._bar = bar
        self._bar.update(done - self._shown)  # type: ignore[attr-defined]
        self._shown = done
        if done == total:
            self._bar.__exit__(None, None, None)  # type: ignore[attr-defined]


class _DefaultGroup(click.Group):
    """``ssot-scan [PATHS]`` runs ``check``; ``ssot-scan clean`` runs ``clean``.

    A first argument that names no command (a path, an option) is the start of a
    ``check`` invocation, so the common case needs no subcommand.
    """

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        if not args or (args[0] not in self.commands and args[0] not in ("-V", "--version")):
            # ``ssot-scan --help`` is help on scanning, which is what people ask for.
            args = ["check", *args]
        return super().parse_args(ctx, args)


@click.group(cls=_DefaultGroup, context_settings=_CONTEXT)
@click.version_option(__version__, "--version", "-V", prog_name="ssot-scan")
def main() -> None:
    """Find what breaks a single source of truth in a Python codebase.

    \b
    ssot-scan [check] [OPTIONS] [PATHS]...   scan (the default command)
    ssot-scan clean [PATHS]...               delete the project's cache

    Run `ssot-scan check --help` for the scan's options.
    """


@main.command("check", context_settings=_CONTEXT)
@click.argument("paths", nargs=-1, type=click.Path(exists=True, path_type=Path))
@click.option(
    "--output-format",
    "-f",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="How to print the findings.",
)
@click.option(
    "--output-file",
    "-o",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write the report to this file instead of standard output.",
)
@click.option(
    "--max-warnings",
    type=click.IntRange(min=0),
    help="Fail (exit 1) only when there are more findings than this. Overrides config.",
)
@click.option("--exit-zero", is_flag=True, help="Exit 0 even when over budget.")
@click.option(
    "--select",
    multiple=True,
    metavar="CODES",
    help="Only these codes or prefixes (comma-separated, repeatable). Replaces config.",
)
@click.option(
    "--ignore",
    multiple=True,
    metavar="CODES",
    help="Leave out these codes or prefixes (comma-separated, repeatable). Adds to config.",
)
@click.option(
    "--rules",
    "rule_packs",
    multiple=True,
    metavar="PACK",
    help="A rule pack: a TOML file, or the name of a shipped pack (e.g. python-stdlib).",
)
@click.option(
    "--config",
    "config_path",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Read configuration from this file (pyproject.toml or ssot-scan.toml).",
)
@click.option(
    "--engine",
    type=click.Choice(["auto", "ast", "libcst"]),
    default=None,
    help="Parser: ast (fast), libcst (any syntax), auto (ast, libcst where ast fails).",
)
@click.option(
    "--canonical-policy",
    type=click.Choice(["most-used", "definition", "shortest-public"]),
    default=None,
    help="How to pick a symbol's canonical path when no rule declares it.",
)
@click.option(
    "--jobs",
    "-j",
    type=click.IntRange(min=1),
    help="Processes that parse files (default: the usable cores; 1 = in-process).",
)
@click.option("--no-cache", is_flag=True, help="Neither read nor write the cache.")
@click.option(
    "--cache-dir",
    type=click.Path(file_okay=False, path_type=Path),
    help="Where the cache lives (default: .ssot_cache at the project root).",
)
@click.option("--quiet", "-q", is_flag=True, help="Print findings only: no summary or notices.")
@click.option("--explain", metavar="CODE", help="Explain a rule and exit.")
def check(
    paths: tuple[Path, ...],
    output_format: str,
    output_file: Optional[Path],
    max_warnings: Optional[int],
    exit_zero: bool,
    select: tuple[str, ...],
    ignore: tuple[str, ...],
    rule_packs: tuple[str, ...],
    config_path: Optional[Path],
    engine: Optional[str],
    canonical_policy: Optional[str],
    jobs: Optional[int],
    no_cache: bool,
    cache_dir: Optional[Path],
    quiet: bool,
    explain: Optional[str],
) -> None:
    """Scan the Python code under PATHS (default: the current folder).

    Reports deprecated imports (SSOT001), imports through a non-canonical path
    (SSOT002), competing definitions (SSOT003), import cycles (SSOT004),
    unresolved imports (SSOT005) and shadowed modules (SSOT006); a file that does
    not parse is SSOT000. `ssot-scan --explain CODE` explains a rule.

    Exit codes: 0 within budget, 1 over budget, 2 usage or configuration error.

    Other commands: `ssot-scan clean` deletes the cache.
    """
    try:
        if explain:
            click.echo(_explain(explain), nl=False)
            return
        code = _scan(
            list(paths),
            output_format=output_format,
            output_file=output_file,
            max_warnings=max_warnings,
            exit_zero=exit_zero,
            select=_split(select),
            ignore=_split(ignore),
            rule_packs=list(rule_packs),
            config_path=config_path,
            engine=engine,
            canonical_policy=canonical_policy,
            quiet=quiet,
            jobs=jobs,
            use_cache=not no_cache,
            cache_dir=cache_dir,
        )
    except UsageError as exc:
        click.echo(f"ssot-scan: error: {exc}", err=True)
        sys.exit(EXIT_USAGE)
    sys.exit(code)


def _scan(
    paths: list[Path],
    *,
    output_format: str,
    output_file: Optional[Path],
    max_warnings: Optional[int],
    exit_zero: bool,
    select: list[str],
    ignore: list[str],
    rule_packs: list[str],
    config_path: Optional[Path],
    engine: Optional[str],
    canonical_policy: Optional[str],
    quiet: bool,
    jobs: Optional[int],
    use_cache: bool,
    cache_dir: Optional[Path],
) -> int:
    from ssot_scan.config import codes, load_config, load_rule_packs
    from ssot_scan.report import renderer
    from ssot_scan.scan import run_scan

    config = load_config(paths, config_path)
    if select:
        config.select = codes(select, "--select")
    if ignore:
        config.ignore = [*config.ignore, *codes(ignore, "--ignore")]
    if max_warnings is not None:
        config.max_warnings = max_warnings
    if engine is not None:
        config.engine = engine
    if canonical_policy is not None:
        config.canonical_policy = canonical_policy
    load_rule_packs(config, rule_packs)

    result = run_scan(
        paths,
        config,
        progress=_Progress(enabled=not quiet),
        jobs=jobs,
        cache_dir=cache_dir,
        use_cache=use_cache,
    )
    if not quiet:
        for notice in result.notices:
            click.echo(f"ssot-scan: warning: {notice}", err=True)
    output = renderer(output_format)(result, quiet)
    if output_file is not None:
        _write_atomic(output_file, click.unstyle(output))
    else:
        click.echo(output, nl=False)
    return result.exit_code(exit_zero)


def _write_atomic(path: Path, text: str) -> None:
    import os
    import tempfile

    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
        os.replace(tmp, path)
    except OSError as exc:
        raise UsageError(f"--output-file {path}: cannot write: {exc.strerror or exc}") from None


@main.command("clean", context_settings=_CONTEXT)
@click.argument("paths", nargs=-1, type=click.Path(exists=True, path_type=Path))
@click.option(
    "--cache-dir",
    type=click.Path(file_okay=False, path_type=Path),
    help="The cache to delete (default: .ssot_cache at the project root).",
)
def clean(paths: tuple[Path, ...], cache_dir: Optional[Path]) -> None:
    """Delete the cache of the project that holds PATHS (default: the current folder).

    Only files ssot-scan writes are removed, so pointing --cache-dir at the wrong
    folder deletes nothing else.
    """
    from ssot_scan.cache import default_cache_dir, remove_cache
    from ssot_scan.config import load_config

    try:
        folder = cache_dir or default_cache_dir(load_config(list(paths)).project_root)
    except UsageError as exc:
        click.echo(f"ssot-scan: error: {exc}", err=True)
        sys.exit(EXIT_USAGE)
    removed = remove_cache(folder)
    click.echo(f"removed {folder}" if removed else f"no cache at {folder}")
