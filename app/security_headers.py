"""The headers every answer carries: content security policy, framing, HSTS, caching, cookie flags."""
from __future__ import annotations

from flask import Flask, request
from flask_login import current_user

# Scripts, styles, images, forms and frames from this site only; nothing inline at all (the pages
# hold no inline script, no <style> and no style attribute: tests/test_security_headers.py checks
# the templates), and no site may frame the portal (clickjacking).
CONTENT_SECURITY_POLICY = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
                           "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'")
HSTS = "max-age=31536000; includeSubDomains"
# Pages that show or take a password, a token or an admin's private view.
PRIVATE_PREFIXES = ("/admin", "/user")


def _served_over_https(app: Flask) -> bool:
    """HTTPS to the reader: this request, or a public SITE_URL on https (TLS ended at a proxy)."""
    return request.is_secure or app.config.get("SITE_URL", "").startswith("https://")


def _private(path: str) -> bool:
    """An answer no browser or proxy may keep: admin and account pages, token requests, signed-in pages."""
    if path.startswith(PRIVATE_PREFIXES):
        return True
    if request.headers.get("Authorization") or request.headers.get("X-CKAN-API-Key"):
        return True
    # A signed-in page may show private datasets and drafts; static files carry nothing private.
    return not path.startswith("/static/") and current_user.is_authenticated


def init_app(app: Flask) -> None:
    if app.config.get("SITE_URL", "").startswith("https://"):
        app.config["SESSION_COOKIE_SECURE"] = True
        app.config["REMEMBER_COOKIE_SECURE"] = True
    for flag in ("SESSION_COOKIE_HTTPONLY", "REMEMBER_COOKIE_HTTPONLY"):
        app.config[flag] = True
    for same_site in ("SESSION_COOKIE_SAMESITE", "REMEMBER_COOKIE_SAMESITE"):
        app.config.setdefault(same_site, "Lax")

    @app.after_request
    def _headers(resp):
        # Never let a browser guess a type: uploads are only ever served as attachments.
        resp.headers.setdefault("X-Content-Type-Options", "nosniff")
        resp.headers.setdefault("X-Frame-Options", "DENY")  # frame-ancestors for older browsers
        resp.headers.setdefault("Referrer-Policy", "strict-origin-when-cross-origin")
        resp.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        if _served_over_https(app):
            resp.headers.setdefault("Strict-Transport-Security", HSTS)
        if _private(request.path):
            resp.headers["Cache-Control"] = "no-store"
        return resp
