"""`qa-engine users add|list|disable|enable|password`: the workspace's accounts."""

from __future__ import annotations

import json
import sys

import click

from qa_engine.cli.base import cli, say, store_db_option
from qa_engine.cli.orgs import open_for_accounts
from qa_engine.formats.lifecycle import ROLES


def read_password(confirm: bool = True) -> str:
    """The password from standard input: its first line when piped, asked (hidden,
    twice) on a terminal. Never an option: options end up in the shell's history."""
    if sys.stdin is not None and sys.stdin.isatty():
        return str(click.prompt("Password", hide_input=True, confirmation_prompt=confirm))
    line = sys.stdin.readline() if sys.stdin is not None else ""
    return line.rstrip("\r\n")


@cli.group()
def users() -> None:
    """Accounts of the web workspace (password from standard input)."""


@users.command("add")
@click.argument("email")
@click.option("--role", type=click.Choice(ROLES), required=True)
@click.option("--org", metavar="SLUG", help="The organisation (required for a provider).")
@click.option("--name", help="The person's name as shown (default: the e-mail's local part).")
@click.option("--external", is_flag=True, help="A reviewer from outside the body.")
@click.option("--chair", "chair", is_flag=True, help="May chair a review panel.")
@click.option("--no-password", is_flag=True, help="No password sign-in (API tokens only).")
@store_db_option
def users_add(email: str, role: str, org: str | None, name: str | None, external: bool, chair: bool,
              no_password: bool, db: str | None) -> None:
    """Add an account; its password is read from standard input (at least 12 characters)."""
    from qa_engine.services import accounts

    password = None if no_password else read_password()
    with open_for_accounts(db) as store:
        u = accounts.add_user(store, email, role=role, password=password, name=name, org=org,
                              external=external, chair_qualified=chair, actor=store.actor)
    where = f" of {u.organisation_slug}" if u.organisation_slug else ""
    say(f"added {u.role} {u.email}{where}")


@users.command("list")
@click.option("--role", type=click.Choice(ROLES))
@click.option("--org", metavar="SLUG")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@store_db_option
def users_list(role: str | None, org: str | None, as_json: bool, db: str | None) -> None:
    """List the accounts (never their password hashes)."""
    from qa_engine.services import accounts

    with open_for_accounts(db) as store:
        found = accounts.list_users(store, role=role, org=org)
    if as_json:
        click.echo(json.dumps([u.to_dict() for u in found], indent=2, ensure_ascii=False))
        return
    if not found:
        say("no accounts yet; add one with `qa-engine users add EMAIL --role ROLE`")
    for u in found:
        state = "disabled" if not u.active else "active"
        say(f"{u.email:<36} {u.role:<12} {u.organisation_slug or '-':<20} {state}")


@users.command("disable")
@click.argument("email")
@store_db_option
def users_disable(email: str, db: str | None) -> None:
    """Disable an account: no more sign-in; its sessions and API tokens end now."""
    from qa_engine.services import accounts

    with open_for_accounts(db) as store:
        u = accounts.disable_user(store, email, actor=store.actor)
    say(f"disabled {u.email}")


@users.command("enable")
@click.argument("email")
@store_db_option
def users_enable(email: str, db: str | None) -> None:
    """Enable a disabled account again (its old tokens stay revoked)."""
    from qa_engine.services import accounts

    with open_for_accounts(db) as store:
        u = accounts.enable_user(store, email, actor=store.actor)
    say(f"enabled {u.email}")


@users.command("password")
@click.argument("email")
@store_db_option
def users_password(email: str, db: str | None) -> None:
    """Set a new password (from standard input); every session of the account ends."""
    from qa_engine.services import accounts

    password = read_password()
    with open_for_accounts(db) as store:
        accounts.set_password(store, email, password, actor=store.actor)
    say(f"new password set for {email.strip().lower()}; its sessions have ended")


@users.command("seed-demo")
@click.option("--url", default="http://127.0.0.1:8000", show_default=True,
              help="Where `qa-engine serve` will answer (only printed).")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@store_db_option
def users_seed_demo(url: str, as_json: bool, db: str | None) -> None:
    """Add the demo organisations and accounts (one per role, two providers, three
    reviewers) with a demo password printed here: for trying the workspace, never for
    use. Running it again adds nothing and changes nothing."""
    from qa_engine.services import accounts

    with open_for_accounts(db) as store:
        seeded = accounts.seed_demo(store, actor=store.actor)
        where = store.display
    if as_json:
        click.echo(json.dumps({
            "store": where, "url": url, "password": seeded.password,
            "organisations": [{**o.to_dict(), "new": new} for o, new in seeded.organisations],
            "users": [{"email": u.email, "role": u.role, "organisation": p.org, "external": u.external,
                       "chair_qualified": u.chair_qualified, "new": new} for u, p, new in seeded.users],
        }, indent=2, ensure_ascii=False))
        return
    made = sum(1 for *_, new in seeded.users if new)
    say(f"demo accounts in {where}: {made} added, {len(seeded.users) - made} there already")
    for u, p, _new in seeded.users:
        say(f"   {u.email:<34} {u.role:<12} {p.what}")
    say(f"   password of every demo account: {seeded.password}   (a demo password, printed here: "
        "never use these accounts outside a demo)")
    say(f"Start the workspace:  qa-engine serve --db {where}")
    say(f"then open {url.rstrip('/')}/login and sign in with one of the addresses above.")
