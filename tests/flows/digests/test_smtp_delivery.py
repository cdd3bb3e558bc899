"""Delivery through a real SMTP server on 127.0.0.1 (aiosmtpd) that requires STARTTLS and a login."""

from __future__ import annotations

import datetime as dt
import ipaddress
import smtplib
import socket
import ssl
from collections.abc import Iterator
from email import message_from_bytes
from email.policy import default
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from flows.digests.message import DIGEST_HEADER
from flows.digests.pipeline import due_digests, send_digest
from flows.digests.sendlog import SendLog
from flows.settings import Settings, SmtpSettings
from tests.flows.digests.digest_data import AS_OF

USER, PASSWORD = "redazione", "s3greta-di-prova"


def self_signed(folder: Path) -> tuple[Path, Path]:
    """A certificate for 127.0.0.1/localhost signed by its own key; returns (cert, key) PEM files."""
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "rassegna test SMTP")])
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(days=1))
        .add_extension(
            x509.SubjectAlternativeName([x509.DNSName("localhost"), x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .sign(key, hashes.SHA256())
    )
    cert_file, key_file = folder / "cert.pem", folder / "key.pem"
    cert_file.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_file.write_bytes(
        key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    )
    return cert_file, key_file


class Inbox:
    """aiosmtpd handler keeping what arrived, and whether the session was encrypted and logged in."""

    def __init__(self) -> None:
        self.received: list[dict] = []

    async def handle_DATA(self, server, session, envelope) -> str:
        self.received.append(
            {
                "tls": session.ssl is not None,
                "login": session.auth_data.login if session.authenticated else None,
                "from": envelope.mail_from,
                "to": envelope.rcpt_tos,
                "data": envelope.content,
            }
        )
        return "250 Message accepted for delivery"


def authenticate(server, session, envelope, mechanism, auth_data) -> AuthResult:
    ok = isinstance(auth_data, LoginPassword) and (auth_data.login, auth_data.password) == (
        USER.encode(),
        PASSWORD.encode(),
    )
    return AuthResult(success=ok, handled=False, auth_data=auth_data)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def smtp_server(tmp_path: Path) -> Iterator[tuple[Inbox, int, Path]]:
    cert, key = self_signed(tmp_path)
    tls = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    tls.load_cert_chain(cert, key)
    inbox, port = Inbox(), free_port()
    controller = Controller(
        inbox,
        hostname="127.0.0.1",
        port=port,
        tls_context=tls,
        require_starttls=True,
        authenticator=authenticate,
        auth_required=True,
        auth_require_tls=True,
    )
    controller.start()
    try:
        yield inbox, port, cert
    finally:
        controller.stop()


@pytest.fixture
def smtp_settings(settings: Settings, smtp_server) -> Settings:
    _, port, cert = smtp_server
    settings.digests.transport = "smtp"
    settings.digests.smtp = SmtpSettings(
        host="127.0.0.1", port=port, ca_file=cert, from_address="Rassegna <rassegna@example.it>", timeout_s=10
    )
    return settings


def test_digests_arrive_over_starttls_once(smtp_settings, smtp_server, monkeypatch):
    inbox, port, _ = smtp_server
    monkeypatch.setenv("RASSEGNA_SMTP_USER", USER)
    monkeypatch.setenv("RASSEGNA_SMTP_PASSWORD", PASSWORD)

    outcomes = [send_digest(job, smtp_settings) for job in due_digests(smtp_settings, "daily", AS_OF)]

    assert [o.status for o in outcomes] == ["sent", "sent"]
    assert outcomes[0].reason == f"sent to giulia.rossi@example.it via smtp://127.0.0.1:{port}"
    assert [(m["tls"], m["login"], m["from"], m["to"]) for m in inbox.received] == [
        (True, USER.encode(), "rassegna@example.it", ["giulia.rossi@example.it"]),
        (True, USER.encode(), "rassegna@example.it", ["marco.bianchi@example.it"]),
    ]
    message = message_from_bytes(inbox.received[0]["data"], policy=default)
    assert message["Subject"] == "Rassegna giornaliera · Banche · 3 articoli · 10 mar 2025"
    assert message.get_content_type() == "multipart/alternative"
    text = message.get_body(("plain",)).get_content()
    html = message.get_body(("html",)).get_content()
    assert "1. UniCredit alza il dividendo dopo un anno record" in text
    assert "UniCredit alza il dividendo dopo un anno record</a>" in html
    (image,) = [part for part in message.walk() if part.get_content_type() == "image/png"]
    assert image.get_content().startswith(b"\x89PNG")
    assert f'src="cid:{image["Content-ID"].strip("<>")}"' in html
    log = SendLog(smtp_settings.digests.send_log).entries()
    assert [(e.key, e.location) for e in log][:1] == [(message[DIGEST_HEADER], f"smtp://127.0.0.1:{port}")]

    again = [send_digest(job, smtp_settings) for job in due_digests(smtp_settings, "daily", AS_OF)]

    assert [o.status for o in again] == ["skipped", "skipped"]
    assert len(inbox.received) == 2


def test_a_refused_login_sends_and_logs_nothing(smtp_settings, smtp_server, monkeypatch):
    inbox, _, _ = smtp_server
    monkeypatch.setenv("RASSEGNA_SMTP_USER", USER)
    monkeypatch.setenv("RASSEGNA_SMTP_PASSWORD", "sbagliata")
    job = due_digests(smtp_settings, "daily", AS_OF)[0]
    with pytest.raises(smtplib.SMTPAuthenticationError):
        send_digest(job, smtp_settings)
    assert inbox.received == []
    assert not smtp_settings.digests.send_log.exists()


def test_an_untrusted_certificate_is_refused(smtp_settings, smtp_server, monkeypatch):
    inbox, _, _ = smtp_server
    monkeypatch.setenv("RASSEGNA_SMTP_USER", USER)
    monkeypatch.setenv("RASSEGNA_SMTP_PASSWORD", PASSWORD)
    smtp_settings.digests.smtp.ca_file = None  # the system CAs do not know the test certificate
    job = due_digests(smtp_settings, "daily", AS_OF)[0]
    with pytest.raises(ssl.SSLCertVerificationError):
        send_digest(job, smtp_settings)
    assert inbox.received == []
