"""Where the sun is: positions over a day or a year for a town, from pvlib.

Azimuths are in degrees clockwise from north (90 east, 180 south), elevations in degrees
above the horizon, *apparent* (with atmospheric refraction, as the eye sees the sun rise).
Times are taken in French local time (Europe/Paris) and each position stands for a slice of
time (``duration_h``) centred on it, so summing the durations of the positions where a point
sees the sun gives its hours of sun.

Each position also carries the clear-sky irradiance pvlib's Ineichen model (with the
Linke-turbidity climatology shipped with pvlib) gives on a horizontal plane during its slice:
``beam_wh_m2`` (direct: DNI × sin(elevation)) and ``diffuse_wh_m2`` (DHI). The roof solar
potential weights sun positions by them (see :mod:`scenarios.indicators.solar`).
"""

from __future__ import annotations

import datetime as dt
import functools
import logging
import warnings
from dataclasses import dataclass

import numpy as np
import pandas as pd
import pvlib
from pyproj import Transformer

from twin.city import City
from twin.errors import InvalidInputError

logger = logging.getLogger(__name__)

TIMEZONE = "Europe/Paris"
DEFAULT_YEAR = 2025
"""Year of the dates sampled (the sun's path barely changes from one year to the next)."""
WINTER_SOLSTICE = (12, 21)
"""Month and day of the winter solstice used for sunlight hours (21 December)."""
DAYS_PER_YEAR = 365.0


@dataclass(frozen=True)
class SunPositions:
    """Sun positions, each standing for a slice of time.

    Attributes:
        times: the middle of each slice (tz-aware, UTC).
        azimuth_deg: degrees clockwise from north.
        elevation_deg: apparent elevation above the horizon, degrees (> 0: the sun is up).
        duration_h: hours of the year (or day) each position stands for.
        beam_wh_m2: clear-sky direct irradiation on a horizontal plane over that time, Wh/m².
        diffuse_wh_m2: clear-sky diffuse irradiation on a horizontal plane, Wh/m².
    """

    times: pd.DatetimeIndex
    azimuth_deg: np.ndarray
    elevation_deg: np.ndarray
    duration_h: np.ndarray
    beam_wh_m2: np.ndarray
    diffuse_wh_m2: np.ndarray

    def __len__(self) -> int:
        return len(self.azimuth_deg)

    def directions(self) -> np.ndarray:
        """(n, 3) unit vectors towards the sun in (east, north, up) metres.

        Example:
            >>> noon = SunPositions(pd.DatetimeIndex([], tz="UTC"), np.array([180.0]),
            ...                     np.array([45.0]), np.ones(1), np.ones(1), np.ones(1))
            >>> np.round(noon.directions(), 3).tolist()
            [[0.0, -0.707, 0.707]]
        """
        azimuth = np.radians(self.azimuth_deg)
        elevation = np.radians(self.elevation_deg)
        flat = np.cos(elevation)
        return np.stack([flat * np.sin(azimuth), flat * np.cos(azimuth), np.sin(elevation)], axis=1)


def city_lat_lon(
    city: City, buildings_extent: tuple[float, float, float, float] | None = None
) -> tuple[float, float]:
    """Latitude and longitude (degrees, WGS84) of the middle of the City's buildings (or data).

    ``buildings_extent``: the buildings' total bounds when the caller already has them.

    Raises:
        InvalidInputError: the City holds no geometry to place the sun for.
    """
    extent = buildings_extent
    if extent is None and "buildings" in city and len(city.layer("buildings")):
        extent = tuple(city.layer("buildings").total_bounds)
    if extent is None or not np.all(np.isfinite(extent)):
        extent = city.extent()
    if extent is None:
        raise InvalidInputError(
            "the project holds no geometry, so the sun's path cannot be placed; import "
            "buildings first."
        )
    x = (extent[0] + extent[2]) / 2.0
    y = (extent[1] + extent[3]) / 2.0
    lon, lat = _to_wgs84(city.crs.to_wkt()).transform(x, y)
    return float(lat), float(lon)


@functools.lru_cache(maxsize=4)
def _to_wgs84(crs_wkt: str) -> Transformer:
    return Transformer.from_crs(crs_wkt, "EPSG:4326", always_xy=True)


def sun_positions(
    latitude: float, longitude: float, times: pd.DatetimeIndex, duration_h: np.ndarray
) -> SunPositions:
    """pvlib's sun positions and clear-sky irradiance at ``times`` (tz-aware) for a place.

    Example:
        >>> noon = pd.Timestamp("2025-06-21 13:50", tz="Europe/Paris")  # solar noon at Rodez
        >>> sun = sun_positions(44.35, 2.57, pd.DatetimeIndex([noon]), np.ones(1))
        >>> round(float(sun.elevation_deg[0]), 1), round(float(sun.azimuth_deg[0]))
        (69.1, 179)
    """
    if times.tz is None:
        raise ValueError("times must be time-zone aware")
    location = pvlib.location.Location(latitude, longitude, tz=TIMEZONE)
    with warnings.catch_warnings():  # pvlib 0.16 still calls DatetimeIndex.dayofyear
        warnings.filterwarnings("ignore", message=".*dayofyear.*")
        solar = location.get_solarposition(times)
        sky = location.get_clearsky(times, solar_position=solar)
    elevation = solar["apparent_elevation"].to_numpy(dtype="float64")
    sine = np.sin(np.radians(np.clip(elevation, 0.0, 90.0)))
    duration = np.broadcast_to(np.asarray(duration_h, dtype="float64"), elevation.shape)
    beam = sky["dni"].to_numpy(dtype="float64") * sine * duration
    diffuse = sky["dhi"].to_numpy(dtype="float64") * duration
    return SunPositions(
        times=times.tz_convert("UTC"),
        azimuth_deg=solar["azimuth"].to_numpy(dtype="float64"),
        elevation_deg=elevation,
        duration_h=duration.copy(),
        beam_wh_m2=np.nan_to_num(beam),
        diffuse_wh_m2=np.nan_to_num(diffuse),
    )


def _slices(day: dt.date, step_min: float) -> pd.DatetimeIndex:
    """Middles of ``step_min``-minute slices over one local day."""
    if not 0 < step_min <= 180:
        raise InvalidInputError(f"time step {step_min} min must be between 0 and 180 minutes.")
    start = pd.Timestamp(day, tz=TIMEZONE)
    count = round(24 * 60 / step_min)
    return start + pd.to_timedelta((np.arange(count) + 0.5) * step_min, unit="min")


def day_positions(
    latitude: float, longitude: float, day: dt.date, step_min: float = 10.0
) -> SunPositions:
    """Positions of the sun while it is up on ``day``, one per ``step_min`` slice.

    Example:
        >>> sun = day_positions(44.35, 2.57, dt.date(2025, 12, 21), step_min=5)
        >>> 8.6 < float(sun.duration_h.sum()) < 9.1  # about 8 h 50 min of daylight
        True
    """
    times = _slices(day, step_min)
    positions = sun_positions(latitude, longitude, times, np.full(len(times), step_min / 60.0))
    return _up(positions)


def winter_solstice_positions(
    latitude: float, longitude: float, step_min: float = 10.0, year: int = DEFAULT_YEAR
) -> SunPositions:
    """The sun while it is up on 21 December of ``year``, every ``step_min`` minutes."""
    return day_positions(latitude, longitude, dt.date(year, *WINTER_SOLSTICE), step_min)


def yearly_positions(
    latitude: float,
    longitude: float,
    step_min: float = 60.0,
    days: tuple[int, ...] = tuple(range(1, 13)),
    year: int = DEFAULT_YEAR,
) -> SunPositions:
    """A year of sun as representative days: the 21st of each month in ``days``.

    Each position stands for ``step_min`` minutes on every day its month stands for
    (365 / number of months), so ``duration_h`` and the irradiation add up over a year.
    """
    if not days or any(not 1 <= month <= 12 for month in days):
        raise InvalidInputError(f"months {days} must be numbers from 1 to 12.")
    per_day = DAYS_PER_YEAR / len(days)
    slices = [_slices(dt.date(year, month, 21), step_min) for month in days]
    times = slices[0].append(slices[1:]) if len(slices) > 1 else slices[0]
    positions = sun_positions(
        latitude, longitude, times, np.full(len(times), step_min / 60.0 * per_day)
    )
    return _up(positions)


def _up(positions: SunPositions) -> SunPositions:
    """Only the positions with the sun above the horizon."""
    keep = positions.elevation_deg > 0.0
    return SunPositions(
        times=positions.times[keep],
        azimuth_deg=positions.azimuth_deg[keep],
        elevation_deg=positions.elevation_deg[keep],
        duration_h=positions.duration_h[keep],
        beam_wh_m2=positions.beam_wh_m2[keep],
        diffuse_wh_m2=positions.diffuse_wh_m2[keep],
    )
