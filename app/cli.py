"""The `portal` command: set-up, demo data, serving, search upkeep, uploads. All through the services."""
from __future__ import annotations

import errno
import json
import logging
import os
import socket
import sys
from pathlib import Path
from typing import Any, Callable, NoReturn

import click
from flask import Flask
from flask.cli import ScriptInfo, with_appcontext

DEMO_ADMIN = "admin@dinsos.ntbprov.go.id"
DISTRIBUTION = "portal-data-sosial-ntb"


def _create_app(*_args, **_kwargs) -> Flask:
    from . import create_app

    return create_app()


# A plain click group, not Flask's: `portal` has its own options and version only. The
# commands find the app through the ScriptInfo that `with_appcontext` looks for, so they
# work the same here and under `flask --app app ...` (see init_app).
@click.group(help="Portal Data Sosial NTB: manage and serve the portal.")
@click.version_option(package_name=DISTRIBUTION, prog_name="portal")
@click.pass_context
def main(ctx: click.Context) -> None:
    from .config import configure_logging

    configure_logging()
    if ctx.obj is None:
        ctx.obj = ScriptInfo(create_app=_create_app)


def init_app(app: Flask) -> None:
    """Also expose the commands under `flask --app app ...`."""
    for cmd in main.commands.values():  # every command, defined anywhere below
        app.cli.add_command(cmd)


def _init_db() -> None:
    from . import db
    from .services import index_log, vocabulary

    db.create_schema()
    vocabulary.ensure_catalog()
    index_log.start()


@main.command("init-db")
@with_appcontext
def init_db() -> None:
    """Create the database schema, the office's organizations and topics."""
    _init_db()
    click.echo("Database ready.")


@main.command("create-admin")
@click.argument("email")
@click.option("--password", help="Password to set (default: generate one).")
@click.option("--role", type=click.Choice(["sysadmin", "org_admin", "editor"]), default="sysadmin")
@click.option("--organization", help="Organization name (for org_admin and editor).")
@click.option("--reset", is_flag=True,
              help="Give the existing account EMAIL a new password (its role and organization stay).")
@with_appcontext
def create_admin(email: str, password: str | None, role: str, organization: str | None, reset: bool) -> None:
    """Create a user (a system administrator by default); print its password if generated."""
    from .services import users
    from .services.errors import ServiceError, ValidationError

    _init_db()
    generated = not password
    password = password or users.generate_password()
    try:
        if reset:
            user = users.reset_password(None, email, password, _system=True)
            # A password the user typed is never echoed (terminal scrollback, CI logs).
            click.echo(f"New password for {user.role} {user.email}: {password}" if generated
                       else f"Password set for {user.role} {user.email}.")
            return
        user = users.create_user(None, email, password, role=role, organization=organization, _system=True)
    except ValidationError as exc:
        hint = " (an existing account gets a new password with --reset)" if "email" in exc.errors and not reset else ""
        raise click.ClickException(f"{exc}{hint}") from None
    except ServiceError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"Created {user.role} {user.email} with password: {password}" if generated
               else f"Created {user.role} {user.email}.")


def _system_actor():
    """The CLI acts as the first system administrator."""
    from .services import users

    user = users.first_sysadmin()
    if user is None:
        raise click.ClickException("No system administrator yet: run `portal create-admin EMAIL` first.")
    return user


def _demo_admin_password(app: Flask) -> str | None:
    """Create the demo admin on first run; its generated password is kept in instance/ (0600).

    None when the kept password is missing or no longer logs in (reset since, or another instance/).
    """
    from .services import users

    path = Path(app.instance_path) / "demo_admin_password"
    user, password = users.ensure_admin(DEMO_ADMIN)
    if password:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w") as fh:
            fh.write(password)
        return password
    kept = path.read_text().strip() if path.exists() else None
    return kept if kept and users.authenticate(DEMO_ADMIN, kept) else None


def _seed_demo(actor) -> int:
    """Publish every demo table through the same services an admin uses; skip if data exists."""
    from .services import demo
    from .services.errors import ValidationError

    try:
        return demo.seed(actor, progress=lambda name: click.echo(f"  published {name}"))
    except ValidationError as exc:
        raise click.ClickException("A demo table was refused: " + "; ".join(
            str(m) for msgs in exc.errors.values() for m in msgs)) from None


@main.command("seed-demo")
@with_appcontext
def seed_demo() -> None:
    """Load the demo datasets if the database has none."""
    from flask import current_app

    _init_db()
    _demo_admin_password(current_app)
    n = _seed_demo(_system_actor())
    click.echo(f"Loaded {n} demo datasets." if n else "The database already has datasets; nothing loaded.")


def _port_taken(host: str, port: int) -> bool:
    """True when host:port cannot be listened on because something else already does."""
    try:
        addresses = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)
    except (socket.gaierror, UnicodeError, OverflowError):
        return False  # an unknown host or a bad port: waitress says so itself
    for family, kind, proto, _, address in addresses:
        try:
            with socket.socket(family, kind, proto) as probe:
                # As waitress binds: a port left in TIME_WAIT by a stopped server is free.
                probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
                probe.bind(address)
        except OSError as exc:
            if exc.errno == errno.EADDRINUSE:
                return True
    return False


def _free_port_after(host: str, port: int) -> int:
    """The first free port after `port`, else one the system picks."""
    for candidate in range(port + 1, min(port + 100, 65535) + 1):
        if not _port_taken(host, candidate):
            return candidate
    with socket.socket() as s:
        s.bind(("", 0))
        return s.getsockname()[1]


def _port_in_use(host: str, port: int) -> NoReturn:
    click.echo(f"Port {port} sudah dipakai; coba --port {_free_port_after(host, port)}", err=True)
    sys.exit(2)


def _require_free_port(host: str, port: int) -> None:
    """Stop with one line and exit code 2 when the port is taken, instead of a traceback."""
    if _port_taken(host, port):
        _port_in_use(host, port)


def _serve(app: Flask, host: str, port: int, banner: Callable[[], None] | None = None) -> None:
    """Serve with waitress; `banner` prints after the server's own start-up lines, so it is read last."""
    from waitress.server import create_server

    from .config import configure_logging

    configure_logging()  # also when run as `flask --app app serve`, which has no `portal` group
    _require_free_port(host, port)
    try:
        # Small output buffers: a streamed download waits for the socket instead of piling up
        # 16 MB per worker thread (waitress's default), so a 1M-row CSV stays in constant memory.
        server = create_server(app, host=host, port=port, threads=4, ident="portal",
                               outbuf_high_watermark=256 * 1024, outbuf_overflow=256 * 1024)
    except OSError as exc:
        if exc.errno != errno.EADDRINUSE:
            raise
        _port_in_use(host, port)  # taken between the check and waitress's own bind
    if banner is not None:
        server.print_listen("Serving on http://{}:{}")  # waitress's own line, then ours, read last
        for handler in logging.getLogger().handlers:
            handler.flush()
        banner()
    else:
        click.echo(f"Serving on http://{host}:{port}")
    try:
        server.run()
    except KeyboardInterrupt:
        click.echo("Stopped.")
    finally:
        server.close()


def _worker_exit(_arbiter, worker) -> None:
    """End a stopping worker at once: close its database connections, flush its logs, and leave
    without the interpreter's last garbage collection (seconds over the app's lexicons and
    index caches, which the master would wait for on every restart)."""
    app = getattr(worker, "wsgi", None)
    if app is not None:
        app.extensions["db_engine"].dispose()
    _leave_now(0)


def _leave_now(code: int) -> NoReturn:
    logging.shutdown()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)


def _serve_workers(host: str, port: int, workers: int) -> None:
    """Serve with gunicorn: one master that restarts a worker which dies, `workers` processes
    that each build the app (so nothing opened here, connections or index files, is shared by a fork)."""
    from gunicorn.app.base import BaseApplication

    class Portal(BaseApplication):
        def load_config(self) -> None:
            self.cfg.set("bind", [f"[{host}]:{port}" if ":" in host else f"{host}:{port}"])
            self.cfg.set("workers", workers)
            # Threads as waitress has: a streamed download or a slow client holds a thread, not a process.
            # The master's heartbeat is the worker's main loop, so a long upload is not killed at `timeout`.
            self.cfg.set("worker_class", "gthread")
            self.cfg.set("threads", 4)
            self.cfg.set("timeout", 120)
            # No keep-alive: a worker would keep every connection it accepted (a proxy's or a load
            # tool's 20 held open), and the other workers would stand idle; a connection per
            # request goes to whichever worker is free (nginx keeps the readers' connections).
            self.cfg.set("keepalive", 0)
            self.cfg.set("graceful_timeout", 30)
            self.cfg.set("proc_name", "portal")
            # gunicorn 24+ opens a control socket at one path per user (~/.gunicorn/gunicorn.ctl):
            # a second portal on the machine would take it over. Stopping is by signal, as systemd does.
            if "control_socket_disable" in self.cfg.settings:
                self.cfg.set("control_socket_disable", True)
            self.cfg.set("worker_exit", _worker_exit)

        def load(self):
            from .services import job_queue

            app = _create_app()  # in the worker process, after the fork
            job_queue.start_in_process(app)  # this worker reads uploads too (INGEST_IN_PROCESS)
            return app

    click.echo(f"Serving on http://{host}:{port} with {workers} worker processes (gunicorn)")
    try:
        Portal().run()
    except SystemExit as stopped:  # the master leaves as its workers do (see _worker_exit)
        code = stopped.code if isinstance(stopped.code, int) else (0 if stopped.code is None else 1)
        _leave_now(code)


@main.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True, type=int)
@click.option("--workers", default=1, show_default=True, type=click.IntRange(1, 64),
              help="Server processes: 1 is waitress (threads); more is gunicorn (where the platform can fork).")
@with_appcontext
def serve(host: str, port: int, workers: int) -> None:
    """Serve the portal with a production WSGI server (waitress; gunicorn for --workers N)."""
    from flask import current_app

    from . import db
    from .services import index_log
    from .storage import same_file_system

    _require_free_port(host, port)
    db.create_schema()  # an older database gets its new columns before the first request
    click.echo(f"Search index: {index_log.start()}")
    index_log.prune(current_app.config["INDEX_LOG_DAYS"])
    _sweep_quarantine()
    if not same_file_system(current_app.config["DATASETS_DIR"], current_app.config["QUARANTINE_DIR"]):
        click.echo("Note: DATASETS_DIR and QUARANTINE_DIR are on different file systems: each upload is "
                   "copied into place, not renamed (docs/deploy.md).", err=True)
    app = current_app._get_current_object()
    if workers > 1 and not hasattr(os, "fork"):
        click.echo("--workers needs a platform that can fork (Linux, macOS): serving with one process.", err=True)
        workers = 1
    if workers == 1:
        _read_uploads_in_process()
        _serve(app, host, port)
        return
    if app.config["RATELIMIT_STORAGE_URI"].startswith("memory://"):
        click.echo("Note: login limits per address count in each process; set RATELIMIT_STORAGE_URI=redis://... "
                   "to share them.", err=True)
    _read_uploads_in_process(start=False)  # each worker process starts its own consumer thread
    app.extensions["db_engine"].dispose()  # each worker builds its own app, and its own connections
    _serve_workers(host, port, workers)


def _read_uploads_in_process(start: bool = True) -> None:
    """Start this process's consumer thread (INGEST_IN_PROCESS, the embedded default), first
    queueing again what a stopped process left waiting or half-read. With `start` false (the
    gunicorn master, whose workers each start their own thread), only the queueing again."""
    from flask import current_app

    from .services import ingest_jobs, job_queue

    if not current_app.config.get("INGEST_IN_PROCESS"):
        return
    if start:
        job_queue.start_in_process()
    ingest_jobs.reap()
    ingest_jobs.requeue_waiting()


def _sweep_quarantine() -> None:
    """Start-up upkeep of the quarantine (a folder listing when nothing is due); never stops a start."""
    from .services import quarantine

    try:
        done = quarantine.sweep()
    except Exception:  # noqa: BLE001 - logged; `portal quarantine purge` says more
        logging.getLogger("portal.quarantine").exception("quarantine upkeep failed at start-up")
        return
    if done["purged"] or done["secured"]:
        click.echo(f"Quarantine: {len(done['purged'])} old refused uploads purged, "
                   f"{done['secured']} moved out of the public folder.")
    if done["leftovers_removed"]:
        click.echo(f"Removed {done['leftovers_removed']} leftovers of stopped uploads.")


@main.command("demo")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True, type=int)
@with_appcontext
def demo(host: str, port: int) -> None:
    """Set everything up with demo data and serve it."""
    from flask import current_app

    from .services import search

    app = current_app._get_current_object()
    _require_free_port(host, port)  # before the set-up, not after it
    _init_db()
    password = _demo_admin_password(app)
    n = _seed_demo(_system_actor())
    if n:
        click.echo(f"Loaded {n} demo datasets.")
    problems = search.check()
    if any(problems.values()):
        search.rebuild()
    _sweep_quarantine()
    _read_uploads_in_process()

    def banner() -> None:
        click.echo("")
        click.echo(f"Portal Data Sosial NTB: http://{host}:{port}")
        click.echo(f"Admin login: {DEMO_ADMIN} / "
                   + (password or f"(unknown here: set a new one with `portal create-admin {DEMO_ADMIN} --reset`)"))
        click.echo("Stop with Ctrl+C.")

    _serve(app, host, port, banner)


@main.group("search")
def search_group() -> None:
    """Keep the search index in line with the database."""


@search_group.command("rebuild")
@with_appcontext
def search_rebuild() -> None:
    """Rebuild the index from the database."""
    from .services import search

    n = search.rebuild()
    click.echo(f"Indexed {n} datasets.")


@search_group.command("check")
@with_appcontext
def search_check() -> None:
    """List datasets missing from, extra in, or stale in the index; exit 1 if any."""
    from .services import index_log, search

    index_log.catch_up()  # what other machines committed is not a problem of this index
    problems = search.check()
    for kind, ids in problems.items():
        for ds_id in ids:
            click.echo(f"{kind}: {ds_id}")
    if any(problems.values()):
        click.echo("Index and database disagree: run `portal search rebuild`.", err=True)
        sys.exit(1)
    click.echo("Index and database agree.")


@search_group.command("prune-log")
@click.option("--days", type=int, default=None,
              help="Keep this many days of the log of index changes (default INDEX_LOG_DAYS, 30).")
@with_appcontext
def search_prune_log(days: int | None) -> None:
    """Remove old entries of the log of index changes; a machine's index that had not read
    them yet is rebuilt from the database when it next looks."""
    from flask import current_app

    from .services import index_log

    days = current_app.config["INDEX_LOG_DAYS"] if days is None else days
    click.echo(f"Removed {index_log.prune(days)} log entries older than {days} days.")


@main.command("check")
@click.option("--repair", is_flag=True, help="Remove leftovers, rebuild the index and damaged tables, then check again.")
@with_appcontext
def check(repair: bool) -> None:
    """Check every stored file against its recorded size and sha256, every table, the index and
    the leftovers; print the findings, then a JSON line; exit 1 if anything is left to fix."""
    from .services import integrity

    report = integrity.repair(_system_actor()) if repair else integrity.check()
    for done in report.repaired:
        click.echo(f"repaired: {done}")
    for p in report.problems:
        click.echo(f"{p.kind}: {p.subject}" + (f" ({p.detail})" if p.detail else ""))
    click.echo(f"Checked {report.checked_versions} stored versions ({report.checked_bytes} bytes): "
               + ("all is well." if report.clean else f"{len(report.problems)} problems"
                  + ("." if repair else "; `portal check --repair` fixes those it can.")))
    click.echo(json.dumps(report.as_dict(), ensure_ascii=False))
    if not report.clean:
        sys.exit(1)


@main.command("backup")
@click.argument("file", type=click.Path(dir_okay=False))
@with_appcontext
def backup(file: str) -> None:
    """Write the database and every stored file to FILE (tar.gz, mode 0600), also while the
    server runs; print a JSON line; exit 1 if a file the database names was missing."""
    from .services import backup as backups

    try:
        result = backups.backup(file)
    except backups.BackupError as exc:
        click.echo(f"Backup failed: {exc}", err=True)
        click.echo(json.dumps({"file": file, "written": False, "reason": str(exc)}, ensure_ascii=False))
        sys.exit(1)
    for name in result.missing:
        click.echo(f"missing: {name}", err=True)
    counts = result.manifest["counts"]
    click.echo(f"Backed up {counts['datasets']} datasets, {counts['versions']} versions and {counts['users']} users "
               f"({len(result.manifest['files'])} files, {result.bytes} bytes) to {file}."
               + (f" {len(result.missing)} files were missing: `portal check` says more." if result.missing else ""))
    click.echo(json.dumps({"written": True, **result.as_dict()}, ensure_ascii=False))
    if result.missing:
        sys.exit(1)


@main.command("restore")
@click.argument("file", type=click.Path(dir_okay=False))
@with_appcontext
def restore(file: str) -> None:
    """Restore a backup into this empty portal (database, files), rebuild the index and run
    `portal check`; refuse, changing nothing, if the portal is not empty or FILE is damaged."""
    from .services import backup as backups

    try:
        result = backups.restore(file)
    except backups.BackupError as exc:
        click.echo(f"Restore refused: {exc}", err=True)
        click.echo(json.dumps({"restored": False, "reason": str(exc)}, ensure_ascii=False))
        sys.exit(1)
    for p in result.check.problems:
        click.echo(f"{p.kind}: {p.subject}" + (f" ({p.detail})" if p.detail else ""))
    m = result.manifest
    click.echo(f"Restored the backup of {m['created']}: {m['counts']['datasets']} datasets, "
               f"{result.files} files; indexed {result.indexed} datasets; check: "
               + ("all is well." if result.check.clean else f"{len(result.check.problems)} problems."))
    click.echo(json.dumps(result.as_dict(), ensure_ascii=False))
    if not result.check.clean:
        sys.exit(1)


@main.group("quarantine")
def quarantine_group() -> None:
    """Uploads refused for personal data, kept privately for their correction."""


@quarantine_group.command("purge")
@click.option("--days", type=int, default=None,
              help="Purge uploads left this many days without action (default QUARANTINE_DAYS, 30).")
@with_appcontext
def quarantine_purge(days: int | None) -> None:
    """Purge quarantined uploads nobody acted on for QUARANTINE_DAYS; print their version ids."""
    from flask import current_app

    from .services import quarantine

    days = current_app.config["QUARANTINE_DAYS"] if days is None else days
    done = quarantine.sweep(days)
    for version_id in done["purged"]:
        click.echo(f"purged: {version_id}")
    if done["secured"]:
        click.echo(f"Moved {done['secured']} refused uploads of an older portal out of the public folder.")
    click.echo(f"Purged {len(done['purged'])} quarantined uploads older than {days} days.")


def _refuse(dataset: str, messages: list[str], reason: str | None = None, **extra: Any) -> NoReturn:
    """End a refused upload: each message on stderr, then the JSON line on stdout; exit 1."""
    for message in messages:
        click.echo(f"Refused: {message}", err=True)
    click.echo(json.dumps({"dataset": dataset, "refused": True, "reason": reason or " ".join(messages), **extra},
                          ensure_ascii=False, default=str))
    sys.exit(1)


@main.command("upload")
@click.argument("file", type=click.Path())
@click.option("--dataset", "dataset_name", required=True, help="Dataset name (created as a draft if missing).")
@click.option("--title", help="Title for a new dataset.")
@click.option("--topic", "topics", multiple=True, help="Topic name (repeatable).")
@click.option("--organization", help="Publishing organization (default: the office).")
@click.option("--resource", "resource_id", help="Upload as a new version of this resource id.")
@click.option("--sheet", help="XLSX sheet to read.")
@click.option("--publish", is_flag=True, help="Publish the dataset after the upload.")
@click.option("--no-wait", "no_wait", is_flag=True,
              help="Print the ingest job's id as soon as the file is stored, without waiting for its reading.")
@with_appcontext
def upload(file: str, dataset_name: str, title: str | None, topics: tuple[str, ...], organization: str | None,
           resource_id: str | None, sheet: str | None, publish: bool, no_wait: bool) -> None:
    """Upload a CSV/XLSX; print the parse review as JSON (last line); exit 1 if refused.

    The file is read by a worker (this command's own thread unless INGEST_IN_PROCESS=0, then a
    `portal worker`), and waited for; with --no-wait the JSON line names the job instead.
    A refusal stores nothing: what publishing needs is checked before the upload, and
    the same file uploaded again to the dataset is reported unchanged, not added twice.
    """
    from flask import current_app

    from .services import datasets, ingest_jobs, job_queue, resources, vocabulary
    from .services.errors import NotFound, ServiceError, ValidationError

    if no_wait and publish:
        _refuse(dataset_name, ["--publish needs the reading's result: leave out --no-wait."])

    try:
        fh = open(file, "rb")
    except OSError as exc:
        _refuse(dataset_name, [f"Cannot read {file}: {exc.strerror or exc}"])
    with fh:
        try:
            actor = _system_actor()
            try:
                ds = datasets.show(actor, dataset_name)
            except NotFound:
                ds = None
            if ds is not None and ds.state == "deleted":
                ds = None
            if ds is None:
                values = {"name": dataset_name, "title": title or dataset_name.replace("-", " ").title(),
                          "topics": list(topics), "organization": organization or vocabulary.office().name}
            else:
                values = {k: v for k, v in (("title", title), ("topics", list(topics))) if v}
            if publish:
                datasets.check_publishable(actor, ds, values, new_table=True, replacing=resource_id)
            created = ds is None
            if created:  # a refused file makes no dataset
                result = resources.upload_new_dataset(actor, fh, Path(file).name, values, options={"sheet": sheet},
                                                      keep_blocked=False, wait=not no_wait)
            else:
                result = resources.upload(actor, ds.id, fh, Path(file).name, resource_id=resource_id,
                                          options={"sheet": sheet}, keep_blocked=False, reuse_unchanged=True,
                                          wait=not no_wait)
            if no_wait:
                click.echo(json.dumps({**ingest_jobs.status(actor, result.id), "dataset": dataset_name},
                                      ensure_ascii=False, default=str))
                return
            ds = result.resource.dataset if created else ds
            changes = {} if created else values
            if changes or publish:
                # One transaction: a refused publish leaves the metadata as it was.
                ds = datasets.update(actor, ds.id, changes, state="published" if publish else None)
        except resources.PersonalDataFound as exc:
            messages = [m for ms in exc.errors.values() for m in ms]
            _refuse(dataset_name, messages, reason=messages[0], findings=exc.findings)
        except ValidationError as exc:
            _refuse(dataset_name, [m for ms in exc.errors.values() for m in ms])
        except ServiceError as exc:
            _refuse(dataset_name, [str(exc.message)])
        except click.ClickException as exc:  # no system administrator to act as
            _refuse(dataset_name, [exc.message])
        finally:
            if not no_wait:
                job_queue.stop_in_process(current_app)  # a job it took for another upload is finished first
    review = result.as_review()
    review["state"] = ds.state
    click.echo(json.dumps(review, ensure_ascii=False, default=str))


@main.command("worker")
@click.option("--threads", default=1, show_default=True, type=int, help="Uploads read at once.")
@with_appcontext
def worker(threads: int) -> None:
    """Read uploads from the queue (JOB_QUEUE_URL) until stopped (Ctrl+C or SIGTERM finish the
    upload being read first; a worker killed mid-upload leaves nothing half-written, and its job
    is read again or marked failed)."""
    from . import db
    from .services import ingest_jobs, job_queue

    db.create_schema()
    reaped, waiting = ingest_jobs.reap(), ingest_jobs.requeue_waiting()
    queue = job_queue.queue()
    click.echo(f"Worker reading uploads from {queue.kind} ({threads} threads); "
               f"{waiting} waiting, {reaped} of stopped workers queued again or failed.")
    queue.consumer_for_worker(threads).run()  # each job runs in an app context of its own


@main.group("requests")
def requests_group() -> None:
    """Information requests (UU 14/2008), comments and messages."""


@requests_group.command("remind")
@with_appcontext
def requests_remind() -> None:
    """For cron, once a day: mail the handlers of every open item that is overdue or due within 2
    working days, and erase requesters' names and contacts REQUESTER_DATA_DAYS after closing."""
    from flask import current_app

    from .services import info_requests
    from .views.ppid import link_for

    app = current_app._get_current_object()
    with app.test_request_context(base_url=app.config.get("SITE_URL") or "http://localhost"):
        done = info_requests.remind(link_for)
    click.echo(f"Reminded about {done['reminded']} items; erased the personal data of {done['erased']} closed requests.")
    click.echo(json.dumps(done))
