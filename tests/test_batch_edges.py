"""Edge cases of `qa-engine batch` inputs and output folders (issue 13, item 5).

Each case was first reproduced here as a failing test: FIFOs and symlink loops among the
inputs, ``**`` globs over folders that link back to themselves, duplicate zip members,
unreadable subfolders, unrelated temporary files in ``--out``, ``--out`` inside the
inputs, the same folder named two ways, a resumed batch with another ruleset,
reviewer actions on a rerun's dashboard, and hostile (control character, non-UTF-8)
file and member names. Runs that could hang run in a subprocess with a timeout, so a
regression fails instead of stopping the suite.
"""

from __future__ import annotations

import csv
import datetime as _dt
import os
import shutil
import subprocess
import sys
import tarfile
import zipfile
from pathlib import Path
from typing import Any

import pytest
from batch_helpers import AS_OF, EXAMPLES, example_texts, generate, variant
from click.testing import CliRunner

from qa_engine.cli import cli
from qa_engine.services.batch import discover, read_sources, run_batch
from qa_engine.services.batch.records import OutputFolder
from qa_engine.store import open_store

DAY = _dt.date.fromisoformat(AS_OF)
HANG = 120  # seconds: far above what these small batches take (a hang fails the test)


def _run(*args: str, cwd: Path | None = None, no_dac: bool = False, timeout: float = HANG) -> subprocess.CompletedProcess[str]:
    """`qa-engine batch ARGS` in a subprocess (a hang is a test failure, not a hung suite).

    ``no_dac``: as root, run without the capabilities that let root read every folder
    (so a chmod 000 folder is unreadable to it, as to anyone)."""
    cmd = [sys.executable, "-m", "qa_engine", "batch", *args, "--as-of", AS_OF, "-j", "1"]
    if no_dac and os.geteuid() == 0:
        setpriv = shutil.which("setpriv")
        if setpriv is None:
            pytest.skip("running as root without setpriv: every folder is readable")
        cmd = [setpriv, "--inh-caps=-all", "--bounding-set=-dac_override,-dac_read_search", "--", *cmd]
    return subprocess.run(
        cmd, capture_output=True, text=True, timeout=timeout, cwd=cwd,
        env={**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parent.parent)},
    )


def _summary(out: Path) -> list[dict[str, str]]:
    with open(out / "summary.csv", newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def _by_status(out: Path) -> dict[str, list[dict[str, str]]]:
    rows: dict[str, list[dict[str, str]]] = {"evaluated": [], "rejected": []}
    for r in _summary(out):
        rows[r["status"]].append(r)
    return rows


def _cli(*args: str) -> Any:
    return CliRunner().invoke(cli, ["batch", *args, "--as-of", AS_OF, "-j", "1"], catch_exceptions=False)


# --------------------------------------------------------------------------- FIFOs


def test_a_fifo_named_yaml_is_refused_not_waited_for(tmp_path: Path) -> None:
    inp, out = tmp_path / "in", tmp_path / "out"
    generate(inp, 2)
    os.mkfifo(inp / "pipe.yaml")
    os.mkfifo(tmp_path / "direct.yaml")
    os.mkfifo(tmp_path / "pipe.zip")
    proc = _run(str(inp), str(tmp_path / "direct.yaml"), "--out", str(out), "--db", str(tmp_path / "qa.sqlite"))
    assert proc.returncode == 1, proc.stderr
    rows = _by_status(out)
    assert len(rows["evaluated"]) == 2
    rejected = {Path(r["file"]).name: r["error"] for r in rows["rejected"]}
    assert set(rejected) == {"pipe.yaml", "direct.yaml"}
    for error in rejected.values():
        assert "not a regular file" in error
    assert "Traceback" not in proc.stderr
    # an archive is listed before anything is evaluated: a pipe there is a usage error
    for name in ("pipe.zip", "pipe.tar.gz"):
        if name != "pipe.zip":
            os.mkfifo(tmp_path / name)
        proc = _run(str(tmp_path / name), "--out", str(out), "--db", str(tmp_path / "qa.sqlite"))
        assert proc.returncode == 2 and "not a regular file" in proc.stderr, proc.stderr


def test_a_fifo_in_a_glob_is_refused(tmp_path: Path) -> None:
    inp, out = tmp_path / "in", tmp_path / "out"
    generate(inp, 1)
    os.mkfifo(inp / "pipe.json")
    proc = _run(str(inp / "*.*"), "--out", str(out), "--db", str(tmp_path / "qa.sqlite"))
    assert proc.returncode == 1, proc.stderr
    assert [Path(r["file"]).name for r in _by_status(out)["rejected"]] == ["pipe.json"]


def test_db_a_fifo_is_a_clear_usage_error(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "qa.sqlite")
    proc = _run(str(EXAMPLES / "mooc-intro-ai.yaml"), "--out", str(tmp_path / "out"), "--db", str(tmp_path / "qa.sqlite"))
    assert proc.returncode == 2
    assert "not a regular file" in proc.stderr
    assert "Traceback" not in proc.stderr


# --------------------------------------------------------------------------- symlinks


def test_a_symlink_loop_is_a_rejection_and_the_batch_goes_on(tmp_path: Path) -> None:
    inp, out = tmp_path / "in", tmp_path / "out"
    generate(inp, 2)
    (inp / "loop.yaml").symlink_to("loop.yaml")
    (inp / "a.yaml").symlink_to("b.yaml")
    (inp / "b.yaml").symlink_to("a.yaml")
    (tmp_path / "self.yaml").symlink_to("self.yaml")
    for args in ([str(inp), str(tmp_path / "self.yaml")], [str(inp / "*.yaml"), str(tmp_path / "self.yaml")]):
        shutil.rmtree(out, ignore_errors=True)
        proc = _run(*args, "--out", str(out), "--db", str(tmp_path / "qa.sqlite"))
        assert proc.returncode == 1, proc.stderr
        rows = _by_status(out)
        assert len(rows["evaluated"]) == 2
        rejected = {Path(r["file"]).name: r["error"] for r in rows["rejected"]}
        assert set(rejected) == {"loop.yaml", "a.yaml", "b.yaml", "self.yaml"}, rejected
        assert all("symbolic link" in e for e in rejected.values()), rejected
        assert "internal error" not in proc.stderr + proc.stdout


def test_a_double_star_glob_over_links_back_to_itself_ends_with_each_file_once(tmp_path: Path) -> None:
    inp, out = tmp_path / "in", tmp_path / "out"
    generate(inp / "sub", 3)
    (inp / "sub" / "up1").symlink_to("..")
    (inp / "sub" / "up2").symlink_to("..")
    (inp / "self").symlink_to(".")
    proc = _run(str(inp / "**" / "*.yaml"), "--out", str(out), "--db", str(tmp_path / "qa.sqlite"), timeout=60)
    assert proc.returncode == 0, proc.stderr
    rows = _by_status(out)
    assert sorted(Path(r["file"]).name for r in rows["evaluated"]) == [f"gen-{n:04d}.yaml" for n in range(3)]
    # discover alone, bounded and each real file once
    found = discover([str(inp / "**" / "*.yaml")])
    assert len(found) == 3


# --------------------------------------------------------------------------- archives


def test_duplicate_zip_member_names_each_recorded(tmp_path: Path) -> None:
    texts = example_texts()
    archive = tmp_path / "dup.zip"
    with zipfile.ZipFile(archive, "w") as z, pytest.warns(UserWarning, match="Duplicate name"):
        z.writestr("d/x.yaml", variant(texts["bootcamp-web-dev"], "dup-one", 1))
        z.writestr("d/x.yaml", variant(texts["uni-data-analytics"], "dup-two", 2))
        z.writestr("d/y.yaml", variant(texts["mooc-intro-ai"], "dup-three", 3))
    out = tmp_path / "out"
    result = run_batch([archive], out=out, db=str(tmp_path / "qa.sqlite"), as_of=DAY, workers=1)
    assert (result.total, result.evaluated, result.rejected) == (3, 3, 0)
    rows = _by_status(out)["evaluated"]
    assert sorted(r["dossier_id"] for r in rows) == ["dup-one", "dup-three", "dup-two"]
    files = [r["file"] for r in rows]
    assert len(set(files)) == 3
    assert any("(2nd member of that name)" in f for f in files), files


def test_zip_links_and_unsupported_compression_are_named_for_what_they_are(tmp_path: Path) -> None:
    from qa_engine.errors import InputError

    archive = tmp_path / "odd.zip"
    with zipfile.ZipFile(archive, "w") as z:
        z.writestr("a.yaml", "id: x\n")
        link = zipfile.ZipInfo("link.yaml")
        link.external_attr = 0o120777 << 16  # a symbolic link, as zip -y stores one
        z.writestr(link, "/etc/passwd")
    raw = bytearray(archive.read_bytes())
    for sig, at in ((b"PK\x03\x04", 8), (b"PK\x01\x02", 10)):  # a.yaml: method 99 (AES)
        i = raw.find(sig)
        raw[i + at:i + at + 2] = (99).to_bytes(2, "little")
    archive.write_bytes(bytes(raw))
    locked = tmp_path / "locked.zip"
    with zipfile.ZipFile(locked, "w") as z:
        z.writestr("b.yaml", "id: y\n")
    raw = bytearray(locked.read_bytes())
    for sig, at in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):  # flag bit 0: encrypted
        i = raw.find(sig)
        raw[i + at] |= 1
    locked.write_bytes(bytes(raw))
    (enc,) = [d for _, d in read_sources(discover([locked]))]
    assert isinstance(enc, InputError) and "encrypted" in str(enc) and "unencrypted" in str(enc)
    got = {s.name.rsplit("!", 1)[1]: d for s, d in read_sources(discover([archive]))}
    assert isinstance(got["a.yaml"], InputError) and isinstance(got["link.yaml"], InputError)
    assert "not supported" in str(got["a.yaml"]) and "deflate" in str(got["a.yaml"])
    assert "unencrypted" not in str(got["a.yaml"])
    assert "not a regular file in the archive (a link)" in str(got["link.yaml"])


def _tar(path: Path, members: dict[str, str], **extra: str) -> None:
    import io

    with tarfile.open(path, "w:gz") as t:
        for name, text in {**members, **extra}.items():
            data = text.encode("utf-8")
            info = tarfile.TarInfo(name)
            info.size = len(data)
            t.addfile(info, io.BytesIO(data))


def test_a_tar_archive_is_read_member_by_member_without_extracting(tmp_path: Path) -> None:
    texts = example_texts()
    archive = tmp_path / "in.tar.gz"
    _tar(
        archive,
        {
            "b/t-one.yaml": variant(texts["bootcamp-web-dev"], "t-one", 1),
            "/abs/t-two.yaml": variant(texts["uni-data-analytics"], "t-two", 2),
            "../../t-three.yml": variant(texts["mooc-intro-ai"], "t-three", 3),
            "b/bad.yaml": "id: [\n",
            "b/readme.txt": "not a dossier",
        },
    )
    with tarfile.open(archive) as t:
        assert len(t.getmembers()) == 5
    out = tmp_path / "out"
    result = run_batch([archive], out=out, db=str(tmp_path / "qa.sqlite"), as_of=DAY, workers=1)
    assert (result.total, result.evaluated, result.rejected) == (4, 3, 1)
    rows = _by_status(out)
    assert sorted(r["dossier_id"] for r in rows["evaluated"]) == ["t-one", "t-three", "t-two"]
    assert "YAML" in rows["rejected"][0]["error"]
    # nothing was extracted anywhere
    assert not (tmp_path.parent / "t-three.yml").exists() and not Path("/abs/t-two.yaml").exists()


def test_a_tar_with_links_and_devices_reads_only_regular_members(tmp_path: Path) -> None:
    import io

    texts = example_texts()
    archive = tmp_path / "in.tar"
    with tarfile.open(archive, "w") as t:
        data = variant(texts["bootcamp-web-dev"], "tl-one", 1).encode("utf-8")
        info = tarfile.TarInfo("a/one.yaml")
        info.size = len(data)
        t.addfile(info, io.BytesIO(data))
        link = tarfile.TarInfo("a/passwd.yaml")
        link.type, link.linkname = tarfile.SYMTYPE, "/etc/passwd"
        t.addfile(link)
        hard = tarfile.TarInfo("a/hard.yaml")
        hard.type, hard.linkname = tarfile.LNKTYPE, "a/one.yaml"
        t.addfile(hard)
        fifo = tarfile.TarInfo("a/fifo.yaml")
        fifo.type = tarfile.FIFOTYPE
        t.addfile(fifo)
    out = tmp_path / "out"
    result = run_batch([archive], out=out, db=str(tmp_path / "qa.sqlite"), as_of=DAY, workers=1)
    rows = _by_status(out)
    assert [r["dossier_id"] for r in rows["evaluated"]] == ["tl-one"]
    rejected = {r["file"].rsplit("!", 1)[1]: r["error"] for r in rows["rejected"]}
    assert set(rejected) == {"a/passwd.yaml", "a/hard.yaml", "a/fifo.yaml"}
    assert all("not a regular file" in e for e in rejected.values())
    assert result.exit_code == 1


def test_tar_bombs_and_member_counts_are_bounded(tmp_path: Path) -> None:
    import io

    from qa_engine.errors import InputError
    from qa_engine.services.batch import ArchiveLimits

    # a gzip bomb: 64 MiB of zeros (a few KiB compressed) before the one dossier
    bomb = tmp_path / "bomb.tar.gz"
    with tarfile.open(bomb, "w:gz") as t:
        zeros = tarfile.TarInfo("padding.bin")
        zeros.size = 64 * 1024**2
        t.addfile(zeros, io.BytesIO(bytes(zeros.size)))
        data = variant(example_texts()["mooc-intro-ai"], "after-bomb").encode("utf-8")
        info = tarfile.TarInfo("d.yaml")
        info.size = len(data)
        t.addfile(info, io.BytesIO(data))
    assert bomb.stat().st_size < 1024**2
    with pytest.raises(InputError, match="more than 1,048,576 bytes once decompressed"):
        discover([bomb], limits=ArchiveLimits(max_total_bytes=1024**2))
    assert len(discover([bomb])) == 1
    # too many members, and one member too large (declared and read)
    many = tmp_path / "many.tar"
    _tar(many, {f"m{n}.yaml": "id: x\n" for n in range(5)})
    with pytest.raises(InputError, match="more than 3 dossiers"):
        discover([many], limits=ArchiveLimits(max_members=3))
    with pytest.raises(InputError, match="lists more than 4 entries"):
        discover([many], limits=ArchiveLimits(max_entries=4))
    with zipfile.ZipFile(tmp_path / "many.zip", "w") as z:
        for n in range(5):
            z.writestr(f"dir{n}/", "")
        z.writestr("one.yaml", "id: x\n")
    with pytest.raises(InputError, match="lists more than 4 entries"):
        discover([tmp_path / "many.zip"], limits=ArchiveLimits(max_entries=4))
    assert len(discover([tmp_path / "many.zip"])) == 1
    limits = ArchiveLimits(max_member_bytes=4)
    got = dict((s.name.rsplit("!", 1)[1], d) for s, d in read_sources(discover([many], limits=limits), limits=limits))
    assert all(isinstance(d, InputError) and "larger than the limit of 4 bytes" in str(d) for d in got.values())


def test_a_damaged_tar_is_one_clear_error(tmp_path: Path) -> None:
    (tmp_path / "bad.tar.gz").write_bytes(b"\x1f\x8b\x08\x00garbage" * 10)
    res = _cli(str(tmp_path / "bad.tar.gz"), "--out", str(tmp_path / "out"), "--db", str(tmp_path / "qa.sqlite"))
    assert res.exit_code == 2, res.output
    assert "tar archive" in res.output


# --------------------------------------------------------------------------- unreadable folders


def test_an_unreadable_subfolder_is_recorded_and_the_exit_code_says_so(tmp_path: Path) -> None:
    inp, out = tmp_path / "in", tmp_path / "out"
    generate(inp / "ok", 2)
    generate(inp / "secret", 1, prefix="hidden")
    (inp / "secret").chmod(0o000)
    try:
        for args in ([str(inp)], [str(inp / "**" / "*.yaml")]):
            shutil.rmtree(out, ignore_errors=True)
            proc = _run(*args, "--out", str(out), "--db", str(tmp_path / "qa.sqlite"), no_dac=True)
            assert proc.returncode == 1, proc.stderr
            rows = _by_status(out)
            assert len(rows["evaluated"]) == 2
            assert [Path(r["file"]).name for r in rows["rejected"]] == ["secret"], rows["rejected"]
            assert "permission denied" in rows["rejected"][0]["error"]
            assert "1 rejected" in proc.stdout
    finally:
        (inp / "secret").chmod(0o755)


# --------------------------------------------------------------------------- the output folder


def test_out_keeps_unrelated_temporary_files(tmp_path: Path) -> None:
    out = tmp_path / "out"
    (out / "reports").mkdir(parents=True)
    mine = [out / ".notes.tmp", out / ".w-draft.tmp", out / "reports" / ".x.tmp"]
    for p in mine:
        p.write_text("mine")
    run_batch([EXAMPLES / "mooc-intro-ai.yaml"], out=out, db=str(tmp_path / "qa.sqlite"), as_of=DAY, workers=1)
    assert all(p.read_text() == "mine" for p in mine)
    # our own leftovers (a kill's) are still cleaned
    from qa_engine.fileio import write_temporary

    ours = write_temporary(out, b"half")
    assert ours.name.startswith(".qa-engine-") and ours.name.endswith(".tmp")
    OutputFolder(out).open().close()
    assert not ours.exists()
    assert all(p.exists() for p in mine)


def test_out_equal_to_the_input_folder_is_refused(tmp_path: Path) -> None:
    inp = tmp_path / "in"
    generate(inp, 2)
    res = _cli(str(inp), "--out", str(inp), "--db", str(tmp_path / "qa.sqlite"))
    assert res.exit_code == 2
    assert "is also the output folder" in res.output
    assert not (inp / "reports").exists()
    # named another way round (relative) it is the same folder
    os.chdir(tmp_path)
    res = _cli("in", "--out", str(inp) + "/", "--db", str(tmp_path / "qa.sqlite"))
    assert res.exit_code == 2


def test_out_inside_the_inputs_is_never_read_back(tmp_path: Path) -> None:
    import json

    from qa_engine.formats.loader import load_document

    inp = tmp_path / "in"
    generate(inp, 2)
    data, _ = load_document(EXAMPLES / "mooc-intro-ai.yaml")
    (inp / "sub").mkdir()
    (inp / "sub" / "as-json.json").write_text(json.dumps(data, default=str), encoding="utf-8")
    out = inp / "out"
    for args in ([str(inp)], [str(inp / "**" / "*.json"), str(inp / "*.yaml")]):
        for _ in range(2):  # the second run sees the first one's reports/*.json
            r = run_batch(args, out=out, db=str(tmp_path / "qa.sqlite"), as_of=DAY, workers=1)
            assert r.rejected == 0 and r.total == 3, args
    assert len(_summary(out)) == 3
    # a glob that matches only the batch's own reports matches no dossier
    res = _cli(str(out / "**" / "*.json"), "--out", str(out), "--db", str(tmp_path / "qa.sqlite"))
    assert res.exit_code == 2 and "matches no dossier" in res.output
    res = _cli(str(out / "reports" / "gen-0000.json"), "--out", str(out), "--db", str(tmp_path / "qa.sqlite"))
    assert res.exit_code == 2 and "written by the batch" in res.output


def test_out_above_the_inputs_still_searches_every_subfolder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    generate(tmp_path / "in" / "a", 1, prefix="a")
    generate(tmp_path / "in" / "b" / "c", 1, prefix="c")
    monkeypatch.chdir(tmp_path)
    r = run_batch(["in"], out=".", db=str(tmp_path / "qa.sqlite"), as_of=DAY, workers=1)
    assert (r.total, r.evaluated) == (2, 2)
    res = _cli(".", "--out", ".", "--db", str(tmp_path / "qa.sqlite"))
    assert res.exit_code == 2 and "is also the output folder" in res.output


def test_the_same_folder_named_two_ways_counts_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    inp, out = tmp_path / "in", tmp_path / "out"
    generate(inp, 3)
    monkeypatch.chdir(tmp_path)
    r1 = run_batch(["in"], out=out, db=str(tmp_path / "qa.sqlite"), as_of=DAY, workers=1)
    r2 = run_batch([str(inp), "./in/../in"], out=out, db=str(tmp_path / "qa.sqlite"), as_of=DAY, workers=1)
    assert (r1.evaluated, r2.total, r2.skipped) == (3, 3, 3)
    assert len(_summary(out)) == 3
    html = (out / "index.html").read_text(encoding="utf-8")
    assert html.count("in/gen-0001.yaml</code>") == 1


def test_a_resumed_batch_with_another_ruleset_says_what_it_is_pinned_to(tmp_path: Path) -> None:
    out, db = tmp_path / "out", str(tmp_path / "qa.sqlite")
    dossier = str(EXAMPLES / "mooc-intro-ai.yaml")
    assert _cli(dossier, "--out", str(out), "--db", db, "-r", "qa-starter").exit_code == 0
    for other in (["-r", "quality-review"], ["-r", "eu-microcredential@1.0.0"], ["--rubric", "quality-review"]):
        res = _cli(dossier, "--out", str(out), "--db", db, *other)
        assert res.exit_code == 2, res.output
        assert "this folder is pinned to qa-starter@1.0.0" in res.output, res.output
        assert "use a new --out" in res.output
    # naming the pinned ruleset (with or without its version) resumes
    assert _cli(dossier, "--out", str(out), "--db", db, "-r", "qa-starter").exit_code == 0
    assert _cli(dossier, "--out", str(out), "--db", db, "-r", "qa-starter@1.0.0").exit_code == 0


def test_reviewer_actions_show_on_a_rerun_dashboard_and_summary(tmp_path: Path) -> None:
    out, db = tmp_path / "out", str(tmp_path / "qa.sqlite")
    paths = [EXAMPLES / "mooc-intro-ai.yaml", EXAMPLES / "bootcamp-web-dev.yaml"]
    run_batch(paths, out=out, db=db, as_of=DAY, workers=1, ruleset="quality-review")
    before = {Path(r["file"]).name: r for r in _summary(out)}
    row = before["mooc-intro-ai.yaml"]
    with open_store(db) as store:
        eid = next(e for e in store.evaluations() if store.get_report(e).dossier.id == row["dossier_id"])
        report = store.get_report(eid)
        failing = [c.id for c in report.criteria if c.essential_failed] or [
            c.id for c in report.criteria if c.state not in ("met", "not_applicable")
        ]
        for cid in failing:
            store.override(eid, cid, state="met", reason="evidence sent by mail", reviewer="Dr Ada Reviewer")
        from qa_engine.services.review import effective_report

        eff = effective_report(store, eid, as_of=_dt.date.today())
    assert eff.score != report.score
    run_batch(paths, out=out, db=db, workers=1)
    after = {Path(r["file"]).name: r for r in _summary(out)}
    got = after["mooc-intro-ai.yaml"]
    assert got["score"] == f"{eff.score:.2f}" and got["decision"] == eff.decision
    assert got["passed"] == ("true" if eff.passed else "false")
    assert "Dr Ada Reviewer" in got["review"] and f"{len(failing)} override" in got["review"]
    assert got["stored_decision"] == report.decision
    assert after["bootcamp-web-dev.yaml"]["review"] == ""
    html = (out / "index.html").read_text(encoding="utf-8")
    assert "Dr Ada Reviewer" in html


# --------------------------------------------------------------------------- hostile names


def _no_raw_controls(text: str) -> None:
    assert not any(ord(ch) < 32 and ch not in "\n" or 0x7F <= ord(ch) <= 0x9F for ch in text), repr(text)


def test_hostile_file_and_member_names_are_escaped_everywhere(tmp_path: Path) -> None:
    texts = example_texts()
    inp, out = tmp_path / "in", tmp_path / "out"
    inp.mkdir()
    (inp / "evil\x1b]0;pwned\x07\nname.yaml").write_text(variant(texts["mooc-intro-ai"], "evil-one", 1))
    (inp / "bad\r\x1b[2Kline.yaml").write_text("id: [\n")
    raw = os.fsencode(inp) + b"/caf\xe9.yaml"
    with open(raw, "w", encoding="utf-8") as fh:
        fh.write(variant(texts["bootcamp-web-dev"], "latin-one", 2))
    with zipfile.ZipFile(tmp_path / "z.zip", "w") as z:
        z.writestr("m\x1b[31m\n.yaml", variant(texts["uni-data-analytics"], "evil-two", 3))
    proc = _run(str(inp), str(tmp_path / "z.zip"), "--out", str(out), "--db", str(tmp_path / "qa.sqlite"))
    assert proc.returncode == 1, proc.stderr
    csv_text = (out / "summary.csv").read_text(encoding="utf-8")
    html = (out / "index.html").read_text(encoding="utf-8")
    for text in (csv_text, html, proc.stderr, proc.stdout):
        _no_raw_controls(text)
    assert "\\x1b" in csv_text and "\\x1b" in html
    assert "caf\\xe9.yaml" in csv_text
    rows = _by_status(out)
    assert sorted(r["dossier_id"] for r in rows["evaluated"]) == ["evil-one", "evil-two", "latin-one"]
    assert len(rows["rejected"]) == 1
    assert len(csv_text.splitlines()) == 5  # header + 4 inputs, no forged line


def test_names_that_would_show_alike_stay_two_inputs(tmp_path: Path) -> None:
    texts = example_texts()
    inp, out = tmp_path / "in", tmp_path / "out"
    inp.mkdir()
    (inp / "a\x1b.yaml").write_text(variant(texts["mooc-intro-ai"], "real-escape", 1))
    (inp / "a\\x1b.yaml").write_text(variant(texts["bootcamp-web-dev"], "literal-backslash", 2))
    r = run_batch([inp], out=out, db=str(tmp_path / "qa.sqlite"), as_of=DAY, workers=1)
    assert (r.total, r.evaluated) == (2, 2)
    rows = {Path(row["file"]).name: row["dossier_id"] for row in _summary(out)}
    assert rows == {"a\\x1b.yaml": "real-escape", "a\\\\x1b.yaml": "literal-backslash"}


def test_a_glob_matching_only_folders_without_dossiers_is_a_usage_error(tmp_path: Path) -> None:
    from qa_engine.errors import UsageError

    (tmp_path / "in" / "empty").mkdir(parents=True)
    (tmp_path / "in" / "notes.txt").write_text("n")
    with pytest.raises(UsageError, match="matches no dossier"):
        discover([str(tmp_path / "in" / "*")])
    generate(tmp_path / "in" / "full", 1)
    # a glob whose dossiers an earlier argument listed already is fine (listed once)
    assert len(discover([tmp_path / "in", str(tmp_path / "in" / "*")])) == 1


def test_a_very_deep_folder_is_searched_without_recursion(tmp_path: Path) -> None:
    deep = tmp_path / "in"
    deep.mkdir()
    for _ in range(1100):  # deeper than Python's recursion limit (os.makedirs recurses)
        deep = deep / "d"
        deep.mkdir()
    (deep / "x.yaml").write_text("x")
    (tmp_path / "in" / "top.yaml").write_text("t")
    try:
        found = discover([tmp_path / "in"])
        assert [Path(s.path).name for s in found] == ["top.yaml", "x.yaml"]
        assert len(discover([str(tmp_path / "in" / "**" / "*.yaml")])) == 2
    finally:  # shutil.rmtree (pytest's clean-up of old runs) recurses too: remove it bottom-up
        (deep / "x.yaml").unlink()
        while deep != tmp_path / "in":
            deep.rmdir()
            deep = deep.parent


# --------------------------------------------------------------------------- the Dask executor


@pytest.mark.slow
def test_edge_cases_on_a_real_dask_cluster(tmp_path: Path) -> None:
    distributed = pytest.importorskip("distributed")
    texts = example_texts()
    inp, out = tmp_path / "in", tmp_path / "out"
    generate(inp, 2)
    (inp / "loop.yaml").symlink_to("loop.yaml")
    os.mkfifo(inp / "pipe.yaml")
    (inp / "evil\x1b[31m.yaml").write_text(variant(texts["mooc-intro-ai"], "evil-d", 1))
    with zipfile.ZipFile(tmp_path / "dup.zip", "w") as z, pytest.warns(UserWarning):
        z.writestr("x.yaml", variant(texts["bootcamp-web-dev"], "dup-d1", 1))
        z.writestr("x.yaml", variant(texts["uni-data-analytics"], "dup-d2", 2))
    with distributed.LocalCluster(
        n_workers=1, threads_per_worker=1, processes=True, dashboard_address=None, host="127.0.0.1",
    ) as cluster:
        result = run_batch(
            [inp, tmp_path / "dup.zip"], out=out, db=str(tmp_path / "qa.sqlite"), as_of=DAY,
            executor="dask", scheduler=cluster.scheduler_address,
        )
    assert (result.evaluated, result.rejected) == (5, 2)
    rows = _by_status(out)
    assert sorted(r["dossier_id"] for r in rows["evaluated"]) == ["dup-d1", "dup-d2", "evil-d", "gen-0000", "gen-0001"]
    _no_raw_controls((out / "summary.csv").read_text(encoding="utf-8"))
