"""Logging in and out."""
from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import login_required, login_user, logout_user

from ..services import users
from .requests import same_site_path

bp = Blueprint("auth", __name__, url_prefix="/user")


def _safe_next(target: str | None) -> str:
    return same_site_path(target) or url_for("admin.dashboard")


@bp.route("/login", methods=["GET", "POST"])
def login():
    if request.method == "POST":
        user = users.authenticate(request.form.get("email", ""), request.form.get("password", ""))
        if user:
            login_user(user)
            return redirect(_safe_next(request.args.get("next")))
        flash(_("Wrong email or password."), "error")
        return render_template("login.html"), 401
    return render_template("login.html")


@bp.route("/logout", methods=["POST"])
@login_required
def logout():
    logout_user()
    return redirect(url_for("public.home"))
