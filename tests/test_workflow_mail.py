"""Notifications through a real SMTP server (aiosmtpd on loopback, started here):
assignment to a panel, the decision, conditions coming due; a server that is down
is one clear error."""

from __future__ import annotations

import email
import socket
from collections.abc import Iterator
from email.message import Message as EmailMessage
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from click.testing import CliRunner
from workflow_helpers import bootcamp_case_in_review

from qa_engine.cli import cli
from qa_engine.errors import MailError
from qa_engine.mail import MailConfig, Message, send
from qa_engine.store import open_store
from qa_engine.store import workflow as db


class Inbox:
    def __init__(self) -> None:
        self.messages: list[tuple[list[str], EmailMessage]] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802 (aiosmtpd's name)
        self.messages.append((list(envelope.rcpt_tos), email.message_from_bytes(envelope.content)))
        return "250 OK"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def smtp() -> Iterator[tuple[Inbox, int]]:
    inbox = Inbox()
    port = _free_port()
    ctl = Controller(inbox, hostname="127.0.0.1", port=port)
    ctl.start()
    try:
        yield inbox, port
    finally:
        ctl.stop()


def test_send_and_header_injection_is_flattened(smtp: tuple[Inbox, int]) -> None:
    inbox, port = smtp
    cfg = MailConfig(host="127.0.0.1", port=port, sender="qa@body.example")
    n = send(cfg, [Message(("a@x.example",), "Hello\r\nBcc: evil@x.example", "body \u00e9\n")])
    assert n == 1
    rcpt, msg = inbox.messages[0]
    assert rcpt == ["a@x.example"] and "Bcc" not in msg and msg["Subject"] == "Hello  Bcc: evil@x.example"
    assert msg.get_content_charset() == "utf-8"


def test_unreachable_server_is_one_clear_error() -> None:
    cfg = MailConfig(host="127.0.0.1", port=_free_port(), sender="qa@body.example", timeout=2)
    with pytest.raises(MailError, match=r"cannot send mail through 127\.0\.0\.1"):
        send(cfg, [Message(("a@x.example",), "s", "b")])


def test_config_from_env() -> None:
    assert MailConfig.from_env({}) is None
    c = MailConfig.from_env({"QA_ENGINE_SMTP_HOST": "mail.example", "QA_ENGINE_SMTP_FROM": "qa@body.example"})
    assert c is not None and (c.port, c.tls) == (25, "starttls")
    with pytest.raises(MailError, match="not a port number"):
        MailConfig.from_env({"QA_ENGINE_SMTP_HOST": "127.0.0.1", "QA_ENGINE_SMTP_PORT": "smtp"})


def test_assignment_decision_and_due_mails(sqlite_url: str, smtp: tuple[Inbox, int], tmp_path: Path) -> None:
    inbox, port = smtp
    url = sqlite_url
    case = bootcamp_case_in_review(url)
    env = {"QA_ENGINE_SMTP_HOST": "127.0.0.1", "QA_ENGINE_SMTP_PORT": str(port),
           "QA_ENGINE_SMTP_FROM": "qa@body.example"}

    def run(*args: str, who: str, mail: bool = True) -> Any:
        return CliRunner().invoke(cli, [*args, "--as", who, "--db", url], env=env if mail else {})

    coord, chair, ext, sme = "coord@body.example", "chair@body.example", "ext@elsewhere.example", "sme@body.example"
    out = run("panel", "form", str(case), "--chair", chair, "--member", ext, "--member", sme, "--notify", who=coord)
    assert out.exit_code == 0 and "notified: 3 message(s) sent" in out.stdout, out.output
    assert sorted(r[0] for r, _m in inbox.messages) == sorted([chair, ext, sme])
    body = inbox.messages[0][1].get_payload(decode=True).decode()
    with open_store(url) as st:
        title = db.case_title(st, case)
    assert "qa-engine panel declare 1 --no-conflict" in body and f'"{title}"' in body
    for who in (chair, ext, sme):
        run("panel", "declare", "1", "--no-conflict", who=who)
        run("panel", "review", "1", "--judge", "ST-AS-01=not_met:LO3 unassessed", "--submit", who=who)
    inbox.messages.clear()
    dec = run("decide", "1", "--rationale", "Gaps in assessment.", "--outcome", "accredited_with_conditions",
              "--condition", "ST-AS-01:Assess every outcome.@2026-05-01", "--today", "2026-03-02", "--notify",
              who=coord)
    assert dec.exit_code == 0 and "notified: 1 message(s) sent" in dec.stdout, dec.output
    (rcpt, msg), = inbox.messages
    assert rcpt == ["prov@provider.example"] and msg["Subject"] == f"Decision 1: {title}"
    text = msg.get_payload(decode=True).decode()
    assert "accredited with conditions" in text and "C1 (ST-AS-01), due 2026-05-01: Assess every outcome." in text
    inbox.messages.clear()
    due = run("due", "--today", "2026-04-15", "--notify", who=coord)
    assert due.exit_code == 0 and "notified: 1 message(s) sent" in due.stdout
    assert "2026-05-01  condition C1: open" in inbox.messages[0][1].get_payload(decode=True).decode()
    # --notify without a server configured is refused before anything changes
    no = run("due", "--notify", who=coord, mail=False)
    assert no.exit_code == 2 and "--notify needs an SMTP server" in no.stderr
