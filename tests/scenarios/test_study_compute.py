"""The digital-impact study's computation on the sample town: every section filled for each
sample scenario, numbers that can be checked by hand, the planning indicators equal to
``twin indicators --json``, a study without digital infrastructure, clear errors."""

from __future__ import annotations

import json
import logging
import math
import re
import time
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio
import pytest
import shapely

from samples.build import DATA, build_sample_project
from scenarios.assumptions import Assumptions, defaults
from scenarios.indicators.command import indicators_command
from scenarios.scenario import Scenario, apply_scenario, store_scenario
from scenarios.study.compute import compute_study
from scenarios.study.model import SECTIONS, Study
from scenarios.study.planning import planning_names
from scenarios.study.texts import NOTES, PARAGRAPHS
from twin.city import City
from twin.errors import InvalidInputError, TwinError
from twin.project import load_project

logger = logging.getLogger(__name__)

DIGITAL = DATA / "infrastructure_numerique.gpkg"
DENSIFY = "Densifier le centre"
BUS = "Nouvelle ligne de bus"
RETROFIT = "Rénovation du quartier"
THIRD_PLACE = "Tiers-lieu dans la mairie"
SCENARIOS = (DENSIFY, BUS, RETROFIT, THIRD_PLACE)
SOURCE = re.compile(r"^(indicator|assumption|model):\S+$|^computed$")
LAYING = {"souterrain": "underground", "aerien": "overhead"}


def digital_assets(crs: object) -> gpd.GeoDataFrame:
    """The sample town's digital infrastructure as a ``digital_assets`` layer, made by hand
    from its GeoPackage (until the digital importer brings it into the project)."""
    fibre = pyogrio.read_dataframe(DIGITAL, layer="fibre_troncons")
    premises = pyogrio.read_dataframe(DIGITAL, layer="locaux_raccordables")
    sites = pyogrio.read_dataframe(DIGITAL, layer="sites_mobiles")
    rows = [
        gpd.GeoDataFrame(
            {
                "id": fibre["id"],
                "kind": "fibre_cable",
                "status": "existing",
                "length_m": fibre.length,
                "laying": fibre["mode_pose"].map(LAYING),
                "operator": fibre["operateur"],
                "technology": "FTTH",
                "source": "test",
            },
            geometry=fibre.geometry,
        ),
        gpd.GeoDataFrame(
            {
                "id": premises["id"],
                "kind": "premises",
                "status": "existing",
                "count": premises["nb_locaux"],
                "technology": premises["technologie"],
                "building_id": premises["cleabs_batiment"],
                "ftth_status": premises["statut"],
                "source": "test",
            },
            geometry=premises.geometry,
        ),
        gpd.GeoDataFrame(
            {
                "id": sites["id"],
                "kind": "mobile_site",
                "status": "existing",
                "operator": sites["operateur"],
                "technology": sites["technologies"],
                "source": "test",
            },
            geometry=sites.geometry,
        ),
    ]
    return gpd.GeoDataFrame(pd.concat(rows, ignore_index=True), crs=fibre.crs).to_crs(crs)


@pytest.fixture(scope="session")
def sample_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_sample_project(tmp_path_factory.mktemp("valmont_study"))


@pytest.fixture(scope="session")
def plain(sample_path: Path) -> City:
    """The sample town without its digital infrastructure."""
    city = load_project(sample_path)
    if "digital_assets" in city:
        city.remove_layer("digital_assets")
    return city


@pytest.fixture(scope="session")
def town(sample_path: Path) -> City:
    """The sample town with its digital infrastructure (imported by the sample project's
    build, else made here from the same GeoPackage)."""
    city = load_project(sample_path)
    if "digital_assets" not in city:
        city.set_layer("digital_assets", digital_assets(city.crs), source="test")
    return city


def test_the_hand_made_digital_layer_fits_the_catalogue(plain: City) -> None:
    city = plain.copy()
    city.set_layer("digital_assets", digital_assets(city.crs), source="test")
    study = compute_study(city, DENSIFY)
    assert study.figure("premises_existing").value > 0
    assert study.figure("duct_length_m").value > 0


@pytest.fixture(scope="session")
def studies(town: City) -> dict[str, Study]:
    out = {}
    for name in SCENARIOS:
        started = time.perf_counter()
        out[name] = compute_study(town, name)
        seconds = time.perf_counter() - started
        print(f"\ncompute_study('{name}') on the sample town: {seconds:.2f} s")
    return out


def values(study: Study) -> dict[str, float]:
    return {figure.key: figure.value for figure in study.all_figures()}


@pytest.mark.parametrize("name", SCENARIOS)
def test_every_sample_scenario_gets_every_section_with_traceable_figures(
    studies: dict[str, Study], name: str
) -> None:
    study = studies[name]
    assert list(study.sections) == list(SECTIONS)
    assert study.scenario == name and study.compare == "baseline"
    for key, section in study.sections.items():
        assert section.key == key
        assert section.figures or section.tables, key
        for figure in section.figures:
            assert isinstance(figure.unit, str), figure.key
            assert SOURCE.match(figure.source), (figure.key, figure.source)
            if figure.source == "computed" and not figure.key.startswith("assumptions_"):
                assert figure.inputs, figure.key
            assert not figure.note or figure.note in NOTES, figure.note
            assert not math.isnan(figure.value) or figure.note, figure.key
        for paragraph, _ in section.paragraphs:
            assert paragraph in PARAGRAPHS, paragraph
    keys = {figure.key for figure in study.all_figures()}
    for figure in study.all_figures():
        for key in figure.inputs:
            known = key in keys or key in study.assumptions
            assert known or key.startswith(("indicator:", "model:")), (figure.key, key)
    assert 5 <= len(study.sections["summary"].figures) <= 8
    assert study.assumptions["smart.collective_value_per_eur"][0] == 2.3


def test_the_summary_shows_the_same_figures_as_the_sections(studies: dict[str, Study]) -> None:
    study = studies[DENSIFY]
    costs = study.sections["costs_benefits"]
    for figure in study.sections["summary"].figures:
        elsewhere = [f for key, s in study.sections.items() if key != "summary" for f in s.figures]
        assert any(other is figure for other in elsewhere), figure.key
    assert costs.figure("saving_eur").value == pytest.approx(
        costs.figure("cost_retrofit_eur").value - costs.figure("cost_at_development_eur").value
    )


def test_premises_of_the_new_building_are_its_dwellings_plus_its_business_premises(
    town: City, studies: dict[str, Study]
) -> None:
    after = apply_scenario(town, DENSIFY)
    new = after.layer("buildings").set_index("id").loc["NEW-1"]
    retail_m2 = float(new["floor_area_m2"]) * json.loads(new["use_mix"])["retail"]
    m2_per_premise = defaults().value("fibre.business_premise_m2")
    expected = int(new["dwellings"]) + max(round(retail_m2 / m2_per_premise), 1)
    table = studies[DENSIFY].sections["effects"].tables[0].frame
    assert table.loc["NEW-1", "premises_to_connect"] == expected == 17 + 5
    total = studies[DENSIFY].figure("premises_to_connect").value
    assert total == table["premises_to_connect"].sum() > expected  # the raised buildings too
    raised = table[table["status"] == "changed"]
    assert (raised["new_dwellings"] == raised["dwellings_after"] - raised["dwellings_before"]).all()


def test_the_duct_is_at_least_as_long_as_the_straight_line_to_the_nearest_cable(
    town: City, studies: dict[str, Study]
) -> None:
    after = apply_scenario(town, DENSIFY)
    footprint = after.layer("buildings").set_index("id").geometry.loc["NEW-1"]
    cables = pyogrio.read_dataframe(DIGITAL, layer="fibre_troncons").geometry.to_numpy()
    straight = float(shapely.distance(cables, footprint).min())
    length = studies[DENSIFY].figure("duct_length_m").value
    assert straight <= length < straight + 100.0
    routes = studies[DENSIFY].sections["effects"].maps[0].frame
    assert routes.geometry.length.sum() == pytest.approx(length)


def test_the_cost_at_development_is_ducts_in_the_open_trench_plus_final_connections(
    studies: dict[str, Study],
) -> None:
    study = studies[DENSIFY]
    a = defaults()
    expected = study.figure("duct_length_m").value * a.value(
        "fibre.duct_in_open_trench_eur_per_m"
    ) + study.figure("premises_to_connect").value * a.value("fibre.final_connection_eur")
    assert study.figure("cost_at_development_eur").value == pytest.approx(expected, rel=1e-12)
    share = a.value("fibre.complex_connection_share")
    later = (1 - share) * a.value("fibre.final_connection_eur") + share * a.value(
        "fibre.complex_connection_eur"
    )
    trenches = sum(
        study.figure(f"duct_length_{context}_m").value * a.value(key)
        for context, key in (
            ("town_centre", "fibre.trench_town_centre_eur_per_m"),
            ("road", "fibre.trench_eur_per_m"),
            ("bare_ground", "fibre.trench_bare_ground_eur_per_m"),
        )
    )
    retrofit = trenches + study.figure("premises_to_connect").value * later
    assert study.figure("cost_retrofit_eur").value == pytest.approx(retrofit, rel=1e-12)
    assert study.figure("saving_eur").value > 0


@pytest.mark.parametrize("name", [DENSIFY, RETROFIT, THIRD_PLACE])
def test_the_collective_value_is_the_investment_times_2_3(
    studies: dict[str, Study], name: str
) -> None:
    v = values(studies[name])
    assert v["smart_energy_investment"] > 0
    assert v["collective_value"] == pytest.approx(v["smart_energy_investment"] * 2.3)
    meters = v["electricity_meters"] * 130 + v["water_meters"] * 130
    assert v["smart_energy_investment"] == pytest.approx(meters + v["lorawan_gateways"] * 1250)


def test_the_value_per_euro_is_an_editable_assumption(
    town: City, studies: dict[str, Study]
) -> None:
    edited = defaults().with_overrides({"smart.collective_value_per_eur": 1.5}, source="Mairie")
    study = compute_study(town, THIRD_PLACE, assumptions=edited)
    v = values(study)
    assert v["collective_value"] == pytest.approx(v["smart_energy_investment"] * 1.5)
    assert study.assumptions["smart.collective_value_per_eur"][3] == "local"
    assert v["smart_energy_investment"] == values(studies[THIRD_PLACE])["smart_energy_investment"]


@pytest.mark.parametrize("name", SCENARIOS)
def test_the_planning_table_equals_twin_indicators_json(
    sample_path: Path, studies: dict[str, Study], name: str
) -> None:
    names = planning_names()
    document = json.loads(
        indicators_command(
            sample_path, scenarios=[name], level="territory", output="json", patterns=names
        )
    )
    table = studies[name].sections["project"].tables[0].frame
    assert sorted(table.index) == sorted(names)
    for record in document["values"]:
        row = table.loc[record["indicator"]]
        for column in ("baseline", name, f"Δ {name}"):
            expected = np.nan if record[column] is None else record[column]
            assert row[column] == expected or (np.isnan(row[column]) and np.isnan(expected))
    by_name = {r["indicator"]: r for r in document["values"]}
    for figure in studies[name].sections["project"].figures:
        if figure.source.startswith("indicator:"):
            record = by_name[figure.source.split(":", 1)[1]]
            assert figure.value == record[f"Δ {name}"], figure.key


def test_a_study_compared_with_another_scenario_differs_from_it(
    town: City, studies: dict[str, Study]
) -> None:
    study = compute_study(town, DENSIFY, compare=BUS)
    table = study.sections["project"].tables[0].frame
    assert list(table.columns) == ["unit", BUS, DENSIFY, f"Δ {DENSIFY}"]
    densify = studies[DENSIFY].sections["project"].tables[0].frame
    assert (
        table.loc["dwellings_territory", f"Δ {DENSIFY}"]
        == (densify.loc["dwellings_territory", f"Δ {DENSIFY}"])
    )
    assert (
        study.figure("premises_to_connect").value == values(studies[DENSIFY])["premises_to_connect"]
    )


def test_the_initial_state_counts_the_digital_assets_in_the_site(
    studies: dict[str, Study],
) -> None:
    study = studies[DENSIFY]
    premises = pyogrio.read_dataframe(DIGITAL, layer="locaux_raccordables")
    site_ha = study.figure("site_area_ha").value
    assert 1 < site_ha < 100
    v = values(study)
    by_status = study.sections["initial_state"].tables[1].frame["premises"]
    assert v["premises_existing"] == by_status.sum()
    assert v["premises_connectable"] == by_status["connectable"] > 0
    assert 0 < v["premises_existing"] < premises["nb_locaux"].sum()
    assert v["premises_connectable_share"] == pytest.approx(
        100 * v["premises_connectable"] / v["premises_existing"]
    )
    fibre = study.sections["initial_state"].tables[0].frame["length_m"]
    assert v["fibre_length_existing_m"] == pytest.approx(fibre.sum()) and fibre.sum() > 0
    assert v["mobile_sites_existing"] >= 1  # the rooftop antenna near the town hall


def test_a_study_without_digital_assets_still_computes_and_says_so(plain: City) -> None:
    study = compute_study(plain, DENSIFY)
    v = values(study)
    state = study.sections["initial_state"]
    assert math.isnan(state.figure("premises_existing").value)
    assert state.figure("premises_existing").note == "note.no_digital_assets"
    assert ("initial_state.no_data", {"layer": "digital_assets"}) in state.paragraphs
    assert math.isnan(v["duct_length_m"])
    premises, a = v["premises_to_connect"], defaults()
    per_premise = a.value("fibre.cost_per_premise_dense_eur")  # a town-centre site
    assert v["cost_retrofit_eur"] == pytest.approx(premises * per_premise)
    reduction = a.value("fibre.civil_works_share") * a.value("fibre.shared_works_saving")
    assert v["cost_at_development_eur"] == pytest.approx(premises * per_premise * (1 - reduction))
    assert study.figure("cost_retrofit_eur").note == "note.costs_from_ratios"


def test_a_new_building_no_mobile_site_covers_needs_a_small_cell(town: City) -> None:
    city = town.copy()
    assets = city.layer("digital_assets")
    city.set_layer("digital_assets", assets[assets["kind"] != "mobile_site"], source="test")
    v = values(compute_study(city, DENSIFY))
    assert v["mobile_coverage_buildings"] == v["coverage_buildings_checked"] > 0
    assert v["small_cells_needed"] >= 1
    assert v["measure_small_cells_cost_eur"] == v["small_cells_needed"] * 35000


def test_an_unknown_scenario_is_one_clear_error(town: City) -> None:
    with pytest.raises(InvalidInputError, match=r"no scenario named 'Nulle part'.*Densifier"):
        compute_study(town, "Nulle part")
    with pytest.raises(InvalidInputError, match="with itself"):
        compute_study(town, DENSIFY, compare=DENSIFY)
    with pytest.raises(InvalidInputError, match="no scenario to compare with named 'Ailleurs'"):
        compute_study(town, DENSIFY, compare="Ailleurs")


def test_a_missing_assumption_is_one_clear_error(town: City) -> None:
    key = "fibre.duct_in_open_trench_eur_per_m"
    partial = Assumptions({k: a for k, a in defaults().items() if k != key})
    with pytest.raises(InvalidInputError, match=f"needs assumption '{key}'"):
        compute_study(town, DENSIFY, assumptions=partial)


def test_a_project_without_buildings_is_one_clear_error() -> None:
    city = City("EPSG:2154", name="vide")
    store_scenario(city, Scenario("Rien"))
    with pytest.raises(TwinError, match="no buildings layer"):
        compute_study(city, "Rien")
