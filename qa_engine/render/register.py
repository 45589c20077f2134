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
from urllib.parse import quote
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


@dataclass(frozen=True)
class Links:
    """Where the register's pages and files are, relative to the register's root: the
    static site's folders (:data:`STATIC`) or the web server's routes (:data:`WEB`).
    ``root`` prefixes every link of a page (``../../`` deep in the static site, ``/``
    on the server); feeds use the ``*_url`` paths after the register's base URL."""

    index: str
    decision_page: str
    decision_url: str
    credential: str
    provider_page: str
    ruleset_page: str
    feed: str
    atom: str
    did: str = ".well-known/did.json"
    exports: tuple[str, ...] = ()
    export: str = ""
    query: bool = False

    def at(self, root: str) -> PageLinks:
        return PageLinks(self, root)


@dataclass(frozen=True)
class PageLinks:
    """The links of one page (templates call these)."""

    links: Links
    root: str

    def home(self) -> str:
        return self.root + self.links.index

    def decision(self, decision_id: int) -> str:
        return self.root + self.links.decision_page.format(id=decision_id)

    def credential(self, decision_id: int) -> str:
        return self.root + self.links.credential.format(id=decision_id)

    def export(self, decision_id: int, kind: str) -> str:
        return self.root + self.links.export.format(id=decision_id, kind=kind)

    def provider(self, provider_slug: str) -> str:
        return self.root + self.links.provider_page.format(slug=quote(slug(provider_slug), safe=""))

    def ruleset(self, ruleset: str) -> str:
        return self.root + self.links.ruleset_page.format(slug=quote(slug(ruleset), safe=""))

    def feed(self) -> str:
        return self.root + self.links.feed

    def atom(self) -> str:
        return self.root + self.links.atom

    def did(self) -> str:
        return self.root + self.links.did


#: The static site (``qa-engine register export``): folders with index.html.
STATIC = Links(
    index="index.html", decision_page="decisions/{id}/index.html", decision_url="decisions/{id}/",
    credential="decisions/{id}/credential.json", provider_page="providers/{slug}/index.html",
    ruleset_page="rulesets/{slug}/index.html", feed="feed.json", atom="atom.xml",
)
#: The web server (:mod:`qa_engine.web.routes.publication`): the permalink is the
#: credential's own id, ``<base>/decisions/<id>``.
WEB = Links(
    index="register", decision_page="decisions/{id}", decision_url="decisions/{id}",
    credential="decisions/{id}/credential.json", provider_page="register?provider={slug}",
    ruleset_page="register?ruleset={slug}", feed="api/v1/register", atom="register.atom",
    exports=("deqar", "elm", "ctdl"), export="decisions/{id}/export/{kind}.json", query=True,
)


def _stamp(generated: _dt.datetime) -> str:
    return generated.astimezone(_dt.UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def _common(entries: list[RegisterEntry], *, base_url: str, title: str, issuer: str,
            generated: _dt.datetime) -> dict[str, Any]:
    providers = sorted({(e.provider_slug, e.provider) for e in entries}, key=lambda p: p[1].lower())
    rulesets = sorted({e.ruleset for e in entries})
    return {"title": title, "issuer": issuer, "generated": _stamp(generated), "providers": providers,
            "rulesets": rulesets, "base_url": base_url}


def filtered(entries: list[RegisterEntry], *, provider: str | None = None,
             ruleset: str | None = None) -> tuple[list[RegisterEntry], tuple[str, str] | None, str | None]:
    """The entries of one provider or ruleset (given by its slug), the filter as the
    list page shows it, and the heading it gets (None: unfiltered)."""
    if provider:
        chosen = [e for e in entries if slug(e.provider_slug) == slug(provider)]
        name = chosen[0].provider if chosen else provider
        return chosen, ("provider", name), f"Decisions on programmes of {name}"
    if ruleset:
        chosen = [e for e in entries if slug(e.ruleset) == slug(ruleset)]
        rs = chosen[0].ruleset if chosen else ruleset
        return chosen, ("ruleset", rs), f"Decisions under ruleset {rs}"
    return entries, None, None


def render_list(entries: list[RegisterEntry], *, links: Links, root: str, base_url: str, title: str, issuer: str,
                generated: _dt.datetime, provider: str | None = None, ruleset: str | None = None,
                everything: list[RegisterEntry] | None = None) -> str:
    """The list page, of every entry or filtered by a provider's or a ruleset's slug;
    ``everything`` (default: ``entries``) fills the filter menus."""
    chosen, flt, heading = filtered(entries, provider=provider, ruleset=ruleset)
    common = _common(everything if everything is not None else entries, base_url=base_url, title=title,
                     issuer=issuer, generated=generated)
    return _page("list.html.j2", root=root, link=links.at(root), entries=chosen, heading=heading or title,
                 filter=flt, **common)


def render_decision(e: RegisterEntry, *, links: Links, root: str, base_url: str, title: str, issuer: str,
                    generated: _dt.datetime) -> str:
    common = _common([e], base_url=base_url, title=title, issuer=issuer, generated=generated)
    return _page("decision.html.j2", root=root, link=links.at(root), e=e, **common)


def render_site(entries: list[RegisterEntry], *, base_url: str, title: str, issuer: str, generated: _dt.datetime) -> dict[str, str]:
    """Relative path -> file text, for the whole static register."""
    kw: dict[str, Any] = {"links": STATIC, "base_url": base_url, "title": title, "issuer": issuer,
                          "generated": generated}
    files: dict[str, str] = {"index.html": render_list(entries, root="", **kw)}
    for pslug, _name in sorted({(e.provider_slug, e.provider) for e in entries}):
        files[f"providers/{slug(pslug)}/index.html"] = render_list(entries, root="../../", provider=pslug, **kw)
    for rs in sorted({e.ruleset for e in entries}):
        files[f"rulesets/{slug(rs)}/index.html"] = render_list(entries, root="../../", ruleset=rs, **kw)
    for e in entries:
        files[f"decisions/{e.decision_id}/index.html"] = render_decision(e, root="../../", **kw)
        files[f"decisions/{e.decision_id}/credential.json"] = json.dumps(e.credential, indent=2) + "\n"
    files["feed.json"] = json_feed(entries, base_url=base_url, title=title)
    files["atom.xml"] = atom(entries, base_url=base_url, title=title, updated=_stamp(generated), issuer=issuer)
    return files


_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


def _x(text: str) -> str:
    """Text XML 1.0 can hold: characters it forbids become U+FFFD (ElementTree
    escapes markup but would write them as they are, and the feed would not parse)."""
    return _XML_INVALID.sub("\ufffd", text)


def _summary(e: RegisterEntry) -> str:
    return (f"{e.outcome_label}: {e.programme} ({e.provider}), ruleset {e.ruleset}, valid "
            f"{e.valid_from} to {e.valid_until}. State: {e.state_label}.")


def feed_document(entries: list[RegisterEntry], *, base_url: str, title: str, links: Links = STATIC) -> dict[str, Any]:
    """The JSON Feed 1.1 of the register (each item's ``_qa_engine`` has the facts)."""
    home = "" if links is STATIC else links.index
    return {
        "version": "https://jsonfeed.org/version/1.1",
        "title": title,
        "home_page_url": f"{base_url}/{home}",
        "feed_url": f"{base_url}/{links.feed}",
        "items": [
            {
                "id": e.credential_id,
                "url": f"{base_url}/{links.decision_url.format(id=e.decision_id)}",
                "title": f"{e.outcome_label}: {e.programme}",
                "content_text": _summary(e),
                "date_published": f"{e.decided_on}T00:00:00Z",
                "_qa_engine": {
                    "state": e.state, "outcome": e.outcome, "provider": e.provider, "provider_slug": e.provider_slug,
                    "programme": e.programme, "dossier_id": e.dossier_id, "ruleset": e.ruleset,
                    "valid_from": e.valid_from, "valid_until": e.valid_until,
                    "state_label": e.state_label, "outcome_label": e.outcome_label,
                    "decided_on": e.decided_on,
                    "credential": f"{base_url}/{links.credential.format(id=e.decision_id)}",
                },
            }
            for e in entries
        ],
    }


def json_feed(entries: list[RegisterEntry], *, base_url: str, title: str, links: Links = STATIC) -> str:
    doc = feed_document(entries, base_url=base_url, title=title, links=links)
    return json.dumps(doc, indent=2, ensure_ascii=False) + "\n"


def atom(entries: list[RegisterEntry], *, base_url: str, title: str, updated: str, issuer: str,
         links: Links = STATIC) -> str:
    """The Atom feed of the register (RFC 4287), one entry per decision."""
    home = "" if links is STATIC else links.index
    ns = "http://www.w3.org/2005/Atom"
    ET.register_namespace("", ns)
    feed = ET.Element(f"{{{ns}}}feed")
    ET.SubElement(feed, f"{{{ns}}}title").text = _x(title)
    ET.SubElement(feed, f"{{{ns}}}id").text = f"{base_url}/"
    ET.SubElement(feed, f"{{{ns}}}updated").text = updated
    ET.SubElement(feed, f"{{{ns}}}link", href=f"{base_url}/{links.atom}", rel="self")
    ET.SubElement(feed, f"{{{ns}}}link", href=f"{base_url}/{home}")
    author = ET.SubElement(feed, f"{{{ns}}}author")
    ET.SubElement(author, f"{{{ns}}}name").text = _x(issuer)
    for e in entries:
        item = ET.SubElement(feed, f"{{{ns}}}entry")
        ET.SubElement(item, f"{{{ns}}}id").text = _x(e.credential_id)
        ET.SubElement(item, f"{{{ns}}}title").text = _x(f"{e.outcome_label}: {e.programme} [{e.state_label}]")
        ET.SubElement(item, f"{{{ns}}}link", href=f"{base_url}/{links.decision_url.format(id=e.decision_id)}")
        ET.SubElement(item, f"{{{ns}}}link", href=f"{base_url}/{links.credential.format(id=e.decision_id)}",
                      rel="alternate", type="application/vc+ld+json")
        ET.SubElement(item, f"{{{ns}}}updated").text = f"{e.decided_on}T00:00:00Z"
        ET.SubElement(item, f"{{{ns}}}category", term=e.state, label=e.state_label)
        ET.SubElement(item, f"{{{ns}}}summary").text = _x(_summary(e))
    return '<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(feed, encoding="unicode") + "\n"
