"""Corpora for the batch tests: the examples, generated variants and broken dossiers."""

from __future__ import annotations

import json
import re
import sqlite3
import zipfile
from pathlib import Path

from qa_engine.formats.loader import load_document

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples" / "dossiers"
AS_OF = "2026-01-01"

_ID_LINE = re.compile(r"^id: .*$", re.M)
_TITLE_LINE = re.compile(r"^title: (.*)$", re.M)


def example_texts() -> dict[str, str]:
    return {p.stem: p.read_text(encoding="utf-8") for p in sorted(EXAMPLES.glob("*.yaml"))}


def variant(text: str, new_id: str, n: int = 0) -> str:
    """An example with another id and a perturbed title (so another content hash)."""
    text = _ID_LINE.sub(f"id: {new_id}", text, count=1)
    return _TITLE_LINE.sub(lambda m: f"title: {m.group(1)} (variant {n})", text, count=1)


def generate(folder: Path, count: int, *, prefix: str = "gen") -> list[str]:
    """``count`` valid dossiers (cycling over the examples) as YAML files; their ids."""
    folder.mkdir(parents=True, exist_ok=True)
    texts = list(example_texts().values())
    ids = []
    for n in range(count):
        did = f"{prefix}-{n:04d}"
        (folder / f"{did}.yaml").write_text(variant(texts[n % len(texts)], did, n), encoding="utf-8")
        ids.append(did)
    return ids


def write_broken(folder: Path) -> dict[str, str]:
    """Three bad dossiers; file name -> a word their error must contain."""
    folder.mkdir(parents=True, exist_ok=True)
    mooc = example_texts()["mooc-intro-ai"]
    (folder / "broken-yaml.yaml").write_text("schema_version: '1.0'\nid: [unclosed\n", encoding="utf-8")
    (folder / "unknown-field.yaml").write_text(
        variant(mooc, "unknown-field") + "colour: blue\n", encoding="utf-8"
    )
    data, _ = load_document(EXAMPLES / "mooc-intro-ai.yaml")
    data["id"] = "wrong-type"
    data["credential"]["workload"]["hours"] = "many"
    (folder / "wrong-type.json").write_text(json.dumps(data, default=str, indent=1), encoding="utf-8")
    return {
        "broken-yaml.yaml": "YAML",
        "unknown-field.yaml": "unknown field",
        "wrong-type.json": "expected",
    }


def write_zip(path: Path) -> tuple[list[str], dict[str, str]]:
    """A zip with two good and two bad members (and junk that is skipped)."""
    texts = example_texts()
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("batch/zip-good-1.yaml", variant(texts["bootcamp-web-dev"], "zip-good-1", 1))
        z.writestr("batch/nested/zip-good-2.yml", variant(texts["uni-data-analytics"], "zip-good-2", 2))
        z.writestr("batch/zip-bad-yaml.yaml", "id: [\n")
        z.writestr("batch/zip-bad-field.yaml", variant(texts["mooc-intro-ai"], "zip-bad") + "extra: 1\n")
        z.writestr("batch/readme.txt", "not a dossier")
        z.writestr("__MACOSX/batch/._zip-good-1.yaml", "junk")
        z.writestr("../../escape.yaml", variant(texts["mooc-intro-ai"], "zip-escape", 3))
    name = str(path)
    return ["zip-good-1", "zip-good-2", "zip-escape"], {
        f"{name}!batch/zip-bad-yaml.yaml": "YAML",
        f"{name}!batch/zip-bad-field.yaml": "unknown field",
    }


def db_rows(db: Path, sql: str) -> list[tuple]:
    con = sqlite3.connect(db)
    try:
        return list(con.execute(sql))
    finally:
        con.close()
