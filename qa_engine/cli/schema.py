"""`qa-engine schema`: JSON Schemas for editors and other tools."""

from __future__ import annotations

import json

import click

from qa_engine.cli.base import (
    _write,
    cli,
)


@cli.command()
@click.argument("kind", type=click.Choice(["dossier", "ruleset", "rubric", "report"]))
@click.option("-o", "--output", type=click.Path(dir_okay=False, allow_dash=True))
def schema(kind: str, output: str | None) -> None:
    """Print the JSON Schema of a dossier, ruleset, criterion file, rubric or report."""
    if kind == "dossier":
        from qa_engine.formats.dossier import dossier_json_schema

        doc = dossier_json_schema()
    elif kind == "ruleset":
        from qa_engine.formats.ruleset import Criterion, RulesetFile

        doc = RulesetFile.model_json_schema()
        doc["$id"] = "https://qa-engine.invalid/schema/ruleset-1.json"
        doc.setdefault("$defs", {})["CriterionFile"] = Criterion.model_json_schema()
    elif kind == "rubric":
        from qa_engine.formats.rubric import Rubric

        doc = Rubric.model_json_schema()
        doc["$id"] = "https://qa-engine.invalid/schema/rubric-1.json"
    else:
        from qa_engine.formats.report import report_json_schema

        doc = report_json_schema()
    _write(output, json.dumps(doc, indent=2, ensure_ascii=False) + "\n")
