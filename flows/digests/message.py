"""The digest e-mail: multipart/alternative (plain text, HTML) with the chart as an inline image (Content-ID)."""

from __future__ import annotations

from datetime import datetime
from email.message import EmailMessage
from email.utils import format_datetime, formataddr, make_msgid, parseaddr

DIGEST_HEADER = "X-Rassegna-Digest"  # the send-log key of the digest


def sender_domain(from_address: str) -> str:
    address = parseaddr(from_address)[1]
    return address.rpartition("@")[2] or "localhost"


def chart_cid(from_address: str) -> str:
    """A fresh Content-ID (without angle brackets) for the inline chart."""
    return make_msgid("chart", domain=sender_domain(from_address))[1:-1]


def build_message(
    *,
    subject: str,
    from_address: str,
    to_name: str,
    to_address: str,
    text: str,
    html: str,
    chart_png: bytes | None,
    cid: str,
    key: str,
    date: datetime,
) -> EmailMessage:
    """`html` refers to the chart as `cid:<cid>`; the chart is attached inside multipart/related next to it."""
    message = EmailMessage()
    message["Subject"] = subject
    message["From"] = from_address
    message["To"] = formataddr((to_name, to_address))
    message["Date"] = format_datetime(date)
    message["Message-ID"] = make_msgid("digest", domain=sender_domain(from_address))
    message[DIGEST_HEADER] = key
    message.set_content(text, subtype="plain", charset="utf-8")
    message.add_alternative(html, subtype="html", charset="utf-8")
    if chart_png is not None:
        html_part = message.get_payload()[1]
        html_part.add_related(chart_png, maintype="image", subtype="png", cid=f"<{cid}>", filename="grafico.png")
    return message
