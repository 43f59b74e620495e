"""Accounts, logins and API tokens."""
from __future__ import annotations

import hashlib
import re
import secrets

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from werkzeug.security import check_password_hash, generate_password_hash

from .. import db
from ..models import ROLES, ApiToken, User, utcnow
from . import vocabulary
from .activity import record
from .errors import NotFound, ValidationError
from .permissions import Actor, can_revoke_token, require_sysadmin

EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def _password_hash(password: str) -> str:
    """Hash a password with the configured method (scrypt; tests set a cheap one, as scrypt costs ~0.3 s)."""
    return generate_password_hash(password, method=current_app.config.get("PASSWORD_HASH_METHOD", "scrypt"))


def generate_password() -> str:
    return secrets.token_urlsafe(12)


def create_user(actor: Actor, email: str, password: str, role: str = "editor",
                organization: str | None = None, name: str = "", _system: bool = False) -> User:
    """Create an account (sysadmins only, or the CLI acting as the system)."""
    if not _system:
        require_sysadmin(actor)
    email = (email or "").strip().lower()
    errors: dict[str, list] = {}
    if not EMAIL_RE.match(email):
        errors["email"] = [_l("Not a valid email address.")]
    if role not in ROLES:
        errors["role"] = [_l("Unknown role.")]
    if len(password or "") < 8:
        errors["password"] = [_l("Use at least 8 characters.")]
    if role != "sysadmin" and not organization:
        errors["organization"] = [_l("Choose an organization.")]
    if errors:
        raise ValidationError(errors)
    org = vocabulary.get_organization(organization) if organization else None
    with db.transaction() as s:
        if s.scalar(select(User).where(User.email == email)):
            raise ValidationError({"email": [_l("This email is already registered.")]})
        user = User(email=email, name=name or email.split("@")[0], role=role,
                    organization_id=org.id if org else None,
                    password_hash=_password_hash(password))
        s.add(user)
        s.flush()
        record(s, actor, "create", "user", str(user.id), role=role)
    return user


def ensure_admin(email: str) -> tuple[User, str | None]:
    """Return the sysadmin with this email, creating it with a new password if missing."""
    s = db.session()
    user = s.scalar(select(User).where(User.email == email.lower()))
    if user:
        return user, None
    password = generate_password()
    return create_user(None, email, password, role="sysadmin", _system=True), password


def set_password(user: User, password: str) -> None:
    with db.transaction():
        user.password_hash = _password_hash(password)


def reset_password(actor: Actor, email: str, password: str, _system: bool = False) -> User:
    """Give an existing account a new password (sysadmins only, or the CLI acting as the system).

    :raises NotFound: no account has this email.
    """
    if not _system:
        require_sysadmin(actor)
    if len(password or "") < 8:
        raise ValidationError({"password": [_l("Use at least 8 characters.")]})
    with db.transaction() as s:
        user = s.scalar(select(User).where(User.email == (email or "").strip().lower()))
        if user is None:
            raise NotFound(_l("No account has this email address."))
        user.password_hash = _password_hash(password)
        record(s, actor, "reset_password", "user", str(user.id))
    return user


def first_sysadmin() -> User | None:
    """The oldest active system administrator (the account the CLI acts as)."""
    stmt = select(User).where(User.role == "sysadmin", User.active.is_(True)).order_by(User.id).limit(1)
    return db.session().scalar(stmt)


def authenticate(email: str, password: str) -> User | None:
    """The active account with this email and password, else None.

    An unknown email costs the same hash check as a wrong password, so the answer's timing does not
    tell whether an account exists.
    """
    user = db.session().scalar(select(User).where(User.email == (email or "").strip().lower()))
    stored = user.password_hash if user else _dummy_hash()
    matches = check_password_hash(stored, password or "")
    if user and user.active and matches:
        return user
    return None


def _dummy_hash() -> str:
    method = current_app.config.get("PASSWORD_HASH_METHOD", "scrypt")
    cached = _DUMMY_HASHES.get(method)
    if cached is None:
        cached = _DUMMY_HASHES[method] = generate_password_hash(secrets.token_urlsafe(16), method=method)
    return cached


_DUMMY_HASHES: dict[str, str] = {}


def get_user(user_id: int) -> User | None:
    return db.session().get(User, user_id)


# -- API tokens ------------------------------------------------------------------------------

def _hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def create_token(actor: Actor, name: str) -> tuple[ApiToken, str]:
    """Create an API token for the actor; the raw token is returned once, only its hash kept."""
    if actor is None:
        raise ValidationError({"token": [_l("Log in first.")]})
    name = (name or "").strip() or "token"
    raw = "ntb_" + secrets.token_urlsafe(32)
    with db.transaction() as s:
        token = ApiToken(user_id=actor.id, name=name[:100], token_hash=_hash_token(raw))
        s.add(token)
        s.flush()
        record(s, actor, "create", "api_token", token.id, name=name)
    return token, raw


def list_tokens(actor: Actor) -> list[ApiToken]:
    if actor is None:
        return []
    stmt = select(ApiToken).where(ApiToken.user_id == actor.id, ApiToken.revoked.is_(False)).order_by(ApiToken.created)
    return list(db.session().scalars(stmt))


def revoke_token(actor: Actor, token_id: str) -> None:
    with db.transaction() as s:
        token = s.get(ApiToken, token_id)
        if token is None or not can_revoke_token(actor, token.user_id):
            raise NotFound(_l("Token not found."))
        token.revoked = True
        record(s, actor, "revoke", "api_token", token.id)


def user_for_token(raw: str) -> User | None:
    """The active user owning this raw token, or None."""
    if not raw:
        return None
    s = db.session()
    token = s.scalar(select(ApiToken).where(ApiToken.token_hash == _hash_token(raw.strip())))
    if token is None or token.revoked or not token.user.active:
        return None
    with db.transaction():
        token.last_used = utcnow()
    return token.user
