"""`qa-engine tokens create|revoke|list`: API tokens (``Authorization: Bearer``)."""

from __future__ import annotations

import json

import click

from qa_engine.cli.base import cli, say, store_db_option
from qa_engine.cli.orgs import open_for_accounts


@cli.group()
def tokens() -> None:
    """API tokens: shown once when created, stored as their sha256 only."""


@tokens.command("create")
@click.argument("email")
@click.option("--name", default="api", show_default=True, help="What the token is for.")
@click.option("--days", type=click.IntRange(min=1), help="Expire after this many days (default: never).")
@store_db_option
def tokens_create(email: str, name: str, days: int | None, db: str | None) -> None:
    """Create an API token for EMAIL; it is printed once, as the last word of the output."""
    from qa_engine.services import accounts

    with open_for_accounts(db) as store:
        t = accounts.create_token(store, email, name=name, days=days, actor=store.actor)
    until = f", expires {t.token.expires_at.date().isoformat()}" if t.token.expires_at else ""
    say(f"API token {t.token.name!r} for {email.strip().lower()}{until} (shown only now): {t.secret}")


@tokens.command("revoke")
@click.argument("email")
@click.option("--prefix", help="Revoke only the token starting with this (as `tokens list` shows it).")
@store_db_option
def tokens_revoke(email: str, prefix: str | None, db: str | None) -> None:
    """Revoke EMAIL's API tokens (all live ones, or the one named by --prefix)."""
    from qa_engine.services import accounts

    with open_for_accounts(db) as store:
        n = accounts.revoke_tokens(store, email, prefix=prefix, actor=store.actor)
    say(f"revoked {n} token{'s' if n != 1 else ''} of {email.strip().lower()}")


@tokens.command("list")
@click.argument("email")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@store_db_option
def tokens_list(email: str, as_json: bool, db: str | None) -> None:
    """List EMAIL's API tokens (their prefixes, never the tokens)."""
    from qa_engine.services import accounts

    with open_for_accounts(db) as store:
        found = accounts.list_tokens(store, email)
    if as_json:
        click.echo(json.dumps([t.to_dict() for t in found], indent=2))
        return
    for t in found:
        state = "revoked" if t.revoked_at else "live"
        say(f"{t.prefix}…  {t.name:<20} {state:<8} created {t.created_at.date().isoformat()}")
