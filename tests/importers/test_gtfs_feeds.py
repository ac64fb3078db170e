"""The GTFS importer on tiny hand-made feeds: every way a real feed can differ or go wrong."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import numpy as np
import pytest
import shapely

from importers import registry
from importers.base import ImportOptions
from importers.gtfs_routes import route_mode
from tests.importers.gtfs_feeds import BASE, codes, departures, read_feed, write_feed
from twin.errors import InvalidInputError


def test_the_base_feed_counts_departures_except_at_each_trips_last_stop(tmp_path: Path) -> None:
    result = read_feed(write_feed(tmp_path))
    assert departures(result) == {"S1": 2, "S2": 2, "S3": 0}  # a Tuesday: T1 and T2
    assert result.provenance.details["service_date"] == "2024-01-02"
    stops = result.layers["transit_stops"].set_index("id")
    assert stops.loc["tiny:S1", "headway_peak_min"] == 30.0
    assert np.isnan(stops.loc["tiny:S3", "headway_peak_min"])
    assert stops.loc["tiny:S1", "routes"] == "1, 2" and stops.loc["tiny:S2", "routes"] == "1"
    assert not result.issues


def test_a_zip_and_a_folder_give_the_same_layers(tmp_path: Path) -> None:
    zipped = read_feed(write_feed(tmp_path, name="tiny.zip"))
    folder = write_feed(tmp_path, name="tiny", as_folder=True)
    assert registry.find_importer(folder, ImportOptions()).NAME == "gtfs"
    unzipped = read_feed(folder)
    for name, frame in zipped.layers.items():
        assert frame.drop(columns="geometry", errors="ignore").equals(
            unzipped.layers[name].drop(columns="geometry", errors="ignore")
        )
    assert unzipped.files[0].name == "tiny.zip" and unzipped.provenance.sha256


def test_files_in_a_subfolder_of_the_zip_are_found(tmp_path: Path) -> None:
    import zipfile

    path = tmp_path / "nested.zip"
    with zipfile.ZipFile(path, "w") as archive:
        for name, text in BASE.items():
            archive.writestr(f"export/gtfs/{name}", text)
    assert registry.find_importer(path, ImportOptions()).NAME == "gtfs"
    assert departures(read_feed(path))["S1"] == 2


def test_without_calendar_txt_the_days_come_from_calendar_dates(tmp_path: Path) -> None:
    dates = "service_id,date,exception_type\nWK,20240305,1\nWK,20240306,1\nWE,20240309,1\n"
    result = read_feed(write_feed(tmp_path, {"calendar.txt": None, "calendar_dates.txt": dates}))
    assert result.provenance.details["service_date"] == "2024-03-05"  # the only Tuesday
    assert departures(result)["S1"] == 2
    saturday = read_feed(tmp_path / "tiny.zip", service_date="2024-03-09")
    assert departures(saturday) == {"S1": 0, "S2": 0, "S3": 1}


def test_without_calendar_dates_txt_the_weekdays_rule(tmp_path: Path) -> None:
    result = read_feed(write_feed(tmp_path, {"calendar_dates.txt": None}), service_date="20240501")
    assert departures(result)["S1"] == 2  # 1 May is an ordinary Wednesday now
    assert "file_missing" not in codes(result)


def test_without_any_calendar_every_trip_counts_and_it_is_said(tmp_path: Path) -> None:
    result = read_feed(write_feed(tmp_path, {"calendar.txt": None, "calendar_dates.txt": None}))
    assert "no_calendar" in codes(result)
    assert departures(result) == {"S1": 2, "S2": 2, "S3": 1}


def test_times_past_midnight_count_in_hours_24_and_more(tmp_path: Path) -> None:
    late = (
        "trip_id,arrival_time,departure_time,stop_id,stop_sequence\n"
        "T1,23:50:00,23:50:00,S1,1\nT1,24:05:00,24:05:00,S2,2\nT1,25:10:00,25:10:00,S3,3\n"
        "T2,107:00:00,107:00:00,S1,1\nT2,107:10:00,107:10:00,S2,2\n"
    )
    result = read_feed(write_feed(tmp_path, {"stop_times.txt": late}))
    hours = result.layers["transit_stop_hours"]
    assert dict(zip(hours["stop_id"], hours["hour"], strict=True)) == {
        "tiny:S1": 23,
        "tiny:S2": 24,
    }
    assert departures(result)["S1"] == 1  # the 107-hour trip is beyond the service day


def test_blank_times_between_timepoints_are_interpolated_by_distance(tmp_path: Path) -> None:
    blank = (
        "trip_id,arrival_time,departure_time,stop_id,stop_sequence,timepoint\n"
        "T1,06:50:00,06:50:00,S1,1,1\nT1,,,S2,2,0\nT1,07:30:00,07:30:00,S3,3,1\n"
    )
    result = read_feed(write_feed(tmp_path, {"stop_times.txt": blank}))
    hours = result.layers["transit_stop_hours"].set_index("stop_id")
    assert hours.loc["tiny:S2", "hour"] == 7  # halfway: 07:10
    assert result.provenance.details["times_interpolated"] == 1
    assert departures(result)["S2"] == 1


def test_a_blank_time_at_the_end_of_a_trip_is_not_counted_and_is_reported(tmp_path: Path) -> None:
    blank = (
        "trip_id,arrival_time,departure_time,stop_id,stop_sequence\n"
        "T1,,,S1,1\nT1,07:10:00,07:10:00,S2,2\nT1,07:20:00,07:20:00,S3,3\n"
    )
    result = read_feed(write_feed(tmp_path, {"stop_times.txt": blank}))
    assert "times_missing" in codes(result)
    assert departures(result) == {"S1": 0, "S2": 1, "S3": 0}


def test_unreadable_times_are_reported_and_estimated(tmp_path: Path) -> None:
    text = BASE["stop_times.txt"].replace("T1,07:10:00,07:10:00", "T1,7h10,7h10")
    result = read_feed(write_feed(tmp_path, {"stop_times.txt": text}))
    issue = next(i for i in result.issues if i.code == "unparseable_time")
    assert issue.feature == "T1"
    assert departures(result)["S2"] == 2


def test_a_stop_without_coordinates_is_left_out_and_reported(tmp_path: Path) -> None:
    stops = BASE["stops.txt"].replace("S2,Centre,44.3500,2.5750", "S2,Centre,,") + "S4,Nulle,0,0\n"
    result = read_feed(write_feed(tmp_path, {"stops.txt": stops}))
    missing = [i.feature for i in result.issues if i.code == "stop_without_coordinates"]
    assert missing == ["S2", "S4"]
    assert set(departures(result)) == {"S1", "S3"}
    assert not result.layers["transit_stop_hours"]["stop_id"].str.endswith("S2").any()


def test_a_trip_without_times_and_rows_of_unknown_trips_or_stops_are_reported(
    tmp_path: Path,
) -> None:
    trips = BASE["trips.txt"] + "R1,WK,T9\n"
    times = BASE["stop_times.txt"] + "TX,08:00:00,08:00:00,S1,1\nT2,07:55:00,07:55:00,SX,4\n"
    result = read_feed(write_feed(tmp_path, {"trips.txt": trips, "stop_times.txt": times}))
    found = {(i.code, i.feature) for i in result.issues}
    assert {("trip_without_times", "T9"), ("unknown_trip", "TX"), ("unknown_stop", "SX")} <= found
    assert departures(result)["S3"] == 1  # T2 now ends at the unknown stop: S3 is a departure


def test_a_route_without_trips_is_kept_without_a_line(tmp_path: Path) -> None:
    routes = BASE["routes.txt"] + "R3,3,Fantôme,3,\n"
    result = read_feed(write_feed(tmp_path, {"routes.txt": routes}))
    assert ("route_without_trips", "R3") in {(i.code, i.feature) for i in result.issues}
    lines = result.layers["transit_routes"].set_index("id").geometry
    assert lines["tiny:R3"] is None and lines["tiny:R1"] is not None


def test_a_day_outside_the_calendar_falls_back_to_the_default_day(tmp_path: Path) -> None:
    result = read_feed(write_feed(tmp_path), service_date="2030-06-04")
    assert "service_day_outside_calendar" in codes(result)
    assert result.provenance.details["service_date"] == "2024-01-02"


def test_a_service_date_that_is_not_a_date_is_one_clear_error(tmp_path: Path) -> None:
    with pytest.raises(InvalidInputError, match=r"'mardi' is not a date; give it as YYYY-MM-DD"):
        read_feed(write_feed(tmp_path), service_date="mardi")


def test_bom_quotes_spaces_in_headers_and_crlf_are_read(tmp_path: Path) -> None:
    stops = (
        '\ufeffstop_id, stop_name ,stop_lat,stop_lon\r\n"S1","Gare, quai 1",44.35,2.57\r\n'
        "S2,Centre,44.35,2.575\r\nS3,Lycée,44.35,2.58\r\n"
    )
    result = read_feed(write_feed(tmp_path, {"stops.txt": stops}))
    names = result.layers["transit_stops"].set_index("id")["name"]
    assert names["tiny:S1"] == "Gare, quai 1" and names["tiny:S3"] == "Lycée"
    assert departures(result)["S1"] == 2


def test_a_feed_in_windows_1252_is_read_and_reported(tmp_path: Path) -> None:
    result = read_feed(write_feed(tmp_path, encoding="cp1252"))
    assert "not_utf8" in codes(result)
    assert "Lycée" in set(result.layers["transit_stops"]["name"])


def test_unsorted_stop_times_are_put_in_trip_and_sequence_order(tmp_path: Path) -> None:
    header, *rows = BASE["stop_times.txt"].splitlines()
    shuffled = "\n".join([header, *rows[::-1]]) + "\n"
    result = read_feed(write_feed(tmp_path, {"stop_times.txt": shuffled}))
    assert departures(result) == {"S1": 2, "S2": 2, "S3": 0}


def test_a_feed_without_stops_txt_is_one_clear_error(tmp_path: Path) -> None:
    path = write_feed(tmp_path, {"stops.txt": None})
    assert registry.find_importer(path, ImportOptions()).NAME == "gtfs"
    with pytest.raises(InvalidInputError) as error:
        registry.read_file(path, target_crs="EPSG:2154")
    message = str(error.value)
    assert "stops.txt missing" in message and "\n" not in message


def test_stations_with_platforms_are_shown_by_their_platforms(tmp_path: Path) -> None:
    stops = (
        "stop_id,stop_name,stop_lat,stop_lon,location_type,parent_station\n"
        "G,Gare,44.35,2.57,1,\nS1,Gare quai 1,44.35,2.5701,0,G\nS2,Centre,44.35,2.575,,\n"
        "S3,Lycée,44.35,2.58,0,\nE1,Entrée,44.35,2.5702,2,G\nL,Halte,44.36,2.59,1,\n"
    )
    result = read_feed(write_feed(tmp_path, {"stops.txt": stops}))
    assert set(departures(result)) == {"S1", "S2", "S3", "L"}


def test_route_types_basic_and_extended_give_modes() -> None:
    assert [route_mode(t) for t in (0, 1, 2, 3, 4, 6, 7, 11)] == [
        "tram",
        "metro",
        "rail",
        "bus",
        "ferry",
        "cable",
        "funicular",
        "trolleybus",
    ]
    assert [route_mode(t) for t in (109, 200, 401, 700, 900, 1000, 1300, 1700, 99)] == [
        "rail",
        "coach",
        "metro",
        "bus",
        "tram",
        "ferry",
        "cable",
        "other",
        "other",
    ]


def test_the_default_day_is_the_busiest_tuesday(tmp_path: Path) -> None:
    calendar = BASE["calendar.txt"] + "SCHOOL,0,1,0,0,0,0,0,20240901,20241231\n"
    trips = BASE["trips.txt"] + "R1,SCHOOL,T4\n"
    times = BASE["stop_times.txt"] + "T4,08:00:00,08:00:00,S1,1\nT4,08:10:00,08:10:00,S2,2\n"
    changes = {"calendar.txt": calendar, "trips.txt": trips, "stop_times.txt": times}
    result = read_feed(write_feed(tmp_path, changes))
    day = date.fromisoformat(result.provenance.details["service_date"])
    assert day == date(2024, 9, 3)  # the first Tuesday with the school trip


def test_twin_import_reads_a_gtfs_folder_and_a_day_from_a_mapping_file(tmp_path: Path) -> None:
    from twin.cli import main
    from twin.project import load_project

    folder = write_feed(tmp_path, name="bus_gtfs", as_folder=True)
    day = tmp_path / "day.toml"
    day.write_text("[defaults]\nservice_date = 2024-03-09\n", encoding="utf-8")  # a Saturday
    project = tmp_path / "ville.twin.gpkg"
    assert main(["new", str(project)]) == 0
    assert main(["import", str(project), str(folder), "--mapping", str(day)]) == 0
    city = load_project(project)
    stops = city.layer("transit_stops").set_index("id")
    assert (stops["service_date"] == "2024-03-09").all()
    assert stops.loc["bus_gtfs:S3", "departures_day"] == 1  # the weekend shuttle only
    assert "bus_gtfs.zip" in city.files


def test_frequency_based_trips_run_every_headway_between_their_times(tmp_path: Path) -> None:
    frequencies = "trip_id,start_time,end_time,headway_secs\nT1,06:00:00,08:00:00,1800\n"
    result = read_feed(write_feed(tmp_path, {"frequencies.txt": frequencies}))
    assert departures(result) == {"S1": 5, "S2": 5, "S3": 0}  # T1 four times, T2 once
    hours = result.layers["transit_stop_hours"]
    at_s1 = hours[hours["stop_id"] == "tiny:S1"].set_index("hour")["departures"]
    assert at_s1.to_dict() == {6: 2, 7: 3}
    routes = result.layers["transit_routes"].set_index("id")
    assert routes.loc["tiny:R1", "trips_day"] == 5
    assert shapely.get_num_coordinates(routes.loc["tiny:R1", "geometry"]) == 3


def test_lines_with_missing_or_extra_fields_are_read_and_reported(tmp_path: Path) -> None:
    ragged = (
        "trip_id,arrival_time,departure_time,stop_id,stop_sequence,pickup_type\n"
        "T1,7:00:00,7:00:00,S1,1,0\nT1,7:10:00,7:10:00,S2,2\nT1,7:20:00,7:20:00,S3,3,0,,\n"
        "T2,7:30:00,7:30:00,S1,1\nT2,7:40:00,7:40:00,S2,2\nT2,7:50:00,7:50:00,S3,3\n"
    )
    result = read_feed(write_feed(tmp_path, {"stop_times.txt": ragged}))
    issue = next(i for i in result.issues if i.code == "ragged_rows")
    assert "1 long one(s) cut" in issue.message
    assert departures(result) == {"S1": 2, "S2": 2, "S3": 0}


def test_single_digit_hours_mixed_with_two_digit_hours_are_read(tmp_path: Path) -> None:
    times = (
        BASE["stop_times.txt"]
        .replace("07:", "7:")
        .replace("10:00:00,10:00:00,S3", "9:59:00,9:59:00,S3")
    )
    result = read_feed(write_feed(tmp_path, {"stop_times.txt": times}), service_date="2024-03-09")
    hours = result.layers["transit_stop_hours"].set_index("stop_id")
    assert hours.loc["tiny:S3", "hour"] == 9 and not result.issues


def test_a_cancelled_import_stops_with_cancelled_error(tmp_path: Path) -> None:
    from importers import gtfs
    from tests.importers.gtfs_feeds import LAMBERT93
    from twin.errors import CancelledError
    from twin.feedback import Feedback

    feedback = Feedback()
    feedback.cancel()
    with pytest.raises(CancelledError):
        gtfs.read(
            write_feed(tmp_path), target_crs=LAMBERT93, options=ImportOptions(), feedback=feedback
        )
