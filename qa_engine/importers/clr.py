"""CLR 2.0: a ClrCredential holds several achievement credentials; one dossier each.

Each Open Badges 3.0 credential in ``credentialSubject.verifiableCredential`` (embedded,
or as a compact JWT) becomes one dossier, mapped exactly as :mod:`.ob3` maps a single
credential; its provenance paths point into the CLR document. Achievements listed in
``credentialSubject.achievement`` without a credential of their own, associations
between achievements and the CLR's own envelope are listed in every dossier's notes.
"""

from __future__ import annotations

import base64
import binascii
import json
from datetime import date
from typing import Any

from qa_engine.errors import InputError
from qa_engine.formats.dossier import Dossier
from qa_engine.importers import ob3
from qa_engine.importers._common import (
    Mapper,
    SrcPath,
    check_depth,
    fmt_path,
    short,
    text,
    too_deep,
    type_error,
    types_of,
    wrong_document,
)

FORMAT = "clr-2.0"
CREDENTIAL_FORMAT = "Open Badges 3.0 (in a CLR 2.0)"

REASONS: dict[str, str] = {
    **ob3.REASONS,
    "achievement": "an achievement without its own credential in this CLR; only achievement credentials become dossiers",
    "association": "relation between achievements of the CLR; no dossier field",
    "name": "name of the CLR (the transcript), not of an achievement",
    "description": "description of the CLR (the transcript)",
    "issuer": "issuer of the CLR (the transcript publisher)",
    "verifiableCredential": "not an achievement credential",
    "validFrom": "issue date of the CLR itself",
    "issuanceDate": "issue date of the CLR itself",
    "partial": "whether the CLR is partial",
}


def _decode_jwt(token: str, file: str) -> Any:
    """The credential in a compact JWS (``vc`` claim of a VC 1.1 JWT, else the payload)."""
    parts = token.split(".")
    if len(parts) != 3:
        return None
    try:
        raw = base64.urlsafe_b64decode(parts[1] + "=" * (-len(parts[1]) % 4))
        payload = json.loads(raw.decode("utf-8"))
    except (binascii.Error, ValueError, UnicodeDecodeError):
        return None
    except RecursionError:  # JSON nested far deeper than files may be
        raise too_deep(file) from None
    check_depth(payload, file)
    if isinstance(payload, dict) and isinstance(payload.get("vc"), dict):
        return payload["vc"]
    return payload


def import_clr(doc: Any, *, file: str, as_of: date, root: str = "$") -> list[Dossier]:
    if not isinstance(doc, dict) or "ClrCredential" not in types_of(doc):
        raise wrong_document(
            doc, "clr", file=file, root=root, expected="ClrCredential",
            otherwise="give a CLR 2.0 credential",
        )
    subject: SrcPath = ("credentialSubject",)
    subj = doc.get("credentialSubject")
    if isinstance(subj, dict) and subj.get("type") is not None and "ClrSubject" not in types_of(subj):
        raise type_error(
            file,
            fmt_path(subject + ("type",), root),
            "ClrSubject",
            subj.get("type"),
            "a CLR 2.0 credential subject must say so in its type; correct the document",
        )
    clr = Mapper(doc, root=root, as_of=as_of)
    found: list[tuple[Mapper, str]] = []
    candidates = list(clr.items(subject + ("verifiableCredential",)))
    for vc, path in candidates:
        if isinstance(vc, str):
            decoded = _decode_jwt(vc, file)
            if isinstance(decoded, dict) and ob3.is_credential(decoded):
                inner_root = fmt_path(path, root) + "<jwt payload>"
                ob3.validate(decoded, (), file, inner_root)
                m = Mapper(decoded, root=inner_root, as_of=as_of)
                ob3.map_credential(m, (), credential_format=CREDENTIAL_FORMAT)
                m.note(f"read from the JWT at {fmt_path(path, root)}; its signature is not verified")
                found.append((m, fmt_path(path, root)))
                clr.use(path)
            else:
                clr.not_mapped(path, "not a decodable achievement credential JWT", "a JWT")
            continue
        if isinstance(vc, dict) and ob3.is_credential(vc):
            ob3.validate(doc, path, file, root)
            m = Mapper(doc, root=root, as_of=as_of)
            ob3.map_credential(m, path, credential_format=CREDENTIAL_FORMAT)
            found.append((m, fmt_path(path, root)))
            clr.use(path)
        else:
            clr.not_mapped(path, "not an OpenBadgeCredential or AchievementCredential")
    if not found:
        raise InputError(
            f"the CLR holds no achievement credential at `{fmt_path(subject + ('verifiableCredential',), root)}`",
            file=file,
            hint="a CLR 2.0 credential needs at least one OpenBadgeCredential or AchievementCredential to import",
        )

    clr.use(("id",), ("name",))
    clr.expiry((), ("validUntil", "expirationDate"), what="the CLR itself")
    clr.sweep((), REASONS, ob3.DEFAULT_REASON)
    name = text(doc.get("name"))
    issuer = doc.get("issuer")
    issuer_name = text(issuer.get("name")) if isinstance(issuer, dict) else None
    summary = (
        (f"one of {len(found)} achievement credentials" if len(found) > 1 else "the only achievement credential")
        + " in the CLR"
        + (f" {short(name)}" if name else "")
        + (f" issued by {short(issuer_name)}" if issuer_name else "")
    )
    shared = clr.info + clr.unmapped
    taken: set[str] = set()
    dossiers: list[Dossier] = []
    for m, where in found:
        base_id = m.data.get("id", "clr-credential")
        dossier_id = base_id
        n = 2
        while dossier_id in taken:
            dossier_id = f"{base_id[:120]}-{n}"
            n += 1
        taken.add(dossier_id)
        m.data["id"] = dossier_id
        dossiers.append(
            m.dossier(fmt=FORMAT, file=file, extra_notes=[f"{summary}, at {where}", *shared])
        )
    return dossiers
