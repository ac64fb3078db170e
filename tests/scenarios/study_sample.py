"""A hand-made digital-impact study of the sample town's « Densifier le centre », with every
section, figures with units and sources, tables, charts and map layers: what the report
renders until (and besides) the computation."""

from __future__ import annotations

import geopandas as gpd
import pandas as pd
import shapely

from scenarios.study.model import SECTIONS, Chart, Figure, MapLayer, Section, Study, Table
from twin.city import City

CRS = "EPSG:2154"
#: Near the sample town's square (Lambert-93).
CENTRE = (665_300.0, 6_357_050.0)


def network_layers(city: City | None = None) -> tuple[MapLayer, MapLayer, MapLayer]:
    """Existing fibre along a few roads, planned ducts to the new building, its premises."""
    if city is not None and "roads" in city:
        roads = city.layer("roads")
        existing = roads.geometry.iloc[:12].to_numpy()
        buildings = city.layer("buildings")
        new = buildings[buildings["id"].astype(str).str.startswith("NEW-")]
        target = (new if len(new) else buildings.iloc[:1]).geometry.centroid.to_numpy()
        nearest = shapely.get_coordinates(
            shapely.shortest_line(shapely.union_all(existing), target[0])
        )
        planned = [shapely.LineString(nearest)]
        premises = list(target)
    else:
        x, y = CENTRE
        existing = [shapely.LineString([(x - 300, y), (x + 300, y)])]
        planned = [shapely.LineString([(x, y), (x, y + 80), (x + 40, y + 80)])]
        premises = [shapely.Point(x + 40, y + 80)]
    fibre = gpd.GeoDataFrame(
        {"id": [f"F{i}" for i in range(len(existing))]}, geometry=list(existing), crs=CRS
    )
    ducts = gpd.GeoDataFrame({"id": ["D1"]}, geometry=planned, crs=CRS)
    points = gpd.GeoDataFrame({"id": ["P1"]}, geometry=premises, crs=CRS)
    return (
        MapLayer("existing_network", fibre, "fibre_existing"),
        MapLayer("new_network", ducts, "duct_planned"),
        MapLayer("new_network", points, "premises_new"),
    )


def hand_made_study(city: City | None = None) -> Study:
    """A Study as the computation would fill it (numbers plausible, not computed)."""
    existing, ducts, premises = network_layers(city)
    fig = {
        "premises": Figure(
            "premises_to_connect",
            18.0,
            "prises",
            "computed",
            ("dwellings_to_connect", "business_premises_to_connect"),
        ),
        "dwellings": Figure(
            "dwellings_to_connect", 16.0, "logements", "indicator:dwellings_territory"
        ),
        "business": Figure("business_premises_to_connect", 2.0, "prises", "model:buildings"),
        "length": Figure("duct_length_m", 1250.54, "m", "computed", ("roads",)),
        "cost_now": Figure(
            "duct_cost_at_development",
            37516.2,
            "€",
            "computed",
            ("duct_length_m", "digital.duct_cost_at_development_eur_per_m"),
        ),
        "cost_later": Figure(
            "duct_cost_retrofit",
            150064.8,
            "€",
            "computed",
            ("duct_length_m", "digital.duct_cost_retrofit_eur_per_m"),
        ),
        "saving": Figure(
            "duct_cost_saving",
            112548.6,
            "€",
            "computed",
            ("duct_cost_retrofit", "duct_cost_at_development"),
        ),
        "ratio": Figure(
            "value_per_euro",
            2.3,
            "€/€",
            "assumption:digital.smart_energy_value_per_euro",
            note="Smart city : gadget ou création de valeur collective ?",
        ),
        "energy": Figure("digital_energy_kwh", 4380.0, "kWh/an", "computed", ("sensors_needed",)),
        "saved": Figure("energy_saved_kwh", 61200.0, "kWh/an", "computed"),
        "sensors": Figure("sensors_needed", 12.0, "capteurs", "computed"),
        "meters": Figure("smart_meters_needed", 18.0, "compteurs", "computed"),
        "fibre": Figure("fibre_length_existing_m", 3820.0, "m", "model:digital_assets"),
        "share": Figure("premises_connectable_share", 87.5, "%", "model:digital_assets"),
        "floor": Figure("floor_area_m2", 2210.6, "m2", "indicator:floor_area_m2_territory"),
    }
    indicators = pd.DataFrame(
        {
            "baseline": [152_340.0, 1_204.0, 0.31],
            "scenario": [154_550.6, 1_220.0, 0.32],
            "delta": [2_210.6, 16.0, 0.01],
            "unit": ["m2", "dwellings", "m2/m2"],
        },
        index=pd.Index(
            ["floor_area_m2_territory", "dwellings_territory", "coverage_ratio_territory"],
            name="indicator",
        ),
    )
    costs = pd.DataFrame(
        {"at_development": [37_516.2, 9_000.0], "retrofit": [150_064.8, 21_000.0]},
        index=["ducts", "equipment"],
    )
    monitoring = pd.DataFrame(
        {"target": [18.0, 12.0, 100.0], "frequency": ["at_delivery", "yearly", "yearly"]},
        index=pd.Index(
            ["premises_to_connect", "sensors_needed", "premises_connectable_share"],
            name="indicator",
        ),
    )
    sections = {key: Section(key) for key in SECTIONS}
    summary = sections["summary"]
    summary.figures += [fig["premises"], fig["saving"], fig["ratio"]]
    summary.paragraphs += [
        ("summary.intro", {"scenario": "Densifier le centre", "compare": "baseline"}),
        ("summary.premises", {"premises": fig["premises"], "buildings": (11.0, "bâtiments")}),
        (
            "summary.ducts",
            {
                "length": fig["length"],
                "cost_now": fig["cost_now"],
                "cost_later": fig["cost_later"],
                "saving": fig["saving"],
            },
        ),
        (
            "summary.value",
            {"ratio": fig["ratio"], "returned": (23_000.0, "€"), "invested": (10_000.0, "€")},
        ),
        ("summary.recommendation", {}),
    ]
    project = sections["project"]
    project.paragraphs += [
        ("project.edits", {"scenario": "Densifier le centre", "count": 3}),
        ("project.indicators", {"compare": "baseline"}),
    ]
    project.figures.append(fig["floor"])
    project.tables.append(Table("planning_indicators", indicators, {}))
    initial = sections["initial_state"]
    initial.figures += [fig["fibre"], fig["share"]]
    initial.paragraphs.append(
        ("initial_state.network", {"fibre_length": fig["fibre"], "connection_points": 14})
    )
    initial.maps.append(existing)
    effects = sections["effects"]
    effects.figures += [
        fig["premises"],
        fig["dwellings"],
        fig["business"],
        fig["length"],
        fig["sensors"],
        fig["meters"],
        fig["energy"],
    ]
    effects.paragraphs.append(("effects.ducts", {"length": fig["length"]}))
    effects.maps += [existing, ducts, premises]
    sections["measures"].paragraphs += [
        ("measures.avoid", {}),
        ("measures.reduce", {"length": fig["length"]}),
    ]
    benefits = sections["costs_benefits"]
    benefits.figures += [
        fig["cost_now"],
        fig["cost_later"],
        fig["saving"],
        fig["ratio"],
        fig["saved"],
    ]
    benefits.charts.append(Chart("costs_at_development_vs_retrofit", "bar", costs, "€"))
    benefits.charts.append(
        Chart(
            "energy_balance",
            "stacked_bar",
            pd.DataFrame(
                {"consumed": [4380.0, 0.0], "saved": [0.0, 61200.0]}, index=["equipment", "saved"]
            ),
            "kWh/an",
        )
    )
    benefits.tables.append(
        Table("cost_comparison", costs, {"at_development": "€", "retrofit": "€"})
    )
    sections["monitoring"].paragraphs.append(("monitoring.intro", {}))
    sections["monitoring"].tables.append(Table("monitoring_indicators", monitoring, {}))
    sections["methods"].paragraphs += [("methods.intro", {}), ("methods.estimates", {"count": 2})]
    assumptions = {
        "digital.duct_cost_at_development_eur_per_m": (30.0, "€/m", "Estimate", "estimate"),
        "digital.duct_cost_retrofit_eur_per_m": (120.0, "€/m", "Estimate", "estimate"),
        "digital.smart_energy_value_per_euro": (
            2.3,
            "€/€",
            "Smart city : gadget ou création de valeur collective ? (2017)",
            "sourced",
        ),
        "energy.dpe_limits": (
            (70.0, 110.0, 180.0),
            "kWh/m2/an",
            "Arrêté du 31 mars 2021",
            "sourced",
        ),
    }
    return Study(
        project="Valmont-sur-Aveyron (exemple)",
        scenario="Densifier le centre",
        compare="baseline",
        sections=sections,
        assumptions=assumptions,
        generated="2025-11-22",
    )
