"""Energy and climate: yearly energy demand and CO2 of buildings, at every level.

**Floor area by use** comes from the urbanism measures (:mod:`scenarios.indicators.measures`:
gross floor area = ``floor_area_m2`` or footprint × storeys, split by ``use_mix`` or ``use``).

**Housing** (the residential share). The assumptions give *primary* energy per m² of dwelling
by construction period (``energy.housing_primary_<period>_kwh_per_m2``: before 1948,
1948-1974, 1975-1988, 1989-2000, 2001-2012, 2013-2021, and RE2020 from 2022). Primary energy
counts electricity at ``energy.primary_factor_electricity`` (1.9) and other carriers at 1, so
the final energy is ``primary / (1 + s × (1.9 − 1))`` with ``s`` the electricity share of
housing's final energy (first of ``energy.housing_carrier_shares``, 0.35): 250 kWh EP/m² before
1948 becomes 190 kWh EF/m². These ratios are per m² of dwelling, so the gross floor area is
first turned into habitable area with ``land.habitable_per_floor_area`` (0.87). Without a
construction year the national average ``energy.housing_final_kwh_per_m2`` (149 kWh EF/m²)
is used, except for buildings a scenario adds (``source`` ``scenario``), which are new: they
get the RE2020 figure.

**Tertiary**: final energy per m² of floor area by use, as the sources give it: offices
``energy.office_final_kwh_per_m2``, shops ``energy.retail_final_kwh_per_m2``, public facilities
(schools, town hall, health, sport ...) the all-tertiary average
``energy.tertiary_final_kwh_per_m2`` (schools at 125 and health at 250 lie either side); the
primary energy uses the tertiary electricity share (``energy.tertiary_carrier_shares``, 0.50).
**Not counted**: industry and agriculture (their energy is the process's, not the building's),
annexes (garages, sheds: unheated) and unknown uses (in BD TOPO « Indifférencié », mostly
sheds: median 25 m² in Olemps).

**Measured class and retrofit.** A known ``energy_class`` replaces the estimate by the middle
of its DPE range (``dpe.primary_kwh_per_m2_upper``; G: ``energy.class_g_primary_kwh_per_m2``).
A ``retrofit_target`` caps the primary energy per m² at the **upper limit of the target class**
(a building already better keeps its value); the limits are the DPE's, so a retrofit to C
leaves at most 180 kWh EP/m². (``energy.deep_retrofit_saving``, 60 %, is not applied: the class
limit says the same for a 1948-1974 building retrofitted to B, 300 → 110, a 63 % saving.)

**CO2** = final energy × the carrier shares × ``emissions.*`` factors (electricity at the DPE's
heating factor ``emissions.electricity_heating_kg_per_kwh``, 0.079 kgCO2e/kWh, for all of a
building's electricity: a conservative choice; the 2022 average mix is 0.052).

**Estimated DPE class**: primary energy and CO2 per m² of reference area (habitable area for
housing, floor area for tertiary) against the DPE's double threshold (the worse of the two
classes), or the measured class where known and no retrofit is planned.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd
import pyarrow as pa

import scenarios.indicators.measures  # noqa: F401  (registers the floor_area measures)
from scenarios.assumptions import Assumptions
from scenarios.indicators.base import IndicatorSpec, indicator
from scenarios.indicators.measure_context import MeasureContext
from scenarios.indicators.plans import (
    Ratio,
    Sum,
    Value,
    measure_group,
    plan_indicator,
    plan_reads,
)
from twin.city import City
from twin.levels import Level

DPE_CLASSES = ("A", "B", "C", "D", "E", "F", "G")
PERIOD_STARTS = (1948, 1975, 1989, 2001, 2013, 2022)
"""First years of the construction periods after the first (before 1948)."""
HOUSING_PRIMARY = (
    "energy.housing_primary_before_1948_kwh_per_m2",
    "energy.housing_primary_1948_1974_kwh_per_m2",
    "energy.housing_primary_1975_1988_kwh_per_m2",
    "energy.housing_primary_1989_2000_kwh_per_m2",
    "energy.housing_primary_2001_2012_kwh_per_m2",
    "energy.housing_primary_after_2012_kwh_per_m2",
    "energy.housing_primary_re2020_kwh_per_m2",
)
HOUSING_AVERAGE = "energy.housing_final_kwh_per_m2"
NEW_BUILDING_SOURCE = "scenario"
"""``source`` of the buildings a scenario adds (scenarios.edits.new_building)."""
TERTIARY_FINAL = {  # heated tertiary use → its final energy per m² of floor area
    "office": "energy.office_final_kwh_per_m2",
    "retail": "energy.retail_final_kwh_per_m2",
    "public": "energy.tertiary_final_kwh_per_m2",
}
HOUSING_SHARES = "energy.housing_carrier_shares"
TERTIARY_SHARES = "energy.tertiary_carrier_shares"
CARRIER_FACTORS = (  # same order as the carrier shares
    "emissions.electricity_heating_kg_per_kwh",
    "emissions.gas_kg_per_kwh",
    "emissions.oil_kg_per_kwh",
    "emissions.wood_kg_per_kwh",
    "emissions.district_heating_kg_per_kwh",
)
PRIMARY_FACTOR = "energy.primary_factor_electricity"
HABITABLE = "land.habitable_per_floor_area"
CLASS_PRIMARY = "dpe.primary_kwh_per_m2_upper"
CLASS_EMISSIONS = "dpe.emissions_kg_per_m2_upper"
CLASS_G = "energy.class_g_primary_kwh_per_m2"
ASSUMPTIONS = (
    *HOUSING_PRIMARY,
    HOUSING_AVERAGE,
    *TERTIARY_FINAL.values(),
    HOUSING_SHARES,
    TERTIARY_SHARES,
    *CARRIER_FACTORS,
    PRIMARY_FACTOR,
    HABITABLE,
    CLASS_PRIMARY,
    CLASS_EMISSIONS,
    CLASS_G,
)
OUTPUTS = (
    "final_energy_kwh",
    "final_energy_housing_kwh",
    "final_energy_tertiary_kwh",
    "primary_energy_kwh",
    "co2_kg",
    "energy_reference_area_m2",
    "energy_class_index",
)


def carrier_mix(assumptions: Assumptions, key: str) -> tuple[float, float]:
    """(primary per final kWh, kgCO2e per final kWh) of a sector's carrier shares.

    Example:
        >>> from scenarios.assumptions import defaults
        >>> primary, co2 = carrier_mix(defaults(), HOUSING_SHARES)
        >>> round(primary, 3), round(co2, 3)
        (1.315, 0.137)
    """
    shares = np.asarray(assumptions.limits(key), dtype="float64")
    if shares.shape != (len(CARRIER_FACTORS),) or (shares < 0).any() or shares.sum() <= 0:
        raise ValueError(f"{key} must be {len(CARRIER_FACTORS)} shares >= 0, got {shares}")
    shares = shares / shares.sum()
    factors = np.array([assumptions.value(k) for k in CARRIER_FACTORS])
    primary = 1.0 + shares[0] * (assumptions.value(PRIMARY_FACTOR) - 1.0)
    return float(primary), float(shares @ factors)


def class_primary_kwh_per_m2(assumptions: Assumptions) -> np.ndarray:
    """Primary energy per m² taken for each measured class A..G (middle of its range)."""
    limits = np.asarray(assumptions.limits(CLASS_PRIMARY), dtype="float64")
    lower = np.concatenate([[0.0], limits[:-1]])
    return np.append((lower + limits) / 2.0, assumptions.value(CLASS_G))


def class_index(values: pd.Series) -> np.ndarray:
    """DPE letters as 0 (A) .. 6 (G), -1 where missing or not a class.

    Example:
        >>> class_index(pd.Series(["c", " G ", None, "Z", "A"])).tolist()
        [2, 6, -1, -1, 0]
    """
    lookup = {letter: i for i, letter in enumerate(DPE_CLASSES)}
    codes, uniques = pd.factorize(values)  # a few distinct texts: no string per row is made
    table = [lookup.get(str(text).strip().upper(), -1) for text in uniques]
    return np.array([*table, -1], dtype=np.int64)[np.asarray(codes, dtype=np.int64)]


def housing_primary_kwh_per_m2(year: np.ndarray, assumptions: Assumptions) -> np.ndarray:
    """Primary energy per m² of dwelling by construction period (NaN where the year is unknown).

    Example:
        >>> from scenarios.assumptions import defaults
        >>> housing_primary_kwh_per_m2(np.array([1900, 1960, 2015, 2023, np.nan]), defaults())
        array([250., 300.,  67.,  45.,  nan])
    """
    by_period = np.array([assumptions.value(key) for key in HOUSING_PRIMARY])
    period = np.digitize(np.nan_to_num(year, nan=0.0), PERIOD_STARTS)
    return np.where(np.isfinite(year), by_period[period], np.nan)


@measure_group(
    "energy",
    "buildings",
    OUTPUTS,
    (
        "buildings.construction_year",
        "buildings.source",
        "buildings.energy_class",
        "buildings.retrofit_target",
    ),
    needs=("floor_area",),
    assumptions=ASSUMPTIONS,
    rowwise=True,
)
def energy(ctx: MeasureContext) -> dict[str, np.ndarray]:
    """Yearly final and primary energy, CO2 and estimated DPE class of each building."""
    a = ctx.assumptions
    housing_factor, housing_co2 = carrier_mix(a, HOUSING_SHARES)
    tertiary_factor, tertiary_co2 = carrier_mix(a, TERTIARY_SHARES)
    measured = class_index(ctx.texts("energy_class"))
    target = class_index(ctx.texts("retrofit_target"))
    by_class = class_primary_kwh_per_m2(a)
    limits = np.append(np.asarray(a.limits(CLASS_PRIMARY), dtype="float64"), np.inf)
    cap = np.where(target >= 0, limits[target], np.inf)

    def adjusted(primary_per_m2: np.ndarray) -> np.ndarray:
        known = np.where(measured >= 0, by_class[measured], primary_per_m2)
        return np.minimum(known, cap)

    # Housing, per m² of dwelling.
    year = ctx.numbers("construction_year")
    new = (ctx.texts("source") == NEW_BUILDING_SOURCE).to_numpy(dtype=bool) & ~(year > 0)
    year = np.where(new, float(PERIOD_STARTS[-1]), np.where(year > 0, year, np.nan))
    by_period = housing_primary_kwh_per_m2(year, a)
    average = a.value(HOUSING_AVERAGE) * housing_factor
    housing_primary = adjusted(np.where(np.isfinite(by_period), by_period, average))
    habitable = ctx.measure("floor_area_residential_m2") * a.value(HABITABLE)
    housing_final = habitable * housing_primary / housing_factor
    # Tertiary, per m² of floor area.
    tertiary_final = np.zeros(ctx.n)
    tertiary_area = np.zeros(ctx.n)
    for use, key in TERTIARY_FINAL.items():
        area = ctx.measure(f"floor_area_{use}_m2")
        primary = adjusted(np.full(ctx.n, a.value(key) * tertiary_factor))
        tertiary_final += area * primary / tertiary_factor
        tertiary_area += area
    primary_total = housing_final * housing_factor + tertiary_final * tertiary_factor
    co2 = housing_final * housing_co2 + tertiary_final * tertiary_co2
    reference = habitable + tertiary_area
    with np.errstate(divide="ignore", invalid="ignore"):
        per_m2 = primary_total / reference
        co2_per_m2 = co2 / reference
    by_energy = np.digitize(per_m2, a.limits(CLASS_PRIMARY), right=True)
    by_co2 = np.digitize(co2_per_m2, a.limits(CLASS_EMISSIONS), right=True)
    estimated = np.where(reference > 0, np.maximum(by_energy, by_co2), np.nan)
    keep_measured = (measured >= 0) & (target < 0)
    return {
        "final_energy_kwh": housing_final + tertiary_final,
        "final_energy_housing_kwh": housing_final,
        "final_energy_tertiary_kwh": tertiary_final,
        "primary_energy_kwh": primary_total,
        "co2_kg": co2,
        "energy_reference_area_m2": reference,
        "energy_class_index": np.where(keep_measured, measured, estimated).astype("float64"),
    }


LEVELS = (Level.BUILDING, Level.PARCEL, Level.DISTRICT, Level.COMMUNE, Level.TERRITORY)
_FRENCH = {
    Level.BUILDING: "par bâtiment",
    Level.PARCEL: "par parcelle",
    Level.DISTRICT: "par quartier",
    Level.COMMUNE: "par commune",
    Level.TERRITORY: "du territoire",
}
_SUMS = {  # measure → (French title, unit, meaning)
    "final_energy_kwh": (
        "Consommation d'énergie finale",
        "kWh/yr",
        "Yearly final energy of the heated floor area: housing by construction period (primary "
        "ratios turned into final energy), tertiary by use, capped by a retrofit's target "
        "class; industry, annexes and unknown uses not counted.",
    ),
    "final_energy_housing_kwh": (
        "Énergie finale des logements",
        "kWh/yr",
        "Yearly final energy of the residential floor area (by construction period, measured "
        "class or retrofit target).",
    ),
    "final_energy_tertiary_kwh": (
        "Énergie finale du tertiaire",
        "kWh/yr",
        "Yearly final energy of office, retail and public floor area (national ratios by use).",
    ),
    "primary_energy_kwh": (
        "Consommation d'énergie primaire",
        "kWh/yr",
        "Yearly primary energy: final energy with electricity counted at its primary factor.",
    ),
    "co2_kg": (
        "Émissions de gaz à effet de serre",
        "kgCO2e/yr",
        "Yearly emissions of the final energy, by an assumed mix of carriers (electricity, "
        "gas, oil, wood, district heating) for housing and for tertiary buildings.",
    ),
}


def _register() -> dict[tuple[str, Level], Callable[..., pd.Series]]:
    registered = {}
    for level in LEVELS:
        suffix = level.name.lower()
        for measure, (title, unit, meaning) in _SUMS.items():
            registered[(measure, level)] = plan_indicator(
                f"{measure}_{suffix}",
                f"{title} {_FRENCH[level]}",
                unit,
                level,
                Sum(measure),
                meaning,
                measure=measure,
                group="climate" if measure == "co2_kg" else "energy",
            )
        registered[("primary_energy_kwh_per_m2", level)] = plan_indicator(
            f"primary_energy_kwh_per_m2_{suffix}",
            f"Énergie primaire par m² {_FRENCH[level]}",
            "kWh/m2/yr",
            level,
            Ratio(Sum("primary_energy_kwh"), Sum("energy_reference_area_m2")),
            "Yearly primary energy per m² of reference area (habitable area of housing, floor "
            "area of tertiary uses), the DPE's measure.",
            measure="primary_energy_kwh_per_m2",
            group="energy",
        )
    return registered


#: The registered plan indicators, by (measure, level).
ENERGY_INDICATORS = _register()
_CLASS_PLAN = Value("energy_class_index")


@indicator(
    IndicatorSpec(
        "energy_class_building",
        "Classe énergie (DPE) par bâtiment",
        "",
        Level.BUILDING,
        plan_reads(_CLASS_PLAN, Level.BUILDING),
        "The measured DPE class where known and no retrofit is planned, else the class of "
        "the estimated primary energy and CO2 per m² (DPE double threshold); empty for "
        "buildings without heated floor area.",
        measure="energy_class",
        group="energy",
        assumptions=ASSUMPTIONS,
    )
)
def energy_class_building(
    city: City, *, assumptions: Assumptions | None = None, baseline: City | None = None
) -> pd.Series:
    """DPE class letter of each building (measured, or estimated; None without heated area)."""
    from scenarios.indicators.workspace import Workspace

    del baseline  # the class is the City's own
    index = Workspace(city, assumptions=assumptions).evaluate(_CLASS_PLAN, Level.BUILDING)
    return class_letters(index)


def class_letters(index: pd.Series) -> pd.Series:
    """DPE letters from class indexes 0 (A) .. 6 (G); missing where NaN.

    Example:
        >>> letters = class_letters(pd.Series([0.0, 6.0, np.nan], index=["a", "b", "c"]))
        >>> letters.tolist()[:2], bool(letters.isna()["c"])
        (['A', 'G'], True)
    """
    values = index.to_numpy()
    known = np.isfinite(values) & (values >= 0) & (values < len(DPE_CLASSES))
    if known.any() and getattr(_TEXT, "storage", None) == "pyarrow":  # Arrow text at once
        codes = pa.array(np.where(known, values, 0).astype(np.int8), mask=~known)
        arrow = pa.DictionaryArray.from_arrays(codes, _ARROW_CLASSES).cast(pa.large_string())
        return pd.Series(pd.array(arrow, dtype=_TEXT), index=index.index, name="energy_class")
    letters = np.array([*DPE_CLASSES, None], dtype=object)
    codes = np.where(np.isfinite(values), values, 7).astype(np.int64)
    return pd.Series(letters[codes], index=index.index, name="energy_class")


_TEXT = pd.Series(np.array(["A"], dtype=object)).dtype  # the dtype pandas gives text
_ARROW_CLASSES = pa.array(DPE_CLASSES, type=pa.large_string())


# The engine evaluates the plan on its own workspace (measures kept, only edited rows
# recomputed), then turns the indexes into letters.
energy_class_building.plan = _CLASS_PLAN  # type: ignore[attr-defined]
energy_class_building.finish = class_letters  # type: ignore[attr-defined]
