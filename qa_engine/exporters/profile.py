"""What the accrediting body tells the exports about itself: its identifiers at each
receiver, the ESG activity, where the report PDF is published. One YAML/JSON file,
``agency.yaml`` (see docs/exports.md)."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field


class _M(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Institution(_M):
    """How DEQAR finds the provider: its DEQAR id, ETER id or the agency's own identifier."""

    deqar_id: str | None = None
    eter_id: str | None = None
    identifier: str | None = Field(default=None, description="The agency's local identifier of the provider.")


class Deqar(_M):
    agency: str = Field(description="DEQAR agency id or acronym, e.g. 'EXQA'.")
    activity: str | None = Field(default=None, description="The agency's ESG activity (id or name) in DEQAR.")
    activity_local_identifier: str | None = None
    status: Literal["part of obligatory EQA system", "voluntary"] = "voluntary"
    report_language: list[str] = Field(default_factory=list, description="ISO 639-2 codes of the report, e.g. [eng].")
    institution: Institution = Field(default_factory=Institution)
    alternative_provider: bool = Field(default=True, description="The provider is not a higher education institution.")


class Elm(_M):
    accreditation_type: str | None = Field(
        default=None, description="Concept URI from the EU accreditation-type vocabulary (default: the programme accreditation concept DEQAR uses, .../accreditation/e57dddfcf3)."
    )
    agent_id: str | None = Field(default=None, description="URI of the accrediting agency (default: its homepage).")


class Ctdl(_M):
    agent_ctid: str | None = Field(default=None, description="The agency's CTID in the Credential Registry (ce-…).")
    object: str | None = Field(default=None, description="URI (or CTID) of the programme's credential in the Credential Registry.")


class AgencyProfile(_M):
    name: str = Field(min_length=1)
    homepage: str
    country: str | None = Field(default=None, description="ISO 3166 alpha-2.")
    base_url: str = Field(description="The public register's address; decisions are at <base_url>/decisions/<id>.")
    report_url: str | None = Field(
        default=None, description="Where the decision's report PDF is published; {id} is the decision id. Default <base_url>/decisions/{id}/report.pdf."
    )
    deqar: Deqar | None = None
    elm: Elm = Field(default_factory=Elm)
    ctdl: Ctdl = Field(default_factory=Ctdl)

    def report_for(self, decision_id: int) -> str:
        template = self.report_url or f"{self.base_url.rstrip('/')}/decisions/{{id}}/report.pdf"
        return template.replace("{id}", str(decision_id))

    def decision_url(self, decision_id: int) -> str:
        return f"{self.base_url.rstrip('/')}/decisions/{decision_id}"
