"""The digital-infrastructure importer: fibre routes, ARCEP-like premises, ANFR-like sites,
sensors, from the sample GeoPackage and hand-made files in their sources' vocabularies."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio
import pytest
import shapely
from pyproj import CRS, Transformer
from shapely.geometry import LineString, Point

from importers import digital, registry
from importers.base import ImportOptions
from importers.digital_vocab import FTTH_STATUSES
from importers.options import build_import_options
from samples.build import DATA
from twin.catalogue import DIGITAL_ASSETS
from twin.errors import CrsError, InvalidInputError, UnsupportedFormatError
from twin.issues import Issue
from twin.spec import conform

L93 = CRS.from_epsg(2154)
SAMPLE = DATA / "infrastructure_numerique.gpkg"
TO_L93 = Transformer.from_crs(4326, 2154, always_xy=True)
#: Near Valmont-sur-Aveyron (lon, lat).
LON, LAT = 2.5702, 44.3501


def _read(path: Path, options: ImportOptions | None = None) -> tuple[gpd.GeoDataFrame, list[Issue]]:
    result = registry.read_file(path, target_crs=L93, options=options)
    assert result.provenance.importer == "digital"
    assets = result.layers["digital_assets"]
    conform(assets, DIGITAL_ASSETS)  # the layer as the City takes it
    return assets.set_index("id", drop=False), result.issues


def _codes(issues: list[Issue]) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for issue in issues:
        found.setdefault(issue.code, []).append(issue.feature)
    return found


def _geojson(path: Path, features: list[tuple[dict[str, Any], Any]]) -> Path:
    collection = {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "properties": properties,
                "geometry": None if geometry is None else shapely.geometry.mapping(geometry),
            }
            for properties, geometry in features
        ],
    }
    path.write_text(json.dumps(collection, ensure_ascii=False), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def sample() -> tuple[gpd.GeoDataFrame, list[Issue]]:
    return _read(SAMPLE)


def test_every_layer_of_the_sample_geopackage_is_read_in_one_go(
    sample: tuple[gpd.GeoDataFrame, list[Issue]],
) -> None:
    assets, issues = sample
    sizes = {name: len(pyogrio.read_dataframe(SAMPLE, layer=name)) for name, _ in
             pyogrio.list_layers(SAMPLE)}  # fmt: skip
    assert sizes == {"fibre_troncons": 96, "locaux_raccordables": 233, "sites_mobiles": 3}
    assert assets["kind"].value_counts().to_dict() == {
        "premises": 233,
        "fibre_cable": 96,
        "mobile_site": 3,
    }
    assert assets["id"].is_unique and assets["status"].eq("existing").all()
    assert assets["source"].eq("digital").all()
    assert issues == []  # the sample speaks the sources' vocabulary exactly


def test_sample_premises_keep_their_counts_buildings_and_ftth_status(
    sample: tuple[gpd.GeoDataFrame, list[Issue]],
) -> None:
    assets, _ = sample
    source = pyogrio.read_dataframe(SAMPLE, layer="locaux_raccordables").set_index("id")
    premises = assets.loc[source.index]
    assert premises["count"].tolist() == source["nb_locaux"].tolist()
    assert premises["building_id"].tolist() == source["cleabs_batiment"].tolist()
    assert premises["technology"].eq("FTTH").all()
    expected = source["statut"].map(
        {
            "raccordable": "connectable",
            "raccordable a la demande": "on_demand",
            "non raccordable": "not_connectable",
        }
    )
    assert expected.notna().all()
    assert premises["ftth_status"].tolist() == expected.tolist()
    assert premises["statut"].tolist() == source["statut"].tolist()  # the source's word kept
    assert set(premises["ftth_status"]) <= set(FTTH_STATUSES)


def test_sample_fibre_laying_is_translated_and_lengths_are_the_lines_lengths(
    sample: tuple[gpd.GeoDataFrame, list[Issue]],
) -> None:
    assets, _ = sample
    source = pyogrio.read_dataframe(SAMPLE, layer="fibre_troncons").set_index("id")
    fibre = assets.loc[source.index]
    laying = source["mode_pose"].map({"aerien": "overhead", "souterrain": "underground"})
    assert fibre["laying"].tolist() == laying.tolist()
    assert set(fibre["laying"]) == {"overhead", "underground"}
    assert np.allclose(fibre["length_m"], shapely.length(source.geometry.to_numpy()))
    assert fibre["fibre_count"].tolist() == source["nb_fibres"].tolist()
    assert fibre["year"].tolist() == source["annee_pose"].tolist()
    assert fibre["operator"].eq("Causses Fibre").all()
    assert assets.loc[assets["kind"] != "fibre_cable", "length_m"].isna().all()


def test_sample_mobile_sites_keep_operator_technologies_and_height(
    sample: tuple[gpd.GeoDataFrame, list[Issue]],
) -> None:
    assets, _ = sample
    source = pyogrio.read_dataframe(SAMPLE, layer="sites_mobiles").set_index("id")
    sites = assets.loc[source.index]
    assert sites["operator"].tolist() == source["operateur"].tolist()
    assert sites["technology"].tolist() == source["technologies"].tolist()
    assert sites["height_m"].tolist() == source["hauteur_m"].tolist()
    assert sites["count"].eq(1).all()
    assert sites.geometry.geom_equals(source.geometry).all()


def test_arcep_like_premises_in_geojson_with_their_vocabulary(tmp_path: Path) -> None:
    x, y = LON, LAT
    rows = [
        ("IMB/12990/X/0001", 12, "déployé"),
        ("IMB/12990/X/0002", 1, "en cours de déploiement"),
        ("IMB/12990/X/0003", None, "cible"),
        ("IMB/12990/X/0004", 3, "Raccordable sur demande"),
        ("IMB/12990/X/0005", 2, "en attente"),
        ("IMB/12990/X/0006", 2, "signé"),
    ]
    features = [
        (
            {"imb_id": imb, "code_insee": "12990", "nb_logement_locaux": count, "imb_etat": etat},
            None if number == 5 else Point(x + number * 0.001, y),
        )
        for number, (imb, count, etat) in enumerate(rows)
    ]
    assets, issues = _read(_geojson(tmp_path / "immeubles.geojson", features))
    assert assets["ftth_status"].to_dict() == {
        "IMB/12990/X/0001": "connectable",
        "IMB/12990/X/0002": "in_progress",
        "IMB/12990/X/0003": "targeted",
        "IMB/12990/X/0004": "on_demand",
        "IMB/12990/X/0005": "en attente",  # unknown: kept as written, and reported
    }
    assert assets["count"].tolist() == [12, 1, 1, 3, 2]  # a missing count is 1, reported
    codes = _codes(issues)
    assert codes["ftth_status_unknown"] == ["IMB/12990/X/0005"]
    assert codes["premises_count_missing"] == ["IMB/12990/X/0003"]
    assert codes["empty_geometry"] == ["IMB/12990/X/0006"]
    assert assets["code_insee"].eq("12990").all()


def test_arcep_like_csv_with_x_y_in_degrees_is_placed_in_lambert93(tmp_path: Path) -> None:
    path = tmp_path / "arcep_immeubles.csv"
    path.write_text(
        "imb_id,code_insee,imb_etat,x,y,nb_logement_locaux\n"
        f"IMB/12990/A,12990,deploye,{LON},{LAT},4\n"
        f"IMB/12990/B,12990,non deploye,{LON + 0.01},{LAT + 0.01},1\n",
        encoding="utf-8",
    )
    assets, issues = _read(path)
    expected = TO_L93.transform(LON, LAT)
    assert assets.loc["IMB/12990/A"].geometry.distance(Point(expected)) < 0.01
    assert assets["ftth_status"].tolist() == ["connectable", "not_connectable"]
    assert assets["code_insee"].tolist() == ["12990", "12990"]  # codes stay text
    assert "x" not in assets.columns and issues == []


def _anfr_csv(path: Path) -> Path:
    """ANFR-like emitters, ';'-separated, decimal commas, Windows-1252, WGS84."""
    rows = [
        ("1234567", "ORANGE", "LTE 800", "32,5", "En service", "2015-03-12", LAT, LON),
        ("1234567", "ORANGE", "NR 3500", "32,5", "En service", "2021-06-01", LAT, LON),
        ("1234567", "ORANGE", "GSM 900", "30", "En service", "2003-01-10", LAT, LON),
        ("2345678", "SFR", "UMTS 2100", "30", "Projet approuvé", "", LAT, LON),
        ("3456789", "FREE MOBILE", "5G NR 3500", "25", "Techniquement opérationnel",
         "2022-01-01", LAT + 0.01, LON + 0.01),
        ("4567890", "BOUYGUES TELECOM", "WiMAX 3500", "20", "En service", "2010-01-01", 0, 0),
        ("5678901", "ORANGE", "LTE 1800", "20", "En service", "2016-01-01", "", ""),
    ]  # fmt: skip
    lines = ["sta_nm_anfr;adm_lb_nom;emr_lb_systeme;sup_nm_haut;statut;emr_dt_service;lat;lon"]
    for row in rows:
        text = [str(v).replace(".", ",") if isinstance(v, float) else str(v) for v in row]
        lines.append(";".join(text))
    path.write_bytes(("\n".join(lines) + "\n").encode("cp1252"))
    return path


def test_anfr_like_emitters_in_csv_become_one_site_per_station(tmp_path: Path) -> None:
    assets, issues = _read(_anfr_csv(tmp_path / "anfr_emetteurs.csv"))
    assert sorted(assets.index) == ["1234567", "2345678", "3456789"]
    orange = assets.loc["1234567"]
    assert orange["technology"] == "2G,4G,5G"  # GSM 900, LTE 800, NR 3500
    assert orange["year"] == 2003 and orange["height_m"] == 32.5  # earliest, highest
    assert assets.loc["2345678", "status"] == "planned"  # Projet approuvé
    assert assets.loc["2345678", "technology"] == "3G"
    assert assets.loc["3456789", "status"] == "existing"  # techniquement opérationnel
    assert assets.loc["2345678", "statut"] == "Projet approuvé"  # read as Windows-1252
    expected = Point(TO_L93.transform(LON, LAT))
    assert orange.geometry.distance(expected) < 0.01
    codes = _codes(issues)
    assert codes["outside_crs_area"] == ["4567890"]  # at 0,0
    assert codes["empty_geometry"] == ["5678901"]
    assert codes["technology_unknown"] == ["4567890"]
    assert codes["emitters_merged"] == ["1234567"]


def test_mobile_sites_in_lambert93_with_site_flags_and_swapped_coordinates(
    tmp_path: Path,
) -> None:
    x, y = TO_L93.transform(LON, LAT)
    path = tmp_path / "sites_mobiles.csv"
    path.write_text(
        "id_station_anfr;nom_op;site_2g;site_3g;site_4g;site_5g;x;y\n"
        f"0100001;Orange;1;0;1;1;{x:.2f};{y:.2f}\n"
        f"0100002;SFR;0;0;1;0;{x + 500:.2f};{y:.2f}\n",
        encoding="utf-8",
    )
    assets, issues = _read(path)
    assert assets["technology"].to_dict() == {"0100001": "2G,4G,5G", "0100002": "4G"}
    assert assets["operator"].tolist() == ["Orange", "SFR"]
    assert assets.loc["0100001"].geometry.distance(Point(x, y)) < 0.01
    assert issues == []
    swapped = tmp_path / "antennes.csv"
    swapped.write_text(
        f"id;operateur;longitude;latitude\nA;Orange;{LON};{LAT}\nB;SFR;{LAT};{LON}\n",
        encoding="utf-8",
    )
    assets, issues = _read(swapped)
    assert list(assets.index) == ["A"] and _codes(issues)["outside_crs_area"] == ["B"]


def test_anfr_supports_with_degrees_minutes_seconds_are_placed(tmp_path: Path) -> None:
    path = tmp_path / "SUP_SUPPORT.txt"
    path.write_text(
        "SUP_ID;STA_NM_ANFR;COR_NB_DG_LAT;COR_NB_MN_LAT;COR_NB_SC_LAT;COR_CD_NS_LAT;"
        "COR_NB_DG_LON;COR_NB_MN_LON;COR_NB_SC_LON;COR_CD_EW_LON;SUP_NM_HAUT\n"
        "987654;1234567;44;21;0;N;2;34;12;E;32,5\n"
        "987655;1234568;44;21;0;N;0;30;0;W;20\n",
        encoding="utf-8",
    )
    assets, issues = _read(path)
    east = Point(TO_L93.transform(2 + 34 / 60 + 12 / 3600, 44 + 21 / 60))
    west = Point(TO_L93.transform(-0.5, 44 + 21 / 60))
    assert assets.loc["1234567"].geometry.distance(east) < 0.01
    assert assets.loc["1234568"].geometry.distance(west) < 0.01  # W: negative longitude
    assert assets["height_m"].tolist() == [32.5, 20.0] and issues == []


def test_unknown_statuses_and_laying_are_reported_and_kept_in_the_source_field(
    tmp_path: Path,
) -> None:
    line = LineString([(LON, LAT), (LON + 0.01, LAT)])
    features = [
        ({"id": "C1", "statut": "En service", "mode_pose": "Façade", "type": "cable"}, line),
        ({"id": "C1", "statut": "REC", "mode_pose": "aérien", "type": "cable"}, line),
        ({"id": "C2", "statut": "en réflexion", "mode_pose": "tunnel", "type": "cable"}, line),
        ({"id": "D1", "statut": "AVP", "mode_pose": "souterrain", "type": "Fourreau"}, line),
        ({"id": "P1", "statut": "En service", "mode_pose": "aerien"}, line.centroid),
    ]  # fmt: skip
    assets, issues = _read(_geojson(tmp_path / "reseau_fibre.geojson", features))
    assert assets["status"].dropna().to_dict() == {
        "C1": "existing",
        "C1#2": "existing",  # sections of one cable: numbered, all kept
        "D1": "planned",
    }
    assert pd.isna(assets.loc["C2", "status"])  # unknown: left empty, and reported
    assert assets.loc["C2", "statut"] == "en réflexion"
    assert assets["laying"].dropna().to_dict() == {
        "C1": "facade",
        "C1#2": "overhead",
        "D1": "underground",
    }
    assert assets.loc["C2", "mode_pose"] == "tunnel"
    assert assets.loc["D1", "kind"] == "fibre_duct" and assets.loc["C1", "kind"] == "fibre_cable"
    codes = _codes(issues)
    assert codes["status_unknown"] == ["C2"] and codes["laying_unknown"] == ["C2"]
    assert codes["not_a_line"] == ["P1"] and codes["id_repeated_numbered"] == ["C1#2"]
    lengths = shapely.length(assets.geometry.to_numpy())
    assert np.allclose(assets["length_m"], lengths) and (lengths > 700).all()


def test_sensors_and_layers_sharing_ids_in_one_geopackage(tmp_path: Path) -> None:
    path = tmp_path / "equipements.gpkg"
    here = Point(TO_L93.transform(LON, LAT))
    sensors = gpd.GeoDataFrame(
        {"id": ["1", "2"], "type": ["qualité de l'air", "bruit"], "reseau": ["LoRa", "Sigfox"]},
        geometry=[here, shapely.affinity.translate(here, 50)],
        crs=L93,
    )
    gateways = gpd.GeoDataFrame(
        {"id": ["GW-1"], "operateur": ["Commune"]}, geometry=[here.buffer(2.0)], crs=L93
    )
    lights = gpd.GeoDataFrame({"id": ["GW-1"]}, geometry=[here], crs=L93)
    sensors.to_file(path, layer="capteurs")
    gateways.to_file(path, layer="passerelles_lorawan")
    lights.to_file(path, layer="eclairage_public")
    pyogrio.write_dataframe(  # not digital infrastructure: left alone
        gpd.GeoDataFrame({"nom": ["x"]}, geometry=[here], crs=L93), path, layer="arbres"
    )
    assets, issues = _read(path)
    assert assets["kind"].to_dict() == {
        "capteurs-1": "sensor",
        "capteurs-2": "sensor",
        "passerelles_lorawan:GW-1": "lorawan_gateway",
        "eclairage_public:GW-1": "streetlight",
    }
    assert assets.loc["capteurs-1", "sensor_type"] == "qualité de l'air"
    assert assets.loc["capteurs-2", "technology"] == "Sigfox"
    assert assets.loc["passerelles_lorawan:GW-1", "technology"] == "LoRaWAN"
    assert assets.loc["passerelles_lorawan:GW-1"].geometry.geom_type == "Point"
    codes = _codes(issues)
    assert len(codes["id_prefixed"]) == 3 and "converted_to_points" in codes
    only, _ = _read(path, ImportOptions(source_layer="capteurs"))
    assert set(only["kind"]) == {"sensor"}
    with pytest.raises(InvalidInputError, match="'arbres' is not recognised"):
        registry.read_file(
            path, target_crs=L93, options=ImportOptions(kind="digital", source_layer="arbres")
        )


def test_a_stray_point_far_from_the_others_is_left_out(tmp_path: Path) -> None:
    lines = ["id;type;lon;lat"]
    lines += [f"S{n};bruit;{LON + n * 0.001};{LAT}" for n in range(12)]
    lines.append(f"FAR;bruit;{LON + 3};{LAT + 3}")  # some 400 km away, still in France
    path = tmp_path / "capteurs.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assets, issues = _read(path)
    assert len(assets) == 12 and "FAR" not in assets.index
    assert _codes(issues)["far_from_the_rest"] == ["FAR"]


def test_tables_without_coordinates_or_with_unknown_ones_are_one_clear_error(
    tmp_path: Path,
) -> None:
    plain = tmp_path / "sites_mobiles.csv"
    plain.write_text("id;operateur;technologies\n1;Orange;4G\n", encoding="utf-8")
    with pytest.raises(InvalidInputError, match="no coordinate fields"):
        registry.read_file(plain, target_crs=L93)
    odd = tmp_path / "antennes.csv"
    odd.write_text("id;operateur;x;y\n1;Orange;1700000;3200000\n", encoding="utf-8")
    with pytest.raises(CrsError, match="--crs"):
        registry.read_file(odd, target_crs=L93)
    assets, _ = _read(odd, ImportOptions(source_crs=CRS.from_epsg(3944)))
    assert len(assets) == 1


def test_a_file_of_another_kind_said_to_be_digital_is_refused() -> None:
    with pytest.raises(UnsupportedFormatError, match="--as digital_assets --map kind="):
        registry.read_file(DATA / "filosofi_200m.gpkg", target_crs=L93,
                           options=ImportOptions(kind="digital"))  # fmt: skip


def test_any_other_file_is_read_through_a_column_mapping(tmp_path: Path) -> None:
    line = LineString([(LON, LAT), (LON + 0.01, LAT)])
    path = _geojson(
        tmp_path / "patrimoine.geojson",
        [
            ({"ref": "A1", "genre": "Fourreau", "proprio": "Commune"}, line),
            ({"ref": "A2", "genre": "Capteur", "proprio": "Commune"}, Point(LON, LAT)),
        ],
    )
    mapping = tmp_path / "patrimoine.toml"
    mapping.write_text(
        'as = "digital_assets"\n[columns]\nid = "ref"\nkind = "genre"\noperator = "proprio"\n'
        '[values.kind]\nFourreau = "fibre_duct"\nCapteur = "sensor"\n'
        '[defaults]\nstatus = "existing"\n',
        encoding="utf-8",
    )
    options = build_import_options(mapping_file=mapping)
    result = registry.read_file(path, target_crs=L93, options=options)
    assert result.provenance.importer == "vector"
    assets = conform(result.layers["digital_assets"], DIGITAL_ASSETS).set_index("id")
    assert assets["kind"].to_dict() == {"A1": "fibre_duct", "A2": "sensor"}
    assert assets["status"].eq("existing").all() and assets["operator"].eq("Commune").all()
    flags = build_import_options(kind="digital_assets", map_pairs=["id=ref", "operator=proprio"])
    plain = registry.read_file(path, target_crs=L93, options=flags).layers["digital_assets"]
    assert plain["operator"].tolist() == ["Commune", "Commune"]


def test_the_other_sample_files_are_not_taken_for_digital_infrastructure() -> None:
    others = [path for path in DATA.iterdir() if path.name != SAMPLE.name]
    assert len(others) >= 9
    assert [path.name for path in others if digital.sniff(path)] == []
    assert digital.sniff(SAMPLE)


def test_real_french_sources_are_not_taken_for_digital_infrastructure(
    shared_data: Path,
) -> None:
    files = [
        shared_data / "bdtopo" / "olemps_12174_v3" / "BATIMENT.shp",
        shared_data / "socio" / "olemps_filosofi2015_200m" / "population.shp",
        shared_data / "cadastre" / "cadastre-91216-parcelles.json",
        shared_data / "gtfs" / "poa_trensurb.zip",
        shared_data / "roads" / "redon.osm",
    ]
    assert all(path.exists() for path in files)
    assert [path.name for path in files if digital.sniff(path)] == []


def test_twin_import_puts_the_sample_infrastructure_into_a_new_project(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from twin.cli import main
    from twin.project import load_project

    project = tmp_path / "numerique.twin.gpkg"
    assert main(["new", str(project)]) == 0
    assert main(["import", str(project), str(SAMPLE)]) == 0
    assert "read by the 'digital' importer" in capsys.readouterr().out
    assets = load_project(project).layer("digital_assets")
    assert assets["kind"].value_counts().to_dict() == {
        "premises": 233,
        "fibre_cable": 96,
        "mobile_site": 3,
    }
    assert assets.loc[assets["kind"] == "premises", "ftth_status"].notna().all()
    assert main(["import", str(project), str(SAMPLE)]) == 0  # again: rows replaced by id
    assert len(load_project(project).layer("digital_assets")) == 332
