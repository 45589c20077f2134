"""Accounts: organisations, users, passwords, API tokens, sessions and sign-in throttling.

The CLI (``qa-engine users|orgs|tokens``) and the web workspace call these functions.

- Passwords are hashed with argon2id (argon2-cffi's defaults, RFC 9106's second
  recommended parameter set); a hash made with older parameters is upgraded at the
  next successful sign-in.
- API tokens are ``qae_`` + 32 random bytes (URL-safe base64), shown once; the store
  keeps their sha256 only, so a leaked database does not leak usable tokens.
- Sessions live in the store; the browser holds a random secret whose sha256 is the
  session's id. Signing in always makes a new session (the one the browser had is
  revoked): a session id planted before sign-in is worthless after it.
- Sign-in is throttled per account and per address: :data:`MAX_FAILURES` failures
  within :data:`WINDOW` lock further attempts (even with the right password) until
  the oldest failure leaves the window.
"""

from __future__ import annotations

import contextlib
import datetime as _dt
import hashlib
import re
import secrets
from dataclasses import dataclass

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from qa_engine.errors import (
    AuthenticationError,
    ConflictError,
    InputError,
    NotFoundError,
    TooManyRequestsError,
)
from qa_engine.formats.lifecycle import ROLES
from qa_engine.store import Store
from qa_engine.store import accounts as db
from qa_engine.store.accounts import Organisation, Session, Token, User
from qa_engine.textsafe import has_unsafe, safe_line

#: Failed sign-ins allowed per account and per address within :data:`WINDOW`.
MAX_FAILURES = 5
WINDOW = _dt.timedelta(minutes=15)
#: How long a browser session lasts without signing in again.
SESSION_LIFETIME = _dt.timedelta(hours=12)
TOKEN_PREFIX = "qae_"
MIN_PASSWORD = 12
MAX_PASSWORD = 1024

#: argon2id with RFC 9106's second recommended (low-memory) parameters: argon2-cffi's default.
PRODUCTION_HASHER = PasswordHasher()
_HASHER = PRODUCTION_HASHER
_EMAIL = re.compile(r"^[^@\s]{1,64}@[^@\s]{1,255}\.[^@\s]{2,63}$")
_SLUG = re.compile(r"^[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?$")
#: A hash to verify against when the account does not exist, so that an unknown
#: e-mail address takes as long to refuse as a wrong password (made when first needed).
_DUMMY: str | None = None


def _dummy() -> str:
    global _DUMMY
    if _DUMMY is None:
        _DUMMY = _HASHER.hash("not a password of anyone")
    return _DUMMY


def sha256_hex(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def normal_email(email: str) -> str:
    """An e-mail address as stored (trimmed, lower-case), or InputError saying why not."""
    e = email.strip().lower()
    if not _EMAIL.match(e) or has_unsafe(e):
        raise InputError(f"{safe_line(email)!r} is not an e-mail address", hint="write it as name@example.org")
    return e


def use_hasher(hasher: PasswordHasher) -> None:
    """Hash with other argon2 parameters (the test suite uses the cheapest profile)."""
    global _HASHER, _DUMMY
    _HASHER = hasher
    _DUMMY = None


def hash_password(password: str) -> str:
    if len(password) < MIN_PASSWORD:
        raise InputError(f"the password is {len(password)} characters long; at least {MIN_PASSWORD} are needed",
                         hint="choose a longer passphrase")
    if len(password) > MAX_PASSWORD:
        raise InputError(f"the password is longer than {MAX_PASSWORD} characters", hint="choose a shorter one")
    return _HASHER.hash(password)


# --------------------------------------------------------------------------- organisations


def add_organisation(store: Store, slug: str, name: str, *, kind: str = "provider",
                     country: str | None = None, actor: str) -> Organisation:
    if not _SLUG.match(slug):
        raise InputError(f"{safe_line(slug)!r} is not an organisation slug",
                         hint="use lower-case letters, digits and hyphens, e.g. open-campus")
    if kind not in ("provider", "body"):
        raise InputError(f"unknown organisation kind {safe_line(kind)!r}", hint="use provider or body")
    name = name.strip()
    if not name or len(name) > 300 or has_unsafe(name):
        raise InputError("the organisation name is empty, too long or holds control characters",
                         hint="give a plain name of at most 300 characters (--name)")
    if country is not None and not re.fullmatch(r"[A-Z]{2}", country):
        raise InputError(f"{safe_line(country)!r} is not a two-letter country code", hint="e.g. --country DE")
    if db.organisation_by_slug(store, slug) is not None:
        raise ConflictError(f"organisation {slug} exists already", hint="choose another slug")
    return db.add_organisation(store, slug=slug, name=name, kind=kind, country=country, actor=actor)


def organisation(store: Store, slug: str) -> Organisation:
    org = db.organisation_by_slug(store, slug)
    if org is None:
        raise NotFoundError(f"there is no organisation {safe_line(slug)!r}",
                            hint="list them with `qa-engine orgs list`, add one with `qa-engine orgs add`")
    return org


def list_organisations(store: Store) -> list[Organisation]:
    return db.organisations(store)


# --------------------------------------------------------------------------- users


def add_user(store: Store, email: str, *, role: str, password: str | None, name: str | None = None,
             org: str | None = None, external: bool = False, chair_qualified: bool = False,
             actor: str) -> User:
    """A new account. A provider needs an organisation; others may name one (a
    reviewer's employer) but need not."""
    e = normal_email(email)
    if role not in ROLES:
        raise InputError(f"unknown role {safe_line(role)!r}", hint=f"use one of: {', '.join(ROLES)}")
    if role == "provider" and not org:
        raise InputError("a provider account needs its organisation", hint="add --org SLUG")
    oid = organisation(store, org).id if org else None
    shown = (name or e.split("@")[0]).strip()
    if not shown or len(shown) > 200 or has_unsafe(shown):
        raise InputError("the name is empty, too long or holds control characters",
                         hint="give a plain name of at most 200 characters (--name)")
    if db.user_by_email(store, e) is not None:
        raise ConflictError(f"there is an account for {e} already",
                            hint="disable it or choose another address")
    ph = hash_password(password) if password is not None else None
    return db.add_user(store, email=e, name=shown, role=role, organisation_id=oid, password_hash=ph,
                       external=external, chair_qualified=chair_qualified, actor=actor)


def user(store: Store, email: str) -> User:
    u = db.user_by_email(store, normal_email(email))
    if u is None:
        raise NotFoundError(f"there is no account for {safe_line(email.strip().lower())}",
                            hint="list them with `qa-engine users list`")
    return u


def user_by_id(store: Store, uid: int) -> User:
    u = db.user_by_id(store, uid)
    if u is None:
        raise NotFoundError(f"there is no account {uid}")
    return u


def list_users(store: Store, *, role: str | None = None, org: str | None = None) -> list[User]:
    oid = organisation(store, org).id if org else None
    return db.users(store, role=role, organisation_id=oid)


def disable_user(store: Store, email: str, *, actor: str) -> User:
    """Disable an account: it can no longer sign in, its sessions and tokens end."""
    u = user(store, email)
    if not u.active:
        return u
    return db.set_disabled(store, u.id, disabled=True, actor=actor)


def enable_user(store: Store, email: str, *, actor: str) -> User:
    u = user(store, email)
    return u if u.active else db.set_disabled(store, u.id, disabled=False, actor=actor)


def set_password(store: Store, email: str, password: str, *, actor: str) -> None:
    u = user(store, email)
    db.set_password_hash(store, u.id, hash_password(password), actor=actor)


# --------------------------------------------------------------------------- tokens


@dataclass(frozen=True)
class NewToken:
    """A token as created: ``secret`` is shown once and never stored."""

    token: Token
    secret: str


def create_token(store: Store, email: str, *, name: str = "api", days: int | None = None,
                 actor: str) -> NewToken:
    u = user(store, email)
    if not u.active:
        raise ConflictError(f"the account {u.email} is disabled", hint="enable it first")
    name = name.strip() or "api"
    if len(name) > 100 or has_unsafe(name):
        raise InputError("the token name is too long or holds control characters",
                         hint="give a plain name of at most 100 characters")
    if days is not None and days < 1:
        raise InputError(f"--days {days} is not a positive number of days")
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    expires = db.now() + _dt.timedelta(days=days) if days else None
    t = db.add_token(store, user_id=u.id, name=name, token_sha256=sha256_hex(secret),
                     prefix=secret[:12], expires_at=expires, actor=actor)
    return NewToken(t, secret)


def revoke_tokens(store: Store, email: str, *, prefix: str | None = None, actor: str) -> int:
    """Revoke the account's live tokens (those starting with ``prefix``, when given)."""
    u = user(store, email)
    n = db.revoke_tokens(store, u.id, actor=actor, prefix=prefix)
    if prefix is not None and n == 0:
        raise NotFoundError(f"{u.email} has no live token starting with {safe_line(prefix)!r}",
                            hint="list them with `qa-engine tokens list EMAIL`")
    return n


def list_tokens(store: Store, email: str) -> list[Token]:
    return db.tokens(store, user(store, email).id)


def authenticate_token(store: Store, secret: str) -> User:
    """The account a Bearer token belongs to, or AuthenticationError."""
    if not secret.startswith(TOKEN_PREFIX) or len(secret) > 200:
        raise AuthenticationError("the API token is not a qa-engine token",
                                  hint="create one with `qa-engine tokens create EMAIL`")
    found = db.token_owner(store, sha256_hex(secret))
    if found is None:
        raise AuthenticationError("the API token is unknown", hint="create one with `qa-engine tokens create EMAIL`")
    t, u = found
    if t.revoked_at is not None:
        raise AuthenticationError("the API token was revoked", hint="create a new one")
    if t.expires_at is not None and t.expires_at <= db.now():
        raise AuthenticationError("the API token has expired", hint="create a new one")
    if not u.active:
        raise AuthenticationError("the account of this API token is disabled")
    return u


# --------------------------------------------------------------------------- sign-in and sessions


@dataclass(frozen=True)
class SignedIn:
    """A new session: ``secret`` goes into the cookie (only its sha256 is stored)."""

    user: User
    session: Session
    secret: str


def _throttle(store: Store, email: str, address: str) -> None:
    since = db.now() - WINDOW
    for kind, kw in (("account", {"email": email}), ("address", {"address": address})):
        n = db.failures_since(store, since, **kw)
        if n >= MAX_FAILURES:
            oldest = db.oldest_failure_since(store, since, **kw) or db.now()
            wait = max(1, int((oldest + WINDOW - db.now()).total_seconds()) + 1)
            minutes = (wait + 59) // 60
            raise TooManyRequestsError(
                f"too many failed sign-ins for this {kind} ({n} within {int(WINDOW.total_seconds() // 60)} minutes)",
                retry_after=wait,
                hint=f"wait {minutes} minute{'s' if minutes != 1 else ''} and try again",
            )


def sign_in(store: Store, email: str, password: str, *, address: str, user_agent: str | None = None,
            replaces: str | None = None) -> SignedIn:
    """Check the password and start a new session (revoking ``replaces``, the hash of
    the session the browser had). Wrong e-mail and wrong password get the same answer."""
    try:
        e = normal_email(email)
    except InputError:
        e = email.strip().lower()[:320]
    address = address[:64] or "unknown"
    _throttle(store, e, address)
    u = db.user_by_email(store, e)
    ok = False
    if u is not None and u.password_hash and u.active:
        try:
            ok = _HASHER.verify(u.password_hash, password[:MAX_PASSWORD])
        except (VerifyMismatchError, VerificationError, InvalidHashError):
            ok = False
    else:
        with contextlib.suppress(VerificationError):
            _HASHER.verify(_dummy(), password[:MAX_PASSWORD])
    db.record_attempt(store, email=e, address=address, ok=ok)
    if not ok or u is None:
        raise AuthenticationError("the e-mail address or the password is wrong (or the account is disabled)",
                                  hint="check both and try again")
    assert u.password_hash is not None
    if _HASHER.check_needs_rehash(u.password_hash):
        db.set_password_hash(store, u.id, _HASHER.hash(password), actor=u.email)
    secret = secrets.token_urlsafe(32)
    s = db.add_session(store, session_sha256=sha256_hex(secret), user_id=u.id,
                       csrf_token=secrets.token_urlsafe(32), expires_at=db.now() + SESSION_LIFETIME,
                       address=address, user_agent=user_agent, replaces=replaces, actor=u.email)
    return SignedIn(u, s, secret)


def session_user(store: Store, secret: str) -> tuple[Session, User]:
    """The live session a cookie secret names and its user, or AuthenticationError."""
    if not secret or len(secret) > 200:
        raise AuthenticationError("not signed in", hint="sign in")
    s = db.session_by_hash(store, sha256_hex(secret))
    if s is None or s.revoked_at is not None or s.expires_at <= db.now():
        raise AuthenticationError("the session has ended", hint="sign in again")
    u = db.user_by_id(store, s.user_id)
    if u is None or not u.active:
        raise AuthenticationError("the account is disabled")
    return s, u


def sign_out(store: Store, secret: str, *, everywhere: bool = False) -> int:
    """End this session (or every session of its account); returns how many ended."""
    s, u = session_user(store, secret)
    if everywhere:
        return db.end_all_sessions(store, u.id, actor=u.email)
    db.end_session(store, s.id, u.id, actor=u.email)
    return 1


def sign_out_everywhere(store: Store, email: str, *, actor: str) -> int:
    return db.end_all_sessions(store, user(store, email).id, actor=actor)


# --------------------------------------------------------------------------- the demo workspace

#: The password of every demo account: printed by ``qa-engine users seed-demo``, so it
#: is no secret. A demo store is for trying the workspace on loopback, never for use.
DEMO_PASSWORD = "demo-password-not-secret"


@dataclass(frozen=True)
class DemoPerson:
    """One demo account as :func:`seed_demo` makes it."""

    email: str
    role: str
    name: str
    org: str | None = None
    external: bool = False
    chair_qualified: bool = False
    what: str = ""


#: (slug, name, kind, country): two provider organisations and the accrediting body.
DEMO_ORGANISATIONS: tuple[tuple[str, str, str, str | None], ...] = (
    ("demo-campus", "Demo Campus", "provider", "DE"),
    ("north-academy", "North Academy", "provider", "FI"),
    ("demo-agency", "Demo Quality Agency", "body", "NL"),
)

#: One account per role, two providers (one per organisation), three reviewers: a
#: chair-qualified one, an external one and one more, so that a panel of three that the
#: review policies allow (a qualified chair, at least one external member) can be formed.
DEMO_PEOPLE: tuple[DemoPerson, ...] = (
    DemoPerson("provider@demo-campus.example", "provider", "Petra Provider", "demo-campus",
               what="submits Demo Campus's dossiers"),
    DemoPerson("provider@north-academy.example", "provider", "Niko North", "north-academy",
               what="another organisation: sees none of Demo Campus's submissions"),
    DemoPerson("coordinator@demo-agency.example", "coordinator", "Cora Coordinator", "demo-agency",
               what="screens submissions, forms panels, decides"),
    DemoPerson("chair@demo-agency.example", "reviewer", "Chris Chair", "demo-agency", chair_qualified=True,
               what="reviewer, qualified to chair a panel"),
    DemoPerson("reviewer@demo-agency.example", "reviewer", "Robin Reviewer", "demo-agency",
               what="reviewer"),
    DemoPerson("external@peer-university.example", "reviewer", "Eli External", external=True,
               what="external reviewer"),
    DemoPerson("auditor@demo-agency.example", "auditor", "Ada Auditor", "demo-agency",
               what="reads everything, changes nothing"),
    DemoPerson("admin@demo-agency.example", "admin", "Alex Admin", "demo-agency",
               what="accounts and organisations"),
)


@dataclass(frozen=True)
class Seeded:
    """What :func:`seed_demo` found or made: each account, and whether it is new."""

    organisations: list[tuple[Organisation, bool]]
    users: list[tuple[User, DemoPerson, bool]]
    password: str


def seed_demo(store: Store, *, password: str = DEMO_PASSWORD, actor: str) -> Seeded:
    """The demo organisations and accounts, made where missing (idempotent: a second run
    finds them all and changes nothing, not even a password changed since)."""
    orgs: list[tuple[Organisation, bool]] = []
    for slug, name, kind, country in DEMO_ORGANISATIONS:
        found = db.organisation_by_slug(store, slug)
        if found is not None:
            orgs.append((found, False))
        else:
            orgs.append((add_organisation(store, slug, name, kind=kind, country=country, actor=actor), True))
    people: list[tuple[User, DemoPerson, bool]] = []
    for p in DEMO_PEOPLE:
        existing = db.user_by_email(store, p.email)
        if existing is not None:
            people.append((existing, p, False))
            continue
        u = add_user(store, p.email, role=p.role, password=password, name=p.name, org=p.org,
                     external=p.external, chair_qualified=p.chair_qualified, actor=actor)
        people.append((u, p, True))
    return Seeded(orgs, people, password)
