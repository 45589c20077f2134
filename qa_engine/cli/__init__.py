"""The command line: a thin layer over the library, one module per command group.

Each command calls one library function and turns :class:`QAError` into one line on
stderr and exit code 2. Exit codes: 0 = ran and passes, 1 = ran and does not pass,
2 = usage, input or configuration error. Imports are lazy so ``--help`` is instant.
"""

from __future__ import annotations

from qa_engine.cli import (  # noqa: F401  (register)
    batch,
    check,
    crosswalk,
    diff,
    importing,
    orgs,
    report,
    review,
    rulesets,
    schema,
    serve,
    submissions,
    tokens,
    trust,
    users,
    workflow,
)
from qa_engine.cli.base import cli

__all__ = ["cli", "main"]


def main() -> None:
    cli(prog_name="qa-engine")


if __name__ == "__main__":  # pragma: no cover
    main()
