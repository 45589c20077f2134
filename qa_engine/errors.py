"""The one exception hierarchy of qa-engine.

Every error a user can cause is a ``QAError`` whose ``str()`` is one sentence naming
the file, the location (line/column or field path) and what to do. The CLI turns any
``QAError`` into exit code 2 without a traceback.
"""

from __future__ import annotations


class QAError(Exception):
    """Base of every error the user can act on (exit code 2)."""

    exit_code = 2
    #: The HTTP status the web workspace answers with (4xx: the asker can fix it).
    http_status = 400

    def __init__(
        self,
        message: str,
        *,
        file: str | None = None,
        line: int | None = None,
        column: int | None = None,
        path: str | None = None,
        hint: str | None = None,
    ) -> None:
        self.message = message
        self.file = file
        self.line = line
        self.column = column
        self.path = path
        self.hint = hint
        super().__init__(self.format())

    def location(self) -> str:
        parts: list[str] = []
        if self.file:
            loc = self.file
            if self.line is not None:
                loc += f":{self.line}"
                if self.column is not None:
                    loc += f":{self.column}"
            parts.append(loc)
        if self.path:
            parts.append(f"at {self.path}")
        return " ".join(parts)

    def format(self) -> str:
        loc = self.location()
        text = f"{loc}: {self.message}" if loc else self.message
        if self.hint:
            text = f"{text.rstrip('.')}; {self.hint}"
        if not text.endswith("."):
            text += "."
        return text


class InputError(QAError):
    """A file the user gave cannot be read or parsed (YAML/JSON syntax, encoding, size)."""

    http_status = 422


class DossierError(QAError):
    """A dossier does not match the dossier schema."""

    http_status = 422


class RulesetError(QAError):
    """A ruleset or rubric is invalid (format, condition, reference, bands)."""


class ConditionError(RulesetError):
    """A condition expression does not parse or does not type-check."""

    def __init__(
        self,
        message: str,
        *,
        expression: str | None = None,
        file: str | None = None,
        line: int | None = None,
        column: int | None = None,
        path: str | None = None,
        criterion: str | None = None,
        hint: str | None = None,
    ) -> None:
        self.expression = expression
        self.criterion = criterion
        if criterion and path is None:
            path = f"criterion {criterion}"
        super().__init__(message, file=file, line=line, column=column, path=path, hint=hint)


class ResolutionError(QAError):
    """A ruleset or rubric reference (id, id@version, as-of date) resolves to nothing."""

    http_status = 422


class EngineError(QAError):
    """The rules engine failed to compile or run a ruleset (not the user's input)."""

    http_status = 500


class UsageError(QAError):
    """A command-line usage error the click layer did not catch."""


class OutputError(QAError):
    """Results cannot be written (disk full, permissions); nothing half-written is kept."""

    http_status = 500


# --------------------------------------------------------------------------- the workspace's answers


class NotFoundError(QAError):
    """The object does not exist, or the asker may not know that it does (404: another
    organisation's submission looks exactly like a missing one)."""

    http_status = 404


class AuthenticationError(QAError):
    """No valid sign-in: wrong password, unknown or revoked token, expired session."""

    http_status = 401


class PermissionDeniedError(QAError):
    """Signed in, but the role may not do this (a provider screening, an auditor writing)."""

    http_status = 403


class ConflictError(QAError):
    """The object is not in a state that allows this (submitting a withdrawn case, an
    e-mail address already taken)."""

    http_status = 409


class TooManyRequestsError(QAError):
    """Too many failed sign-ins for the account or the address; wait and try again."""

    http_status = 429

    def __init__(self, message: str, *, retry_after: int = 60, hint: str | None = None) -> None:
        self.retry_after = retry_after
        super().__init__(message, hint=hint)


class PayloadTooLargeError(QAError):
    """An upload is larger than the limit for its kind (dossier, evidence file)."""

    http_status = 413


class TrustError(QAError):
    """A key, credential, status list or export cannot be used as given (keys missing,
    a file that is not a credential, a receiver's required field absent)."""

    http_status = 422


class WorkflowError(QAError):
    """A review-workflow step the policy or the life cycle does not allow (a panel that
    does not fit the policy, a decision without its conditions, a review submitted twice)."""

    http_status = 409


class MailError(QAError):
    """A notification could not be sent (no server configured, refused, unreachable)."""
