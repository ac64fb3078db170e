"""Which services run on a day: calendar.txt weekdays and dates, calendar_dates.txt exceptions.

Either file may be missing (many feeds list every running day in calendar_dates.txt alone).
The default service day is the busiest Tuesday of the feed's validity (most trips; the earliest
of equals), else the busiest weekday, else the busiest day: a normal working day, not a holiday.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from datetime import date

import numpy as np
import pandas as pd

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_ADDED, _REMOVED = 1, 2


@dataclass(frozen=True)
class ServiceCalendar:
    """The running days of every service, as arrays over service codes.

    Attributes:
        services: service ids; a service's code is its position.
        days: per calendar.txt row, its service code, first and last day and weekday flags.
        exceptions: per calendar_dates.txt row, its service code, day and type (1 added,
            2 removed).
        has_calendar: False when the feed has neither file (then every service runs every day).
    """

    services: pd.Index
    weekday_flags: np.ndarray  # (rows, 7) bool
    starts: np.ndarray  # datetime64[D]
    ends: np.ndarray
    calendar_service: np.ndarray  # int
    exception_day: np.ndarray  # datetime64[D]
    exception_service: np.ndarray
    exception_type: np.ndarray
    has_calendar: bool

    @classmethod
    def from_frames(
        cls, calendar: pd.DataFrame | None, calendar_dates: pd.DataFrame | None, services: pd.Index
    ) -> tuple[ServiceCalendar, pd.DataFrame]:
        """Build the calendar; also return the rows whose dates could not be read.

        ``services`` are the service ids trips use; ids only the calendars name are added.
        """
        has_calendar = calendar_dates is not None or (calendar is not None and len(calendar) > 0)
        calendar = calendar if calendar is not None else pd.DataFrame(columns=["service_id"])
        dates = calendar_dates if calendar_dates is not None else pd.DataFrame()
        if not len(dates.columns):
            dates = pd.DataFrame(columns=["service_id", "date", "exception_type"])
        ids = pd.Index(services).append(pd.Index(calendar["service_id"].dropna()))
        ids = ids.append(pd.Index(dates["service_id"].dropna())).unique()
        starts = parse_dates(calendar.get("start_date"), len(calendar))
        ends = parse_dates(calendar.get("end_date"), len(calendar))
        flags = np.zeros((len(calendar), 7), bool)
        for k, day in enumerate(WEEKDAYS):
            if day in calendar:
                flags[:, k] = (
                    pd.to_numeric(calendar[day], errors="coerce").fillna(0).to_numpy() == 1
                )
        good_calendar = (
            ~np.isnat(starts) & ~np.isnat(ends) & calendar["service_id"].notna().to_numpy()
        )
        exception_day = parse_dates(dates["date"], len(dates))
        kind = pd.to_numeric(dates["exception_type"], errors="coerce").to_numpy()
        good_dates = ~np.isnat(exception_day) & np.isin(kind, (_ADDED, _REMOVED))
        bad = pd.concat(
            [
                calendar.loc[~good_calendar, ["service_id"]].assign(file="calendar.txt"),
                dates.loc[~good_dates, ["service_id"]].assign(file="calendar_dates.txt"),
            ]
        )
        built = cls(
            services=ids,
            weekday_flags=flags[good_calendar],
            starts=starts[good_calendar],
            ends=ends[good_calendar],
            calendar_service=ids.get_indexer(calendar["service_id"][good_calendar]),
            exception_day=exception_day[good_dates],
            exception_service=ids.get_indexer(dates["service_id"][good_dates]),
            exception_type=kind[good_dates].astype(int),
            has_calendar=has_calendar,
        )
        return built, bad

    def validity(self) -> tuple[date, date] | None:
        """First and last day any service may run, or None when no day is known."""
        days = np.concatenate([self.starts, self.ends, self.exception_day])
        if not len(days):
            return None
        return _to_date(days.min()), _to_date(days.max())

    def running(self, days: np.ndarray) -> np.ndarray:
        """(days, services) bool: which services run on each of ``days`` (datetime64[D])."""
        days = np.asarray(days, "datetime64[D]")
        n = len(self.services)
        out = np.zeros((len(days), n), bool)
        if not self.has_calendar:
            out[:] = True
            return out
        weekday = ((days.astype(np.int64) + 3) % 7).astype(int)  # 1970-01-01 was a Thursday
        inside = (days[:, None] >= self.starts) & (days[:, None] <= self.ends)
        active = inside & self.weekday_flags[:, weekday].T
        rows, cal = np.nonzero(active)
        out[rows, self.calendar_service[cal]] = True
        for kind, value in ((_ADDED, True), (_REMOVED, False)):
            match = self.exception_type == kind
            rows, exc = np.nonzero(days[:, None] == self.exception_day[match])
            out[rows, self.exception_service[match][exc]] = value
        return out

    def trips_on(self, days: np.ndarray, trips_per_service: np.ndarray) -> np.ndarray:
        """Trips running on each of ``days``."""
        return self.running(days).astype(np.int64) @ trips_per_service.astype(np.int64)

    def busiest_day(self, trips_per_service: np.ndarray) -> tuple[date | None, str]:
        """The default service day and the rule that chose it.

        The busiest Tuesday within the validity; without a Tuesday with service, the busiest
        weekday; then the busiest day. Days between two calendar boundaries run the same
        services, so one day per boundary interval and weekday is tried, plus every exception day.
        """
        candidates = self._candidate_days()
        if not len(candidates):
            return None, "no day in the calendar"
        trips = self.trips_on(candidates, trips_per_service)
        weekday = (candidates.astype(np.int64) + 3) % 7
        for rule, allowed in (
            ("the busiest Tuesday", weekday == 1),
            ("the busiest weekday (no Tuesday has service)", weekday < 5),
            ("the busiest day (no weekday has service)", np.ones(len(weekday), bool)),
        ):
            keep = allowed & (trips > 0)
            if keep.any():
                best = np.flatnonzero(keep)[np.argmax(trips[keep])]  # first of equals
                return _to_date(candidates[best]), rule
        return _to_date(candidates.min()), "no day has service"

    def _candidate_days(self) -> np.ndarray:
        bounds = np.unique(np.concatenate([self.starts, self.ends + 1, self.exception_day]))
        if not len(bounds):
            return bounds
        specials = set(self.exception_day.tolist())
        days: list[np.datetime64] = []
        for first, stop in itertools.pairwise(bounds):
            span = np.arange(first, min(stop, first + 21), dtype="datetime64[D]")
            seen: set[int] = set()
            for day in span:  # one ordinary day per weekday and interval (at most 21 looked at)
                weekday = int((day.astype(np.int64) + 3) % 7)
                if weekday not in seen and day.tolist() not in specials:
                    seen.add(weekday)
                    days.append(day)
        days.extend(np.unique(self.exception_day).tolist())
        return np.unique(np.array(days, dtype="datetime64[D]"))


def parse_dates(values: pd.Series | None, n: int) -> np.ndarray:
    """``YYYYMMDD`` text to datetime64[D] (NaT where unreadable)."""
    if values is None:
        return np.full(n, np.datetime64("NaT"), "datetime64[D]")
    text = values.astype("str").str.strip()
    parsed = pd.to_datetime(text, format="%Y%m%d", errors="coerce")
    return parsed.to_numpy().astype("datetime64[D]")


def parse_day(text: object) -> date | None:
    """A day given by the user: a date, ``YYYY-MM-DD`` or ``YYYYMMDD``; None if unreadable.

    >>> parse_day("2019-05-07"), parse_day("20190507"), parse_day("7 May")
    (datetime.date(2019, 5, 7), datetime.date(2019, 5, 7), None)
    """
    if isinstance(text, date):
        return text
    value = str(text).strip()
    for pattern in ("%Y-%m-%d", "%Y%m%d"):
        parsed = pd.to_datetime(value, format=pattern, errors="coerce")
        if not pd.isna(parsed):
            return parsed.date()
    return None


def _to_date(day: np.datetime64) -> date:
    value = np.asarray(day, dtype="datetime64[D]").item()
    assert isinstance(value, date)
    return value
