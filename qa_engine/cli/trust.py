"""`qa-engine keys`, `verify`, `decisions sign|revoke|suspend|reinstate`, `export`,
`register`: signed decisions and their publication (DESIGN.md Part 2, Trust)."""

from __future__ import annotations

import contextlib
import json
import sys
from collections.abc import Iterator
from typing import Any

import click

from qa_engine.cli.base import _write, cli, say
from qa_engine.errors import UsageError

audit_db_option = click.option(
    "--db", metavar="PATH|URL",
    help="Also record the change in this store's audit chain (a SQLite file or postgresql+psycopg://...; default: $QA_ENGINE_DB when set).",
)


def _audit_db(db: str | None) -> str | None:
    import os

    return db or os.environ.get("QA_ENGINE_DB") or None

keys_dir_option = click.option(
    "--keys", "keys_dir", metavar="DIR",
    help="The key directory (default: $QA_ENGINE_KEYS, else ./qa-engine-keys).",
)


@cli.group()
def keys() -> None:
    """The issuer's Ed25519 signing keys: create, list, rotate, publish.

    Private keys live in a key directory (mode 0700, each key file 0600), never in the
    store; `$QA_ENGINE_SIGNING_KEY` (a Multikey secret, z3u2...) may replace it.
    Rotation retires the old key but keeps its public half, so that what it signed
    still verifies.
    """


@keys.command("create")
@keys_dir_option
@click.option("--base-url", metavar="URL", help="The public register's address, e.g. https://qa.example.org; the issuer becomes its did:web.")
@click.option("--issuer", metavar="DID", help="The issuer's did:web (default: from --base-url, else the key's did:key).")
@click.option("--name", help="The accrediting body's name, shown in credentials.")
def keys_create(keys_dir: str | None, base_url: str | None, issuer: str | None, name: str | None) -> None:
    """Create a key directory with one active key."""
    from qa_engine.signing.keys import KeyRing

    ring = KeyRing(keys_dir)
    info = ring.create(issuer=issuer, name=name, base_url=base_url)
    say(f"qa-engine: created key {info.id} in {ring.path} (issuer {ring.issuer()})", err=True)
    say(ring.vm_id(info))


@keys.command("list")
@keys_dir_option
def keys_list(keys_dir: str | None) -> None:
    """List the keys: id, status, created (and retired)."""
    from qa_engine.signing.keys import KeyRing

    ring = KeyRing(keys_dir)
    say(f"issuer {ring.issuer()}")
    for k in ring.entries():
        retired = f"  retired {k.retired}" if k.retired else ""
        say(f"{k.status:8} {k.id}  created {k.created}{retired}")


@keys.command("rotate")
@keys_dir_option
def keys_rotate(keys_dir: str | None) -> None:
    """Make a new active key; the old one can no longer sign but still verifies."""
    from qa_engine.signing.keys import KeyRing

    old, new = KeyRing(keys_dir).rotate()
    say(f"qa-engine: retired {old.id}; active key is now {new.id}", err=True)
    say(new.id)


@keys.command("public")
@keys_dir_option
@click.option("--as", "form", type=click.Choice(["did", "jwks", "jwk"]), default="did", show_default=True,
              help="The DID document (did.json, for did:web), the JWK set of every key, or the active key's JWK.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, allow_dash=True))
def keys_public(keys_dir: str | None, form: str, output: str | None) -> None:
    """Print the public keys: a DID document (publish it as /.well-known/did.json) or JWKs."""
    from qa_engine.signing.keys import KeyRing
    from qa_engine.signing.multikey import public_jwk

    ring = KeyRing(keys_dir)
    if form == "did":
        doc = ring.did_document()
    elif form == "jwks":
        doc = ring.jwks()
    else:
        active = ring.active()
        doc = public_jwk(active.public_key, ring.vm_id(active))
    _write(output, json.dumps(doc, indent=2) + "\n")


status_dir_option = click.option(
    "--status-dir", metavar="DIR",
    help="The status lists (default: $QA_ENGINE_STATUS, else ./qa-engine-status).",
)


@cli.command()
@click.argument("credential", type=click.Path(dir_okay=False))
@click.option("--key", metavar="FILE", help="The issuer's public key: a JWK, a JWK set or a DID document (did.json). Required for did:web issuers.")
@click.option("--status-list", "status_lists", multiple=True, metavar="FILE|URL",
              help="A status list credential (repeat for revocation and suspension); without it status is not checked.")
@click.option("--at", type=click.DateTime(formats=["%Y-%m-%d", "%Y-%m-%dT%H:%M:%S"]),
              help="Check the validity window at this moment (UTC) instead of now.")
def verify(credential: str, key: str | None, status_lists: tuple[str, ...], at: object) -> None:
    """Verify a signed CREDENTIAL (decision credential or evaluation receipt).

    One line per check: canonical form, key, signature, validity window, status.
    Exit 0 when every check holds, 1 when one fails (tampered, wrong key, expired,
    revoked, suspended), 2 when the file is not a signed credential.
    """
    import datetime as _dt

    from qa_engine.services.trust import verify_file

    when = at.replace(tzinfo=_dt.UTC) if isinstance(at, _dt.datetime) else None
    result = verify_file(credential, key=key, status_lists=status_lists, at=when)
    for c in result.checks:
        say(f"{c.outcome.upper():4}  {c.name}: {c.detail}")
    say(f"{'VERIFIED' if result.ok else 'NOT VERIFIED'}: {credential}")
    sys.exit(0 if result.ok else 1)


@cli.group()
def decisions() -> None:
    """Signed decision credentials: sign (a decision file), publish (a stored decision), revoke, suspend, reinstate."""


@decisions.command("sign")
@click.argument("decision", type=click.Path(dir_okay=False))
@keys_dir_option
@status_dir_option
@audit_db_option
@click.option("-o", "--output", type=click.Path(dir_okay=False, allow_dash=True), help="Write the credential here (default: standard output).")
def decisions_sign(decision: str, keys_dir: str | None, status_dir: str | None, db: str | None, output: str | None) -> None:
    """Issue the signed decision credential (VC 2.0, eddsa-jcs-2022) of a DECISION JSON file."""
    from qa_engine.services.trust import dump, load_decision, sign_decision

    vc = sign_decision(load_decision(decision), keys_dir=keys_dir, status_dir=status_dir, db=_audit_db(db))
    _write(output, dump(vc))
    if output and output != "-":
        say(f"qa-engine: wrote {output} ({vc['id']})", err=True)


def _status_command(action: str, verb: str) -> None:
    @decisions.command(action, help=f"{verb} a decision credential: DECISION is its number, id or file; the status list is re-signed. "
                                    "With --as, DECISION is the number of a decision published from the store (--db): "
                                    "its submission's state moves too.")
    @click.argument("decision")
    @click.option("--reason", required=True, help="Why (kept in the status history).")
    @click.option("--by", default="", help="Who decided it.")
    @click.option("--as", "as_email", metavar="EMAIL",
                  help="The coordinator acting, for a decision published from the store (see qa-engine decisions publish).")
    @keys_dir_option
    @status_dir_option
    @audit_db_option
    def command(decision: str, reason: str, by: str, as_email: str | None, keys_dir: str | None,
                status_dir: str | None, db: str | None) -> None:
        if as_email:
            from qa_engine.services import publication

            if not decision.isdigit():
                raise UsageError(f"with --as, DECISION is a stored decision's number, not {decision!r}")
            with _store_as(db, as_email) as (store, person):
                done = publication.set_status(store, person, int(decision), action, reason=reason,
                                              setup=publication.Setup(keys_dir, status_dir))
            say(f"qa-engine: {done.credential.credential_id}: submission {done.credential.case_id} is now {done.case_state}")
            return
        from qa_engine.services.trust import resolve_credential_id, set_decision_status

        cid = resolve_credential_id(decision, keys_dir=keys_dir)
        state = set_decision_status(cid, action, reason=reason, by=by, keys_dir=keys_dir, status_dir=status_dir, db=_audit_db(db))
        flags = [p for p in ("revocation", "suspension") if state.get(p)]
        say(f"qa-engine: {cid}: {', '.join(flags) if flags else 'in good standing'} (index {state['index']})")


@contextlib.contextmanager
def _store_as(db: str | None, email: str) -> Iterator[tuple[Any, Any]]:
    """The store (it must exist) and the active account acting in it."""
    from qa_engine.store import open_store
    from qa_engine.store import workflow as wdb

    with open_store(db, create=False) as store:
        person = wdb.person_by_email(store, email)
        if person is None or person.disabled:
            raise UsageError(f"no active account {email}", hint="see `qa-engine users list`")
        yield store, person


@decisions.command("publish")
@click.argument("decision_id", type=int)
@click.option("--as", "as_email", envvar="QA_ENGINE_AS", required=True, metavar="EMAIL",
              help="The coordinator publishing (default: $QA_ENGINE_AS).")
@keys_dir_option
@status_dir_option
@click.option("--db", metavar="PATH|URL",
              help="The store: a SQLite file or postgresql+psycopg://... (default: $QA_ENGINE_DB, else ./qa-engine.sqlite).")
@click.option("-o", "--output", type=click.Path(dir_okay=False, allow_dash=True), help="Also write the signed credential here.")
def decisions_publish(decision_id: int, as_email: str, keys_dir: str | None, status_dir: str | None, db: str | None,
                      output: str | None) -> None:
    """Publish the stored DECISION_ID (a decided submission's decision): sign its
    credential, keep it with the decision and move the submission to published."""
    from qa_engine.services import publication
    from qa_engine.services.trust import dump

    with _store_as(db, as_email) as (store, person):
        done = publication.publish(store, person, decision_id, setup=publication.Setup(keys_dir, status_dir))
    if output:
        _write(output, dump(done.credential.credential))
    say(f"qa-engine: published decision {decision_id} as {done.credential.credential_id} "
        f"(status index {done.credential.status_index}); submission {done.credential.case_id} is published",
        err=bool(output == "-"))


_status_command("revoke", "Revoke (final)")
_status_command("suspend", "Suspend")
_status_command("reinstate", "Lift the suspension of")


@cli.command("export")
@click.argument("kind", type=click.Choice(["deqar", "elm", "ctdl"]))
@click.argument("decision", type=click.Path(dir_okay=False))
@click.option("--dossier", required=True, type=click.Path(dir_okay=False), help="The dossier decided on (its sha256 must match the decision's).")
@click.option("--agency", "agency", required=True, type=click.Path(dir_okay=False), help="The agency profile (YAML): identifiers at DEQAR, ELM, CTDL; see docs/exports.md.")
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False, allow_dash=True), help="Write the export here (atomically).")
def export_cmd(kind: str, decision: str, dossier: str, agency: str, output: str) -> None:
    """Export a DECISION (JSON file) as a DEQAR Submission API v2 report, an ELM v3
    Accreditation or a CTDL AccreditAction.

    The export is checked against the receiver's required fields and rules first; a
    problem is exit 2 with every problem listed, and nothing is written.
    """
    from qa_engine.services.trust import dump, export_decision, load_decision

    doc = export_decision(kind, load_decision(decision), dossier_path=dossier, profile_path=agency)
    _write(output, dump(doc))
    if output != "-":
        say(f"qa-engine: wrote {output} ({kind}, validated)", err=True)


@cli.group()
def register() -> None:
    """The public register of published decisions."""


@register.command("export")
@click.argument("directory", type=click.Path(file_okay=False))
@keys_dir_option
@status_dir_option
@click.option("--credential", "extra", multiple=True, type=click.Path(dir_okay=False), help="A decision credential to include besides those issued from the status directory.")
@click.option("--at", type=click.DateTime(formats=["%Y-%m-%d"]), help="Show states as on this date (default: now).")
@click.option("--title", help="The register's title (default: '<issuer name>: accreditation decisions').")
def register_export(directory: str, keys_dir: str | None, status_dir: str | None, extra: tuple[str, ...], at: object, title: str | None) -> None:
    """Write the register as a static site to DIRECTORY: pages with permalinks
    (decisions/<id>/), filters by provider and ruleset, feed.json, atom.xml, each
    credential, the status lists and the DID document. Every credential is verified
    first; expired, suspended and revoked decisions are shown as such."""
    import datetime as _dt

    from qa_engine.services.register import export_register

    when = at.replace(tzinfo=_dt.UTC) if isinstance(at, _dt.datetime) else None
    written = export_register(directory, keys_dir=keys_dir, status_dir=status_dir, extra=extra, now=when, title=title)
    say(f"qa-engine: wrote {len(written)} files to {directory}", err=True)
