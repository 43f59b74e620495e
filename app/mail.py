"""Sending e-mail through the office's SMTP server (MAIL_* settings); without one, nothing is sent
and callers say so. Messages go out on a thread of their own, so a slow mail server never holds a
page, and the time a page takes does not tell whether a message was sent."""
from __future__ import annotations

import logging
import smtplib
import ssl
import threading
from email.message import EmailMessage
from email.utils import formatdate, make_msgid

from flask import current_app

log = logging.getLogger("portal.mail")


def configured() -> bool:
    return bool(current_app.config.get("MAIL_SERVER"))


def _settings() -> dict:
    c = current_app.config
    return {
        "server": c["MAIL_SERVER"], "port": int(c.get("MAIL_PORT") or 25),
        "use_ssl": bool(c.get("MAIL_USE_SSL")), "use_tls": bool(c.get("MAIL_USE_TLS")),
        "username": c.get("MAIL_USERNAME") or "", "password": c.get("MAIL_PASSWORD") or "",
        "timeout": float(c.get("MAIL_TIMEOUT_S") or 20),
    }


def _message(to: str, subject: str, body: str) -> EmailMessage:
    msg = EmailMessage()
    msg["From"] = current_app.config.get("MAIL_FROM") or "portal@localhost"
    msg["To"] = to
    msg["Subject"] = subject
    msg["Date"] = formatdate(localtime=False)
    msg["Message-ID"] = make_msgid(domain="portal.local")
    msg.set_content(body)
    return msg


def _deliver(settings: dict, msg: EmailMessage) -> bool:
    try:
        if settings["use_ssl"]:
            smtp = smtplib.SMTP_SSL(settings["server"], settings["port"], timeout=settings["timeout"],
                                    context=ssl.create_default_context())
        else:
            smtp = smtplib.SMTP(settings["server"], settings["port"], timeout=settings["timeout"])
        with smtp:
            if settings["use_tls"] and not settings["use_ssl"]:
                smtp.starttls(context=ssl.create_default_context())
            if settings["username"]:
                smtp.login(settings["username"], settings["password"])
            smtp.send_message(msg)
        return True
    except (OSError, smtplib.SMTPException) as exc:
        log.error("could not send mail %r to %s: %s", msg["Subject"], msg["To"], exc)
        return False


def send(to: str, subject: str, body: str, *, wait: bool = False) -> bool:
    """Send a plain-text message; False when no SMTP server is configured (or, with `wait`, when
    it could not be delivered). Without `wait`, it is handed to a thread and True is returned."""
    if not configured():
        return False
    settings, msg = _settings(), _message(to, subject, body)
    if wait:
        return _deliver(settings, msg)
    threading.Thread(target=_deliver, args=(settings, msg), name="mail", daemon=True).start()
    return True
