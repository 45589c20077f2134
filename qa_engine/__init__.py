"""qa-engine: accreditation and quality-assurance rules engine for micro-credentials."""

__version__ = "0.1.0"
