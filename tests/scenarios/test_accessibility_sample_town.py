"""On the sample town (Valmont-sur-Aveyron, built through the importers), a planner can check one
walk to the bus by hand along named streets, and the shares add up across levels.

Where the sample project does not bring them yet, the stops are read here from
samples/data/gtfs_valmont.zip (stops.txt; departures per hour from stop_times.txt on weekdays,
07:00-09:00) and inhabitants are set by hand to 2.2 per dwelling.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from shapely import force_2d, union_all
from shapely.geometry import LineString
from shapely.ops import linemerge

from samples.build import DATA, build_sample_project
from scenarios.indicators import accessibility as acc
from scenarios.indicators.stop_access import stop_access
from twin.city import City
from twin.levels import Level
from twin.project import load_project

PEOPLE_PER_DWELLING = 2.2


def gtfs_stops(zip_path: Path) -> gpd.GeoDataFrame:
    """Stops of the sample feed with their mean weekday departures per hour at 07:00-09:00."""
    with zipfile.ZipFile(zip_path) as feed:
        stops = pd.read_csv(feed.open("stops.txt"))
        times = pd.read_csv(feed.open("stop_times.txt"))
        trips = pd.read_csv(feed.open("trips.txt"))
    last = times["stop_sequence"] == times.groupby("trip_id")["stop_sequence"].transform("max")
    weekday = times[~last].merge(trips[["trip_id", "service_id"]])  # no departure at the end
    weekday = weekday[weekday["service_id"] == "SEM"]
    hour = weekday["departure_time"].str.slice(0, 2).astype(int)
    peak = weekday[(hour >= 7) & (hour < 9)].groupby("stop_id").size() / 2.0
    return gpd.GeoDataFrame(
        {
            "id": "valmont:" + stops["stop_id"],
            "name": stops["stop_name"],
            "feed": "valmont",
            "departures_peak_per_h": stops["stop_id"].map(peak).fillna(0.0).astype(float),
        },
        geometry=gpd.points_from_xy(stops["stop_lon"], stops["stop_lat"]),
        crs="EPSG:4326",
    ).to_crs("EPSG:2154")


@pytest.fixture(scope="module")
def valmont(tmp_path_factory: pytest.TempPathFactory) -> City:
    """The sample project with stops and inhabitants (imported, or made here if absent)."""
    city = load_project(build_sample_project(tmp_path_factory.mktemp("valmont")))
    if "transit_stops" not in city:
        city.set_layer("transit_stops", gtfs_stops(DATA / "gtfs_valmont.zip"))
    buildings = city.layer("buildings")
    if buildings["inhabitants"].isna().all():
        dwellings = buildings["dwellings"].astype("float64").fillna(0.0)
        city.update_values(
            "buildings", buildings["id"].tolist(), {"inhabitants": dwellings * PEOPLE_PER_DWELLING}
        )
    return city


def street(city: City, name: str) -> LineString:
    """The named street's sections merged into one line (plan view)."""
    roads = city.layer("roads")
    merged = linemerge(union_all(force_2d(roads.geometry[roads["name"] == name].to_numpy())))
    assert merged.geom_type == "LineString", f"{name} is not one line"
    return merged


def test_a_planner_can_redo_the_walk_from_rue_des_tanneurs_to_place_de_la_mairie(
    valmont: City,
) -> None:
    building_id = "BATIMENT0000000241871424"  # 15 dwellings on Rue des Tanneurs
    stops = valmont.layer("transit_stops")
    mairie = stops[stops["name"] == "Place de la Mairie"]
    access = stop_access(valmont).table.loc[building_id]
    assert access["nearest_stop_id"] == mairie["id"].iloc[0]
    # By hand: from the centroid straight to Rue des Tanneurs, along it to Rue du Marché, along
    # Rue du Marché to the Grand'Rue, along the Grand'Rue to the stop's projection, and the
    # stop's 4 m to the kerb. Each leg is measured on the merged street with shapely.
    buildings = valmont.layer("buildings")
    centroid = buildings.geometry[buildings["id"] == building_id].iloc[0].centroid
    stop = mairie.geometry.iloc[0]
    tanneurs, marche = street(valmont, "Rue des Tanneurs"), street(valmont, "Rue du Marché")
    grand_rue = street(valmont, "Grand'Rue")
    corner_1, corner_2 = tanneurs.intersection(marche), marche.intersection(grand_rue)
    legs_m = [
        tanneurs.distance(centroid),
        abs(tanneurs.project(centroid) - tanneurs.project(corner_1)),
        abs(marche.project(corner_1) - marche.project(corner_2)),
        abs(grand_rue.project(corner_2) - grand_rue.project(stop)),
        grand_rue.distance(stop),
    ]
    print(
        f"\nRue des Tanneurs → Place de la Mairie: legs {np.round(legs_m, 1)} m, "
        f"sum {sum(legs_m):.1f} m; network {access['distance_to_stop_m']:.1f} m; "
        f"straight line {centroid.distance(stop):.1f} m"
    )
    assert access["distance_to_stop_m"] <= sum(legs_m) + 1e-6
    assert access["distance_to_stop_m"] == pytest.approx(sum(legs_m), abs=0.01)  # the way
    assert access["distance_to_stop_m"] > centroid.distance(stop)
    assert access["nearest_stop_departures_per_h"] >= acc.DEFAULT_MIN_DEPARTURES_PER_H


def test_the_sample_town_is_one_walking_network_reaching_every_building(valmont: City) -> None:
    result = stop_access(valmont)
    assert result.network is not None and result.network.n_components == 1
    assert result.issues == ()
    assert result.table["distance_to_stop_m"].notna().mean() > 0.8  # farms beyond 2 km: NaN
    walked = result.table["distance_to_stop_m"].dropna()
    assert walked.min() > 0 and walked.max() <= 2000.0


def test_the_sample_town_shares_add_up_from_districts_to_the_territory(valmont: City) -> None:
    inhabitants = valmont.layer("buildings").set_index("id")["inhabitants"]
    hierarchy = valmont.hierarchy
    shares: dict[Level, pd.Series] = {}
    served: dict[Level, float] = {}
    for level in (Level.DISTRICT, Level.COMMUNE, Level.TERRITORY):
        shares[level] = acc.share_of_inhabitants_served(valmont, level)
        totals = hierarchy.roll_up(inhabitants, Level.BUILDING, level).reindex(shares[level].index)
        served[level] = float((shares[level].fillna(0) / 100 * totals).sum())
    by_commune = shares[Level.COMMUNE].round(1).to_dict()
    print(f"\nValmont: % of inhabitants within 500 m of a stop with >= 4/h: {by_commune}")
    assert served[Level.DISTRICT] == pytest.approx(served[Level.COMMUNE])
    assert served[Level.COMMUNE] == pytest.approx(served[Level.TERRITORY])
    # The town has line A every 20 minutes; the rural commune only line B's five trips a day.
    assert 0 < shares[Level.COMMUNE]["12990"] <= 100
    assert shares[Level.COMMUNE]["12991"] == 0.0
