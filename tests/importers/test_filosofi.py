"""The Filosofi importer: INSEE population grid cells, whatever the vintage and the format."""

from __future__ import annotations

import re
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio
import pytest
from pyproj import CRS
from shapely.geometry import box

from importers import filosofi, registry
from importers.base import ImportOptions
from importers.inspire_grid import cell_squares, parse_cell_ids
from samples.build import DATA
from twin.catalogue import POPULATION_CELLS
from twin.errors import UnsupportedFormatError
from twin.issues import Issue
from twin.spec import conform

L93 = CRS.from_epsg(2154)
OLEMPS_GRID = Path("socio") / "olemps_filosofi2015_200m" / "population.shp"


def _read(path: Path) -> tuple[gpd.GeoDataFrame, list[Issue]]:
    result = registry.read_file(path, target_crs=L93)
    assert result.provenance.importer == "filosofi"
    return result.layers["population_cells"], result.issues


def _corner(cell_id: str) -> tuple[int, int]:
    north, east = re.search(r"N(\d+)E(\d+)$", cell_id).groups()
    return int(east), int(north)


def test_the_real_olemps_grid_keeps_every_cell_and_inhabitant(shared_data: Path) -> None:
    path = shared_data / OLEMPS_GRID
    source = pyogrio.read_dataframe(path)
    cells, issues = _read(path)
    assert len(cells) == len(source) == 457
    assert cells["inhabitants"].sum() == pytest.approx(source["ind"].sum()) == 29_736.5
    assert cells["households"].sum() == pytest.approx(source["men"].sum())
    assert cells["poor_households"].sum() == pytest.approx(source["men_pauv"].sum())
    assert cells["year"].eq(2015).all()  # from the folder's name
    assert cells["id"].is_unique and cells["source"].eq("filosofi").all()
    assert {"depcom", "ind_0_3", "log_soc"} <= set(cells.columns)  # extras for the inspector
    assert {issue.code for issue in issues} == {"cell_id_rebuilt"}  # nothing else to say
    conform(cells, POPULATION_CELLS)


def test_olemps_cells_without_an_id_are_named_after_their_square(shared_data: Path) -> None:
    path = shared_data / OLEMPS_GRID
    missing = pyogrio.read_dataframe(path)["id_car2010"].isna().sum()
    cells, issues = _read(path)
    rebuilt = [issue.feature for issue in issues if issue.code == "cell_id_rebuilt"]
    assert len(rebuilt) == missing == 13
    laea = cells.set_index("id").loc[rebuilt].to_crs(3035)
    for cell_id, square in zip(laea.index, laea.geometry, strict=True):
        east, north = _corner(cell_id)
        assert np.allclose(square.bounds, (east, north, east + 200, north + 200), atol=0.01)


def test_a_cell_id_names_the_lower_left_corner_of_its_square_in_laea(shared_data: Path) -> None:
    # INSPIRE Geographical Grid Systems and INSEE: the id gives the south-west corner. Check it
    # against the squares INSEE-derived data actually carries: rebuilt squares coincide.
    source = pyogrio.read_dataframe(shared_data / OLEMPS_GRID).dropna(subset=["id_car2010"])
    built = cell_squares(parse_cell_ids(source["id_car2010"]))
    rebuilt = gpd.GeoSeries(built, crs=3035).to_crs(source.crs)
    distance = rebuilt.hausdorff_distance(source.geometry.set_crs(source.crs), align=False)
    assert len(source) == 444 and distance.max() < 0.01


def test_a_csv_with_only_cell_ids_gets_200_m_squares_at_the_right_place(tmp_path: Path) -> None:
    path = tmp_path / "Filosofi2017_carreaux_200m.csv"
    path.write_text(
        "Idcar_200m;Ind;Men;Men_pauv;Depcom\n"
        "CRS3035RES200mN2387600E3728800;46;13;0;12146\n"
        "CRS3035RES200mN2387800E3728800;12,5;5,5;0,8;01001\n",
        encoding="utf-8",
    )
    cells, issues = _read(path)
    assert issues == []
    assert cells["inhabitants"].tolist() == [46.0, 12.5]  # decimal commas
    assert cells["households"].tolist() == [13.0, 5.5]
    assert cells["Depcom"].tolist() == ["12146", "01001"]  # codes stay text
    assert cells["year"].eq(2017).all()
    assert cells.crs.equals(L93)
    assert np.allclose(cells.area, 40_000, rtol=1e-3)
    laea = cells.to_crs(3035)
    for cell_id, square in zip(cells["id"], laea.geometry, strict=True):
        east, north = _corner(cell_id)
        assert np.allclose(square.bounds, (east, north, east + 200, north + 200), atol=0.01)
    assert laea.geometry.iloc[0].touches(laea.geometry.iloc[1])  # neighbours north-south


def test_one_kilometre_cells_and_comma_separated_cp1252_files_are_read(tmp_path: Path) -> None:
    path = tmp_path / "carreaux_1km.csv"
    path.write_bytes(
        'Idcar_1km,Ind,Men,lcog_geo,libellé\n"CRS3035RES1000mN2387000E3728000","1204,5","512",'
        '"12174","Olemps"\n'.encode("cp1252")
    )
    cells, _ = _read(path)
    square = cells.to_crs(3035).geometry.iloc[0]
    assert np.allclose(square.bounds, (3728000, 2387000, 3729000, 2388000), atol=0.01)
    assert cells["inhabitants"].iloc[0] == 1204.5 and cells["libellé"].iloc[0] == "Olemps"


def test_a_dbf_table_alone_gets_its_squares_and_the_year_it_is_told(tmp_path: Path) -> None:
    path = tmp_path / "carreaux_200m.dbf"
    table = pd.DataFrame({"IdINSPIRE": ["CRS3035RES200mN2387600E3728800"], "Ind": [3.5]})
    pyogrio.write_dataframe(table, path, driver="ESRI Shapefile")
    assert registry.find_importer(path, ImportOptions()).NAME == "filosofi"
    options = ImportOptions(defaults={"year": 2015})
    result = filosofi.read(path, target_crs=L93, options=options)
    cells = result.layers["population_cells"]
    square = cells.to_crs(3035).geometry.iloc[0]
    assert np.allclose(square.bounds, (3728800, 2387600, 3729000, 2387800), atol=0.01)
    assert cells["year"].tolist() == [2015] and cells["households"].isna().all()
    assert [issue.code for issue in result.issues] == ["households_missing"]


@pytest.mark.parametrize(
    ("fields", "year"),
    [
        (("IdINSPIRE", "Ind", "Men", "Men_pauv"), 2015),
        (("Idcar_200m", "Ind", "Men", "Men_pauv"), 2017),
        (("idcar_200m", "ind", "men", "men_pauv"), 2019),
        (("id_car2010", "ind", "men", "men_pauv"), None),
        (("IDCAR_200M", "IND", "MEN", "MEN_PAUV"), None),
    ],
)
def test_every_vintage_s_field_names_are_found_in_a_geopackage(
    tmp_path: Path, fields: tuple[str, ...], year: int | None
) -> None:
    id_field, ind, men, poor = fields
    name = f"Filosofi{year}_carreaux_200m.gpkg" if year else "grid.gpkg"
    ids = ["CRS3035RES200mN2387600E3728800", "CRS3035RES200mN2387600E3729000"]
    frame = gpd.GeoDataFrame(
        {id_field: ids, ind: [10.0, 20.5], men: [4.0, 8.0], poor: [1.0, 0.0]},
        geometry=cell_squares(parse_cell_ids(pd.Series(ids))),
        crs=3035,
    )
    frame.to_file(tmp_path / name, layer="carreaux", driver="GPKG")
    cells, _ = _read(tmp_path / name)
    assert cells["id"].tolist() == ids
    assert cells["inhabitants"].tolist() == [10.0, 20.5]
    assert cells["households"].tolist() == [4.0, 8.0]
    assert cells["poor_households"].tolist() == [1.0, 0.0]
    assert cells["year"].isna().all() if year is None else cells["year"].eq(year).all()
    assert cells.crs.equals(L93)


def test_bad_ids_and_counts_are_reported_not_silently_dropped(tmp_path: Path) -> None:
    path = tmp_path / "grid.csv"
    path.write_text(
        "idcar_200m;ind;men\n"
        "CRS3035RES200mN2387600E3728800;46;13\n"
        "CRS3035RES200mN2387600E3728800;46;13\n"  # the same cell twice
        "N2387600-E3728800;7;3\n"  # not a cell id, and no geometry
        ";5;2\n"  # no id at all
        "CRS3035RES200mN2387800E3728800;-4;2\n"  # negative inhabitants
        "CRS3035RES200mN2388000E3728800;;1\n",  # inhabitants missing
        encoding="utf-8",
    )
    cells, issues = _read(path)
    by_code = {issue.code: issue for issue in issues}
    assert cells["id"].tolist() == [
        "CRS3035RES200mN2387600E3728800",
        "CRS3035RES200mN2387800E3728800",
        "CRS3035RES200mN2388000E3728800",
    ]
    assert "46 inhabitants" in by_code["duplicate_id"].message
    assert by_code["cell_id_unparseable"].feature == "N2387600-E3728800"
    assert "7 inhabitants" in by_code["cell_id_unparseable"].message
    assert "5 inhabitants" in by_code["cell_id_missing"].message
    assert by_code["population_count_negative"].feature == "CRS3035RES200mN2387800E3728800"
    assert by_code["population_count_missing"].feature == "CRS3035RES200mN2388000E3728800"
    assert cells["inhabitants"].isna().sum() == 2  # blanked and missing, never negative


def test_a_cell_with_its_own_geometry_keeps_it_even_with_an_odd_id(tmp_path: Path) -> None:
    path = tmp_path / "grid.shp"
    frame = gpd.GeoDataFrame(
        {"Idcar_200m": ["carreau-17"], "Ind": [9.0], "Men": [4.0]},
        geometry=[box(668_000, 6_357_000, 668_200, 6_357_200)],
        crs=2154,
    )
    frame.to_file(path)
    cells, issues = _read(path)
    assert cells["id"].tolist() == ["carreau-17"] and cells["inhabitants"].tolist() == [9.0]
    assert [issue.code for issue in issues] == ["cell_id_unparseable"]


def test_the_sample_grid_is_read_with_its_inhabitants_and_extras() -> None:
    source = pyogrio.read_dataframe(DATA / "filosofi_200m.gpkg")
    cells, issues = _read(DATA / "filosofi_200m.gpkg")
    assert cells["id"].tolist() == source["Idcar_200m"].tolist()
    assert cells["inhabitants"].sum() == pytest.approx(source["Ind"].sum())
    assert "Ind_80p" in cells.columns and issues == []


def test_other_files_are_not_taken_for_a_filosofi_grid(shared_data: Path, tmp_path: Path) -> None:
    bdtopo = shared_data / "bdtopo" / "olemps_12174_v3" / "BATIMENT.shp"
    assert registry.find_importer(bdtopo, ImportOptions()).NAME == "bdtopo"
    assert registry.find_importer(DATA / "contours_iris.gpkg", ImportOptions()).NAME == "iris"
    table = tmp_path / "communes.csv"
    table.write_text("id;nom;ind\n12174;Olemps;3439\n", encoding="utf-8")
    assert not filosofi.sniff(table)
    with pytest.raises(UnsupportedFormatError, match=r"communes\.csv: no importer"):
        registry.find_importer(table, ImportOptions())
