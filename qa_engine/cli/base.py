"""The command group, its error handling and the options and helpers the commands share.

Each command calls one library function and turns :class:`QAError` into one line on
stderr and exit code 2. Exit codes: 0 = ran and passes, 1 = ran and does not pass,
2 = usage, input or configuration error. Imports are lazy so ``--help`` is instant.
"""

from __future__ import annotations

import datetime as _dt
import errno
import os
from typing import Any

import click

from qa_engine import __version__
from qa_engine.errors import QAError
from qa_engine.textsafe import safe_line

DATE = click.DateTime(formats=["%Y-%m-%d"])


def _debug(ctx: click.Context) -> bool:
    root = ctx.find_root()
    return bool((root.obj or {}).get("debug")) or os.environ.get("QA_ENGINE_DEBUG") == "1"


class QAGroup(click.Group):
    """Turns our exceptions into one clear line and exit code 2 (no traceback)."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except QAError as exc:
            if _debug(ctx):
                raise
            say(f"qa-engine: error: {exc}", err=True)
            ctx.exit(2)
        except (click.ClickException, click.exceptions.Exit, click.Abort, SystemExit):
            raise
        except KeyboardInterrupt:
            click.echo("qa-engine: interrupted.", err=True)
            ctx.exit(130)
        except OSError as exc:  # the machine, not the input: a full disk, permissions
            if _debug(ctx):
                raise
            if exc.errno in _ENV_ERRNOS:
                say(f"qa-engine: error: {_os_error(exc)}", err=True)
            else:
                _internal(exc)
            ctx.exit(2)
        except Exception as exc:  # a bug: say so in one line, full trace with --debug
            if _debug(ctx):
                raise
            _internal(exc)
            ctx.exit(2)


def say(message: object, *, err: bool = False, nl: bool = True) -> None:
    """Print one line of qa-engine's own making: user text in it (file names, titles,
    reviewer names, error messages) has its control characters shown escaped, so it
    can neither drive the terminal nor forge a line of its own."""
    click.echo(safe_line(message), err=err, nl=nl)


def _internal(exc: BaseException) -> None:
    say(
        f"qa-engine: internal error: {type(exc).__name__}: {exc}; rerun with --debug and report it.",
        err=True,
    )


#: OSErrors that are the machine's state, not a bug: reported as one line, exit 2.
_ENV_ERRNOS = frozenset(
    getattr(errno, name) for name in ("ENOSPC", "EDQUOT", "EFBIG", "EROFS", "EACCES", "EPERM", "EIO")
    if hasattr(errno, name)
)


def _os_error(exc: OSError) -> QAError:
    """A full disk, a read-only file system or missing permissions, as one sentence."""
    where = exc.filename or "a file qa-engine writes"
    if exc.errno in (errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC)):
        return QAError(
            f"{where} cannot be written: no space left on its disk",
            hint="free disk space (or choose another output folder), then run the same command "
            "again: a batch resumes where it stopped",
        )
    return QAError(
        f"{where} cannot be written: {exc.strerror or exc}",
        hint="check the permissions and free space of its folder (or choose another one), "
        "then run the same command again",
    )


@click.group(cls=QAGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="qa-engine")
@click.option("--debug", is_flag=True, help="Show full tracebacks on errors.")
@click.pass_context
def cli(ctx: click.Context, debug: bool) -> None:
    """Accreditation and quality-assurance rules engine for micro-credentials.

    Providers self-check a programme dossier (`check`), accrediting bodies review
    many at once, auditors compare ruleset versions. Exit codes: 0 passes,
    1 does not pass, 2 usage or input error.
    """
    ctx.obj = {"debug": debug}


def _as_date(value: _dt.datetime | None) -> _dt.date | None:
    return value.date() if value is not None else None


def _registry(rulesets_dir: tuple[str, ...]) -> Any:
    from qa_engine.rules.registry import Registry

    return Registry(ruleset_dirs=list(rulesets_dir))


def _write(output: str | None, text: str) -> None:
    if output and output != "-":
        from qa_engine.fileio import atomic_write_text

        atomic_write_text(output, text)
    else:
        click.echo(text, nl=False)


def _write_bytes(output: str | None, data: bytes) -> None:
    """Bytes (a PDF) to a file, atomically, or to standard output."""
    if output and output != "-":
        from qa_engine.fileio import atomic_write_bytes

        atomic_write_bytes(output, data)
    else:
        import sys

        sys.stdout.flush()
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()


rulesets_dir_option = click.option(
    "--rulesets-dir",
    multiple=True,
    type=click.Path(file_okay=False),
    help="Extra folder of rulesets (<id>/<version>/...); searched before the bundled ones.",
)


store_db_option = click.option(
    "--db",
    metavar="PATH|URL",
    help="The store: a SQLite file or postgresql+psycopg://... (default: $QA_ENGINE_DB, else ./qa-engine.sqlite).",
)


def _open_existing_store(db: str | None) -> Any:
    from qa_engine.store import open_store

    return open_store(db, create=False)
