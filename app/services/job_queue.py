"""The queue of uploads waiting to be read: huey, on a SQLite file or on Redis.

One code path in every mode: a door stores the upload and its IngestJob row
(services/ingest_jobs.py), this module puts the job's id on the queue, and a worker
(`portal worker`, or a consumer thread of the serving process) takes it off and runs the
ingest runner (services/ingest_run.py). The queue carries only job ids: the job's state, its
progress and its outcome live in the portal's own database, so any process can report them.

- JOB_QUEUE_URL empty: SqliteHuey, the file `jobs.sqlite` in the instance folder (one
  machine; the serving process's own consumer thread reads the uploads).
- JOB_QUEUE_URL=redis://...: RedisHuey (several processes or machines; run `portal worker`).
- JOB_QUEUE_URL=sqlite:///path: SqliteHuey on that file.
"""
from __future__ import annotations

import logging
import os
import threading
import weakref
from pathlib import Path
from typing import Callable

from flask import Flask, current_app
from huey import RedisHuey, SqliteHuey
from huey.consumer import Consumer, Worker

log = logging.getLogger("portal.jobs")

TASK_NAME = "portal.ingest"
PAGE_KEYS_TASK = "portal.page_keys"


class JobQueue:
    """The app's huey instance, its tasks (read an upload; keep a PostgreSQL table's page keys
    after its commit), and the consumer thread it may run in-process."""

    def __init__(self, app: Flask) -> None:
        url = app.config.get("JOB_QUEUE_URL") or ""
        if url.startswith(("redis://", "rediss://", "unix://")):
            # Imported by huey only here: the `redis` client is needed for this mode alone.
            self.huey = RedisHuey("portal", url=url, results=False)
        else:
            path = url[len("sqlite:///"):] if url.startswith("sqlite:///") else str(Path(app.instance_path) / "jobs.sqlite")
            self.huey = SqliteHuey("portal", filename=path, results=False)
        self.kind = type(self.huey).__name__
        self.wake = threading.Event()  # an enqueue in this process wakes its consumer thread at once
        self.consumer: Consumer | None = None
        self._lock = threading.Lock()

        def ingest(job_id: str) -> None:
            with app.app_context():
                app.extensions["ingest_runner"](job_id)

        # An unexpected error (the database gone for a moment) is retried by huey while the job
        # has attempts left (the runner decides); a killed worker's job is queued again by the reaper.
        retries = max(0, int(app.config.get("INGEST_MAX_ATTEMPTS", 2)) - 1)
        self.task = self.huey.task(name=TASK_NAME, retries=retries, retry_delay=2)(ingest)

        def page_keys(table_file: str) -> None:
            with app.app_context():
                app.extensions["page_keys_runner"](table_file)

        self.page_keys_task = self.huey.task(name=PAGE_KEYS_TASK, retries=1, retry_delay=5)(page_keys)
        _QUEUES.add(self)

    def _after_fork(self) -> None:
        """In a forked child (gunicorn's workers) the parent's consumer threads do not exist: the
        child starts its own on its first upload."""
        self.consumer = None
        self.wake = threading.Event()
        self._lock = threading.Lock()

    def enqueue(self, job_id: str) -> None:
        """Put a job's id on the queue (a job already taken ignores a second delivery)."""
        self.task(job_id)
        self.wake.set()

    def enqueue_page_keys(self, table_file: str) -> None:
        """Queue the keeping of a committed table's page keys (after the uploads already queued)."""
        self.page_keys_task(table_file)
        self.wake.set()

    def start_thread(self, workers: int = 1) -> None:
        """Run a consumer in threads of this process (idempotent), polling the queue often."""
        with self._lock:
            if self.consumer is not None:
                return
            consumer = _ThreadConsumer(self.huey, workers=workers, worker_type="thread", periodic=False,
                                       initial_delay=0.05, backoff=1.5, max_delay=1.0, check_worker_health=False)
            for worker, _thread in consumer.worker_threads:
                worker.wake = self.wake
            consumer.start()
            self.consumer = consumer
            log.info("reading uploads in this process (%s)", self.kind)

    def stop_thread(self, timeout: float = 30) -> None:
        """Stop the in-process consumer, letting a job it is reading finish (up to `timeout`)."""
        with self._lock:
            consumer, self.consumer = self.consumer, None
        if consumer is not None:
            consumer.shutdown_timeout = timeout
            consumer.stop_flag.set()
            self.wake.set()  # a sleeping worker sees the stop flag now, not after its poll delay
            consumer.stop(graceful=True)

    def consumer_for_worker(self, workers: int) -> Consumer:
        """The consumer `portal worker` runs in the foreground (huey's own, with its signals)."""
        return Consumer(self.huey, workers=workers, worker_type="thread", periodic=False,
                        initial_delay=0.1, backoff=1.3, max_delay=1.0)


_QUEUES: "weakref.WeakSet[JobQueue]" = weakref.WeakSet()


def _forget_consumers_after_fork() -> None:
    for q in list(_QUEUES):
        q._after_fork()


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_forget_consumers_after_fork)


class _WakeableWorker(Worker):
    """A huey worker that also wakes when this process enqueues (a SQLite queue is polled)."""

    wake: threading.Event | None = None

    def sleep(self) -> None:
        if self.wake is None:
            return super().sleep()
        if self.delay > self.max_delay:
            self.delay = self.max_delay
        if self.wake.wait(self.delay):
            self.wake.clear()
            self.delay = self.default_delay
        else:
            self.delay *= self.backoff


class _ThreadConsumer(Consumer):
    """huey's consumer inside a process that is something else (a server, a command): its
    threads only; the process's signals stay the server's (huey's `start` would take them,
    and cannot outside the main thread)."""

    worker_class = _WakeableWorker

    def _set_signal_handlers(self) -> None:  # the host process owns its signals
        pass


def queue() -> JobQueue:
    return current_app.extensions["job_queue"]


def init_app(app: Flask, runner: Callable[[str], None], page_keys: Callable[[str], object]) -> None:
    """Give the app its queue; `runner(job_id)` reads one job, `page_keys(table_file)` keeps a
    table's page keys (each in an app context)."""
    app.extensions["job_queue"] = JobQueue(app)
    app.extensions["ingest_runner"] = runner
    app.extensions["page_keys_runner"] = page_keys


def start_in_process(app: Flask | None = None) -> bool:
    """Start the consumer thread when this portal reads uploads in-process (INGEST_IN_PROCESS)."""
    app = app or current_app._get_current_object()
    if not app.config.get("INGEST_IN_PROCESS"):
        return False
    app.extensions["job_queue"].start_thread()
    return True


def stop_in_process(app: Flask) -> None:
    q = app.extensions.get("job_queue")
    if q is not None:
        q.stop_thread()
