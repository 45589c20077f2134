"""The public register as files: HTML pages (Jinja2, autoescaped), a JSON Feed 1.1 and
an Atom feed, each decision at a stable permalink ``decisions/<id>/``.

Pure rendering: the entries come verified and with their state from
:mod:`qa_engine.services.register`. Every link is relative, so the site works from any
folder, any web server or ``file://``; no script, no request to anything outside.
"""

from __future__ import annotations

import datetime as _dt
import json
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any
from xml.etree import ElementTree as ET

import jinja2

TEMPLATES = Path(__file__).with_name("register_templates")
OUTCOME_LABELS = {
    "accredited": "Accredited",
    "accredited_with_conditions": "Accredited with conditions",
    "not_accredited": "Not accredited",
}


@dataclass(frozen=True)
class RegisterEntry:
    decision_id: int
    credential: dict[str, Any]
    credential_id: str
    state: str
    state_label: str
    state_detail: str
    provider: str
    provider_slug: str
    programme: str
    dossier_id: str
    outcome: str
    ruleset: str
    valid_from: str
    valid_until: str
    decided_on: str
    subject: dict[str, Any]

    @property
    def outcome_label(self) -> str:
        return OUTCOME_LABELS.get(self.outcome, self.outcome)

    @property
    def in_force(self) -> bool:
        return self.state == "current"


def slug(value: str) -> str:
    """A folder name for a provider or ruleset filter page."""
    return re.sub(r"[^A-Za-z0-9._-]+", "-", value).strip("-.") or "x"


@lru_cache(maxsize=1)
def _env() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(TEMPLATES), encoding="utf-8"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
    )
    env.filters["slug"] = slug
    return env


def _page(template: str, **ctx: Any) -> str:
    return _env().get_template(template).render(**ctx)


def render_site(entries: list[RegisterEntry], *, base_url: str, title: str, issuer: str, generated: _dt.datetime) -> dict[str, str]:
    """Relative path -> file text, for the whole static register."""
    stamp = generated.astimezone(_dt.UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")
    providers = sorted({(e.provider_slug, e.provider) for e in entries}, key=lambda p: p[1].lower())
    rulesets = sorted({e.ruleset for e in entries})
    common = {"title": title, "issuer": issuer, "generated": stamp, "providers": providers, "rulesets": rulesets, "base_url": base_url}
    files: dict[str, str] = {
        "index.html": _page("list.html.j2", root="", entries=entries, heading=title, filter=None, **common),
    }
    for pslug, name in providers:
        chosen = [e for e in entries if e.provider_slug == pslug]
        files[f"providers/{slug(pslug)}/index.html"] = _page(
            "list.html.j2", root="../../", entries=chosen, heading=f"Decisions on programmes of {name}", filter=("provider", name), **common)
    for rs in rulesets:
        chosen = [e for e in entries if e.ruleset == rs]
        files[f"rulesets/{slug(rs)}/index.html"] = _page(
            "list.html.j2", root="../../", entries=chosen, heading=f"Decisions under ruleset {rs}", filter=("ruleset", rs), **common)
    for e in entries:
        files[f"decisions/{e.decision_id}/index.html"] = _page("decision.html.j2", root="../../", e=e, **common)
        files[f"decisions/{e.decision_id}/credential.json"] = json.dumps(e.credential, indent=2) + "\n"
    files["feed.json"] = _json_feed(entries, base_url=base_url, title=title)
    files["atom.xml"] = _atom(entries, base_url=base_url, title=title, updated=stamp, issuer=issuer)
    return files


_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


def _x(text: str) -> str:
    """Text XML 1.0 can hold: characters it forbids become U+FFFD (ElementTree
    escapes markup but would write them as they are, and the feed would not parse)."""
    return _XML_INVALID.sub("\ufffd", text)


def _summary(e: RegisterEntry) -> str:
    return (f"{e.outcome_label}: {e.programme} ({e.provider}), ruleset {e.ruleset}, valid "
            f"{e.valid_from} to {e.valid_until}. State: {e.state_label}.")


def _json_feed(entries: list[RegisterEntry], *, base_url: str, title: str) -> str:
    feed = {
        "version": "https://jsonfeed.org/version/1.1",
        "title": title,
        "home_page_url": f"{base_url}/",
        "feed_url": f"{base_url}/feed.json",
        "items": [
            {
                "id": e.credential_id,
                "url": f"{base_url}/decisions/{e.decision_id}/",
                "title": f"{e.outcome_label}: {e.programme}",
                "content_text": _summary(e),
                "date_published": f"{e.decided_on}T00:00:00Z",
                "_qa_engine": {
                    "state": e.state, "outcome": e.outcome, "provider": e.provider, "provider_slug": e.provider_slug,
                    "programme": e.programme, "dossier_id": e.dossier_id, "ruleset": e.ruleset,
                    "valid_from": e.valid_from, "valid_until": e.valid_until,
                    "credential": f"{base_url}/decisions/{e.decision_id}/credential.json",
                },
            }
            for e in entries
        ],
    }
    return json.dumps(feed, indent=2, ensure_ascii=False) + "\n"


def _atom(entries: list[RegisterEntry], *, base_url: str, title: str, updated: str, issuer: str) -> str:
    ns = "http://www.w3.org/2005/Atom"
    ET.register_namespace("", ns)
    feed = ET.Element(f"{{{ns}}}feed")
    ET.SubElement(feed, f"{{{ns}}}title").text = _x(title)
    ET.SubElement(feed, f"{{{ns}}}id").text = f"{base_url}/"
    ET.SubElement(feed, f"{{{ns}}}updated").text = updated
    ET.SubElement(feed, f"{{{ns}}}link", href=f"{base_url}/atom.xml", rel="self")
    ET.SubElement(feed, f"{{{ns}}}link", href=f"{base_url}/")
    author = ET.SubElement(feed, f"{{{ns}}}author")
    ET.SubElement(author, f"{{{ns}}}name").text = _x(issuer)
    for e in entries:
        item = ET.SubElement(feed, f"{{{ns}}}entry")
        ET.SubElement(item, f"{{{ns}}}id").text = _x(e.credential_id)
        ET.SubElement(item, f"{{{ns}}}title").text = _x(f"{e.outcome_label}: {e.programme} [{e.state_label}]")
        ET.SubElement(item, f"{{{ns}}}link", href=f"{base_url}/decisions/{e.decision_id}/")
        ET.SubElement(item, f"{{{ns}}}link", href=f"{base_url}/decisions/{e.decision_id}/credential.json",
                      rel="alternate", type="application/vc+ld+json")
        ET.SubElement(item, f"{{{ns}}}updated").text = f"{e.decided_on}T00:00:00Z"
        ET.SubElement(item, f"{{{ns}}}category", term=e.state, label=e.state_label)
        ET.SubElement(item, f"{{{ns}}}summary").text = _x(_summary(e))
    return '<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(feed, encoding="unicode") + "\n"
