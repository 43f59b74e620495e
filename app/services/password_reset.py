"""A forgotten password: a signed link by e-mail that expires (PASSWORD_RESET_MAX_AGE_S, one hour
by default) and works once (it carries a fingerprint of the password it replaces)."""
from __future__ import annotations

import hashlib
from typing import Callable

from flask import current_app
from flask_babel import lazy_gettext as _l
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from sqlalchemy import select

from .. import db, mail
from ..models import User
from . import logins, throttle, users
from .activity import record
from .errors import NotAuthorized, Throttled, ValidationError
from .permissions import Actor, require_sysadmin

SALT = "password-reset"


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=SALT)


def _fingerprint(user: User) -> str:
    return hashlib.sha256(user.password_hash.encode()).hexdigest()[:16]


def _max_age() -> int:
    return int(current_app.config.get("PASSWORD_RESET_MAX_AGE_S", 3600))


def make_token(user: User) -> str:
    return _serializer().dumps({"u": user.id, "p": _fingerprint(user)})


def _message(user: User, link: str) -> tuple[str, str]:
    minutes = _max_age() // 60
    subject = "Atur ulang kata sandi / Reset your password - Portal Data Sosial NTB"
    body = (
        f"Seseorang (semoga Anda) meminta kata sandi baru untuk akun {user.email}.\n"
        f"Buka tautan ini dalam {minutes} menit untuk memilih kata sandi baru (sekali pakai):\n\n{link}\n\n"
        "Jika Anda tidak memintanya, abaikan surel ini; kata sandi Anda tidak berubah.\n\n"
        "---\n"
        f"Someone (hopefully you) asked for a new password for {user.email}.\n"
        f"Open this link within {minutes} minutes to choose a new password (it works once):\n\n{link}\n\n"
        "If you did not ask, ignore this message; your password has not changed.\n"
    )
    return subject, body


def available() -> bool:
    """Whether a reset link can be mailed (MAIL_SERVER is set)."""
    return mail.configured()


def request_reset(email: str, address: str, link_for: Callable[[str], str]) -> None:
    """Mail a reset link to the active account with this e-mail, if there is one. The answer and its
    timing are the same either way; each address may ask a few times an hour.

    :raises Throttled: this address asked too often.
    :raises NotAuthorized: no mail server is configured (a sysadmin must reset it).
    """
    if not mail.configured():
        raise NotAuthorized(_l("This portal cannot send e-mail yet. Ask a system administrator to reset "
                               "your password."))
    wait = throttle.take("password-reset", address, current_app.config.get("PASSWORD_RESET_ADDRESS_LIMIT", "5/hour"))
    if wait:
        raise Throttled(_l("Too many requests for a new password. Try again later."), retry_after=wait)
    user = db.session().scalar(select(User).where(User.email == (email or "").strip().lower()[:200]))
    if user is None or not user.active:
        return
    send_link(user, link_for)


def send_link(user: User, link_for: Callable[[str], str]) -> bool:
    """Mail `user` a reset link (handed to the mail thread); False when mail is not configured."""
    subject, body = _message(user, link_for(make_token(user)))
    return mail.send(user.email, subject, body)


def send_link_for(actor: Actor, user_id: int, link_for: Callable[[str], str]) -> User:
    """A sysadmin sends an account a link to choose its password (a new account, a forgotten one)."""
    require_sysadmin(actor)
    user = db.session().get(User, user_id)
    if user is None or not user.active:
        raise ValidationError({"_": [_l("Account not found.")]})
    if not send_link(user, link_for):
        raise NotAuthorized(_l("This portal cannot send e-mail yet (MAIL_SERVER is not set)."))
    with db.transaction() as s:
        record(s, actor, "send_password_link", "user", str(user.id), email=user.email)
    return user


def user_for_token(token: str) -> User:
    """The account a reset link is for.

    :raises ValidationError: the link is damaged, expired or already used.
    """
    invalid = ValidationError({"_": [_l("This link has expired or has already been used. Ask for a new one.")]})
    try:
        data = _serializer().loads(token, max_age=_max_age())
    except (SignatureExpired, BadSignature):
        raise invalid from None
    if not isinstance(data, dict):
        raise invalid
    user = db.session().get(User, data.get("u")) if isinstance(data.get("u"), int) else None
    if user is None or not user.active or data.get("p") != _fingerprint(user):
        raise invalid
    return user


def complete_reset(token: str, password: str, confirm: str) -> User:
    """Set the new password from a reset link; the link stops working and every session ends."""
    user = user_for_token(token)
    if len(password or "") < 8:
        raise ValidationError({"password": [_l("Use at least 8 characters.")]})
    if password != confirm:
        raise ValidationError({"confirm": [_l("The two passwords are not the same.")]})
    users.set_password(user, password)
    logins.forget_failures(user.email)
    with db.transaction() as s:
        record(s, user, "reset_password_by_email", "user", str(user.id))
    return user
