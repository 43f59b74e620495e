"""Portal Data Sosial NTB: the application factory."""
from __future__ import annotations

import os
from pathlib import Path

from flask import Flask, has_request_context, request, session

from . import security_headers
from .config import instance_path, load_config


def create_app(test_config: dict | None = None) -> Flask:
    """Build the app: defaults, then environment, then the test override."""
    instance = instance_path()
    if test_config and test_config.get("INSTANCE_PATH"):
        instance = test_config["INSTANCE_PATH"]
    app = Flask(__name__, instance_path=instance, instance_relative_config=True)
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    app.config.from_mapping(load_config(app.instance_path))
    if test_config:
        app.config.update(test_config)
    if app.config.get("PROXY_HOPS"):  # behind a reverse proxy: the reader's address, for throttling
        from werkzeug.middleware.proxy_fix import ProxyFix

        hops = int(app.config["PROXY_HOPS"])
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)

    register_extensions(app)
    register_blueprints(app)
    register_errorhandlers(app)
    register_commands(app)
    security_headers.init_app(app)
    return app


def select_locale() -> str:
    """The reader's choice (kept in the session); Indonesian by default.

    Outside a request (CLI), PORTAL_LANG chooses, Indonesian by default.
    """
    if not has_request_context():
        return os.environ.get("PORTAL_LANG", "id")
    lang = request.args.get("lang")
    if lang in ("id", "en"):
        session["lang"] = lang
        return lang
    return session.get("lang") or "id"


def register_extensions(app: Flask) -> None:
    from . import db, storage
    from .extensions import babel, csrf, login_manager
    from .search import SearchIndex
    from .services import index_log, ingest_run, logins, quarantine, search, throttle

    db.init_app(app)
    quarantine.init_app(app)
    search.init_app(app)
    index_log.init_app(app)
    storage.init_app(app)
    ingest_run.init_app(app)
    babel.init_app(app, locale_selector=select_locale,
                   default_translation_directories=str(Path(__file__).parent / "translations"))
    csrf.init_app(app)
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = None

    @login_manager.user_loader
    def _load_user(session_token: str):  # the token User.get_id gives, never the bare id
        return logins.user_for_session(session_token)

    throttle.init_app(app)

    index = SearchIndex(app.config["SEARCH_INDEX_DIR"],
                        synonyms_path=str(Path(__file__).parent / "data" / "synonyms.txt"))
    index.ensure()
    app.extensions["search_index"] = index


def register_blueprints(app: Flask) -> None:
    from .views import accounts, admin, api, auth, branding, inbox, ppid, public, template_helpers

    app.register_blueprint(public.bp)
    app.register_blueprint(auth.bp)
    app.register_blueprint(admin.bp)
    app.register_blueprint(accounts.bp)
    app.register_blueprint(ppid.bp)
    app.register_blueprint(inbox.bp)
    app.register_blueprint(api.bp)
    app.register_blueprint(branding.bp)
    template_helpers.init_app(app)


def register_errorhandlers(app: Flask) -> None:
    from .views import errors

    errors.init_app(app)


def register_commands(app: Flask) -> None:
    from . import cli

    cli.init_app(app)
