"""Logging in (password, then the second factor when the account has one) and out; a forgotten
password. Every rule is in services.logins and services.password_reset."""
from __future__ import annotations

import time

from flask import Blueprint, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user

from ..services import logins, password_reset, users
from ..services.errors import NotAuthorized, Throttled, ValidationError
from .requests import same_site_path

bp = Blueprint("auth", __name__, url_prefix="/user")

# How long a password that matched waits for its second factor.
PENDING_S = 300


def _safe_next(target: str | None) -> str:
    return same_site_path(target) or url_for("admin.dashboard")


def _address() -> str:
    return request.remote_addr or "unknown"


def _throttled(template: str, exc: Throttled, **context):
    flash(str(exc.message), "error")
    return render_template(template, **context), 429, {"Retry-After": str(exc.retry_after)}


def _finish(user) -> object:
    logins.logged_in(user)
    session.pop("pending_login", None)
    login_user(user)
    return redirect(_safe_next(request.args.get("next")))


@bp.route("/login", methods=["GET", "POST"])
def login():
    if request.method == "GET":
        return render_template("login.html")
    try:
        attempt = logins.check_password(request.form.get("email", ""), request.form.get("password", ""), _address())
    except Throttled as exc:
        return _throttled("login.html", exc)
    if attempt.user is None:
        flash(_("Wrong email or password."), "error")
        return render_template("login.html"), 401
    if attempt.needs_second_factor:
        session["pending_login"] = {"user": attempt.user.id, "since": int(time.time())}
        return redirect(url_for("auth.second_factor", next=request.args.get("next")))
    return _finish(attempt.user)


def _pending_user():
    pending = session.get("pending_login") or {}
    if not isinstance(pending, dict) or time.time() - pending.get("since", 0) > PENDING_S:
        return None
    user = users.get_user(pending.get("user")) if isinstance(pending.get("user"), int) else None
    return user if user is not None and user.active and user.has_totp else None


@bp.route("/login/code", methods=["GET", "POST"])
def second_factor():
    user = _pending_user()
    if user is None:
        session.pop("pending_login", None)
        flash(_("Log in again with your password."), "error")
        return redirect(url_for("auth.login"))
    if request.method == "GET":
        return render_template("login_code.html")
    try:
        ok = logins.check_second_factor(user, request.form.get("code", ""), _address())
    except Throttled as exc:
        session.pop("pending_login", None)
        return _throttled("login_code.html", exc)
    if not ok:
        flash(_("The code is wrong or was already used. Enter the code your authenticator app shows now."), "error")
        return render_template("login_code.html"), 401
    return _finish(user)


@bp.route("/logout", methods=["POST"])
@login_required
def logout():
    logins.end_sessions(current_user._get_current_object())
    logout_user()
    return redirect(url_for("public.home"))


@bp.route("/reset", methods=["GET", "POST"])
def forgot_password():
    if request.method == "GET":
        return render_template("password_forgot.html", unavailable=not password_reset.available())
    try:
        password_reset.request_reset(request.form.get("email", ""), _address(),
                                     lambda token: url_for("auth.reset_password", token=token, _external=True))
    except Throttled as exc:
        return _throttled("password_forgot.html", exc)
    except NotAuthorized as exc:
        return render_template("password_forgot.html", unavailable=True), 503
    return render_template("password_forgot.html", sent=True)


@bp.route("/reset/<token>", methods=["GET", "POST"])
def reset_password(token: str):
    try:
        password_reset.user_for_token(token)
    except ValidationError as exc:
        for messages in exc.errors.values():
            for message in messages:
                flash(message, "error")
        return render_template("password_reset.html", invalid=True), 400
    if request.method == "GET":
        return render_template("password_reset.html")
    try:
        password_reset.complete_reset(token, request.form.get("password", ""), request.form.get("confirm", ""))
    except ValidationError as exc:
        for messages in exc.errors.values():
            for message in messages:
                flash(message, "error")
        return render_template("password_reset.html"), 400
    flash(_("Your password has been changed. Log in with the new one."), "info")
    return redirect(url_for("auth.login"))
