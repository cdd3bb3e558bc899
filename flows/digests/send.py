"""Where digests go: the outbox folder (default) or an SMTP server with STARTTLS."""

from __future__ import annotations

import json
import os
import smtplib
import ssl
from dataclasses import dataclass
from email.message import EmailMessage
from email.policy import SMTP
from pathlib import Path

from flows.settings import SmtpSettings
from flows.warehouse.atomic import atomic_path

USER_ENV = "RASSEGNA_SMTP_USER"
PASSWORD_ENV = "RASSEGNA_SMTP_PASSWORD"


class Outbox:
    """Writes each digest as `<name>.eml` (the whole message) and `<name>.html` (a page to open in a browser)."""

    def __init__(self, folder: Path) -> None:
        self.folder = Path(folder)

    def write(self, message: EmailMessage, name: str, page: str) -> tuple[Path, Path]:
        """Both files are written atomically; returns (eml, html)."""
        html, eml = self.folder / f"{name}.html", self.folder / f"{name}.eml"
        with atomic_path(html) as temp:
            temp.write_text(page, encoding="utf-8")
        with atomic_path(eml) as temp:
            temp.write_bytes(message.as_bytes(policy=SMTP))
        return eml, html


@dataclass(frozen=True)
class Credentials:
    user: str
    password: str


def smtp_credentials(settings: SmtpSettings) -> Credentials | None:
    """From $RASSEGNA_SMTP_USER/$RASSEGNA_SMTP_PASSWORD, else the Prefect Secret block `settings.secret_block`.

    The block holds {"user": ..., "password": ...} (a dict or its JSON text). None: send without logging in.
    """
    user, password = os.environ.get(USER_ENV), os.environ.get(PASSWORD_ENV)
    if user and password:
        return Credentials(user, password)
    if settings.secret_block:
        from prefect.blocks.system import Secret

        value = Secret.load(settings.secret_block).get()
        data = json.loads(value) if isinstance(value, str) else value
        return Credentials(data["user"], data["password"])
    return None


class SmtpSender:
    def __init__(self, settings: SmtpSettings, credentials: Credentials | None) -> None:
        self.settings = settings
        self.credentials = credentials

    def deliver(self, message: EmailMessage) -> str:
        """Send `message` (STARTTLS first when configured, then login when credentials are set)."""
        s = self.settings
        with smtplib.SMTP(s.host, s.port, timeout=s.timeout_s) as smtp:
            smtp.ehlo()
            if s.starttls:
                context = ssl.create_default_context(cafile=str(s.ca_file) if s.ca_file else None)
                smtp.starttls(context=context)
                smtp.ehlo()
            if self.credentials is not None:
                smtp.login(self.credentials.user, self.credentials.password)
            smtp.send_message(message)
        return f"smtp://{s.host}:{s.port}"
