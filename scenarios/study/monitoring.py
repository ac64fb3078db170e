"""Indicators to follow after delivery, each with its value before the project (baseline) and
the target the study sets, taken from the study's own figures.

Example:
    >>> table = monitoring_table({"premises_to_connect": 23.0, "duct_length_m": 41.5})
    >>> table.loc["premises_connected", ["baseline", "target"]].tolist()
    [0.0, 23.0]
"""

from __future__ import annotations

import math

import pandas as pd

NAN = float("nan")


def _value(figures: dict[str, float], key: str) -> float:
    return float(figures.get(key, NAN))


def monitoring_table(figures: dict[str, float]) -> pd.DataFrame:
    """One row per indicator to follow (index ``indicator``): ``unit``, ``baseline``,
    ``target``, ``comparison`` (``at_least`` or ``at_most``), ``frequency`` (``at_delivery``
    or ``yearly``). Each row is read from the figures docs/study.md names."""
    get = _value
    checked = get(figures, "coverage_buildings_checked")
    lacking = get(figures, "mobile_coverage_buildings")
    coverage_now = 100.0 * (checked - lacking) / checked if checked > 0 else NAN
    saving = get(figures, "smart.energy_management_saving")
    energy_after = get(figures, "buildings_energy_kwh")
    sensors_now = get(figures, "sensors_existing")
    sensors_new = get(figures, "sensors_needed")
    rows = [
        (
            "ftth_connectable_share",
            "%",
            get(figures, "premises_connectable_share"),
            100.0,
            "at_least",
            "premises_connectable_share",
        ),
        (
            "premises_connected",
            "premises",
            0.0,
            get(figures, "premises_to_connect"),
            "at_least",
            "premises_to_connect",
        ),
        ("ducts_laid_m", "m", 0.0, get(figures, "duct_length_m"), "at_least", "duct_length_m"),
        (
            "mobile_coverage_share",
            "%",
            coverage_now,
            100.0 if checked > 0 else NAN,
            "at_least",
            "coverage_buildings_checked, mobile_coverage_buildings",
        ),
        (
            "smart_meters_installed",
            "meters",
            0.0,
            get(figures, "electricity_meters") + get(figures, "water_meters"),
            "at_least",
            "electricity_meters, water_meters",
        ),
        (
            "sensors_installed",
            "sensors",
            sensors_now,
            (0.0 if math.isnan(sensors_now) else sensors_now) + sensors_new,
            "at_least",
            "sensors_existing, sensors_needed",
        ),
        (
            "buildings_energy_kwh",
            "kWh/yr",
            get(figures, "buildings_energy_before_kwh"),
            energy_after * (1 - saving),
            "at_most",
            "buildings_energy_before_kwh, buildings_energy_kwh, smart.energy_management_saving",
        ),
        (
            "energy_saved_measured_kwh",
            "kWh/yr",
            0.0,
            get(figures, "energy_saved_kwh"),
            "at_least",
            "energy_saved_kwh",
        ),
        (
            "digital_energy_kwh",
            "kWh/yr",
            0.0,
            get(figures, "digital_energy_kwh"),
            "at_most",
            "digital_energy_kwh",
        ),
    ]
    columns = ["indicator", "unit", "baseline", "target", "comparison", "from"]
    frame = pd.DataFrame(rows, columns=columns).set_index("indicator")
    frame["frequency"] = [
        "at_delivery" if name in AT_DELIVERY else "yearly" for name in frame.index
    ]
    return frame.drop(columns="from")


#: Indicators measured once, when the project is delivered (the others every year).
AT_DELIVERY = ("premises_connected", "ducts_laid_m", "smart_meters_installed", "sensors_installed")
