"""The Etalab cadastre importer: parcelles, batiments, communes, plain or gzipped."""

from __future__ import annotations

import gzip
import json
import shutil
from pathlib import Path

import pytest
from pyproj import CRS
from shapely.geometry import box, mapping

from importers import cadastre, registry
from importers.base import ImportOptions
from importers.geojson_head import first_properties
from samples.build import DATA
from twin.catalogue import BUILDINGS, COMMUNES, PARCELS
from twin.errors import InvalidInputError
from twin.spec import conform

L93 = CRS.from_epsg(2154)


def _write(path: Path, features: list[dict], *, gzipped: bool = False) -> Path:
    text = json.dumps({"type": "FeatureCollection", "features": features}, ensure_ascii=False)
    if gzipped:
        path.write_bytes(gzip.compress(text.encode("utf-8")))
    else:
        path.write_text(text, encoding="utf-8")
    return path


def _feature(properties: dict, geometry: object = None, **extra: object) -> dict:
    shape = geometry or box(2.35, 48.85, 2.3501, 48.8501)
    return {"type": "Feature", **extra, "geometry": mapping(shape), "properties": properties}


def _parcel(number: int, contenance: float = 85.0, **geometry: object) -> dict:
    properties = {
        "id": f"91216000AB{number:04d}",
        "commune": "91216",
        "prefixe": "000",
        "section": "AB",
        "numero": str(number),
        "contenance": contenance,
        "arpente": False,
        "created": "2004-02-25",
        "updated": "2015-05-12",
    }
    return _feature(properties, **geometry)


def _read(path: Path) -> object:
    return cadastre.read(path, target_crs=L93, options=ImportOptions())


def test_the_real_parcels_of_epinay_come_in_whole_with_their_contenance(
    shared_data: Path,
) -> None:
    path = shared_data / "cadastre" / "cadastre-91216-parcelles.json"
    result = _read(path)
    parcels = result.layers["parcels"]
    assert len(parcels) == 4241
    assert parcels.crs.equals(L93)
    assert parcels["id"].str.len().eq(14).all() and parcels["id"].is_unique
    ratio = parcels.geometry.area / parcels["contenance_m2"]
    assert abs(ratio.median() - 1.0) < 0.01
    first = parcels.set_index("id").loc["91216000AB0037"]
    assert (first["name"], first["section"], first["numero"]) == ("AB 37", "AB", "37")
    assert first["commune"] == "91216" and first["contenance_m2"] == 254881.0
    differing = [i for i in result.issues if i.code == "area_differs_from_contenance"]
    assert 0.03 < len(differing) / len(parcels) < 0.06  # about 4 %, reported as information
    assert all(issue.feature.startswith("91216") for issue in differing)
    conform(parcels, PARCELS)


def test_a_gzipped_file_as_distributed_is_recognised_by_its_content(
    shared_data: Path, tmp_path: Path
) -> None:
    path = tmp_path / "download"  # no suffix at all: only the gzip and JSON content say it
    real = shared_data / "cadastre" / "cadastre-91216-parcelles.json"
    with real.open("rb") as source, gzip.open(path, "wb") as target:
        shutil.copyfileobj(source, target)
    assert registry.find_importer(path, ImportOptions()).NAME == "cadastre"
    result = registry.read_file(path, target_crs=L93)
    assert len(result.layers["parcels"]) == 4241
    assert result.provenance.details["gzip"] is True and result.provenance.sha256


def test_the_sample_communes_and_parcels_are_read_without_any_mapping() -> None:
    communes = registry.read_file(DATA / "communes.json", target_crs=L93)
    assert communes.provenance.importer == "cadastre"
    layer = communes.layers["communes"]
    assert dict(zip(layer["id"], layer["name"], strict=True)) == {
        "12990": "Valmont-sur-Aveyron",
        "12991": "Saint-Bruno-des-Causses",
    }
    conform(communes.layers["communes"], COMMUNES)
    parcels = registry.read_file(DATA / "cadastre-12991-parcelles.json", target_crs=L93)
    assert len(parcels.layers["parcels"]) == 85
    assert parcels.layers["parcels"]["name"].notna().all()


def test_a_plain_geojson_is_left_to_the_vector_importer(tmp_path: Path) -> None:
    path = _write(
        tmp_path / "zones.geojson",
        [_feature({"id": "Z1", "nom": "Zone d'activité", "type": "01", "surface": 3})],
    )
    assert not cadastre.sniff(path)
    assert registry.find_importer(path, ImportOptions()).NAME == "vector"


def test_the_first_properties_are_found_after_a_long_geometry(tmp_path: Path) -> None:
    ring = [(2.0 + i * 1e-6, 48.0 + (i % 7) * 1e-6) for i in range(20000)] + [(2.0, 48.0)]
    geometry = {"type": "Polygon", "coordinates": [ring]}
    feature = {
        "type": "Feature",
        "id": "91216",
        "geometry": geometry,
        "properties": {"id": "91216", "nom": "Épinay-sur-Orge", "created": "2004-11-30"},
    }
    path = tmp_path / "communes.json.gz"
    path.write_bytes(
        gzip.compress(json.dumps({"type": "FeatureCollection", "features": [feature]}).encode())
    )
    assert len(json.dumps(geometry)) > 4 * 65536
    assert first_properties(path) == feature["properties"]
    assert cadastre.etalab_kind(path) == "communes"


def test_cadastre_buildings_get_a_use_by_type_and_a_default_height(tmp_path: Path) -> None:
    features = [
        _feature({"type": "01", "nom": None, "commune": "91216", "created": "2010-01-01"}),
        _feature(
            {"type": "02", "nom": "Hangar", "commune": "91216"}, box(2.36, 48.85, 2.3601, 48.8501)
        ),
        _feature({"type": "03", "commune": "91216"}, box(2.37, 48.85, 2.3701, 48.8501)),
    ]
    path = _write(tmp_path / "cadastre-91216-batiments.json.gz", features, gzipped=True)
    result = _read(path)
    buildings = result.layers["buildings"]
    assert buildings["id"].tolist() == ["91216-bati-1", "91216-bati-2", "91216-bati-3"]
    assert buildings["use"].tolist() == ["unknown", "annex", "unknown"]
    assert buildings["height_source"].eq("use_default").all()
    assert buildings["height_m"].tolist() == [5.0, 3.0, 5.0]
    assert buildings["name"].iloc[1] == "Hangar" and buildings["source"].eq("cadastre").all()
    assert [i.code for i in result.issues] == ["use_unmapped"]
    conform(buildings, BUILDINGS)


def test_broken_parcels_are_repaired_or_reported_never_lost_silently(tmp_path: Path) -> None:
    from shapely import Polygon

    bowtie = Polygon([(2.35, 48.85), (2.3501, 48.8501), (2.3501, 48.85), (2.35, 48.8501)])
    features = [
        _parcel(1),
        _parcel(2, geometry=bowtie),
        _parcel(1, geometry=box(2.36, 48.85, 2.3601, 48.8501)),  # the same id again
    ]
    result = _read(_write(tmp_path / "cadastre-91216-parcelles.json", features))
    parcels = result.layers["parcels"]
    assert parcels["id"].tolist() == ["91216000AB0001", "91216000AB0002"]
    assert parcels.geometry.is_valid.all()
    codes = {(i.code, i.feature) for i in result.issues}
    assert ("invalid_geometry", "91216000AB0002") in codes
    assert ("duplicate_id", "91216000AB0001") in codes


def test_a_sections_file_is_refused_with_a_clear_message(tmp_path: Path) -> None:
    properties = {"id": "91216000AB", "commune": "91216", "prefixe": "000", "code": "AB"}
    path = _write(tmp_path / "cadastre-91216-sections.json", [_feature(properties)])
    assert cadastre.etalab_kind(path) == "sections"
    with pytest.raises(InvalidInputError, match=r"sections\.json holds cadastral sections"):
        _read(path)


def test_parcels_saved_again_by_gdal_with_a_crs_member_are_still_recognised(
    tmp_path: Path, shared_data: Path
) -> None:
    import geopandas as gpd

    from importers import cadastre

    source = shared_data / "cadastre" / "cadastre-91216-parcelles.json"
    again = tmp_path / "export-qgis.geojson"
    gpd.read_file(source).head(20).to_file(again, driver="GeoJSON")  # writes "crs" first
    assert '"crs"' in again.read_text(encoding="utf-8")[:300]
    assert cadastre.etalab_kind(again) == "parcelles"
