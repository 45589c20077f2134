"""`qa-engine orgs add|list`: the organisations of the workspace (providers and the body)."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

import click

from qa_engine.cli.base import cli, say, store_db_option

if TYPE_CHECKING:
    from qa_engine.store import Store


def open_for_accounts(db: str | None) -> Store:
    """The store the account commands write (created if new, like every store command)."""
    from qa_engine.store import open_store

    return open_store(db)


@cli.group()
def orgs() -> None:
    """Organisations: providers (whose members submit) and the accrediting body."""


@orgs.command("add")
@click.argument("slug")
@click.option("--name", required=True, help="The organisation's name as shown.")
@click.option("--kind", type=click.Choice(["provider", "body"]), default="provider", show_default=True)
@click.option("--country", metavar="CC", help="Two-letter country code, e.g. DE.")
@store_db_option
def orgs_add(slug: str, name: str, kind: str, country: str | None, db: str | None) -> None:
    """Add an organisation; SLUG (lower-case letters, digits, hyphens) names it in commands."""
    from qa_engine.services import accounts

    with open_for_accounts(db) as store:
        org = accounts.add_organisation(store, slug, name, kind=kind, country=country, actor=store.actor)
    say(f"added organisation {org.slug} ({org.kind}): {org.name}")


@orgs.command("list")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@store_db_option
def orgs_list(as_json: bool, db: str | None) -> None:
    """List the organisations."""
    from qa_engine.services import accounts

    with open_for_accounts(db) as store:
        found = accounts.list_organisations(store)
    if as_json:
        click.echo(json.dumps([o.to_dict() for o in found], indent=2, ensure_ascii=False))
        return
    if not found:
        say("no organisations yet; add one with `qa-engine orgs add SLUG --name NAME`")
    for o in found:
        say(f"{o.slug:<24} {o.kind:<9} {o.country or '--':<3} {o.name}")
