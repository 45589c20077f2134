"""Sending notifications by e-mail (SMTP), configured from the environment or options.

``QA_ENGINE_SMTP_HOST`` (required to send), ``QA_ENGINE_SMTP_PORT`` (default 25, or
465 with ``ssl``), ``QA_ENGINE_SMTP_FROM`` (the sender), ``QA_ENGINE_SMTP_USER`` and
``QA_ENGINE_SMTP_PASSWORD`` (log in when both are set), ``QA_ENGINE_SMTP_TLS``
(``starttls``, ``ssl`` or ``none``, default ``none`` on loopback and ``starttls``
elsewhere). A message whose delivery fails raises :class:`MailError`; the workflow
sends only after its change is committed, so a failed mail never undoes a decision.
"""

from __future__ import annotations

import os
import smtplib
import ssl
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import formatdate, make_msgid

from qa_engine.errors import MailError
from qa_engine.textsafe import safe_line

_LOOPBACK = {"localhost", "127.0.0.1", "::1"}


@dataclass(frozen=True)
class MailConfig:
    host: str
    port: int
    sender: str
    username: str | None = None
    password: str | None = None
    tls: str = "none"  # none | starttls | ssl
    timeout: float = 20.0

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> MailConfig | None:
        """The configuration in ``env`` (default: the process environment); None
        when no SMTP host is set."""
        e = os.environ if env is None else env
        host = (e.get("QA_ENGINE_SMTP_HOST") or "").strip()
        if not host:
            return None
        tls = (e.get("QA_ENGINE_SMTP_TLS") or ("none" if host in _LOOPBACK else "starttls")).strip().lower()
        if tls not in ("none", "starttls", "ssl"):
            raise MailError(f"QA_ENGINE_SMTP_TLS={tls} is not starttls, ssl or none")
        port_text = (e.get("QA_ENGINE_SMTP_PORT") or ("465" if tls == "ssl" else "25")).strip()
        if not port_text.isdigit() or not 0 < int(port_text) < 65536:
            raise MailError(f"QA_ENGINE_SMTP_PORT={port_text} is not a port number")
        sender = (e.get("QA_ENGINE_SMTP_FROM") or f"qa-engine@{host}").strip()
        return cls(host=host, port=int(port_text), sender=sender, username=e.get("QA_ENGINE_SMTP_USER") or None,
                   password=e.get("QA_ENGINE_SMTP_PASSWORD") or None, tls=tls)


@dataclass(frozen=True)
class Message:
    to: tuple[str, ...]
    subject: str
    body: str


def build(config: MailConfig, message: Message) -> EmailMessage:
    """The e-mail: a one-line subject (no header injection), plain-text UTF-8 body."""
    msg = EmailMessage()
    msg["From"] = config.sender
    msg["To"] = ", ".join(message.to)
    msg["Subject"] = safe_line(message.subject.replace("\r", " ").replace("\n", " "))[:200]
    msg["Date"] = formatdate(localtime=False)
    msg["Message-ID"] = make_msgid(domain=config.sender.rpartition("@")[2] or None)
    msg.set_content(message.body)
    return msg


def send(config: MailConfig, messages: Sequence[Message]) -> int:
    """Send ``messages`` over one connection; returns how many were accepted."""
    if not messages:
        return 0
    try:
        if config.tls == "ssl":
            smtp: smtplib.SMTP = smtplib.SMTP_SSL(config.host, config.port, timeout=config.timeout,
                                                  context=ssl.create_default_context())
        else:
            smtp = smtplib.SMTP(config.host, config.port, timeout=config.timeout)
        with smtp:
            if config.tls == "starttls":
                smtp.starttls(context=ssl.create_default_context())
            if config.username and config.password:
                smtp.login(config.username, config.password)
            sent = 0
            for m in messages:
                if not m.to:
                    continue
                smtp.send_message(build(config, m))
                sent += 1
            return sent
    except (OSError, smtplib.SMTPException) as exc:
        raise MailError(f"cannot send mail through {config.host}:{config.port}: {exc}",
                        hint="check QA_ENGINE_SMTP_HOST/PORT/TLS and the server") from None


__all__ = ["MailConfig", "MailError", "Message", "build", "send"]
