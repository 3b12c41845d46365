"""The command line: ``ssot-scan [PATHS]``.

Exit codes: 0 within budget, 1 over budget (any finding when no budget is set),
2 usage or configuration error. Heavy modules (the checks; libcst for what the
interpreter cannot parse; networkx, to draw graphs) are imported only when a command
needs them, so ``--help`` and ``--version`` stay instant.
"""

from __future__ import annotations

import contextlib
import errno
import gc
import os
import sys
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn, Optional, TypeVar

import click
import msgspec

from ssot_scan import __version__, process
from ssot_scan.errors import UsageError
from ssot_scan.graphs import GRAPH_FORMATS
from ssot_scan.options import CANONICAL_POLICIES, ENGINES
from ssot_scan.printable import printable
from ssot_scan.report import FORMATS, ReportOptions, render
from ssot_scan.rules import CHECK_NAMES
from ssot_scan.writes import require_stdout, write_text

if TYPE_CHECKING:
    from ssot_scan.checks.base import Check
    from ssot_scan.config import Config
    from ssot_scan.discover import Discovery
    from ssot_scan.result import ScanResult

EXIT_USAGE = 2
_PROGRESS_MIN_FILES = 200
_CONTEXT = {"help_option_names": ["-h", "--help"]}


def _split(values: tuple[str, ...]) -> list[str]:
    return [part.strip() for value in values for part in value.split(",") if part.strip()]


def _explain(code: str, what: str = "--explain") -> str:
    """A rule's docs from the registry, then its VALID/INVALID examples. ``code`` is
    a code or a name, in any case (``ssot001``, ``Deprecated-Import``)."""
    from ssot_scan.checks import all_checks
    from ssot_scan.rules import RULES

    wanted = code.strip().lower()
    for rule in RULES:
        if wanted in (rule.code.lower(), rule.name):
            check = next(c for c in all_checks() if c.code == rule.code)
            text = f"{rule.code} ({rule.name}, {rule.severity})\n\n{_plain(rule.docs.strip())}\n"
            return text + _examples(check)
    known = ", ".join(CHECK_NAMES)
    raise UsageError(f"{what}: unknown rule code {code!r} (known: {known})")


def _plain(doc: str) -> str:
    """Rule docs as a terminal shows them: ````x```` as ```x```, ``Example::`` as
    ``Example:`` (the docs are reStructuredText-ish for SARIF's Markdown)."""
    return doc.replace("``", "`").replace("::\n", ":\n")


def use_colour(choice: str, environ: Mapping[str, str]) -> Optional[bool]:
    """``--color``: always or never; auto follows NO_COLOR (https://no-color.org),
    then FORCE_COLOR, then leaves it to click (a terminal gets colour)."""
    if choice != "auto":
        return choice == "always"
    if environ.get("NO_COLOR"):
        return False
    if environ.get("FORCE_COLOR"):
        return True
    return None


def _rules_table() -> str:
    """Every rule: code, name, severity and the first sentence of its docs."""
    from ssot_scan.rules import RULES

    width = max(len(rule.name) for rule in RULES)
    lines = [
        f"{rule.code}  {rule.name:<{width}}  {rule.severity:<7}  {_plain(rule.summary)}"
        for rule in RULES
    ]
    return "\n".join(lines) + "\n"


def _examples(check: Check) -> str:
    """The check's own examples, as ``--explain`` shows them."""
    lines: list[str] = []
    for title, examples in (("Reported", check.INVALID), ("Not reported", check.VALID)):
        for example in examples:
            lines.append(f"\n{title}" + (f" ({example.note})" if example.note else "") + ":")
            for rel, text in example.files.items():
                lines.append(f"  # {rel}")
                lines.extend(f"  {line}" if line else "" for line in text.splitlines())
            for where in example.expect:
                lines.append(f"  -> {check.code} at {where}")
    return "\n".join(lines) + ("\n" if lines else "")


class _Progress:
    """A progress bar on stderr for long scans, only when stderr is a terminal."""

    def __init__(self, enabled: bool) -> None:
        # sys.stderr is None in a process started with descriptor 2 closed.
        self.enabled = enabled and sys.stderr is not None and sys.stderr.isatty()
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


def _take_debug(argv: list[str]) -> bool:
    """Remove ``--debug`` (before any ``--``) from ``argv``; was it there?"""
    end = argv.index("--") if "--" in argv else len(argv)
    found = "--debug" in argv[:end]
    if found:
        argv[:] = [a for i, a in enumerate(argv) if i >= end or a != "--debug"]
    return found


def _one_line(exc: click.UsageError) -> str:
    """A click usage error as one line that names the option, the argument or the
    command: ``--max-warnings: 'abc' is not a valid integer range``."""
    message = " ".join(exc.format_message().split())
    if exc.ctx is not None and exc.ctx.info_name and exc.ctx.info_name != "ssot-scan":
        return f"{message} (see `ssot-scan {exc.ctx.info_name} --help`)"
    return f"{message} (see `ssot-scan --help`)"


class _DefaultGroup(click.Group):
    """``ssot-scan [PATHS]`` runs ``check``; ``ssot-scan clean`` runs ``clean``.

    A first argument that names no command (a path, an option) is the start of a
    ``check`` invocation, so the common case needs no subcommand.
    """

    def main(
        self,
        args: Optional[Sequence[str]] = None,
        prog_name: Optional[str] = None,
        complete_var: Optional[str] = None,
        standalone_mode: bool = True,
        **extra: Any,
    ) -> Any:
        """Run, with every usage error one line on stderr (click's usage block is
        for ``--help``), and an internal error one line too, exit 2 (never 1,
        which says "over budget"), unless ``--debug`` asks for the traceback."""
        argv = list(sys.argv[1:] if args is None else args)
        debug = _take_debug(argv)
        try:
            return super().main(argv, prog_name, complete_var, False, **extra)
        except click.exceptions.NoArgsIsHelpError as exc:
            click.echo(exc.ctx.get_help() if exc.ctx else "", err=True)
            sys.exit(EXIT_USAGE)
        except click.UsageError as exc:
            click.echo(f"ssot-scan: error: {_one_line(exc)}", err=True)
            sys.exit(EXIT_USAGE)
        except click.ClickException as exc:
            click.echo(f"ssot-scan: error: {exc.format_message()}", err=True)
            sys.exit(exc.exit_code if exc.exit_code != 1 else EXIT_USAGE)
        except click.exceptions.Exit as exc:
            sys.exit(exc.exit_code)
        except (click.Abort, KeyboardInterrupt):
            click.echo("ssot-scan: interrupted", err=True)
            sys.exit(130)
        except Exception as exc:  # an internal error: say it in one line
            if debug:
                raise
            kind = type(exc).__name__
            message = " ".join(str(exc).split()) or kind
            click.echo(
                f"ssot-scan: internal error: {kind}: {message} "
                "(re-run with --debug for the traceback)",
                err=True,
            )
            sys.exit(EXIT_USAGE)

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        # ``ssot-scan --help`` lists the commands; ``ssot-scan check --help`` (or
        # ``ssot-scan PATHS --help``) has the scan's options.
        own = ("-V", "--version", "-h", "--help")
        if not args or (args[0] not in self.commands and args[0] not in own):
            args = ["check", *args]
        return super().parse_args(ctx, args)


@click.group(cls=_DefaultGroup, context_settings=_CONTEXT)
@click.version_option(__version__, "--version", "-V", prog_name="ssot-scan")
def main() -> None:
    """Find what breaks a single source of truth in a Python codebase.

    `ssot-scan [PATHS]...` is `ssot-scan check [PATHS]...`: run
    `ssot-scan check --help` for the scan's options, `ssot-scan rules` for the
    codes it reports. Exit codes: 0 within budget, 1 over budget, 2 usage or
    configuration error.
    """


class _ScanOptions(msgspec.Struct):
    """The options every scanning command shares."""

    paths: list[Path]
    select: list[str]
    ignore: list[str]
    rule_packs: list[str]
    config_path: Optional[Path]
    engine: Optional[str]
    canonical_policy: Optional[str]
    jobs: Optional[int]
    use_cache: bool
    cache_dir: Optional[Path]
    strict: bool
    quiet: bool


_F = TypeVar("_F", bound=Callable[..., Any])


def _scan_options(command: _F) -> _F:
    """Decorate a command with the scan's shared argument and options."""
    options = [
        click.argument("paths", nargs=-1, type=click.Path(exists=True, path_type=Path)),
        click.option(
            "--select",
            multiple=True,
            metavar="CODES",
            help="Only these codes or prefixes (comma-separated, repeatable). Replaces config.",
        ),
        click.option(
            "--ignore",
            multiple=True,
            metavar="CODES",
            help="Leave out these codes or prefixes (comma-separated, repeatable). "
            "Adds to config.",
        ),
        click.option(
            "--rules",
            "rule_packs",
            multiple=True,
            metavar="PACK",
            help="A rule pack: a TOML file, or the name of a shipped pack (e.g. python-stdlib).",
        ),
        click.option(
            "--config",
            "config_path",
            type=click.Path(dir_okay=False, path_type=Path),
            help="Read configuration from this file (pyproject.toml or ssot-scan.toml).",
        ),
        click.option(
            "--engine",
            type=click.Choice(ENGINES),
            default=None,
            help="Parser: ast (fast), libcst (any syntax), auto (ast, libcst where ast fails).",
        ),
        click.option(
            "--canonical-policy",
            type=click.Choice(CANONICAL_POLICIES),
            default=None,
            help="How to pick a symbol's canonical path when no rule declares it.",
        ),
        click.option(
            "--jobs",
            "-j",
            type=click.IntRange(min=1),
            help="Processes that parse files (default: the usable cores; 1 = in-process).",
        ),
        click.option(
            "--strict",
            is_flag=True,
            help="SSOT002: report every import of a fragmented symbol through any path but its "
            "canonical one (package facades and defining modules too). Overrides config.",
        ),
        click.option("--no-cache", is_flag=True, help="Neither read nor write the cache."),
        click.option(
            "--cache-dir",
            type=click.Path(file_okay=False, path_type=Path),
            help="Where the cache lives (default: .ssot_cache at the project root).",
        ),
        click.option(
            "--quiet", "-q", is_flag=True, help="Print findings only: no summary or notices."
        ),
    ]
    for option in reversed(options):
        command = option(command)
    return command


def _options(**kwargs: Any) -> _ScanOptions:
    return _ScanOptions(
        paths=list(kwargs.pop("paths")),
        select=_split(kwargs.pop("select")),
        ignore=_split(kwargs.pop("ignore")),
        rule_packs=list(kwargs.pop("rule_packs")),
        config_path=kwargs.pop("config_path"),
        engine=kwargs.pop("engine"),
        canonical_policy=kwargs.pop("canonical_policy"),
        jobs=kwargs.pop("jobs"),
        use_cache=not kwargs.pop("no_cache"),
        strict=kwargs.pop("strict"),
        cache_dir=kwargs.pop("cache_dir"),
        quiet=kwargs.pop("quiet"),
    )


def _usage_errors(run: Callable[[], int]) -> None:
    """Run a command body; a UsageError is one line on stderr and exit 2, and so is
    standard output that cannot be written (``/dev/full``, a closed pipe)."""
    try:
        code = run()
        if sys.stdout is not None:  # None: started with it closed; click wrote nothing
            sys.stdout.flush()
    except UsageError as exc:
        click.echo(f"ssot-scan: error: {exc}", err=True)
        sys.exit(EXIT_USAGE)
    except OSError as exc:
        if exc.errno not in (errno.EPIPE, errno.ENOSPC, errno.EIO, errno.EBADF, errno.EDQUOT):
            raise
        _stdout_gone()
        with contextlib.suppress(OSError):
            click.echo(f"ssot-scan: error: cannot write the output: {exc.strerror}", err=True)
        sys.exit(EXIT_USAGE)
    sys.exit(code)


def _stdout_gone() -> None:
    """Point standard output at the null device, so that the interpreter's flush at
    exit does not fail again with a traceback."""
    with contextlib.suppress(OSError, ValueError):
        null = os.open(os.devnull, os.O_WRONLY)
        os.dup2(null, sys.stdout.fileno())
        os.close(null)


def _load(opts: _ScanOptions, max_warnings: Optional[int] = None) -> Config:
    from ssot_scan.config import codes, load_config, load_rule_packs

    config = load_config(opts.paths, opts.config_path)
    if opts.select:
        config.select = codes(opts.select, "--select")
    if opts.ignore:
        config.ignore = [*config.ignore, *codes(opts.ignore, "--ignore")]
    if max_warnings is not None:
        config.max_warnings = max_warnings
    if opts.engine is not None:
        config.engine = opts.engine
    if opts.canonical_policy is not None:
        config.canonical_policy = opts.canonical_policy
    if opts.strict:
        config.strict = True
    load_rule_packs(config, opts.rule_packs)
    return config


def _run(opts: _ScanOptions, config: Config, changed: Optional[list[Path]] = None) -> ScanResult:
    return _run_project(opts, config, changed)[1]


def _run_project(
    opts: _ScanOptions, config: Config, changed: Optional[list[Path]] = None
) -> tuple[Discovery, ScanResult]:
    """The scan, with the files it found (``fix`` reads on from them)."""
    from ssot_scan.scan import scan_project

    found, result = scan_project(
        opts.paths,
        config,
        progress=_Progress(enabled=not opts.quiet),
        jobs=opts.jobs,
        cache_dir=opts.cache_dir,
        use_cache=opts.use_cache,
        changed=changed,
    )
    if not opts.quiet:
        for notice in result.notices:
            click.echo(f"ssot-scan: warning: {printable(notice)}", err=True)
    return found, result


def _baseline_path(given: Optional[Path], config: Config) -> Path:
    from ssot_scan.baseline import DEFAULT_BASELINE

    if given is not None:
        return given
    if config.baseline is not None:
        return (config.project_root or Path.cwd()) / config.baseline
    return (config.project_root or Path.cwd()) / DEFAULT_BASELINE


def _report_spec(value: str) -> tuple[str, Path]:
    from ssot_scan.report import FORMATS

    fmt, sep, target = value.partition(":")
    if not sep or not target or fmt not in FORMATS:
        raise UsageError(
            f"--report {value!r}: expected FORMAT:FILE with FORMAT one of {', '.join(FORMATS)}"
        )
    return fmt, Path(target)


def path_inside(root: Path, repository: Path) -> str:
    """``root``'s path inside ``repository``, "/"-separated ("" at its top, or when
    ``root`` is not inside it): what report paths need in front of them."""
    try:
        inside = root.resolve().relative_to(repository.resolve())
    except ValueError:
        return ""
    return "" if inside == Path() else inside.as_posix()


def _report_options(
    config: Config,
    history_file: Optional[Path],
    formats: set[str],
    path_prefix: Optional[str],
    include_suppressed: bool,
    files: list[Path],
) -> ReportOptions:
    """What the formats of this run need beyond the result (see ``ReportOptions``)."""
    history_entries = None
    if "html" in formats and history_file is not None:
        from ssot_scan import history

        history_entries = history.read(history_file)[0]
    repository: Optional[Path] = None
    prefix = (path_prefix or "").strip("/")
    if path_prefix is None and formats & {"sarif", "github"}:
        from ssot_scan.gitdiff import repository_root

        root = (config.project_root or Path.cwd()).resolve()
        repository = repository_root(root)
        if repository is not None:
            prefix = path_inside(root, repository)
    return ReportOptions(
        history=history_entries,
        include_suppressed=include_suppressed,
        path_prefix=prefix,
        repository_root=str(repository) if repository is not None else None,
        full_reports=tuple(str(f) for f in files),
    )


def _output_file(what: str) -> Callable[[_F], _F]:
    """``-o/--output-file``, standard output by default, for a command writing ``what``."""
    return click.option(
        "--output-file",
        "-o",
        type=click.Path(dir_okay=False, path_type=Path),
        default=Path("-"),
        show_default=True,
        help=f"Write the {what} here (- is standard output).",
    )


@main.command("check", context_settings=_CONTEXT)
@_scan_options
@click.option(
    "--output-format",
    "-f",
    type=click.Choice(FORMATS),
    default="text",
    show_default=True,
    help="How to print the findings. Text comes in three styles: grouped (= text: by "
    "file, in line order), concise (one line each), full (with code frames).",
)
@click.option(
    "--output-file",
    "-o",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write the report to this file instead of standard output.",
)
@click.option(
    "--report",
    "reports",
    multiple=True,
    metavar="FORMAT:FILE",
    help="Also write a report in FORMAT to FILE (repeatable), e.g. sarif:ssot.sarif.",
)
@click.option(
    "--max-warnings",
    type=click.IntRange(min=0),
    help="Fail (exit 1) only when there are more findings than this. Overrides config.",
)
@click.option("--exit-zero", is_flag=True, help="Exit 0 even when over budget.")
@click.option(
    "--baseline",
    "baseline_file",
    type=click.Path(path_type=Path),
    help="Report only findings not in this baseline (see `ssot-scan baseline`).",
)
@click.option(
    "--fail-on-stale-baseline",
    is_flag=True,
    help="Exit 1 while the baseline lists findings that are fixed, so it can only shrink.",
)
@click.option("--statistics", is_flag=True, help="Print the counts per code only (text or json).")
@click.option(
    "--history",
    "history_file",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Append this run's counts as one JSON line to FILE (see `ssot-scan trend`).",
)
@click.option(
    "--diff-base",
    metavar="REF",
    help="Report only files changed since this git ref (and untracked files); the whole "
    "project is still analysed.",
)
@click.option(
    "--show-settings",
    is_flag=True,
    help="Print the project root, config file, roots, first-party names and settings, then exit.",
)
@click.option(
    "--show-files",
    is_flag=True,
    help="List every discovered file with its module name (or why it has none), then exit.",
)
@click.option(
    "--sarif-include-suppressed",
    is_flag=True,
    help="SARIF: also list findings the baseline tolerates or `# ssot: ignore` silences "
    "(GitHub code scanning would open an alert for each).",
)
@click.option(
    "--path-prefix",
    metavar="PATH",
    help="SARIF and GitHub annotations: the project root's path inside the repository "
    "(default: asked of git), so that paths resolve from the repository root.",
)
@click.option(
    "--show-source",
    is_flag=True,
    help="Text output: show each finding's code frame (the same as -f full).",
)
@click.option(
    "--color",
    "colour",
    type=click.Choice(["auto", "always", "never"]),
    default="auto",
    show_default=True,
    help="Colour in text output: auto is on a terminal only, off with NO_COLOR set and on "
    "with FORCE_COLOR set.",
)
@click.option("--explain", metavar="CODE", help="Explain a rule and exit.")
def check(
    output_format: str,
    output_file: Optional[Path],
    reports: tuple[str, ...],
    max_warnings: Optional[int],
    exit_zero: bool,
    baseline_file: Optional[Path],
    fail_on_stale_baseline: bool,
    statistics: bool,
    history_file: Optional[Path],
    diff_base: Optional[str],
    show_settings: bool,
    show_files: bool,
    sarif_include_suppressed: bool,
    path_prefix: Optional[str],
    show_source: bool,
    colour: str,
    explain: Optional[str],
    **scan: Any,
) -> None:
    """Scan the Python code under PATHS (default: the current folder).

    Reports deprecated imports (SSOT001), imports through a non-canonical path
    (SSOT002), competing definitions (SSOT003), import cycles (SSOT004),
    unresolved imports (SSOT005) and shadowed modules (SSOT006); a file that does
    not parse is SSOT000. `ssot-scan --explain CODE` explains a rule.

    Exit codes: 0 within budget, 1 over budget, 2 usage or configuration error.

    Other commands (`ssot-scan --help` lists them): `baseline`, `fix`, `plan`,
    `graph`, `rules`, `trend`, `clean`.
    """
    opts = _options(**scan)
    click.get_current_context().color = use_colour(colour, os.environ)
    if show_source and output_format in ("text", "grouped", "concise"):
        output_format = "full"

    def run() -> int:
        if explain:
            click.echo(_explain(explain), nl=False)
            return 0
        if statistics and output_format not in ("text", "json"):
            raise UsageError(
                f"--statistics prints text or json, not --output-format {output_format}"
            )
        targets = [_report_spec(spec) for spec in reports]
        config = _load(opts, max_warnings)
        if show_settings or show_files:
            from ssot_scan.discover import discover
            from ssot_scan.settings import files_listing, settings_listing

            found = discover(opts.paths, config)
            shown = settings_listing(config, found) if show_settings else ""
            if show_files:
                shown += files_listing(found)
            click.echo(shown, nl=False)
            return 0
        changed = None
        if diff_base is not None:
            from ssot_scan.gitdiff import changed_files

            changed = changed_files(diff_base, config.project_root or Path.cwd())
        result = _run(opts, config, changed)
        if baseline_file is not None or config.baseline is not None:
            from ssot_scan import baseline

            path = _baseline_path(baseline_file, config)
            baseline.apply(result, baseline.load(path), str(baseline_file or config.baseline))
        if history_file is not None:
            from ssot_scan import history

            folder = config.project_root or Path.cwd()
            history.append(history_file, history.record(result, folder))
        formats = {fmt for fmt, _ in targets} | ({output_format} if not statistics else set())
        full = [target for fmt, target in targets if fmt != "github"]
        if output_file is not None and output_format != "github":
            full.insert(0, output_file)
        options = _report_options(
            config, history_file, formats, path_prefix, sarif_include_suppressed, full
        )
        if statistics:
            from ssot_scan.report.statistics import render_statistics_json, render_statistics_text

            output = (
                render_statistics_json(result)
                if output_format == "json"
                else render_statistics_text(result)
            )
        else:
            output = render(output_format, result, opts.quiet, options)
        for fmt, target in targets:
            text = render(fmt, result, False, options)
            write_text(target, click.unstyle(text), f"{fmt} report")
        if output_file is not None:
            write_text(output_file, click.unstyle(output), "report")
        elif output:
            require_stdout("report")  # a report lost silently could pass for none
            click.echo(output, nl=False)
        return result.exit_code(exit_zero, fail_on_stale_baseline)

    _usage_errors(run)


@main.command("baseline", context_settings=_CONTEXT)
@_scan_options
@click.option(
    "--baseline",
    "baseline_file",
    type=click.Path(dir_okay=False, path_type=Path),
    help="The baseline file (default: `baseline` in config, else .ssot-baseline.json "
    "at the project root).",
)
@click.option(
    "--update",
    is_flag=True,
    help="Drop entries that are fixed; never add new findings (unless --add-new).",
)
@click.option("--add-new", is_flag=True, help="With --update: also add today's new findings.")
def baseline_command(
    baseline_file: Optional[Path], update: bool, add_new: bool, **scan: Any
) -> None:
    """Write every current finding's fingerprint to a baseline file.

    `ssot-scan --baseline FILE` then reports only findings not in it, so a codebase
    with 2,000 findings can gate CI on new ones today and drive the count down.
    """
    opts = _options(**scan)

    def run() -> int:
        from ssot_scan import baseline

        if add_new and not update:
            raise UsageError("--add-new goes with --update")
        config = _load(opts)
        path = _baseline_path(baseline_file, config)
        result = _run(opts, config)
        if update:
            entries, dropped, added = baseline.updated(baseline.load(path), result, add_new)
            baseline.write(path, entries)
            click.echo(
                f"updated {path}: {len(entries)} entries ({dropped} fixed removed, {added} added)"
            )
        else:
            baseline.write(path, baseline.rewritten(path, result))
            click.echo(f"wrote {path}: {result.total} findings")
        return 0

    _usage_errors(run)


@main.command("fix", context_settings=_CONTEXT)
@_scan_options
@click.option("--diff", is_flag=True, help="Print the changes as a diff; write nothing.")
def fix_command(diff: bool, **scan: Any) -> None:
    """Move imports to their canonical path, formatting and comments kept.

    Unused suppressions (SSOT008) are taken out of their comments. --select and
    --ignore choose which findings are fixed (SSOT001, SSOT002, SSOT008; a
    selection with none of them is refused).

    Rewritten: non-canonical imports (SSOT002), and deprecated imports (SSOT001)
    whose replacement the scan proved to be the same object; the other SSOT001
    findings are listed with why. A statement importing several names keeps the
    others; moved names join an existing import of the target module. Files are
    written all or none, each only if it still parses; then the tree is scanned
    again, and if a moved name no longer binds its definition or an import broke,
    every file is restored (exit 1). With --diff, nothing is written and the exit
    code is 1 when there is something to fix.
    """
    opts = _options(**scan)

    def run() -> int:
        from ssot_scan import fix
        from ssot_scan.parallel import usable_cores
        from ssot_scan.scan import open_cache

        config = _load(opts)
        fixable = [c for c in config.enabled_codes if c in ("SSOT001", "SSOT002", "SSOT008")]
        if not fixable:
            chosen = ", ".join(config.enabled_codes) or "no code"
            raise UsageError(
                f"fix: the selection ({chosen}) holds none of SSOT001, SSOT002 and SSOT008, "
                "the findings fix acts on"
            )
        found, result = _run_project(opts, config)
        notices: list[str] = []
        cache = open_cache(config, opts.cache_dir, opts.use_cache, notices)
        try:
            # A suppressed finding stays as it is: only active ones are planned.
            outcome = fix.run(
                found,
                result.findings,
                config,
                cache,
                opts.jobs if opts.jobs is not None else usable_cores(),
                write=not diff,
            )
        finally:
            if cache is not None:
                cache.close()
        for warning in [*notices, *outcome.warnings]:
            click.echo(f"ssot-scan: warning: {warning}", err=True)
        if outcome.errors:
            for problem in outcome.errors:
                click.echo(f"ssot-scan: error: {problem}", err=True)
            click.echo("ssot-scan: error: every file was restored", err=True)
            return 1
        if diff:
            for item in outcome.changed:
                click.echo(item.diff(), nl=False)
        changed = outcome.changed
        if not opts.quiet:
            verb = "would move" if diff else "moved"
            line = (
                f"{verb} {outcome.moved} import{'s' if outcome.moved != 1 else ''} in "
                f"{len(changed)} file{'s' if len(changed) != 1 else ''}"
            )
            if outcome.cleaned:
                removal = "would take out" if diff else "took out"
                line += (
                    f"; {removal} {outcome.cleaned} unused "
                    f"suppression{'s' if outcome.cleaned != 1 else ''}"
                )
            click.echo(line, err=diff)
        return 1 if diff and changed else 0

    _usage_errors(run)


@main.command("plan", context_settings=_CONTEXT)
@_scan_options
@_output_file("plan")
def plan_command(output_file: Path, **scan: Any) -> None:
    """Write a rule pack to review: a [[canonical]] entry for every fragmented
    symbol and a [[deprecated]] entry for every deprecation the code declares.

    Loaded as a rule pack (`--rules FILE`, or `rule-packs` in config), its declared
    canonical paths are strict: every other path to a symbol becomes SSOT002.
    """
    opts = _options(**scan)

    def run() -> int:
        from ssot_scan.plan import render_plan
        from ssot_scan.scan import analyse_project

        config = _load(opts)
        _, analysis = analyse_project(
            opts.paths, config, opts.jobs, opts.cache_dir, opts.use_cache
        )
        text = render_plan(analysis)
        write_text(output_file, text, "plan")
        if not opts.quiet and str(output_file) != "-":
            entries = text.count("\n[[canonical]]") + text.count("\n[[deprecated]]")
            click.echo(f"wrote {output_file}: {entries} entries", err=True)
        return 0

    _usage_errors(run)


@main.command("graph", context_settings=_CONTEXT)
@_scan_options
@click.option(
    "--format",
    "graph_format",
    type=click.Choice(GRAPH_FORMATS),
    default="dot",
    show_default=True,
    help="dot (Graphviz), mermaid, graphml or json (networkx node-link).",
)
@click.option(
    "--what",
    default="imports",
    show_default=True,
    metavar="imports|cycles|symbol:NAME",
    help="The module import graph; each import cycle with its breaker edges marked; or "
    "one symbol (a dotted path or a bare name): importer files -> import paths -> "
    "definitions, with site counts on the edges.",
)
@click.option(
    "--depth",
    type=click.IntRange(min=1),
    help="With --what imports: collapse modules to their first N name parts (packages).",
)
@_output_file("graph")
def graph_command(
    graph_format: str, what: str, depth: Optional[int], output_file: Path, **scan: Any
) -> None:
    """Write the import graph, the import cycles or one symbol's map as a graph
    (e.g. `ssot-scan graph --what cycles | dot -Tsvg > cycles.svg`)."""
    opts = _options(**scan)

    def run() -> int:
        from ssot_scan.graphs.formats import render_graph
        from ssot_scan.graphs.views import build_view, parse_what
        from ssot_scan.scan import analyse_project

        parse_what(what)  # a bad --what is a usage error before any scanning
        config = _load(opts)
        _, analysis = analyse_project(
            opts.paths, config, opts.jobs, opts.cache_dir, opts.use_cache
        )
        view = build_view(analysis, what, depth)
        write_text(output_file, render_graph(view, graph_format), "graph")
        if not opts.quiet and str(output_file) != "-":
            click.echo(
                f"wrote {output_file}: {view.number_of_nodes()} nodes, "
                f"{view.number_of_edges()} edges",
                err=True,
            )
        return 0

    _usage_errors(run)


@main.command("rules", context_settings=_CONTEXT)
@click.argument("code", required=False)
def rules_command(code: Optional[str]) -> None:
    """List every rule (code, name, severity, what it finds), or explain one: CODE
    is a code or a name, in any case (`ssot-scan rules ssot002`)."""

    def run() -> int:
        click.echo(_explain(code, "rules") if code else _rules_table(), nl=False)
        return 0

    _usage_errors(run)


@main.command("trend", context_settings=_CONTEXT)
@click.argument("history_file", type=click.Path(dir_okay=False, path_type=Path))
def trend(history_file: Path) -> None:
    """Print the counts recorded with `--history FILE`, run by run, with the change
    since the previous and the first run."""

    def run() -> int:
        from ssot_scan import history

        entries, notices = history.read(history_file)
        for notice in notices:
            click.echo(f"ssot-scan: warning: {notice}", err=True)
        click.echo(history.trend_table(entries), nl=False)
        return 0

    _usage_errors(run)


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
        folder = cache_dir or default_cache_dir(load_config(list(paths)).cache_home)
    except UsageError as exc:
        click.echo(f"ssot-scan: error: {exc}", err=True)
        sys.exit(EXIT_USAGE)
    removed = remove_cache(folder)
    click.echo(f"removed {folder}" if removed else f"no cache at {folder}")


def program() -> NoReturn:
    """The ``ssot-scan`` command (run by ``console.program``, the console script and
    ``python -m ssot_scan``): ``main`` in a process of its own, which ends with its
    command. So the cyclic collector, which the scan turns off while it builds
    (``scan_project``), stays off: turned back on, its first pass would walk
    everything the scan built to find no garbage (0.4 s after a 10,000-module
    analysis); and the process ends without freeing what the scan built, or
    finalising the interpreter (``process``). Tests call ``main`` in-process, where
    neither happens."""
    gc.disable()
    process.end_without_freeing()
    try:
        code = main()  # ``--version`` and ``--help`` return their status instead
    except SystemExit as exc:
        code = exc.code
    process.exit_now(code)
