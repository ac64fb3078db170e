"""The GTFS importer on real feeds: TRENSURB (Porto Alegre) and the sample town's buses."""

from __future__ import annotations

import csv
import io
import zipfile
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import shapely
from pyproj import CRS

from importers import registry
from importers.base import ImportOptions
from importers.gtfs_feed import load_feed
from importers.gtfs_profile import service_profile
from tests.importers.gtfs_feeds import read_feed
from twin.errors import CrsError
from twin.project import load_project

UTM_22S = CRS.from_epsg(31982)  # SIRGAS 2000 / UTM 22S: Porto Alegre
SAMPLE = Path(__file__).resolve().parents[2] / "samples" / "data" / "gtfs_valmont.zip"


@pytest.fixture(scope="module")
def trensurb(shared_data: Path) -> Path:
    return shared_data / "gtfs" / "poa_trensurb.zip"


def _table(path: Path, name: str) -> list[dict[str, str]]:
    with zipfile.ZipFile(path) as archive:
        text = archive.read(name).decode("utf-8-sig")
    return [{k.strip(): v for k, v in row.items()} for row in csv.DictReader(io.StringIO(text))]


def _expected_hours(path: Path, day: date) -> pd.Series:
    """Departures per (stop_id, hour) counted with the csv module from the feed's own text."""
    weekday = day.strftime("%A").lower()
    stamp = day.strftime("%Y%m%d")
    services = {
        row["service_id"]
        for row in _table(path, "calendar.txt")
        if row[weekday] == "1" and row["start_date"] <= stamp <= row["end_date"]
    }
    trips = {row["trip_id"] for row in _table(path, "trips.txt") if row["service_id"] in services}
    rows = [row for row in _table(path, "stop_times.txt") if row["trip_id"] in trips]
    last = {}
    for row in rows:
        sequence = int(row["stop_sequence"])
        last[row["trip_id"]] = max(last.get(row["trip_id"], sequence), sequence)
    counted = [
        (row["stop_id"], int(row["departure_time"].split(":")[0]))
        for row in rows
        if int(row["stop_sequence"]) != last[row["trip_id"]]
    ]
    return pd.Series(counted).value_counts()


def test_trensurb_has_24_stops_2_routes_and_1248_trips(trensurb: Path) -> None:
    result = read_feed(trensurb, UTM_22S)
    stops, routes = result.layers["transit_stops"], result.layers["transit_routes"]
    assert len(stops) == 24 and stops["id"].str.startswith("poa_trensurb:").all()
    assert sorted(routes["id"]) == ["poa_trensurb:LINHA1", "poa_trensurb:LINHAAERO"]
    assert result.provenance.details["trips"] == 1248
    assert result.provenance.details["stop_times"] == 14855
    assert set(routes["mode"]) == {"rail"}
    lines = routes.set_index("name").geometry
    assert 40_000 < lines["LINHA1"].length < 50_000  # the metro line is 43 km long
    for name, line in lines.items():  # each line passes by the stations it serves
        served = stops[stops["routes"].str.contains(str(name))]
        assert len(served) >= 2 and (served.distance(line) < 200).all()
    assert not result.issues


def test_trensurb_service_day_is_a_tuesday_within_its_calendar(trensurb: Path) -> None:
    details = read_feed(trensurb, UTM_22S).provenance.details
    day = date.fromisoformat(details["service_date"])
    assert day.weekday() == 1
    assert date(2019, 3, 1) <= day <= date(2019, 12, 31)
    assert details["service_date_rule"] == "the busiest Tuesday"


def test_trensurb_departures_per_hour_match_a_count_made_from_stop_times(trensurb: Path) -> None:
    result = read_feed(trensurb, UTM_22S)
    day = date.fromisoformat(result.provenance.details["service_date"])
    expected = _expected_hours(trensurb, day)
    hours = result.layers["transit_stop_hours"]
    hours = hours[hours["departures"] > 0]
    got = pd.Series(
        hours["departures"].astype(int).to_numpy(),
        index=pd.MultiIndex.from_arrays([hours["stop_id"].str[13:], hours["hour"].astype(int)]),
    )
    assert got.sort_index().to_dict() == expected.sort_index().to_dict()
    stops = result.layers["transit_stops"].set_index("id")
    per_day = hours.groupby("stop_id")["departures"].sum()
    assert (stops.loc[per_day.index, "departures_day"] == per_day).all()


def test_trensurb_saturday_runs_fewer_trains_than_the_tuesday(trensurb: Path) -> None:
    tuesday = read_feed(trensurb, UTM_22S)
    saturday = read_feed(trensurb, UTM_22S, service_date="2019-05-11")
    assert saturday.provenance.details["service_date"] == "2019-05-11"
    day_total = int(tuesday.layers["transit_stops"]["departures_day"].sum())
    assert 0 < int(saturday.layers["transit_stops"]["departures_day"].sum()) < day_total


def test_trensurb_hour_rows_are_the_same_whatever_the_day(trensurb: Path) -> None:
    tuesday = read_feed(trensurb, UTM_22S).layers["transit_stop_hours"]
    sunday = read_feed(trensurb, UTM_22S, service_date="2019-05-12").layers["transit_stop_hours"]
    assert tuesday["id"].tolist() == sunday["id"].tolist()  # a re-import replaces every row
    assert (tuesday["departures"] == 0).any()  # an hour served only at weekends
    assert tuesday["departures"].sum() > sunday["departures"].sum() > 0


def test_trensurb_peak_headways_agree_with_peak_frequencies(trensurb: Path) -> None:
    stops = read_feed(trensurb, UTM_22S).layers["transit_stops"]
    served = stops[stops["departures_peak_per_h"] >= 2]
    assert len(served) >= 20
    ratio = served["headway_peak_min"] / (60.0 / served["departures_peak_per_h"])
    assert ratio.between(0.7, 1.4).all()
    assert served["headway_peak_min"].between(1, 30).all()


def test_trensurb_in_lambert93_is_refused_with_a_crs_that_fits(trensurb: Path) -> None:
    with pytest.raises(CrsError, match=r"outside the area .* --crs EPSG:32722"):
        read_feed(trensurb, CRS.from_epsg(2154))


def test_twin_import_puts_trensurb_in_a_utm_project_and_stores_the_feed(
    trensurb: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from twin.cli import main

    lambert, utm = tmp_path / "l93.twin.gpkg", tmp_path / "poa.twin.gpkg"
    assert main(["new", str(lambert)]) == 0
    assert main(["import", str(lambert), str(trensurb)]) == 2
    assert "twin new PROJECT --crs EPSG:32722" in capsys.readouterr().err
    assert main(["new", str(utm), "--crs", "EPSG:31982"]) == 0
    assert main(["import", str(utm), str(trensurb)]) == 0
    city = load_project(utm)
    assert len(city.layer("transit_stops")) == 24
    stored = city.files["poa_trensurb.zip"]
    assert stored.data == trensurb.read_bytes()


def test_the_stored_feed_gives_the_profile_of_another_day(trensurb: Path) -> None:
    result = read_feed(trensurb, UTM_22S)
    feed, _ = load_feed(result.files[0].data, result.files[0].name)
    sunday, sunday_hours = service_profile(feed, date(2019, 5, 12))
    tuesday, _ = service_profile(feed, None)
    assert (sunday["service_date"] == "2019-05-12").all()
    assert tuesday["departures_day"].tolist() == (
        result.layers["transit_stops"]["departures_day"].tolist()
    )
    assert sunday["departures_day"].sum() == sunday_hours["departures"].sum()
    assert sunday["departures_day"].sum() < tuesday["departures_day"].sum()


def test_the_sample_feed_has_its_two_lines_and_17_stops() -> None:
    result = read_feed(SAMPLE)
    stops, routes = result.layers["transit_stops"], result.layers["transit_routes"]
    assert len(stops) == 17 and not result.issues
    by_name = routes.set_index("name")
    assert by_name.loc["A", "colour"] == "#e2001a" and set(routes["mode"]) == {"bus"}
    vertices = shapely.get_num_coordinates(by_name.geometry.to_numpy())
    assert vertices[0] > 50  # line A: its shape
    assert vertices[1] == 7  # line B: no shape, the line through its 7 stops
    assert stops.set_index("id").loc["gtfs_valmont:VAL_MAIR", "routes"] == "A, B"


def test_the_sample_late_bus_counts_after_midnight_as_hour_24() -> None:
    hours = read_feed(SAMPLE).layers["transit_stop_hours"]
    late = hours[hours["hour"] >= 24]
    assert len(late) and late["hour"].max() == 24
    assert late["stop_id"].str.contains("VAL_").all()


def test_a_sample_holiday_runs_the_weekend_timetable() -> None:
    holiday = read_feed(SAMPLE, service_date="2024-05-01")  # a Wednesday, 1 May
    routes = holiday.layers["transit_routes"].set_index("name")
    assert routes.loc["B", "trips_day"] == 0 and routes.loc["A", "trips_day"] == 24
    weekday = read_feed(SAMPLE, service_date="2024-05-15").layers["transit_routes"]
    assert weekday.set_index("name").loc["B", "trips_day"] == 10


def test_the_registry_recognises_a_gtfs_zip_and_not_other_zips(
    trensurb: Path, tmp_path: Path
) -> None:
    assert registry.find_importer(trensurb, ImportOptions()).NAME == "gtfs"
    other = tmp_path / "photos.zip"
    with zipfile.ZipFile(other, "w") as archive:
        archive.writestr("readme.txt", "hello")
    with pytest.raises(Exception, match="no importer recognises"):
        registry.find_importer(other, ImportOptions())


def test_peak_figures_are_consistent_with_the_hours_table() -> None:
    result = read_feed(SAMPLE)
    hours = result.layers["transit_stop_hours"]
    peak = hours[hours["hour"].isin([7, 8])].groupby("stop_id")["departures"].sum() / 2
    stops = result.layers["transit_stops"].set_index("id")
    assert np.allclose(stops.loc[peak.index, "departures_peak_per_h"], peak.astype(float))


def test_the_day_flag_chooses_the_service_day_and_a_bad_day_is_one_line(
    shared_data: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from twin.cli import main
    from twin.project import load_project

    project = tmp_path / "poa.twin.gpkg"
    assert main(["new", str(project), "--crs", "EPSG:31982"]) == 0
    feed = str(shared_data / "gtfs" / "poa_trensurb.zip")
    assert main(["import", str(project), feed, "--day", "2019-05-07"]) == 0
    stops = load_project(project).layer("transit_stops")
    assert set(stops["service_date"]) == {"2019-05-07"}
    capsys.readouterr()
    assert main(["import", str(project), feed, "--day", "7 mai"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "YYYY-MM-DD" in err[0]
