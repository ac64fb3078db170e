"""Where the sun is over the town at a local date and time, and where the view's light comes
from (no Qt here).

Positions are pvlib's (:func:`scenarios.sun.sun_positions`, apparent elevation, azimuth
clockwise from north) at the middle of the City's buildings; times are French local time
(Europe/Paris). The day's daylight is read from pvlib's positions every 2 minutes, so the time
slider runs from the first to the last minute the sun is up.
"""

from __future__ import annotations

import datetime as dt
import logging
import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from scenarios.sun import TIMEZONE, WINTER_SOLSTICE, city_lat_lon, day_positions, sun_positions
from twin.city import City

logger = logging.getLogger(__name__)

DAYLIGHT_STEP_MIN = 2.0
SLIDER_STEP_MIN = 5
"""The time slider moves by 5 minutes."""
SUMMER_SOLSTICE = (6, 21)
EQUINOX = (3, 20)
"""The spring equinox (20 March; the autumn one, 22 or 23 September, gives nearly the same sun)."""
LIGHT_DISTANCE_M = 5_000.0
"""How far from the focal point the sun light is placed (a directional light: only the
direction counts)."""


@dataclass(frozen=True)
class SunPlace:
    """Latitude and longitude (degrees, WGS84) the sun is computed for."""

    latitude: float
    longitude: float

    @classmethod
    def of(cls, city: City) -> SunPlace:
        """The middle of the City's buildings (or of its data)."""
        latitude, longitude = city_lat_lon(city)
        return cls(latitude, longitude)


@dataclass(frozen=True)
class SunState:
    """The sun at one local time: azimuth (degrees from north, clockwise) and apparent
    elevation (degrees above the horizon)."""

    when: dt.datetime
    azimuth_deg: float
    elevation_deg: float

    @property
    def is_up(self) -> bool:
        """Whether the sun is above the horizon."""
        return self.elevation_deg > 0.0

    def direction(self) -> np.ndarray:
        """Unit vector towards the sun in (east, north, up).

        Example:
            >>> south = SunState(dt.datetime(2025, 6, 21, 14), 180.0, 30.0).direction()
            >>> np.round(south, 3).tolist()
            [0.0, -0.866, 0.5]
        """
        return sun_direction(self.azimuth_deg, self.elevation_deg)


def sun_direction(azimuth_deg: float, elevation_deg: float) -> np.ndarray:
    """Unit vector towards the sun in (east, north, up) for an azimuth and an elevation."""
    azimuth, elevation = math.radians(azimuth_deg), math.radians(elevation_deg)
    flat = math.cos(elevation)
    return np.array([flat * math.sin(azimuth), flat * math.cos(azimuth), math.sin(elevation)])


def direction_angles(vector: np.ndarray) -> tuple[float, float]:
    """(azimuth, elevation) in degrees of a vector pointing towards the sun.

    Example:
        >>> [round(a, 6) for a in direction_angles(sun_direction(141.0, 12.0))]
        [141.0, 12.0]
    """
    x, y, z = (float(v) for v in np.asarray(vector, dtype="float64") / np.linalg.norm(vector))
    return math.degrees(math.atan2(x, y)) % 360.0, math.degrees(math.asin(max(-1.0, min(1.0, z))))


def local_time(day: dt.date, minutes: int) -> dt.datetime:
    """``minutes`` after local midnight of ``day``, time-zone aware (Europe/Paris).

    Example:
        >>> local_time(dt.date(2025, 12, 21), 600).isoformat()
        '2025-12-21T10:00:00+01:00'
    """
    start = pd.Timestamp(day, tz=TIMEZONE)
    return (start + pd.Timedelta(minutes=int(minutes))).to_pydatetime()


def sun_at(place: SunPlace, when: dt.datetime) -> SunState:
    """The sun's position at ``when`` (time-zone aware) over ``place``, from pvlib."""
    times = pd.DatetimeIndex([pd.Timestamp(when)])
    if times.tz is None:
        raise ValueError("the time must be time-zone aware")
    positions = sun_positions(place.latitude, place.longitude, times, np.ones(1))
    return SunState(when, float(positions.azimuth_deg[0]), float(positions.elevation_deg[0]))


def daylight_minutes(place: SunPlace, day: dt.date) -> tuple[int, int]:
    """First and last minute after local midnight the sun is up on ``day``, on the slider's
    5-minute steps (sunrise rounded up, sunset down); (720, 720) on a day without sun.

    Example:
        >>> rise, set_ = daylight_minutes(SunPlace(44.35, 2.57), dt.date(2025, 12, 21))
        >>> f"{rise // 60}:{rise % 60:02d}", f"{set_ // 60}:{set_ % 60:02d}"
        ('8:25', '17:10')
    """
    positions = day_positions(place.latitude, place.longitude, day, DAYLIGHT_STEP_MIN)
    if not len(positions):
        return 720, 720
    start = pd.Timestamp(day, tz=TIMEZONE)
    local = positions.times.tz_convert(TIMEZONE)
    minutes = (local - start).total_seconds().to_numpy() / 60.0
    half = DAYLIGHT_STEP_MIN / 2.0
    first = math.ceil((minutes.min() - half) / SLIDER_STEP_MIN) * SLIDER_STEP_MIN
    last = math.floor((minutes.max() + half) / SLIDER_STEP_MIN) * SLIDER_STEP_MIN
    return int(first), int(max(first, last))


def clamp_minutes(minutes: int, daylight: tuple[int, int]) -> int:
    """``minutes`` on the slider's steps, within the day's daylight.

    Example:
        >>> clamp_minutes(1203, (505, 1030)), clamp_minutes(603, (505, 1030))
        (1030, 605)
    """
    stepped = round(minutes / SLIDER_STEP_MIN) * SLIDER_STEP_MIN
    return int(min(max(stepped, daylight[0]), daylight[1]))


def quick_date(kind: str, year: int) -> dt.date:
    """The day of a quick button: ``"summer"`` (21 June), ``"winter"`` (21 December) or
    ``"equinox"`` (20 March) of ``year``.

    Example:
        >>> quick_date("winter", 2025).isoformat()
        '2025-12-21'
    """
    month_day = {"summer": SUMMER_SOLSTICE, "winter": WINTER_SOLSTICE, "equinox": EQUINOX}[kind]
    return dt.date(year, *month_day)


def light_position(focal_point: np.ndarray, state: SunState) -> np.ndarray:
    """Where to put a directional light aimed at ``focal_point`` so that it shines from the
    sun: ``LIGHT_DISTANCE_M`` towards the sun."""
    return np.asarray(focal_point, dtype="float64") + LIGHT_DISTANCE_M * state.direction()
