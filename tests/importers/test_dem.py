"""The DEM importer warps any georeferenced GeoTIFF onto the project CRS, NaN where no data."""

from __future__ import annotations

import warnings
from pathlib import Path

import numpy as np
import pytest
import rasterio
import shapely
from affine import Affine
from numpy.lib.stride_tricks import sliding_window_view
from pyproj import CRS, Transformer
from rasterio.errors import NotGeoreferencedWarning

from importers import dem, registry
from importers.base import ImportOptions, ImportResult
from twin.errors import CrsError, InvalidInputError, UnsupportedFormatError

DATA = Path(__file__).resolve().parents[2] / "samples" / "data"
UTM_22S = CRS.from_epsg(31982)  # SIRGAS 2000 / UTM 22S: Porto Alegre
LAMBERT93 = CRS.from_epsg(2154)
CC44 = CRS.from_epsg(3944)
GRID = Affine(25, 0, 668000, 0, -25, 6358000)  # 25 m pixels near Rodez, in Lambert-93


def write_tiff(
    path: Path,
    values: np.ndarray,
    *,
    crs: object = LAMBERT93,
    transform: Affine | None = GRID,
    nodata: float | None = None,
) -> Path:
    """A one-band TIFF; no crs and no transform make a plain (not georeferenced) image."""
    profile: dict[str, object] = {
        "driver": "GTiff",
        "width": values.shape[1],
        "height": values.shape[0],
        "count": 1,
        "dtype": values.dtype.name,
    }
    if crs is not None:
        profile["crs"] = crs
    if transform is not None:
        profile["transform"] = transform
    if nodata is not None:
        profile["nodata"] = nodata
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", NotGeoreferencedWarning)
        with rasterio.open(path, "w", **profile) as dataset:
            dataset.write(values, 1)
    return path


def read(path: Path, crs: CRS = LAMBERT93, **options: object) -> ImportResult:
    return dem.read(path, target_crs=crs, options=ImportOptions(**options))  # type: ignore[arg-type]


# -- real files ----------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def porto_alegre(shared_data: Path) -> Path:
    return shared_data / "terrain" / "poa_elevation.tif"


def test_porto_alegre_in_degrees_is_sampled_right_once_warped_to_utm(porto_alegre: Path) -> None:
    terrain = read(porto_alegre, UTM_22S).rasters["terrain"]
    with rasterio.open(porto_alegre) as source:
        values = source.read(1).astype("float64")
        to_utm = Transformer.from_crs(source.crs, UTM_22S, always_xy=True)
        rows, columns = np.mgrid[1 : source.height - 1, 1 : source.width - 1]
        rows, columns = rows.ravel(), columns.ravel()
        lon, lat = rasterio.transform.xy(source.transform, rows, columns)
    x, y = to_utm.transform(lon, lat)
    sampled = terrain.sample(np.asarray(x), np.asarray(y))
    error = np.abs(sampled - values[rows, columns])
    window = sliding_window_view(values, (3, 3))
    relief = (window.max(axis=(2, 3)) - window.min(axis=(2, 3)))[rows - 1, columns - 1]
    flat = relief == 0
    assert terrain.values.dtype == np.float32
    assert error[flat].max() < 1e-3  # water (0 m) and plateaus come back exactly
    assert np.median(error) < 0.5 and np.percentile(error, 99) < 1.5
    assert (error <= np.maximum(2.0, 0.75 * relief)).all()  # bilinear, on a 26.8 m grid
    picks = np.random.default_rng(10).choice(len(rows), 10, replace=False)
    assert error[picks].max() < 2.0


def test_porto_alegre_has_nan_only_outside_its_footprint(porto_alegre: Path) -> None:
    result = read(porto_alegre, UTM_22S)
    terrain = result.rasters["terrain"]
    with rasterio.open(porto_alegre) as source:
        outline = shapely.segmentize(shapely.box(*source.bounds), 0.001)
    lon, lat = shapely.get_coordinates(outline).T
    footprint = shapely.Polygon(
        np.column_stack(Transformer.from_crs(4326, UTM_22S, always_xy=True).transform(lon, lat))
    )
    minx, miny, maxx, maxy = terrain.bounds
    assert shapely.box(minx, miny, maxx, maxy).covers(footprint)
    rows, columns = np.mgrid[0 : terrain.shape[0], 0 : terrain.shape[1]]
    x, y = terrain.transform @ (columns.ravel() + 0.5, rows.ravel() + 0.5)
    missing = np.isnan(terrain.values.ravel())
    inside = shapely.contains_xy(footprint.buffer(-terrain.pixel_size_m[0]), x, y)
    assert missing.any()  # the rotated footprint leaves corners empty
    assert not (missing & inside).any()
    assert not shapely.contains_xy(footprint, x[missing], y[missing]).any()
    assert (terrain.values == 0).sum() > 10_000  # water stays 0 m, it is not nodata
    details = result.provenance.details
    assert details["source_shape"] == [403, 413] and details["source_nodata"] is None
    assert details["shape"] == list(terrain.shape) and details["resolution_m"] == 26.8
    assert result.summary_lines()[1] == "  terrain: raster of 415 x 465 pixels of 26.8 m"


def test_the_registry_recognises_real_dems(porto_alegre: Path) -> None:
    assert registry.find_importer(porto_alegre, ImportOptions()).NAME == "dem"
    assert registry.find_importer(DATA / "mnt_25m.tif", ImportOptions()).NAME == "dem"


def test_the_sample_dem_keeps_its_grid_and_its_nodata_corner_becomes_nan() -> None:
    terrain = read(DATA / "mnt_25m.tif").rasters["terrain"]
    with rasterio.open(DATA / "mnt_25m.tif") as source:
        values = source.read(1)
        assert terrain.transform == source.transform
    nodata = values == -99999
    assert nodata.sum() == 55
    assert np.array_equal(np.isnan(terrain.values), nodata)
    assert np.array_equal(terrain.values[~nodata], values[~nodata])


# -- generated files -----------------------------------------------------------------------------
def test_an_int16_dem_with_nodata_is_warped_to_another_projected_crs(tmp_path: Path) -> None:
    values = (300 + np.arange(40 * 50).reshape(40, 50) % 50).astype("int16")
    values[:5, :5] = -32768
    path = write_tiff(tmp_path / "mnt.tif", values, nodata=-32768)
    terrain = read(path, CC44).rasters["terrain"]
    assert terrain.crs.equals(CC44) and terrain.pixel_size_m == (25.0, 25.0)
    finite = terrain.values[np.isfinite(terrain.values)]
    assert finite.min() >= 300 and finite.max() <= 349  # nodata never leaks into the values
    corner = Transformer.from_crs(LAMBERT93, CC44, always_xy=True).transform(668050, 6357950)
    assert np.isnan(terrain.sample(np.array([corner[0]]), np.array([corner[1]])))[0]


def test_a_file_without_crs_needs_crs_and_then_reads(tmp_path: Path) -> None:
    path = write_tiff(tmp_path / "mnt.tif", np.full((10, 10), 400, "uint16"), crs=None)
    assert dem.sniff(path)  # the geotransform is enough to claim it
    with pytest.raises(CrsError, match=r"mnt\.tif does not say .* --crs"):
        read(path)
    terrain = read(path, source_crs=LAMBERT93).rasters["terrain"]
    assert np.nanmax(terrain.values) == 400.0


def test_a_photo_without_georeferencing_is_not_claimed_and_refused_when_forced(
    tmp_path: Path,
) -> None:
    path = write_tiff(tmp_path / "photo.tif", np.zeros((8, 8), "uint8"), crs=None, transform=None)
    assert not dem.sniff(path)
    with pytest.raises(UnsupportedFormatError):
        registry.find_importer(path, ImportOptions())
    with pytest.raises(InvalidInputError, match=r"photo\.tif .* give a georeferenced DEM"):
        registry.read_file(path, target_crs=LAMBERT93, options=ImportOptions(kind="dem"))


def test_a_dem_that_is_all_nodata_is_refused(tmp_path: Path) -> None:
    path = write_tiff(tmp_path / "vide.tif", np.full((6, 6), -9999.0, "float32"), nodata=-9999)
    with pytest.raises(InvalidInputError, match=r"vide\.tif contains no elevation values"):
        read(path)


def test_a_file_that_is_not_a_raster_is_refused_when_forced(tmp_path: Path) -> None:
    path = tmp_path / "notes.tif"
    path.write_bytes(b"II*\x00" + b"\x00" * 20)
    assert not dem.sniff(path)
    with pytest.raises(InvalidInputError, match=r"notes\.tif cannot be read as a raster"):
        read(path)


def test_a_bbox_limits_the_output_grid(tmp_path: Path) -> None:
    path = write_tiff(tmp_path / "mnt.tif", np.full((40, 40), 250.0, "float32"))
    bbox = (668100.0, 6357500.0, 668300.0, 6357700.0)
    terrain = dem.read(path, target_crs=LAMBERT93, options=ImportOptions(), bbox=bbox).rasters[
        "terrain"
    ]
    assert terrain.bounds == bbox and terrain.shape == (8, 8)


def test_undeclared_nodata_values_are_reported(tmp_path: Path) -> None:
    values = np.full((6, 6), 120.0, "float32")
    values[0, 0] = -32767.0
    result = read(write_tiff(tmp_path / "srtm.tif", values))
    assert [issue.code for issue in result.issues] == ["implausible_altitude"]


def test_a_grid_that_would_blow_up_when_warped_is_refused_as_a_crs_mistake(tmp_path: Path) -> None:
    near_the_pole = Affine(0.01, 0, 2.0, 0, -0.01, 89.6)  # metres per degree of longitude → 0
    path = write_tiff(tmp_path / "pole.tif", np.full((50, 50), 10.0, "float32"), crs="EPSG:4326",
                      transform=near_the_pole)  # fmt: skip
    with pytest.raises(InvalidInputError, match=r"pole\.tif: .* check its CRS or use --crs"):
        read(path)


def test_a_gdal_mask_without_nodata_value_becomes_nan(tmp_path: Path) -> None:
    path = tmp_path / "masque.tif"
    profile = {"driver": "GTiff", "width": 10, "height": 10, "count": 1, "dtype": "float32"}
    with (
        rasterio.Env(GDAL_TIFF_INTERNAL_MASK=True),
        rasterio.open(path, "w", crs=LAMBERT93, transform=GRID, **profile) as dataset,
    ):
        dataset.write(np.full((10, 10), 100.0, "float32"), 1)
        mask = np.full((10, 10), 255, "uint8")
        mask[:3, :3] = 0
        dataset.write_mask(mask)
    terrain = read(path).rasters["terrain"]
    assert np.array_equal(np.isnan(terrain.values), mask == 0)
