"""Calendar arithmetic for time expressions: periods, shifts, seasons and parts of a period.

Pure date functions with no text in them. A period is a closed interval of dates
`(start, end)`; granularity names the unit it spans: day, week (Monday to Sunday), month,
season (meteorological, northern hemisphere), quarter, year, decade.
"""

from __future__ import annotations

import calendar
import datetime as dt

Period = tuple[dt.date, dt.date]
GRANULARITIES = ("day", "week", "month", "season", "quarter", "year", "decade")
# how coarse each unit is, to compare granularities
COARSENESS = {g: k for k, g in enumerate(GRANULARITIES)}
MONTHS_IN = {"month": 1, "quarter": 3, "season": 3, "year": 12, "decade": 120, "century": 1200}
DAYS_IN = {"day": 1, "week": 7, "weekend": 7, "fortnight": 14}
# parts of a period as fractions of its length: "early 2004" is its first third
PARTS = {"early": (0.0, 1 / 3), "start": (0.0, 1 / 3), "beginning": (0.0, 1 / 3), "mid": (1 / 3, 2 / 3),
         "middle": (1 / 3, 2 / 3), "late": (2 / 3, 1.0), "end": (2 / 3, 1.0), "turn": (2 / 3, 1.0),
         "first half": (0.0, 0.5), "second half": (0.5, 1.0), "rest": (None, 1.0)}


MIN_MONTHS_TO_CUT_BY_MONTH = 3
MIN_DAYS_TO_CUT = 3


def month_period(year: int, month: int) -> Period:
    return dt.date(year, month, 1), dt.date(year, month, calendar.monthrange(year, month)[1])


def year_period(year: int) -> Period:
    return dt.date(year, 1, 1), dt.date(year, 12, 31)


def season_period(season_month: int, year: int) -> Period:
    """The three months from `season_month`; winter (12) of a year runs into February of the next."""
    start = dt.date(year, season_month, 1)
    end_month = season_month + 2
    end_year = year + (end_month - 1) // 12
    end_month = (end_month - 1) % 12 + 1
    return start, month_period(end_year, end_month)[1]


def quarter_period(quarter: int, year: int) -> Period:
    first = 3 * (quarter - 1) + 1
    return dt.date(year, first, 1), month_period(year, first + 2)[1]


def period_of(unit: str, day: dt.date) -> Period:
    """The period of `unit` containing `day`."""
    if unit in ("day",):
        return day, day
    if unit in ("week", "fortnight"):
        monday = day - dt.timedelta(days=day.weekday())
        return monday, monday + dt.timedelta(days=6)
    if unit == "weekend":
        saturday = day + dt.timedelta(days=(5 - day.weekday()) % 7 if day.weekday() < 5 else -(day.weekday() - 5))
        return saturday, saturday + dt.timedelta(days=1)
    if unit == "month":
        return month_period(day.year, day.month)
    if unit == "quarter":
        return quarter_period((day.month - 1) // 3 + 1, day.year)
    if unit == "season":
        if day.month in (12, 1, 2):
            return season_period(12, day.year if day.month == 12 else day.year - 1)
        return season_period(day.month // 3 * 3, day.year)
    if unit == "decade":
        return year_period(day.year - day.year % 10)[0], year_period(day.year - day.year % 10 + 9)[1]
    return year_period(day.year)


def granularity_of(unit: str) -> str:
    """The granularity a unit word resolves to: a fortnight is counted in weeks, a century in years."""
    return {"fortnight": "week", "weekend": "day", "century": "year"}.get(unit, unit)


def shift(day: dt.date, n: int, unit: str) -> dt.date:
    """`day` moved by `n` units (negative: back); month ends clamp (31 Jan + 1 month = 28/29 Feb)."""
    if unit in DAYS_IN:
        return day + dt.timedelta(days=n * DAYS_IN[unit])
    months = day.year * 12 + day.month - 1 + n * MONTHS_IN.get(unit, 12)
    year, month = divmod(months, 12)
    month += 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def shift_period(p: Period, n: int, unit: str) -> Period:
    return shift(p[0], n, unit), shift(p[1], n, unit)


def part_of(p: Period, part: str, today: dt.date | None = None) -> Period:
    """The part of period `p` that `early`, `mid`, `end`, `first half`, `rest` ... names; periods of
    whole months are cut at month boundaries (`late 2004` is September to December)."""
    lo, hi = PARTS[part]
    if lo is None:  # "the rest of the year": from the reference day on
        return (max(p[0], today) if today and today <= p[1] else p[0]), p[1]
    months = (p[1].year - p[0].year) * 12 + p[1].month - p[0].month + 1
    if p[0].day == 1 and p[1] == month_period(p[1].year, p[1].month)[1] and months >= MIN_MONTHS_TO_CUT_BY_MONTH:
        first = shift(p[0], round(months * lo), "month")
        last = shift(p[0], round(months * hi) - 1, "month")
        return first, month_period(last.year, last.month)[1]
    length = (p[1] - p[0]).days + 1
    if length < MIN_DAYS_TO_CUT:
        return p  # "early the next day": a day has no smaller part here
    return p[0] + dt.timedelta(days=round(length * lo)), p[0] + dt.timedelta(days=round(length * hi) - 1)


def next_weekday(day: dt.date, weekday: int, future: bool) -> dt.date:
    """The named weekday nearest `day`: on or before it, or (future) after it."""
    if future:
        return day + dt.timedelta(days=(weekday - day.weekday() - 1) % 7 + 1)
    return day - dt.timedelta(days=(day.weekday() - weekday) % 7)
