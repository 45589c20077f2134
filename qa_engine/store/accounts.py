"""Data access for the workspace's people: organisations, user accounts, API tokens,
web sessions and login attempts.

Every write is one transaction of the store that also appends its audit entry, and
the entry vouches for the record it wrote (:mod:`qa_engine.store.trail`), so that a
role or an organisation changed behind qa-engine's back is found by ``audit verify``.
Sessions and login attempts change on every request: they are operational state,
listed in :data:`qa_engine.store.trail.UNBOUND` with that reason, and their creation
and revocation are still recorded in the chain (``session.*`` entries).

No policy lives here (who may do what, how passwords are hashed, throttling limits):
that is :mod:`qa_engine.services.accounts` and :mod:`qa_engine.services.access`.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, func, select, update

from qa_engine.store import audit, trail
from qa_engine.store.models import (
    API_TOKEN,
    LOGIN_ATTEMPT,
    ORGANISATION,
    USER_ACCOUNT,
    WEB_SESSION,
)
from qa_engine.store.store import Store
from qa_engine.store.values import as_utc as _utc
from qa_engine.store.values import inserted_id as _pk
from qa_engine.store.values import now as now

trail.register(trail.Bound(
    table=ORGANISATION,
    actions=frozenset({"org.create"}),
    subject=lambda row: f"org:{row['id']}",
))
trail.register(trail.Bound(
    table=USER_ACCOUNT,
    actions=frozenset({"user.create", "user.disable", "user.enable", "user.password"}),
    subject=lambda row: f"user:{row['id']}",
))
trail.register(trail.Bound(
    table=API_TOKEN,
    actions=frozenset({"token.create", "token.revoke"}),
    subject=lambda row: f"user:{row['user_id']}",
))




# --------------------------------------------------------------------------- rows as values


@dataclass(frozen=True)
class Organisation:
    id: int
    slug: str
    name: str
    kind: str
    country: str | None
    identifier: str | None
    created_at: _dt.datetime

    @classmethod
    def of(cls, m: Mapping[Any, Any]) -> Organisation:
        return cls(int(m["id"]), m["slug"], m["name"], m["kind"], m["country"], m["identifier"],
                   _utc(m["created_at"]) or now())

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "slug": self.slug, "name": self.name, "kind": self.kind,
                "country": self.country, "identifier": self.identifier,
                "created_at": self.created_at.isoformat()}


@dataclass(frozen=True)
class User:
    id: int
    email: str
    name: str
    role: str
    organisation_id: int | None
    password_hash: str | None
    external: bool
    chair_qualified: bool
    created_at: _dt.datetime
    disabled_at: _dt.datetime | None
    organisation_slug: str | None = None

    @property
    def active(self) -> bool:
        return self.disabled_at is None

    @classmethod
    def of(cls, m: Mapping[Any, Any], slug: str | None = None) -> User:
        return cls(
            int(m["id"]), m["email"], m["name"], m["role"],
            int(m["organisation_id"]) if m["organisation_id"] is not None else None,
            m["password_hash"], bool(m["external"]), bool(m["chair_qualified"]),
            _utc(m["created_at"]) or now(), _utc(m["disabled_at"]), slug,
        )

    def to_dict(self) -> dict[str, Any]:
        """The account as shown (never the password hash)."""
        return {"id": self.id, "email": self.email, "name": self.name, "role": self.role,
                "organisation": self.organisation_slug, "external": self.external,
                "chair_qualified": self.chair_qualified, "created_at": self.created_at.isoformat(),
                "disabled_at": self.disabled_at.isoformat() if self.disabled_at else None}


@dataclass(frozen=True)
class Token:
    id: int
    user_id: int
    name: str
    prefix: str
    created_at: _dt.datetime
    expires_at: _dt.datetime | None
    revoked_at: _dt.datetime | None

    @classmethod
    def of(cls, m: Mapping[Any, Any]) -> Token:
        return cls(int(m["id"]), int(m["user_id"]), m["name"], m["prefix"],
                   _utc(m["created_at"]) or now(), _utc(m["expires_at"]), _utc(m["revoked_at"]))

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "name": self.name, "prefix": self.prefix,
                "created_at": self.created_at.isoformat(),
                "expires_at": self.expires_at.isoformat() if self.expires_at else None,
                "revoked_at": self.revoked_at.isoformat() if self.revoked_at else None}


@dataclass(frozen=True)
class Session:
    id: str
    user_id: int
    csrf_token: str
    created_at: _dt.datetime
    expires_at: _dt.datetime
    revoked_at: _dt.datetime | None


# --------------------------------------------------------------------------- organisations


def add_organisation(
    store: Store, *, slug: str, name: str, kind: str, country: str | None = None,
    identifier: str | None = None, actor: str,
) -> Organisation:
    def write(conn: Connection) -> Organisation:
        values = {"slug": slug, "name": name, "kind": kind, "country": country,
                  "identifier": identifier, "created_at": now()}
        oid = _pk(conn.execute(ORGANISATION.insert().values(**values)))
        audit.append(conn, actor=actor, action="org.create", subject=f"org:{oid}", payload={
            "slug": slug, "name": name, "kind": kind,
            "records": [trail.ref("organisation", oid, values)],
        })
        return Organisation.of({"id": oid, **values})

    return store.write(write)


def organisation_by_slug(store: Store, slug: str) -> Organisation | None:
    row = store.read(lambda c: c.execute(select(ORGANISATION).where(ORGANISATION.c.slug == slug)).first())
    return Organisation.of(row._mapping) if row is not None else None


def organisation_by_id(store: Store, oid: int) -> Organisation | None:
    row = store.read(lambda c: c.execute(select(ORGANISATION).where(ORGANISATION.c.id == oid)).first())
    return Organisation.of(row._mapping) if row is not None else None


def organisations(store: Store) -> list[Organisation]:
    rows = store.read(lambda c: list(c.execute(select(ORGANISATION).order_by(ORGANISATION.c.slug))))
    return [Organisation.of(r._mapping) for r in rows]


# --------------------------------------------------------------------------- users


def _user_query() -> Any:
    return select(USER_ACCOUNT, ORGANISATION.c.slug.label("org_slug")).select_from(
        USER_ACCOUNT.outerjoin(ORGANISATION, ORGANISATION.c.id == USER_ACCOUNT.c.organisation_id)
    )


def _user(row: Any) -> User:
    return User.of(row._mapping, row._mapping["org_slug"])


def add_user(
    store: Store, *, email: str, name: str, role: str, organisation_id: int | None,
    password_hash: str | None, external: bool = False, chair_qualified: bool = False, actor: str,
) -> User:
    def write(conn: Connection) -> User:
        values = {"email": email, "name": name, "role": role, "organisation_id": organisation_id,
                  "password_hash": password_hash, "external": external,
                  "chair_qualified": chair_qualified, "expertise": None,
                  "created_at": now(), "disabled_at": None}
        uid = _pk(conn.execute(USER_ACCOUNT.insert().values(**values)))
        audit.append(conn, actor=actor, action="user.create", subject=f"user:{uid}", payload={
            "email": email, "role": role, "organisation_id": organisation_id,
            "records": [trail.ref("user_account", uid, values)],
        })
        row = conn.execute(_user_query().where(USER_ACCOUNT.c.id == uid)).one()
        return _user(row)

    return store.write(write)


def user_by_email(store: Store, email: str) -> User | None:
    row = store.read(lambda c: c.execute(_user_query().where(USER_ACCOUNT.c.email == email)).first())
    return _user(row) if row is not None else None


def user_by_id(store: Store, uid: int) -> User | None:
    row = store.read(lambda c: c.execute(_user_query().where(USER_ACCOUNT.c.id == uid)).first())
    return _user(row) if row is not None else None


def users(store: Store, *, role: str | None = None, organisation_id: int | None = None) -> list[User]:
    q = _user_query().order_by(USER_ACCOUNT.c.email)
    if role is not None:
        q = q.where(USER_ACCOUNT.c.role == role)
    if organisation_id is not None:
        q = q.where(USER_ACCOUNT.c.organisation_id == organisation_id)
    return [_user(r) for r in store.read(lambda c: list(c.execute(q)))]


def _rewrite_user(conn: Connection, uid: int, changes: dict[str, Any], *, action: str, actor: str,
                  payload: dict[str, Any]) -> None:
    conn.execute(update(USER_ACCOUNT).where(USER_ACCOUNT.c.id == uid).values(**changes))
    row = conn.execute(select(USER_ACCOUNT).where(USER_ACCOUNT.c.id == uid)).one()
    audit.append(conn, actor=actor, action=action, subject=f"user:{uid}", payload={
        **payload, "records": [trail.ref("user_account", uid, row._mapping)],
    })


def set_disabled(store: Store, uid: int, *, disabled: bool, actor: str) -> User:
    """Disable (or enable again) an account; disabling also revokes its sessions and tokens."""

    def write(conn: Connection) -> None:
        at = now()
        if disabled:
            _rewrite_user(conn, uid, {"disabled_at": at}, action="user.disable", actor=actor, payload={})
            _revoke_sessions(conn, uid, at, actor=actor, reason="account disabled")
            for t in conn.execute(select(API_TOKEN.c.id).where(
                    API_TOKEN.c.user_id == uid, API_TOKEN.c.revoked_at.is_(None))).all():
                _revoke_token(conn, int(t.id), at, actor=actor)
        else:
            _rewrite_user(conn, uid, {"disabled_at": None}, action="user.enable", actor=actor, payload={})

    store.write(write)
    u = user_by_id(store, uid)
    assert u is not None
    return u


def set_password_hash(store: Store, uid: int, password_hash: str, *, actor: str) -> None:
    """A new password: the hash changes and every session of the account ends."""

    def write(conn: Connection) -> None:
        _rewrite_user(conn, uid, {"password_hash": password_hash}, action="user.password", actor=actor,
                      payload={})
        _revoke_sessions(conn, uid, now(), actor=actor, reason="password changed")

    store.write(write)


# --------------------------------------------------------------------------- API tokens


def add_token(
    store: Store, *, user_id: int, name: str, token_sha256: str, prefix: str,
    expires_at: _dt.datetime | None, actor: str,
) -> Token:
    def write(conn: Connection) -> Token:
        values = {"user_id": user_id, "name": name, "token_sha256": token_sha256, "prefix": prefix,
                  "created_at": now(), "expires_at": expires_at, "last_used_at": None,
                  "revoked_at": None}
        tid = _pk(conn.execute(API_TOKEN.insert().values(**values)))
        audit.append(conn, actor=actor, action="token.create", subject=f"user:{user_id}", payload={
            "token_id": tid, "name": name, "prefix": prefix,
            "records": [trail.ref("api_token", tid, values)],
        })
        return Token.of({"id": tid, **values})

    return store.write(write)


def _revoke_token(conn: Connection, tid: int, at: _dt.datetime, *, actor: str) -> None:
    conn.execute(update(API_TOKEN).where(API_TOKEN.c.id == tid).values(revoked_at=at))
    row = conn.execute(select(API_TOKEN).where(API_TOKEN.c.id == tid)).one()
    audit.append(conn, actor=actor, action="token.revoke", subject=f"user:{row.user_id}", payload={
        "token_id": tid, "records": [trail.ref("api_token", tid, row._mapping)],
    })


def revoke_tokens(store: Store, user_id: int, *, actor: str, prefix: str | None = None) -> int:
    """Revoke the user's live tokens (those starting with ``prefix`` only, when given)."""

    def write(conn: Connection) -> int:
        q = select(API_TOKEN.c.id, API_TOKEN.c.prefix).where(
            API_TOKEN.c.user_id == user_id, API_TOKEN.c.revoked_at.is_(None))
        ids = [int(r.id) for r in conn.execute(q) if prefix is None or str(r.prefix).startswith(prefix)
               or prefix.startswith(str(r.prefix))]
        at = now()
        for tid in ids:
            _revoke_token(conn, tid, at, actor=actor)
        return len(ids)

    return store.write(write)


def tokens(store: Store, user_id: int) -> list[Token]:
    rows = store.read(lambda c: list(c.execute(
        select(API_TOKEN).where(API_TOKEN.c.user_id == user_id).order_by(API_TOKEN.c.id))))
    return [Token.of(r._mapping) for r in rows]


def token_owner(store: Store, token_sha256: str) -> tuple[Token, User] | None:
    """The token with this hash and its owner (revoked and expired ones too: the
    caller decides, so that it can say why a token is refused)."""

    def read(conn: Connection) -> tuple[Token, User] | None:
        t = conn.execute(select(API_TOKEN).where(API_TOKEN.c.token_sha256 == token_sha256)).first()
        if t is None:
            return None
        u = conn.execute(_user_query().where(USER_ACCOUNT.c.id == t.user_id)).one()
        return Token.of(t._mapping), _user(u)

    return store.read(read)


# --------------------------------------------------------------------------- sessions


def add_session(
    store: Store, *, session_sha256: str, user_id: int, csrf_token: str, expires_at: _dt.datetime,
    address: str | None, user_agent: str | None, replaces: str | None = None, actor: str,
) -> Session:
    """A new session; ``replaces`` (the hash of the session the browser held before
    signing in) is revoked in the same transaction: the session id rotates at login."""

    def write(conn: Connection) -> Session:
        at = now()
        if replaces is not None:
            conn.execute(update(WEB_SESSION).where(
                WEB_SESSION.c.id == replaces, WEB_SESSION.c.revoked_at.is_(None)).values(revoked_at=at))
        conn.execute(WEB_SESSION.insert().values(
            id=session_sha256, user_id=user_id, csrf_token=csrf_token, created_at=at, last_seen_at=at,
            expires_at=expires_at, address=address, user_agent=(user_agent or "")[:300] or None,
            revoked_at=None,
        ))
        audit.append(conn, actor=actor, action="session.start", subject=f"user:{user_id}", payload={
            "session": session_sha256[:16], "address": address,
        })
        return Session(session_sha256, user_id, csrf_token, at, expires_at, None)

    return store.write(write)


def session_by_hash(store: Store, session_sha256: str) -> Session | None:
    row = store.read(lambda c: c.execute(select(WEB_SESSION).where(WEB_SESSION.c.id == session_sha256)).first())
    if row is None:
        return None
    m = row._mapping
    return Session(m["id"], int(m["user_id"]), m["csrf_token"], _utc(m["created_at"]) or now(),
                   _utc(m["expires_at"]) or now(), _utc(m["revoked_at"]))


def touch_session(store: Store, session_sha256: str) -> None:
    store.write(lambda c: c.execute(update(WEB_SESSION).where(WEB_SESSION.c.id == session_sha256)
                                    .values(last_seen_at=now())))


def _revoke_sessions(conn: Connection, user_id: int, at: _dt.datetime, *, actor: str, reason: str,
                     only: str | None = None) -> int:
    q = update(WEB_SESSION).where(WEB_SESSION.c.user_id == user_id, WEB_SESSION.c.revoked_at.is_(None))
    if only is not None:
        q = q.where(WEB_SESSION.c.id == only)
    n = int(conn.execute(q.values(revoked_at=at)).rowcount or 0)
    if n:
        audit.append(conn, actor=actor, action="session.end", subject=f"user:{user_id}", payload={
            "sessions": n, "reason": reason, **({"session": only[:16]} if only else {}),
        })
    return n


def end_session(store: Store, session_sha256: str, user_id: int, *, actor: str) -> None:
    store.write(lambda c: _revoke_sessions(c, user_id, now(), actor=actor, reason="signed out",
                                           only=session_sha256))


def end_all_sessions(store: Store, user_id: int, *, actor: str) -> int:
    """Sign the account out everywhere."""
    return store.write(lambda c: _revoke_sessions(c, user_id, now(), actor=actor,
                                                  reason="signed out everywhere"))


def live_sessions(store: Store, user_id: int) -> int:
    at = now()
    return int(store.read(lambda c: c.execute(
        select(func.count()).select_from(WEB_SESSION).where(
            WEB_SESSION.c.user_id == user_id, WEB_SESSION.c.revoked_at.is_(None),
            WEB_SESSION.c.expires_at > at)).scalar_one()))


# --------------------------------------------------------------------------- login attempts


def record_attempt(store: Store, *, email: str, address: str, ok: bool) -> None:
    store.write(lambda c: c.execute(LOGIN_ATTEMPT.insert().values(email=email, address=address[:64],
                                                                   at=now(), ok=ok)))


def failures_since(store: Store, since: _dt.datetime, *, email: str | None = None,
                   address: str | None = None) -> int:
    """Failed attempts since ``since`` for the account (or the address), counted back
    to the last successful sign-in of that account (a success clears the count)."""

    def read(conn: Connection) -> int:
        q = select(func.count()).select_from(LOGIN_ATTEMPT).where(LOGIN_ATTEMPT.c.at >= since,
                                                                  LOGIN_ATTEMPT.c.ok.is_(False))
        if email is not None:
            last_ok = conn.execute(select(func.max(LOGIN_ATTEMPT.c.at)).where(
                LOGIN_ATTEMPT.c.email == email, LOGIN_ATTEMPT.c.ok.is_(True))).scalar()
            q = q.where(LOGIN_ATTEMPT.c.email == email)
            if last_ok is not None:
                q = q.where(LOGIN_ATTEMPT.c.at > last_ok)
        if address is not None:
            q = q.where(LOGIN_ATTEMPT.c.address == address)
        return int(conn.execute(q).scalar_one())

    return store.read(read)


def oldest_failure_since(store: Store, since: _dt.datetime, *, email: str | None = None,
                         address: str | None = None) -> _dt.datetime | None:
    q = select(func.min(LOGIN_ATTEMPT.c.at)).where(LOGIN_ATTEMPT.c.at >= since, LOGIN_ATTEMPT.c.ok.is_(False))
    if email is not None:
        q = q.where(LOGIN_ATTEMPT.c.email == email)
    if address is not None:
        q = q.where(LOGIN_ATTEMPT.c.address == address)
    return _utc(store.read(lambda c: c.execute(q).scalar()))
