"""Logging in: the password check, throttling per address and per account, session tokens, and
the second factor (TOTP) of accounts that have one.

Per address, failed logins are counted by services.throttle (memory in one process, Redis when
RATELIMIT_STORAGE_URI names one, so several server processes share the count). Per account they are
counted in the database (`LoginFailure`), with one UPDATE each, so every process sees them. An
unknown e-mail is counted and locked exactly as a known one, and costs the same hash check, so
neither the answer nor its timing tells whether an account exists.
"""
from __future__ import annotations

import secrets
import time
from dataclasses import dataclass
from datetime import timedelta

import pyotp
from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import select, update
from sqlalchemy.dialects import postgresql, sqlite
from werkzeug.security import check_password_hash

from .. import db
from ..models import LoginFailure, User, utcnow
from . import throttle
from .activity import record
from .errors import Throttled, ValidationError
from .permissions import Actor

TOTP_ISSUER = "Portal Data Sosial NTB"


def _address_limits() -> str:
    return current_app.config.get("LOGIN_ADDRESS_LIMIT", "20/minute;100/hour")


def _address_retry_after(address: str) -> int | None:
    """Seconds until this address may try again, or None when it may try now."""
    return throttle.wait_for("login", address, _address_limits())


def _count_address_failure(address: str) -> None:
    throttle.count("login", address, _address_limits())


# -- per account ---------------------------------------------------------------------------

def _max_failures() -> int:
    return int(current_app.config.get("LOGIN_MAX_FAILURES", 5))


def _lock_time() -> timedelta:
    return timedelta(seconds=int(current_app.config.get("LOGIN_LOCK_S", 15 * 60)))


def _account_retry_after(email: str) -> int | None:
    locked_until = db.session().scalar(select(LoginFailure.locked_until).where(LoginFailure.email == email))
    if locked_until is None:
        return None
    left = (locked_until - utcnow()).total_seconds()
    return int(left) + 1 if left > 0 else None


def _count_account_failure(email: str) -> None:
    """One more failure for `email`: counted atomically; too many within the lock time locks it."""
    now = utcnow()
    s = db.session()
    with db.transaction():
        # the row of a first failure; another process may be adding it at the same moment
        s.execute(_insert(s)(LoginFailure).values(email=email, failures=0, first_failed=now)
                  .on_conflict_do_nothing(index_elements=["email"]))
        # a count older than the lock time starts again
        s.execute(update(LoginFailure).where(LoginFailure.email == email,
                                             LoginFailure.first_failed < now - _lock_time())
                  .values(failures=0, first_failed=now, locked_until=None))
        failures = s.execute(update(LoginFailure).where(LoginFailure.email == email)
                             .values(failures=LoginFailure.failures + 1)
                             .returning(LoginFailure.failures)).scalar_one()
        if failures >= _max_failures():
            s.execute(update(LoginFailure).where(LoginFailure.email == email)
                      .values(locked_until=now + _lock_time(), failures=0, first_failed=now))
    s.expire_all()


def _insert(s):
    """INSERT with ON CONFLICT for the session's database (both speak it)."""
    return postgresql.insert if s.get_bind().dialect.name == "postgresql" else sqlite.insert


def forget_failures(email: str) -> None:
    """The account proved itself (a login, a password reset): its failures no longer count."""
    with db.transaction() as s:
        row = s.get(LoginFailure, email)
        if row is not None:
            s.delete(row)


def _throttled(seconds: int) -> Throttled:
    minutes = max(1, (seconds + 59) // 60)
    return Throttled(_l("Too many failed attempts. Wait %(minutes)d minutes and try again, or ask for a "
                        "new password.", minutes=minutes), retry_after=seconds)


# -- the password --------------------------------------------------------------------------

@dataclass
class Attempt:
    """The outcome of a password check: the account when it matched (it may still need its second
    factor), else None."""

    user: User | None

    @property
    def needs_second_factor(self) -> bool:
        return self.user is not None and self.user.has_totp


def check_password(email: str, password: str, address: str) -> Attempt:
    """Check a login; count a failure against the address and the account name.

    :raises Throttled: this address or this account name failed too often lately (the password is
        not even checked, for known and unknown accounts alike).
    """
    from .users import dummy_hash

    email = (email or "").strip().lower()[:200]
    wait = _address_retry_after(address) or _account_retry_after(email)
    if wait:
        raise _throttled(wait)
    user = db.session().scalar(select(User).where(User.email == email))
    matches = check_password_hash(user.password_hash if user else dummy_hash(), password or "")
    if user is not None and user.active and matches:
        return Attempt(user)
    _count_address_failure(address)
    _count_account_failure(email)
    return Attempt(None)


def logged_in(user: User) -> str:
    """The account passed every check: clear its failures; return its session token (made if new)."""
    forget_failures(user.email)
    with db.transaction():
        if not user.session_token:
            user.session_token = _new_token()
    return user.session_token


def _new_token() -> str:
    return secrets.token_urlsafe(32)


def end_sessions(user: User) -> None:
    """Every session and remember-me cookie of this account stops working (logout, password change,
    deactivation): the token they carry is replaced."""
    with db.transaction():
        user.session_token = _new_token()


def user_for_session(token: str) -> User | None:
    """Flask-Login's user loader: the active account whose current session token this is."""
    if not token or len(token) > 64:
        return None
    user = db.session().scalar(select(User).where(User.session_token == token))
    return user if user is not None and user.active else None


# -- the second factor ---------------------------------------------------------------------

def new_totp_secret() -> str:
    return pyotp.random_base32()


def totp_uri(user: User, secret: str) -> str:
    """The otpauth:// link an authenticator app reads (typed in, or from a QR code)."""
    return pyotp.TOTP(secret).provisioning_uri(name=user.email, issuer_name=TOTP_ISSUER)


def _code_step(secret: str, code: str) -> int | None:
    """The time step `code` is valid for (now, or one step either side for a slow clock), or None."""
    code = "".join(ch for ch in (code or "") if ch.isdigit())
    if len(code) != 6:
        return None
    totp = pyotp.TOTP(secret)
    now = int(time.time())
    for offset in (0, -30, 30):
        if secrets.compare_digest(totp.at(now + offset), code):
            return (now + offset) // 30
    return None


def enable_totp(actor: Actor, secret: str, code: str) -> None:
    """Turn on two-factor for the actor's own account once a code from the new secret matches."""
    if _code_step(secret, code) is None:
        raise ValidationError({"code": [_l("The code does not match. Check the time on your phone and try again.")]})
    with db.transaction() as s:
        actor.totp_secret = secret
        actor.totp_last_step = None  # the set-up code is not a login: it may open the next one
        record(s, actor, "enable_totp", "user", str(actor.id))


def disable_totp(actor: Actor, code: str) -> None:
    """Turn off two-factor for the actor's own account; needs a current code."""
    if not actor.has_totp or _code_step(actor.totp_secret, code) is None:
        raise ValidationError({"code": [_l("The code does not match.")]})
    with db.transaction() as s:
        actor.totp_secret = None
        actor.totp_last_step = None
        record(s, actor, "disable_totp", "user", str(actor.id))


def check_second_factor(user: User, code: str, address: str) -> bool:
    """A TOTP code for an account whose password matched: each code counts once; a wrong code is a
    failed login (throttled as one).

    :raises Throttled: too many failures for this address or account.
    """
    wait = _address_retry_after(address) or _account_retry_after(user.email)
    if wait:
        raise _throttled(wait)
    step = _code_step(user.totp_secret or "", code)
    if step is not None and (user.totp_last_step is None or step > user.totp_last_step):
        with db.transaction():
            user.totp_last_step = step
        return True
    _count_address_failure(address)
    _count_account_failure(user.email)
    return False
