"""Typed models: organizations, topics, datasets, resources and their versions, users, incidents,
the log of index changes."""
from __future__ import annotations

import uuid
from datetime import datetime, timezone
from typing import Any

from flask_login import UserMixin
from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Column,
    DateTime,
    ForeignKey,
    Integer,
    LargeBinary,
    String,
    Table,
    Text,
    UniqueConstraint,
    and_,
)
from sqlalchemy.ext.hybrid import hybrid_property
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship


class Base(DeclarativeBase):
    """The portal's tables (db.create_schema makes them)."""


def utcnow() -> datetime:
    return datetime.now(timezone.utc).replace(tzinfo=None)


def new_id() -> str:
    return str(uuid.uuid4())


ROLES = ("sysadmin", "org_admin", "editor")
STATES = ("draft", "pending", "published", "deleted")

dataset_topics = Table(
    "dataset_topic",
    Base.metadata,
    Column("dataset_id", ForeignKey("dataset.id", ondelete="CASCADE"), primary_key=True),
    Column("topic_id", ForeignKey("topic.id", ondelete="CASCADE"), primary_key=True),
)

dataset_tags = Table(
    "dataset_tag",
    Base.metadata,
    Column("dataset_id", ForeignKey("dataset.id", ondelete="CASCADE"), primary_key=True),
    Column("tag_id", ForeignKey("tag.id", ondelete="CASCADE"), primary_key=True),
)


class Organization(Base):
    """A publishing unit (the office or one of its bidang)."""

    __tablename__ = "organization"
    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    email: Mapped[str | None] = mapped_column(String(200))
    created: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class Topic(Base):
    """A theme people browse by (CKAN's "group")."""

    __tablename__ = "topic"
    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    title: Mapped[str] = mapped_column(String(200))
    title_en: Mapped[str] = mapped_column(String(200), default="")
    description: Mapped[str] = mapped_column(Text, default="")
    created: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class Tag(Base):
    __tablename__ = "tag"
    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    name: Mapped[str] = mapped_column(String(100), unique=True)


class Dataset(Base):
    __tablename__ = "dataset"
    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    title: Mapped[str] = mapped_column(String(300))
    notes: Mapped[str] = mapped_column(Text, default="")
    organization_id: Mapped[str] = mapped_column(ForeignKey("organization.id"))
    years: Mapped[list[int]] = mapped_column(JSON, default=list)
    unit: Mapped[str] = mapped_column(String(100), default="")  # satuan
    measure: Mapped[str] = mapped_column(String(200), default="")  # ukuran
    frequency: Mapped[str] = mapped_column(String(30), default="")  # frekuensi
    level: Mapped[str] = mapped_column(String(30), default="")  # tingkat penyajian
    coverage: Mapped[str] = mapped_column(String(200), default="")  # cakupan
    definition: Mapped[str] = mapped_column(Text, default="")  # konsep/definisi
    method: Mapped[str] = mapped_column(Text, default="")  # cara perhitungan
    source: Mapped[str] = mapped_column(String(300), default="")
    license_id: Mapped[str] = mapped_column(String(50), default="CC-BY-4.0")
    contact_name: Mapped[str] = mapped_column(String(200), default="")
    contact_email: Mapped[str] = mapped_column(String(200), default="")
    state: Mapped[str] = mapped_column(String(20), default="draft", index=True)
    private: Mapped[bool] = mapped_column(Boolean, default=False)
    suppress_small_cells: Mapped[bool] = mapped_column(Boolean, default=False)
    downloads: Mapped[int] = mapped_column(Integer, default=0)
    created: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    modified: Mapped[datetime] = mapped_column(DateTime, default=utcnow, index=True)
    published: Mapped[datetime | None] = mapped_column(DateTime)
    creator_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))

    organization: Mapped[Organization] = relationship(lazy="joined")
    topics: Mapped[list[Topic]] = relationship(secondary=dataset_topics, order_by="Topic.title")
    tags: Mapped[list[Tag]] = relationship(secondary=dataset_tags, order_by="Tag.name")
    resources: Mapped[list["Resource"]] = relationship(
        back_populates="dataset", order_by="Resource.position", cascade="all, delete-orphan"
    )

    @hybrid_property
    def is_public(self) -> bool:
        """Anyone may see it: published and not private (in Python and in SQL)."""
        return self.state == "published" and not self.private

    @is_public.inplace.expression
    @classmethod
    def _is_public_expression(cls):
        return and_(cls.state == "published", cls.private.is_(False))


class Resource(Base):
    """A table of a dataset; its content lives in numbered versions."""

    __tablename__ = "resource"
    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    dataset_id: Mapped[str] = mapped_column(ForeignKey("dataset.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(300))
    description: Mapped[str] = mapped_column(Text, default="")
    position: Mapped[int] = mapped_column(Integer, default=0)
    created: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    modified: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    dataset: Mapped[Dataset] = relationship(back_populates="resources")
    versions: Mapped[list["ResourceVersion"]] = relationship(
        back_populates="resource",
        order_by="ResourceVersion.number.desc()",
        cascade="all, delete-orphan",
    )

    @property
    def latest(self) -> "ResourceVersion | None":
        return self.versions[0] if self.versions else None

    @property
    def public_version(self) -> "ResourceVersion | None":
        """The newest version that may be shown to the public."""
        for v in self.versions:
            if v.publishable:
                return v
        return None

    # The resource's own facts are those of its current (public, else latest) version.
    @property
    def current(self) -> "ResourceVersion | None":
        return self.public_version or self.latest

    @property
    def format(self) -> str:
        return self.current.format if self.current else ""

    @property
    def sha256(self) -> str | None:
        return self.current.sha256 if self.current else None

    @property
    def size(self) -> int | None:
        return self.current.size if self.current else None

    @property
    def row_count(self) -> int | None:
        return self.current.row_count if self.current else None

    @property
    def columns(self) -> list[dict[str, Any]]:
        return self.current.columns if self.current else []

    @property
    def version(self) -> int | None:
        return self.current.number if self.current else None


class ResourceVersion(Base):
    """One upload of a resource: the original file plus its normalized table."""

    __tablename__ = "resource_version"
    __table_args__ = (UniqueConstraint("resource_id", "number"),)
    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    resource_id: Mapped[str] = mapped_column(ForeignKey("resource.id", ondelete="CASCADE"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    filename: Mapped[str] = mapped_column(String(300))  # the uploader's file name, for display
    format: Mapped[str] = mapped_column(String(10))
    sha256: Mapped[str] = mapped_column(String(64))
    size: Mapped[int] = mapped_column(Integer)
    row_count: Mapped[int] = mapped_column(Integer, default=0)
    columns: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    review: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)  # header row, skipped rows, notes
    options: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)  # the admin's corrections
    summary: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)  # per-column min/max/sum/top
    findings: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)  # personal data found
    small_cells: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    # "ok": clean; "blocked": personal data found; "overridden": a sysadmin judged it a false positive
    privacy_status: Mapped[str] = mapped_column(String(20), default="ok")
    # The original bytes are public only if the first scan of them found nothing.
    original_public: Mapped[bool] = mapped_column(Boolean, default=True)
    # Where its files are: "public" (DATASETS_DIR), "quarantine" (a blocked upload, QUARANTINE_DIR),
    # "purged" (a blocked upload's files were removed; the row says what it was).
    storage: Mapped[str] = mapped_column(String(20), default="public", server_default="public")
    downloads: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    # The table's file in the version's folder: a re-read writes a new one under a new name and
    # the commit switches to it, so the table always matches the committed row.
    table_file: Mapped[str] = mapped_column(String(80), default="table.sqlite", server_default="table.sqlite")
    created: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    creator_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))

    resource: Mapped[Resource] = relationship(back_populates="versions")
    creator: Mapped["User | None"] = relationship()

    @property
    def publishable(self) -> bool:
        return self.privacy_status in ("ok", "overridden")

    @property
    def purged(self) -> bool:
        return self.storage == "purged"


INGEST_STATES = ("queued", "running", "done", "failed")


class IngestJob(Base):
    """An upload received and read by a worker (services/ingest_jobs.py): what it asked, how far
    the reading is, and what came of it (the version made, or why it failed)."""

    __tablename__ = "ingest_job"
    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    state: Mapped[str] = mapped_column(String(20), default="queued", index=True)
    creator_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"), index=True)
    filename: Mapped[str] = mapped_column(String(300))
    sha256: Mapped[str] = mapped_column(String(64))
    params: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)  # the upload's target and options
    locale: Mapped[str] = mapped_column(String(8), default="id")  # the uploader's, for the messages
    # The dataset uploaded to (a new one's once it is made), and what the reading made.
    dataset_id: Mapped[str | None] = mapped_column(String(36))
    resource_id: Mapped[str | None] = mapped_column(String(36))
    version_id: Mapped[str | None] = mapped_column(String(36))
    unchanged: Mapped[bool] = mapped_column(Boolean, default=False)
    bytes_total: Mapped[int] = mapped_column(BigInteger, default=0)
    bytes_read: Mapped[int] = mapped_column(BigInteger, default=0)
    rows_read: Mapped[int] = mapped_column(BigInteger, default=0)
    findings: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)  # masked, found so far
    message: Mapped[str] = mapped_column(Text, default="")
    error: Mapped[dict[str, Any] | None] = mapped_column(JSON)  # why it failed: kind, errors, findings
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    heartbeat: Mapped[datetime | None] = mapped_column(DateTime)  # the reading worker's last sign of life
    created: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    started: Mapped[datetime | None] = mapped_column(DateTime)
    finished: Mapped[datetime | None] = mapped_column(DateTime)


class User(UserMixin, Base):
    __tablename__ = "user"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    email: Mapped[str] = mapped_column(String(200), unique=True)
    name: Mapped[str] = mapped_column(String(200), default="")
    password_hash: Mapped[str] = mapped_column(String(300))
    role: Mapped[str] = mapped_column(String(20), default="editor")
    organization_id: Mapped[str | None] = mapped_column(ForeignKey("organization.id"))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    # What a login session carries instead of the id (Flask-Login's alternative token): a new one
    # on logout, password change and deactivation ends every session and remember-me cookie.
    session_token: Mapped[str | None] = mapped_column(String(64), unique=True, index=True)
    password_changed: Mapped[datetime | None] = mapped_column(DateTime)
    # A person who moved to another office (mutasi): the account stays, inactive, with its history.
    deactivated: Mapped[datetime | None] = mapped_column(DateTime)
    # Two-factor (TOTP, RFC 6238): the base32 secret once confirmed, and the last time step used
    # (a code is accepted once).
    totp_secret: Mapped[str | None] = mapped_column(String(64))
    totp_last_step: Mapped[int | None] = mapped_column(Integer)

    organization: Mapped[Organization | None] = relationship(lazy="joined")

    @property
    def is_active(self) -> bool:  # Flask-Login
        return self.active

    def get_id(self) -> str:  # Flask-Login: the session holds the token, never the bare id
        return self.session_token or ""

    @property
    def has_totp(self) -> bool:
        return bool(self.totp_secret)

    @property
    def is_sysadmin(self) -> bool:
        return self.role == "sysadmin"


class LoginFailure(Base):
    """Failed logins of one account name (known or not, so the answer never tells which), counted
    with one UPDATE each; `locked_until` is set when there were too many."""

    __tablename__ = "login_failure"
    email: Mapped[str] = mapped_column(String(200), primary_key=True)
    failures: Mapped[int] = mapped_column(Integer, default=0)
    first_failed: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    locked_until: Mapped[datetime | None] = mapped_column(DateTime)


class ApiToken(Base):
    """A personal API token; only its hash is kept."""

    __tablename__ = "api_token"
    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(100))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    last_used: Mapped[datetime | None] = mapped_column(DateTime)
    revoked: Mapped[bool] = mapped_column(Boolean, default=False)

    user: Mapped[User] = relationship()


class Activity(Base):
    """Who did what, when."""

    __tablename__ = "activity"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    timestamp: Mapped[datetime] = mapped_column(DateTime, default=utcnow, index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    action: Mapped[str] = mapped_column(String(50))
    object_type: Mapped[str] = mapped_column(String(30))
    object_id: Mapped[str] = mapped_column(String(36))
    dataset_id: Mapped[str | None] = mapped_column(String(36), index=True)
    detail: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)

    user: Mapped[User | None] = relationship()


class Incident(Base):
    """A published dataset taken down for personal data: what it was, who purged it, why, and
    by when the people concerned must be told (UU 27/2022 Pasal 46: 3 x 24 hours). Never public."""

    __tablename__ = "incident"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    dataset_id: Mapped[str] = mapped_column(String(36), index=True)  # the dataset row stays, deleted
    dataset_name: Mapped[str] = mapped_column(String(100))
    dataset_title: Mapped[str] = mapped_column(String(300))
    organization_title: Mapped[str] = mapped_column(String(200), default="")
    dataset_state: Mapped[str] = mapped_column(String(20), default="")  # before the takedown
    published: Mapped[datetime | None] = mapped_column(DateTime)
    taken_down: Mapped[datetime] = mapped_column(DateTime, default=utcnow, index=True)
    notify_by: Mapped[datetime] = mapped_column(DateTime)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    user_email: Mapped[str] = mapped_column(String(200), default="")  # kept should the account go
    reason: Mapped[str] = mapped_column(Text)
    downloads: Mapped[int] = mapped_column(Integer, default=0)  # the dataset's, all versions
    # [{resource_id, resource_name, version_id, number, filename, created, downloads, privacy_status}]
    versions: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)

    user: Mapped[User | None] = relationship()


class IndexChange(Base):
    """One committed change of what the search index must hold for a dataset, in commit order
    (services/index_log.py): each machine's own index applies the entries it has not applied yet."""

    __tablename__ = "index_change"
    # AUTOINCREMENT on SQLite: a number is never given twice, also after `prune-log` emptied the end.
    __table_args__ = {"sqlite_autoincrement": True}
    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    dataset_id: Mapped[str] = mapped_column(String(36))
    op: Mapped[str] = mapped_column(String(10))  # upsert, delete, expunge (a takedown)
    node: Mapped[str] = mapped_column(String(32))  # the index that already applied it (its NODE id)
    created: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


# -- interact: information requests (UU 14/2008), feedback on datasets, messages -------------

REQUEST_KINDS = ("request", "feedback", "message")
# diterima: received; diproses: being handled; diperpanjang: extended; dipenuhi: fulfilled;
# ditolak: refused (Pasal 17); tidak_dikuasai: not held; diteruskan: passed on; keberatan: objected;
# sengketa: taken to the Komisi Informasi; dijawab: a feedback or message answered.
REQUEST_STATUSES = ("diterima", "diproses", "diperpanjang", "dipenuhi", "ditolak", "tidak_dikuasai",
                    "diteruskan", "keberatan", "sengketa", "dijawab")
CLOSED_STATUSES = ("dipenuhi", "ditolak", "tidak_dikuasai", "diteruskan", "dijawab")


class InfoRequest(Base):
    """A request for information, a comment on a dataset or a message to the office. The
    requester's name and contact are never public and are erased a while after it closes."""

    __tablename__ = "info_request"
    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    number: Mapped[str] = mapped_column(String(30), unique=True)  # PPID-2026-000123
    kind: Mapped[str] = mapped_column(String(20), default="request", index=True)
    subject: Mapped[str] = mapped_column(String(300))
    description: Mapped[str] = mapped_column(Text, default="")
    purpose: Mapped[str] = mapped_column(Text, default="")
    delivery: Mapped[str] = mapped_column(String(20), default="email")
    # what may be shown publicly: the subject and description as masked when received
    public_subject: Mapped[str] = mapped_column(String(300), default="")
    public_description: Mapped[str] = mapped_column(Text, default="")
    is_public: Mapped[bool] = mapped_column(Boolean, default=True)
    requester_name: Mapped[str | None] = mapped_column(String(200))
    requester_contact: Mapped[str | None] = mapped_column(String(200))
    personal_erased: Mapped[datetime | None] = mapped_column(DateTime)
    tracking_hash: Mapped[str] = mapped_column(String(64), unique=True)
    dataset_id: Mapped[str | None] = mapped_column(String(36), index=True)
    organization_id: Mapped[str | None] = mapped_column(ForeignKey("organization.id"), index=True)
    status: Mapped[str] = mapped_column(String(20), default="diterima", index=True)
    received: Mapped[datetime] = mapped_column(DateTime, default=utcnow, index=True)
    due: Mapped[datetime | None] = mapped_column(DateTime, index=True)
    extended_reason: Mapped[str | None] = mapped_column(Text)
    reply: Mapped[str | None] = mapped_column(Text)
    refusal_ground: Mapped[str | None] = mapped_column(String(2))
    consequence_test: Mapped[str | None] = mapped_column(Text)
    holder: Mapped[str | None] = mapped_column(String(300))
    answer_dataset_id: Mapped[str | None] = mapped_column(String(36))
    closed: Mapped[datetime | None] = mapped_column(DateTime)
    objection_ground: Mapped[str | None] = mapped_column(String(30))
    objection_reason: Mapped[str | None] = mapped_column(Text)
    objection_filed: Mapped[datetime | None] = mapped_column(DateTime)
    objection_due: Mapped[datetime | None] = mapped_column(DateTime)
    objection_answer: Mapped[str | None] = mapped_column(Text)
    objection_answered: Mapped[datetime | None] = mapped_column(DateTime)
    reminded: Mapped[datetime | None] = mapped_column(DateTime)
    # The answer as a file (a letter, a table) for the requester only: kept in the database, so a
    # backup holds it; never offered on a public page (it has not been through the privacy scan).
    answer_filename: Mapped[str | None] = mapped_column(String(200))
    answer_type: Mapped[str | None] = mapped_column(String(100))
    answer_file: Mapped[bytes | None] = mapped_column(LargeBinary, deferred=True)

    organization: Mapped[Organization | None] = relationship(lazy="joined")
    events: Mapped[list["InfoRequestEvent"]] = relationship(
        back_populates="request", order_by="InfoRequestEvent.id", cascade="all, delete-orphan")

    @property
    def is_open(self) -> bool:
        return self.status not in CLOSED_STATUSES


class InfoRequestEvent(Base):
    """One step of a request's history, as the register shows it (`note` is public text)."""

    __tablename__ = "info_request_event"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    request_id: Mapped[str] = mapped_column(ForeignKey("info_request.id", ondelete="CASCADE"), index=True)
    timestamp: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    status: Mapped[str] = mapped_column(String(20))
    note: Mapped[str] = mapped_column(Text, default="")
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))

    request: Mapped[InfoRequest] = relationship(back_populates="events")
