"""`qa-engine import`: credentials (OB 3.0, CLR 2.0, ELM v3, CTDL) as dossiers."""

from __future__ import annotations

import datetime as _dt

import click

from qa_engine.cli.base import (
    DATE,
    _as_date,
    cli,
    say,
)


@cli.command("import")
@click.argument("source_format", metavar="FORMAT", type=click.Choice(["ob3", "clr", "elm", "ctdl", "auto"]))
@click.argument("file")
@click.option(
    "-o", "--output", type=click.Path(allow_dash=True),
    help="Write the dossier here (atomically). When the document gives several dossiers (a CLR): a folder that gets <dossier-id>.yaml each.",
)
@click.option("--as-of", type=DATE, help="Judge the credential's expiry as on this date (YYYY-MM-DD; default today).")
def import_(source_format: str, file: str, output: str | None, as_of: _dt.datetime | None) -> None:
    """Import a credential FILE (`-` for stdin) as a dossier in YAML.

    FORMAT is ob3 (Open Badges 3.0), clr (CLR 2.0), elm (ELM v3 / European Digital
    Credential, also sealed), ctdl (Credential Engine CTDL) or auto. Every value keeps
    its provenance (source.provenance) and everything not mapped is listed in
    source.notes. Several dossiers (a CLR) go to one file each in the folder -o names,
    or to stdout as a YAML stream (documents separated by ---). A document of the wrong
    or an unsupported type exits 2 and says what was expected.
    """
    from pathlib import Path

    from qa_engine.errors import UsageError
    from qa_engine.fileio import atomic_write_text
    from qa_engine.formats.loader import dump_dossier_yaml
    from qa_engine.importers import import_document, output_name

    result = import_document(file, source_format, as_of=_as_date(as_of))
    texts = [(d, dump_dossier_yaml(d)) for d in result.dossiers]
    written: list[str] = []
    target = Path(output) if output and output != "-" else None
    if target is not None and (len(texts) > 1 or target.is_dir()):
        if target.exists() and not target.is_dir():
            raise UsageError(
                f"the document gives {len(texts)} dossiers, so -o must name a folder, not a file",
                file=str(target), hint="give a folder (it is created when missing) or leave out -o for a YAML stream",
            )
        for dossier, text in texts:
            atomic_write_text(target / output_name(dossier), text)
            written.append(str(target / output_name(dossier)))
    elif target is not None:
        atomic_write_text(target, texts[0][1])
        written.append(str(target))
    elif len(texts) == 1:
        click.echo(texts[0][1], nl=False)
    else:
        click.echo("".join(f"---\n{text}" for _d, text in texts), nl=False)
    notes = sum(len(d.source.notes) if d.source else 0 for d, _t in texts)
    where = f" to {', '.join(written)}" if written else ""
    say(
        f"qa-engine: imported {len(texts)} dossier{'s' if len(texts) != 1 else ''} ({result.format}) "
        f"from {result.file}{where}; {notes} note{'s' if notes != 1 else ''} in source.notes.",
        err=True,
    )
