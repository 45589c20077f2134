"""What every export shares: collected problems, URL and date checks."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from qa_engine.errors import TrustError

_URL = re.compile(r"^https?://[^\s/$.?#][^\s]*$", re.I)

#: ISO 639-1 -> ISO 639-2/B for the languages seen in dossiers (DEQAR takes 639-2).
ISO639_2 = {
    "en": "eng", "de": "ger", "fr": "fre", "es": "spa", "it": "ita", "nl": "dut", "pt": "por",
    "pl": "pol", "sv": "swe", "da": "dan", "fi": "fin", "cs": "cze", "sk": "slo", "sl": "slv",
    "hu": "hun", "ro": "rum", "bg": "bul", "el": "gre", "hr": "hrv", "et": "est", "lv": "lav",
    "lt": "lit", "ga": "gle", "mt": "mlt", "no": "nor", "is": "ice", "ca": "cat", "eu": "baq",
}


#: ISO 639-2/B -> the /T code the EU language authority uses where they differ.
TERMINOLOGIC = {"ger": "deu", "fre": "fra", "dut": "nld", "cze": "ces", "slo": "slk", "rum": "ron",
                "gre": "ell", "ice": "isl", "baq": "eus"}


def is_url(value: object) -> bool:
    return isinstance(value, str) and bool(_URL.match(value)) and len(value) <= 500


@dataclass
class Problems:
    """Every rule an export breaks, so that the user fixes them in one pass."""

    receiver: str
    items: list[str] = field(default_factory=list)

    def need(self, ok: bool, where: str, what: str) -> None:
        if not ok:
            self.items.append(f"{where}: {what}")

    def raise_if_any(self) -> None:
        if self.items:
            raise TrustError(
                f"the {self.receiver} export is not valid ({len(self.items)} problem"
                f"{'s' if len(self.items) != 1 else ''}): " + "; ".join(self.items),
                hint="fix the decision, dossier or agency profile; nothing was written",
            )
