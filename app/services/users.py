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
                    password_hash=_password_hash(password), session_token=secrets.token_urlsafe(32))
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
    """Give `user` a new password; every session they had ends."""
    with db.transaction():
        user.password_hash = _password_hash(password)
        user.password_changed = utcnow()
        user.session_token = secrets.token_urlsafe(32)


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
        user.password_changed = utcnow()
        user.session_token = secrets.token_urlsafe(32)
        record(s, actor, "reset_password", "user", str(user.id))
    return user


def first_sysadmin() -> User | None:
    """The oldest active system administrator (the account the CLI acts as)."""
    stmt = select(User).where(User.role == "sysadmin", User.active.is_(True)).order_by(User.id).limit(1)
    return db.session().scalar(stmt)


def authenticate(email: str, password: str) -> User | None:
    """The active account with this email and password, else None (no throttling: for the CLI;
    the login page goes through services.logins).

    An unknown email costs the same hash check as a wrong password.
    """
    user = db.session().scalar(select(User).where(User.email == (email or "").strip().lower()))
    stored = user.password_hash if user else dummy_hash()
    matches = check_password_hash(stored, password or "")
    if user and user.active and matches:
        return user
    return None


def dummy_hash() -> str:
    """A hash of a random password, made with the configured method: what an unknown account's
    login is checked against, so it costs as much as a known one's."""
    method = current_app.config.get("PASSWORD_HASH_METHOD", "scrypt")
    cached = _DUMMY_HASHES.get(method)
    if cached is None:
        cached = _DUMMY_HASHES[method] = generate_password_hash(secrets.token_urlsafe(16), method=method)
    return cached


_DUMMY_HASHES: dict[str, str] = {}


# -- the accounts page ---------------------------------------------------------------------

def list_users(actor: Actor) -> list[User]:
    """Every account, active first, then by email (sysadmins only)."""
    require_sysadmin(actor)
    return list(db.session().scalars(select(User).order_by(User.active.desc(), User.email)))


def _managed(s, actor: Actor, user_id: int) -> User:
    require_sysadmin(actor)
    user = s.get(User, user_id)
    if user is None:
        raise NotFound(_l("Account not found."))
    return user


def _would_leave_no_sysadmin(s, user: User) -> bool:
    others = select(User).where(User.role == "sysadmin", User.active.is_(True), User.id != user.id)
    return user.role == "sysadmin" and s.scalar(others.limit(1)) is None


def deactivate_user(actor: Actor, user_id: int, reason: str = "") -> User:
    """Close the account of a person who left the office (mutasi): they can no longer log in, their
    sessions and API tokens stop working, and everything they did stays in the history under
    their name."""
    with db.transaction() as s:
        user = _managed(s, actor, user_id)
        if user.id == actor.id:
            raise ValidationError({"_": [_l("You cannot deactivate your own account.")]})
        if not user.active:
            return user
        if _would_leave_no_sysadmin(s, user):
            raise ValidationError({"_": [_l("This is the last active system administrator.")]})
        user.active = False
        user.deactivated = utcnow()
        user.session_token = secrets.token_urlsafe(32)
        for token in s.scalars(select(ApiToken).where(ApiToken.user_id == user.id, ApiToken.revoked.is_(False))):
            token.revoked = True
        record(s, actor, "deactivate", "user", str(user.id), email=user.email, reason=(reason or "")[:300])
    return user


def reactivate_user(actor: Actor, user_id: int) -> User:
    """Open a deactivated account again (the person came back); they need a new password or the
    old one, and new API tokens."""
    with db.transaction() as s:
        user = _managed(s, actor, user_id)
        if user.active:
            return user
        user.active = True
        user.deactivated = None
        record(s, actor, "reactivate", "user", str(user.id), email=user.email)
    return user


def change_role(actor: Actor, user_id: int, role: str, organization: str | None) -> User:
    """Give an account another role or bidang (sysadmins only); its sessions end, so the new rights
    apply from the next login."""
    if role not in ROLES:
        raise ValidationError({"role": [_l("Unknown role.")]})
    if role != "sysadmin" and not organization:
        raise ValidationError({"organization": [_l("Choose an organization.")]})
    org = vocabulary.get_organization(organization) if organization and role != "sysadmin" else None
    with db.transaction() as s:
        user = _managed(s, actor, user_id)
        if role != "sysadmin" and _would_leave_no_sysadmin(s, user):
            raise ValidationError({"role": [_l("This is the last active system administrator.")]})
        before = (user.role, user.organization_id)
        user.role = role
        user.organization_id = org.id if org else None
        if before != (user.role, user.organization_id):
            user.session_token = secrets.token_urlsafe(32)
            record(s, actor, "change_role", "user", str(user.id), email=user.email,
                   role=role, before=before[0], organization=user.organization_id)
    return user


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


def change_own_password(actor: Actor, current: str, new: str, confirm: str) -> None:
    """The actor chooses a new password, proving the current one; every other session ends."""
    if actor is None:
        raise ValidationError({"_": [_l("Log in first.")]})
    errors: dict[str, list] = {}
    if not check_password_hash(actor.password_hash, current or ""):
        errors["current"] = [_l("The current password is wrong.")]
    if len(new or "") < 8:
        errors["password"] = [_l("Use at least 8 characters.")]
    elif new != confirm:
        errors["confirm"] = [_l("The two passwords are not the same.")]
    if errors:
        raise ValidationError(errors)
    set_password(actor, new)
    with db.transaction() as s:
        record(s, actor, "change_password", "user", str(actor.id))
