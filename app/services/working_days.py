"""Working days as UU 14/2008 counts them: weekends, national holidays and the nationally decreed
cuti bersama are skipped. The calendar is the `holidays` package's Indonesian one (public and
government categories: the latter holds the cuti bersama); app/data/cuti_bersama_changes.json holds
only late changes to the decree the package does not know yet."""
from __future__ import annotations

import json
from datetime import date, timedelta
from functools import lru_cache
from pathlib import Path

import holidays

CHANGES = Path(__file__).resolve().parent.parent / "data" / "cuti_bersama_changes.json"


@lru_cache(maxsize=1)
def _changes() -> tuple[frozenset[date], frozenset[date]]:
    data = json.loads(CHANGES.read_text(encoding="utf-8")) if CHANGES.exists() else {}

    def dates(key: str) -> frozenset[date]:
        return frozenset(date.fromisoformat(d if isinstance(d, str) else d["date"]) for d in data.get(key, []))

    return dates("add"), dates("remove")


@lru_cache(maxsize=64)
def _calendar(year: int) -> frozenset[date]:
    from holidays.countries import Indonesia

    days = holidays.country_holidays("ID", years=year, categories=Indonesia.supported_categories)
    return frozenset(days)


def is_working_day(day: date) -> bool:
    added, removed = _changes()
    if day in added:
        return False
    if day in removed:
        return day.weekday() < 5
    return day.weekday() < 5 and day not in _calendar(day.year)


def add_working_days(start: date, n: int) -> date:
    """The day `n` working days after `start` (the day of receipt does not count)."""
    day, left = start, n
    while left > 0:
        day += timedelta(days=1)
        if is_working_day(day):
            left -= 1
    return day


def working_days_between(start: date, end: date) -> int:
    """Working days after `start` up to and including `end` (0 when end <= start; negative when
    end is before start: -(working days from end to start))."""
    if end == start:
        return 0
    sign, lo, hi = (1, start, end) if end > start else (-1, end, start)
    count, day = 0, lo
    while day < hi:
        day += timedelta(days=1)
        if is_working_day(day):
            count += 1
    return sign * count


def holiday_name(day: date) -> str | None:
    from holidays.countries import Indonesia

    days = holidays.country_holidays("ID", years=day.year, categories=Indonesia.supported_categories)
    return days.get(day)
