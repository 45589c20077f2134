"""Documentation that is generated or executable stays true."""

from __future__ import annotations

from pathlib import Path

from qa_engine.render.ruledocs import generate
from qa_engine.rules.registry import Registry

ROOT = Path(__file__).resolve().parent.parent


def test_rule_reference_is_current() -> None:
    files = generate(Registry())
    folder = ROOT / "docs" / "rules"
    committed = {p.name for p in folder.glob("*.md")}
    assert committed == set(files), "run `qa-engine rulesets docs` to regenerate docs/rules/"
    for name, text in files.items():
        assert (folder / name).read_text(encoding="utf-8") == text, (
            f"docs/rules/{name} is stale; run `qa-engine rulesets docs`"
        )


def test_rule_reference_names_every_criterion() -> None:
    files = generate(Registry())
    for rs in Registry().all_rulesets():
        text = files[f"{rs.id}-{rs.version}.md"]
        for c in rs.criteria:
            assert f"### {c.id}" in text


# ---------------------------------------------------------------- docs/authoring.md
import re  # noqa: E402

import pytest  # noqa: E402
from click.testing import CliRunner  # noqa: E402

from qa_engine.cli import cli  # noqa: E402

AUTHORING = ROOT / "docs" / "authoring.md"
_FILE = re.compile(r"<!-- file: (?P<path>[^ ]+) -->\s*```ya?ml\n(?P<body>.*?)```", re.S)
_RUN = re.compile(r"<!-- run: (?P<cmd>.+?) -->(?P<meta>(?:\s*<!-- expect(?:-exit)?: .+? -->)*)")
_EXPECT = re.compile(r"<!-- expect: (.+?) -->")
_EXIT = re.compile(r"<!-- expect-exit: (\d+) -->")


def test_authoring_guide_runs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    text = AUTHORING.read_text(encoding="utf-8")
    files = list(_FILE.finditer(text))
    runs = list(_RUN.finditer(text))
    assert len(files) >= 4 and len(runs) >= 5
    for m in files:
        target = tmp_path / m["path"]
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(m["body"], encoding="utf-8")
    (tmp_path / "examples").symlink_to(ROOT / "examples")
    monkeypatch.chdir(tmp_path)
    for m in runs:
        args = m["cmd"].split()
        res = CliRunner().invoke(cli, args, catch_exceptions=False)
        want_exit = _EXIT.search(m["meta"])
        code = int(want_exit.group(1)) if want_exit else 0
        out = res.stdout + res.stderr
        assert res.exit_code == code, f"{m['cmd']}: exit {res.exit_code}\n{out}"
        for e in _EXPECT.findall(m["meta"]):
            assert e in out, f"{m['cmd']}: expected {e!r} in\n{out}"
