"""The PPID's yearly service report, made from the register as the Komisi Informasi's annual
monitoring asks (Perki 1/2021): requests received, their answers (fulfilled, refused by Pasal 17
ground, not held, passed on), how many working days the first answer took, objections and
disputes; comments on datasets and messages counted apart. Only counts, never a name or contact.

A request belongs to the year it was received, so a year's outcomes add up to its requests. Its
outcome is its first answer (the register's first closing step): a refusal later fulfilled after
an objection still counts as refused, as the law's monitoring counts the PPID's own answer.
Working days are counted on the same calendar as the deadlines (services.working_days), from the
day of receipt to the day of the first answer.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import and_, case, func, select
from sqlalchemy.orm import aliased

from .. import db
from ..models import InfoRequest, InfoRequestEvent, utcnow
from .errors import ValidationError
from .info_requests import EXEMPTIONS, OBJECTION_GROUNDS
from .working_days import working_days_between

FIRST_YEAR = 2008  # UU 14/2008
ANSWERS = ("dipenuhi", "ditolak", "tidak_dikuasai", "diteruskan")


def parse_year(value: Any) -> int:
    """The report's year from a link (`?tahun=2026`); none given is this year.

    :raises ValidationError: not a year from 2008 to this year.
    """
    this_year = utcnow().year
    if value in (None, ""):
        return this_year
    text = str(value).strip()
    if not (text.isascii() and text.isdigit() and len(text) == 4 and FIRST_YEAR <= int(text) <= this_year):
        raise ValidationError({"tahun": [_l("The year must be a number from %(first)d to %(last)d.",
                                            first=FIRST_YEAR, last=this_year)]})
    return int(text)


@dataclass
class ServiceReport:
    year: int
    received: int = 0
    fulfilled: int = 0
    refused: int = 0
    refused_by_ground: dict[str, int] = field(default_factory=lambda: dict.fromkeys(EXEMPTIONS, 0))
    not_held: int = 0
    passed_on: int = 0
    still_open: int = 0
    extended: int = 0
    answered: int = 0
    answered_in_time: int = 0
    answered_late: int = 0
    average_days: float = 0.0
    max_days: int = 0
    objections: int = 0
    objections_by_ground: dict[str, int] = field(default_factory=lambda: dict.fromkeys(OBJECTION_GROUNDS, 0))
    objections_answered: int = 0
    objections_answered_in_time: int = 0
    disputes: int = 0
    feedback_received: int = 0
    feedback_answered: int = 0
    messages_received: int = 0
    messages_answered: int = 0

    def rows(self) -> list[tuple[str, Any, int | float]]:
        """(code, label, value) in the report's order: the page's table and the CSV alike."""
        out: list[tuple[str, Any, int | float]] = [
            ("requests_received", _l("Requests received"), self.received),
            ("requests_fulfilled", _l("Fulfilled"), self.fulfilled),
            ("requests_refused", _l("Refused"), self.refused),
        ]
        out += [(f"requests_refused_{g}", _l("Refused, Pasal 17 %(ground)s", ground=label), self.refused_by_ground[g])
                for g, label in EXEMPTIONS.items()]
        out += [
            ("requests_not_held", _l("Not held by the office"), self.not_held),
            ("requests_passed_on", _l("Passed on to the body that holds it"), self.passed_on),
            ("requests_open", _l("Not answered yet"), self.still_open),
            ("requests_extended", _l("Extended by 7 working days"), self.extended),
            ("requests_answered_in_time", _l("Answered within the time limit"), self.answered_in_time),
            ("requests_answered_late", _l("Answered after the time limit"), self.answered_late),
            ("working_days_average", _l("Average working days to the first answer"), self.average_days),
            ("working_days_max", _l("Longest time to the first answer, in working days"), self.max_days),
            ("objections_filed", _l("Objections filed"), self.objections),
        ]
        out += [(f"objections_{g}", _l("Objections: %(ground)s", ground=label), self.objections_by_ground[g])
                for g, label in OBJECTION_GROUNDS.items()]
        out += [
            ("objections_answered", _l("Objections answered"), self.objections_answered),
            ("objections_answered_in_time", _l("Objections answered within 30 working days"),
             self.objections_answered_in_time),
            ("disputes", _l("Taken to the Komisi Informasi (disputes)"), self.disputes),
            ("feedback_received", _l("Comments on datasets received"), self.feedback_received),
            ("feedback_answered", _l("Comments on datasets answered"), self.feedback_answered),
            ("messages_received", _l("Messages received"), self.messages_received),
            ("messages_answered", _l("Messages answered"), self.messages_answered),
        ]
        return out


def _ones(condition) -> Any:
    return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)


def yearly(year: int) -> ServiceReport:
    """The service report of one year (the requests received in it)."""
    s = db.session()
    report = ServiceReport(year)
    in_year = and_(InfoRequest.received >= datetime(year, 1, 1), InfoRequest.received < datetime(year + 1, 1, 1))
    requests_ = and_(in_year, InfoRequest.kind == "request")

    # each request's first answer: the register's first closing step
    first = (select(InfoRequestEvent.request_id.label("request_id"), func.min(InfoRequestEvent.id).label("event_id"))
             .where(InfoRequestEvent.status.in_(ANSWERS)).group_by(InfoRequestEvent.request_id).subquery())
    answer = aliased(InfoRequestEvent)
    answered = (select(InfoRequest).outerjoin(first, first.c.request_id == InfoRequest.id)
                .outerjoin(answer, answer.id == first.c.event_id).where(requests_))

    outcome = answered.with_only_columns(answer.status, InfoRequest.refusal_ground, func.count()) \
        .group_by(answer.status, InfoRequest.refusal_ground)
    for status, ground, n in s.execute(outcome):
        report.received += n
        if status is None:
            report.still_open += n
        elif status == "dipenuhi":
            report.fulfilled += n
        elif status == "ditolak":
            report.refused += n
            if ground in report.refused_by_ground:
                report.refused_by_ground[ground] += n
        elif status == "tidak_dikuasai":
            report.not_held += n
        elif status == "diteruskan":
            report.passed_on += n

    # the days to the first answer: only dates leave the database. The first closing step's
    # time, or the request's closing time if that is earlier (a register kept before the steps).
    times = answered.with_only_columns(InfoRequest.received, InfoRequest.due, InfoRequest.closed, answer.timestamp) \
        .where(answer.id.is_not(None))
    days = []
    for received, due, closed, stepped in s.execute(times):
        at = min(t for t in (closed, stepped) if t is not None)
        days.append(working_days_between(received.date(), at.date()))
        if due is None or at <= due:
            report.answered_in_time += 1
        else:
            report.answered_late += 1
    report.answered = len(days)
    if days:
        report.average_days = round(sum(days) / len(days), 1)
        report.max_days = max(days)

    report.extended = s.scalar(select(func.count()).select_from(InfoRequest)
                               .where(requests_, InfoRequest.extended_reason.is_not(None))) or 0

    objected = requests_ & InfoRequest.objection_filed.is_not(None)
    for ground, n in s.execute(select(InfoRequest.objection_ground, func.count()).where(objected)
                               .group_by(InfoRequest.objection_ground)):
        report.objections += n
        if ground in report.objections_by_ground:
            report.objections_by_ground[ground] += n
    in_time, done = s.execute(select(
        _ones(InfoRequest.objection_answered <= InfoRequest.objection_due),
        _ones(InfoRequest.objection_answered.is_not(None))).where(objected)).one()
    report.objections_answered, report.objections_answered_in_time = int(done), int(in_time)
    report.disputes = s.scalar(
        select(func.count(func.distinct(InfoRequestEvent.request_id)))
        .join(InfoRequest, InfoRequest.id == InfoRequestEvent.request_id)
        .where(requests_, InfoRequestEvent.status == "sengketa")) or 0

    others = select(InfoRequest.kind, func.count(), _ones(InfoRequest.closed.is_not(None))) \
        .where(in_year, InfoRequest.kind.in_(("feedback", "message"))).group_by(InfoRequest.kind)
    for kind, n, replied in s.execute(others):
        if kind == "feedback":
            report.feedback_received, report.feedback_answered = n, int(replied)
        else:
            report.messages_received, report.messages_answered = n, int(replied)
    return report


def years_on_record() -> list[int]:
    """The years from the first request received to this year, newest first (the page's links)."""
    first = db.session().scalar(select(func.min(InfoRequest.received)).where(InfoRequest.kind == "request"))
    this_year = utcnow().year
    start = max(FIRST_YEAR, min(first.year, this_year)) if first else this_year
    return list(range(this_year, start - 1, -1))
