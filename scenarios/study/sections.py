"""The sections built from the analysis: effects, measures, costs and benefits, monitoring,
methods, and the summary (the same Figure objects as the sections they come from).

Paragraph keys and the values they take are those of the report's text tables
(``scenarios/report/texts_study.py``); values are Figures where a number has a unit.
"""

from __future__ import annotations

from scenarios.study.assumption_log import AssumptionLog
from scenarios.study.costs import cost_figures, works_figures
from scenarios.study.digital_assets import NETWORK_POINT_SPACING_M
from scenarios.study.ducts import CONTEXTS
from scenarios.study.effects import Analysis
from scenarios.study.energy_value import energy_chart
from scenarios.study.equipment import EQUIPMENT_UNITS
from scenarios.study.model import Chart, Figure, MapLayer, Section, Table
from scenarios.study.monitoring import monitoring_table
from scenarios.study.premises import AREA_INDICATORS, PREMISE_M2, PREMISES_UNITS

NAN = float("nan")
NO_DATA = "note.no_digital_assets"
SUMMARY_KEYS = (  # by three: the costs; needs and energy; the value returned
    "cost_at_development_eur",
    "cost_retrofit_eur",
    "saving_eur",
    "premises_to_connect",
    "duct_length_m",
    "energy_saved_kwh",
    "value_per_euro",
    "collective_value",
)
EQUIPMENT_FIGURES = {
    "electricity_meter": ("electricity_meters", "meters"),
    "water_meter": ("water_meters", "meters"),
    "lorawan_gateway": ("lorawan_gateways", "gateways"),
    "streetlight": ("streetlights", "streetlights"),
    "small_cell": ("small_cells_needed", "small cells"),
}
FLOOR_AREAS = tuple(f"indicator:{name}" for name in AREA_INDICATORS)


def effects_section(a: Analysis) -> Section:
    """Premises to connect, ducts, equipment, coverage, the equipment's energy."""
    p, changes = a.premises, a.changes
    section = Section("effects")
    model = "model:buildings"
    to_connect = float(p["premises_to_connect"].sum())
    section.figures += [
        Figure("buildings_new", float(len(changes.new_ids)), "buildings", model),
        Figure("buildings_changed", float(len(changes.changed_ids)), "buildings", model),
        Figure("buildings_demolished", float(len(changes.demolished_ids)), "buildings", model),
        Figure(
            "dwellings_to_connect",
            float(p["new_dwellings"].sum()),
            "dwellings",
            "computed",
            ("indicator:dwellings_building",),
        ),
        Figure(
            "business_premises_to_connect",
            float(p["new_business_premises"].sum()),
            "premises",
            "computed",
            (*FLOOR_AREAS, PREMISE_M2),
        ),
        Figure(
            "premises_to_connect",
            to_connect,
            "premises",
            "computed",
            ("dwellings_to_connect", "business_premises_to_connect"),
            "" if to_connect > 0 else "note.nothing_to_connect",
        ),
        Figure(
            "premises_equipped",
            float(p["premises_after"].sum()),
            "premises",
            "computed",
            ("indicator:dwellings_building", *FLOOR_AREAS, PREMISE_M2),
        ),
    ]
    section.figures += _duct_figures(a)
    section.figures += _equipment_figures(a)
    section.figures.append(a.energy_figure("digital_energy_kwh"))
    section.paragraphs += _effects_paragraphs(a, section)
    section.tables += [
        Table("premises", p, PREMISES_UNITS),
        Table(
            "ducts",
            a.ducts.routes.drop(columns="geometry").set_index("building_id"),
            {"length_m": "m", "building_leg_m": "m", "straight_m": "m"},
        ),
        Table("equipment_by_use", a.sensors, {"area_ha": "ha", "sensors_per_ha": "sensors/ha"}),
        Table("equipment", a.equipment, EQUIPMENT_UNITS),
    ]
    section.maps += [
        MapLayer("new_ducts", a.ducts.routes, "duct_planned"),
        MapLayer("new_buildings", a.targets, "buildings_new_map"),
        MapLayer("uncovered_buildings", a.coverage.uncovered_frame, "coverage_area"),
    ]
    return section


def _duct_figures(a: Analysis) -> list[Figure]:
    plan = a.ducts
    note = plan.reason or ("note.no_new_buildings" if not len(a.targets) else "")
    inputs = ("model:roads", "model:digital_assets", "model:buildings")
    out = [Figure("duct_length_m", plan.length_m, "m", "computed", inputs, note)]
    out += [
        Figure(
            f"duct_length_{context}_m",
            float(plan.length_by_context[context]),
            "m",
            "computed",
            ("duct_length_m", "fibre.town_centre_min_coverage", "model:roads"),
            note,
        )
        for context in CONTEXTS
    ]
    out.append(
        Figure("buildings_routed", float(len(plan.routes)), "buildings", "computed", inputs, note)
    )
    return out


def _equipment_figures(a: Analysis) -> list[Figure]:
    counts = a.equipment["count"]
    out = [
        Figure(
            "sensors_needed",
            float(a.sensors["sensors"].sum()),
            "sensors",
            "computed",
            ("model:parcels", *(f"smart.sensors_per_ha_{c}" for c in a.sensors.index)),
        ),
        Figure(
            "smart_meters_needed",
            float(counts["electricity_meter"] + counts["water_meter"]),
            "meters",
            "computed",
            ("electricity_meters", "water_meters"),
        ),
    ]
    for item, (key, unit) in EQUIPMENT_FIGURES.items():
        inputs = tuple(k.strip() for k in str(a.equipment.loc[item, "assumptions"]).split(","))
        unknown = item == "small_cell" and not a.coverage.known
        value = NAN if unknown else float(counts[item])
        note = NO_DATA if unknown else ""
        out.append(Figure(key, value, unit, "computed", ("premises_equipped", *inputs), note))
    coverage = a.coverage
    out += [
        Figure(
            "coverage_buildings_checked",
            float(coverage.checked),
            "buildings",
            "computed",
            ("premises_to_connect",),
        ),
        Figure(
            "mobile_coverage_buildings",
            float(len(coverage.uncovered)) if coverage.known else NAN,
            "buildings",
            "computed",
            ("model:digital_assets", "mobile.cell_radius_dense_m", "mobile.cell_radius_rural_m"),
            "" if coverage.known else NO_DATA,
        ),
    ]
    return out


def _effects_paragraphs(a: Analysis, section: Section) -> list[tuple[str, dict[str, object]]]:
    figure = section.figure
    out: list[tuple[str, dict[str, object]]] = [
        (
            "effects.premises",
            {
                "dwellings": figure("dwellings_to_connect"),
                "business": figure("business_premises_to_connect"),
                "premises": figure("premises_to_connect"),
            },
        )
    ]
    if len(a.targets):
        out.append(("effects.ducts", {"length": figure("duct_length_m")}))
    out.append(
        (
            "effects.equipment",
            {"sensors": figure("sensors_needed"), "meters": figure("smart_meters_needed")},
        )
    )
    if a.coverage.known and a.coverage.checked:
        out.append(
            (
                "effects.mobile",
                {
                    "buildings": figure("mobile_coverage_buildings"),
                    "distance": (a.coverage.radius_m, "m"),
                },
            )
        )
    out.append(("effects.energy", {"energy": figure("digital_energy_kwh")}))
    return out


def measures_section(a: Analysis) -> Section:
    """Avoid / reduce / compensate measures and their saving."""
    section = Section("measures")
    for measure, row in a.measures.iterrows():
        inputs = tuple(k.strip() for k in str(row["inputs"]).split(","))
        compensate = row["type"] == "compensate"
        key = f"measure_{measure}_{'cost' if compensate else 'saving'}_eur"
        value = row["cost_eur"] if compensate else row["saving_eur"]
        note = NO_DATA if measure == "small_cells" and not a.coverage.known else ""
        section.figures.append(Figure(key, float(value), "€", "computed", inputs, note))
    length = next(f for f in _duct_figures(a) if f.key == "duct_length_m")
    section.paragraphs += [
        ("measures.avoid", {}),
        (
            "measures.ducts_in_advance",
            {"saving": section.figure("measure_ducts_laid_in_advance_saving_eur")},
        ),
        ("measures.reduce", {"length": length}),
        ("measures.compensate", {}),
    ]
    section.tables.append(Table("measures", a.measures, {"saving_eur": "€", "cost_eur": "€"}))
    return section


def costs_section(a: Analysis) -> Section:
    """Fibre at development vs retrofitted, smart energy's cost, value and energy."""
    section = Section("costs_benefits")
    section.figures += cost_figures(a.costs)
    section.figures += works_figures(a.costs)
    section.figures += a.energy
    section.figures.append(
        Figure(
            "buildings_energy_before_kwh",
            float(a.premises["final_energy_before_kwh"].sum()),
            "kWh/yr",
            "computed",
            ("indicator:final_energy_kwh_building",),
            "note.sum_over_studied_buildings",
        )
    )
    figure = section.figure
    section.paragraphs += [
        ("costs_benefits.at_development", {"cost": figure("cost_at_development_eur")}),
        ("costs_benefits.retrofit", {"cost": figure("cost_retrofit_eur")}),
        (
            "costs_benefits.saving",
            {"saving": figure("saving_eur"), "share": figure("saving_share")},
        ),
        (
            "costs_benefits.value",
            {
                "ratio": figure("value_per_euro"),
                "returned": figure("collective_value"),
                "invested": figure("smart_energy_investment"),
            },
        ),
    ]
    breakdown = a.costs.breakdown()
    section.tables.append(Table("cost_comparison", breakdown, dict.fromkeys(breakdown, "€")))
    section.charts += [
        Chart("costs_at_development_vs_retrofit", "stacked_bar", breakdown, "€"),
        energy_chart(a.energy),
    ]
    return section


def monitoring_section(values: dict[str, float], log: AssumptionLog) -> Section:
    """Indicators to follow after delivery with their value before and their target."""
    known = dict(values)
    known["smart.energy_management_saving"] = log.value("smart.energy_management_saving")
    return Section(
        "monitoring",
        tables=[Table("monitoring_indicators", monitoring_table(known))],  # units: unit column
        paragraphs=[("monitoring.intro", {})],
    )


def methods_section(a: Analysis, log: AssumptionLog) -> Section:
    """How each figure is computed, and every assumption used with its source and status."""
    table = log.table()
    estimates = float((table.frame["status"] == "estimate").sum())
    section = Section("methods", tables=[table])
    section.figures += [
        Figure("assumptions_used", float(len(table.frame)), "assumptions", "computed"),
        Figure("assumptions_estimated", estimates, "assumptions", "computed"),
    ]
    section.paragraphs += [
        ("methods.intro", {}),
        ("methods.estimates", {"count": estimates}),
        ("methods.site", {"buffer_m": (a.site.buffer_m, "m")}),
        ("methods.premises", {"business_premise_m2": (log.value(PREMISE_M2), "m2")}),
        ("methods.ducts", {"spacing_m": (NETWORK_POINT_SPACING_M, "m")}),
        ("methods.costs", {"method": "routed" if a.costs.routed else "ratios"}),
        ("methods.equipment", {}),
        ("methods.energy", {}),
        ("methods.indicators", {"level": "territory"}),
    ]
    return section


def summary_section(
    figures: dict[str, Figure], scenario: str, compare: str, buildings: int
) -> Section:
    """The figures an elected official reads first (the same objects as in their sections)."""
    section = Section("summary", figures=[figures[key] for key in SUMMARY_KEYS if key in figures])
    value = {key: figure.value for key, figure in figures.items()}
    section.paragraphs.append(("summary.intro", {"scenario": scenario, "compare": compare}))
    if value["premises_to_connect"] > 0:
        section.paragraphs.append(
            (
                "summary.premises",
                {"premises": figures["premises_to_connect"], "buildings": (buildings, "buildings")},
            )
        )
    if value["duct_length_m"] > 0:  # NaN and 0 left out
        section.paragraphs.append(
            (
                "summary.ducts",
                {
                    "length": figures["duct_length_m"],
                    "cost_now": figures["duct_cost_at_development"],
                    "cost_later": figures["duct_cost_retrofit"],
                    "saving": figures["duct_cost_saving"],
                },
            )
        )
    if value["smart_energy_investment"] > 0:
        section.paragraphs += [
            (
                "summary.value",
                {
                    "ratio": figures["value_per_euro"],
                    "returned": figures["collective_value"],
                    "invested": figures["smart_energy_investment"],
                },
            ),
            (
                "summary.energy",
                {
                    "digital_energy": figures["digital_energy_kwh"],
                    "energy_saved": figures["energy_saved_kwh"],
                },
            ),
        ]
    if value["premises_to_connect"] > 0:
        section.paragraphs.append(("summary.recommendation", {}))
    return section
