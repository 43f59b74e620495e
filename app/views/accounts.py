"""Staff accounts: a sysadmin's list (create, change role, deactivate on mutasi, send a password
link) and everyone's own account (password, two-factor). Every rule is in the services."""
from __future__ import annotations

import segno
from flask import Blueprint, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import login_required, logout_user

from ..services import logins, password_reset, users, vocabulary
from ..services.errors import NotAuthorized, ValidationError
from .requests import actor

bp = Blueprint("accounts", __name__, url_prefix="/admin")


@bp.before_request
@login_required
def _require_login():
    """Every page here needs a logged-in user; services decide the rest."""


def _flash_errors(exc: ValidationError) -> None:
    for messages in exc.errors.values():
        for message in messages:
            flash(message, "error")


def _link_for(token: str) -> str:
    return url_for("auth.reset_password", token=token, _external=True)


def _user_id(value: str) -> int:
    return int(value) if value.isdigit() else -1


# -- a sysadmin's list of accounts ---------------------------------------------------------

@bp.route("/users", methods=["GET", "POST"])
def user_list():
    accounts = users.list_users(actor())  # refuses anyone but a sysadmin
    new_password = None
    if request.method == "POST":
        form = request.form
        password = users.generate_password()
        try:
            created = users.create_user(actor(), form.get("email", ""), password, role=form.get("role", "editor"),
                                        organization=form.get("organization") or None, name=form.get("name", ""))
        except ValidationError as exc:
            _flash_errors(exc)
            return render_template("admin/users.html", accounts=accounts, form=form,
                                   organizations=vocabulary.list_organizations()), 400
        if password_reset.send_link(created, _link_for):
            flash(_("Account created. %(email)s has been sent a link to choose a password.", email=created.email), "info")
        else:
            new_password = password
            flash(_("Account created. This portal cannot send e-mail: give %(email)s this password in person.",
                    email=created.email), "info")
        accounts = users.list_users(actor())
    return render_template("admin/users.html", accounts=accounts, form={}, new_password=new_password,
                           organizations=vocabulary.list_organizations())


def _account_action(user_id: str, do, done: str):
    try:
        do(_user_id(user_id))
        flash(done, "info")
    except ValidationError as exc:
        _flash_errors(exc)
    except NotAuthorized as exc:
        flash(str(exc.message), "error")
    return redirect(url_for("accounts.user_list"))


@bp.route("/users/<user_id>/deactivate", methods=["POST"])
def deactivate(user_id: str):
    return _account_action(user_id, lambda uid: users.deactivate_user(actor(), uid, request.form.get("reason", "")),
                           _("The account is deactivated; its history stays."))


@bp.route("/users/<user_id>/reactivate", methods=["POST"])
def reactivate(user_id: str):
    return _account_action(user_id, lambda uid: users.reactivate_user(actor(), uid), _("The account is active again."))


@bp.route("/users/<user_id>/role", methods=["POST"])
def change_role(user_id: str):
    return _account_action(user_id, lambda uid: users.change_role(actor(), uid, request.form.get("role", ""),
                                                                  request.form.get("organization") or None),
                           _("The role is changed; it applies from the account's next login."))


@bp.route("/users/<user_id>/send-link", methods=["POST"])
def send_link(user_id: str):
    return _account_action(user_id, lambda uid: password_reset.send_link_for(actor(), uid, _link_for),
                           _("A link to choose a new password has been sent."))


# -- one's own account ---------------------------------------------------------------------

def _totp_setup() -> tuple[str, str, str] | None:
    """The secret being set up (kept in the session until confirmed), its link and QR code."""
    me = actor()
    if me.has_totp:
        return None
    secret = session.get("totp_setup")
    if not secret:
        secret = session["totp_setup"] = logins.new_totp_secret()
    uri = logins.totp_uri(me, secret)
    return secret, uri, segno.make(uri, error="m").svg_data_uri(scale=5, border=2)


@bp.route("/account", methods=["GET"])
def account():
    return render_template("admin/account.html", setup=_totp_setup())


@bp.route("/account/password", methods=["POST"])
def change_password():
    form = request.form
    try:
        users.change_own_password(actor(), form.get("current", ""), form.get("password", ""), form.get("confirm", ""))
    except ValidationError as exc:
        _flash_errors(exc)
        return render_template("admin/account.html", setup=_totp_setup()), 400
    logout_user()  # every session ended with the old password; this one logs in again
    flash(_("Your password has been changed. Log in with the new one."), "info")
    return redirect(url_for("auth.login"))


@bp.route("/account/two-factor", methods=["POST"])
def two_factor():
    me = actor()
    try:
        if request.form.get("action") == "disable":
            logins.disable_totp(me, request.form.get("code", ""))
            flash(_("Two-step verification is off."), "info")
        else:
            logins.enable_totp(me, session.get("totp_setup") or "", request.form.get("code", ""))
            session.pop("totp_setup", None)
            flash(_("Two-step verification is on: each login now asks for a code from your phone."), "info")
    except ValidationError as exc:
        _flash_errors(exc)
        return render_template("admin/account.html", setup=_totp_setup()), 400
    return redirect(url_for("accounts.account"))
