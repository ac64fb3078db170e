"""Digital elevation models (GeoTIFF) → the City's ``"terrain"`` raster, in the project CRS.

Any CRS (metres or geographic degrees), any numeric type (uint8, int16, float32 ...), with or
without a nodata value. The grid is warped by GDAL (bilinear) onto square pixels whose size in
metres is taken from the source (a geographic source's pixel is measured at the raster's centre
latitude), aligned on multiples of that size, so a DEM already in the project CRS keeps its grid.
Missing values become NaN; places outside the source's footprint too. GDAL reads the source by
windows as it warps, so a large DEM is never loaded whole in its own type.
"""

from __future__ import annotations

import logging
import math
import warnings
from pathlib import Path
from typing import Any

import numpy as np
import rasterio
from affine import Affine
from pyproj import CRS, Geod
from rasterio._err import CPLE_BaseError  # what GDAL's errors become (no public alias)
from rasterio.errors import NotGeoreferencedWarning, RasterioError, RasterioIOError
from rasterio.warp import Resampling, calculate_default_transform, reproject

from importers.base import ImportOptions, ImportResult
from importers.sniffing import head
from twin.errors import CrsError, InvalidInputError
from twin.feedback import Feedback, ensure_feedback
from twin.issues import Issue, Severity
from twin.raster import Raster

logger = logging.getLogger(__name__)

NAME = "dem"
DESCRIPTION = "A digital elevation model (GeoTIFF: BD ALTI, RGE ALTI, SRTM ...) for the terrain"
SUFFIXES = (".tif", ".tiff")

RASTER_NAME = "terrain"
MEANING = "ground altitude from a digital elevation model"
#: Altitudes outside this range are implausible on Earth (the buildings' base elevation range).
PLAUSIBLE_ALTITUDE_M = (-500.0, 9000.0)
#: A warped grid this many times larger than the source means a wrong CRS, not a DEM.
MAX_GROWTH = 25
#: The largest terrain grid (pixels; 1 GB in float32): 25 km x 10 km at 1 m, a département at
#: 25 m. Bigger, a file (or a sparse GeoTIFF declaring a huge size) would exhaust the memory.
MAX_PIXELS = 250_000_000
_TIFF_MAGIC = (b"II*\x00", b"MM\x00*", b"II+\x00", b"MM\x00+")


def is_tiff(path: Path) -> bool:
    """A TIFF or BigTIFF file, from its first four bytes."""
    return head(path, 4) in _TIFF_MAGIC


def sniff(path: Path) -> bool:
    """True for a TIFF that rasterio opens with georeferencing (a CRS or a geotransform)."""
    if not is_tiff(path):
        return False
    try:
        with _open(path) as dataset:
            return _georeferenced(dataset)
    except RasterioIOError:
        return False
    except UnicodeDecodeError:  # georeferenced, with damaged CRS keys: read() says so
        return True


def read(
    path: Path,
    *,
    target_crs: CRS,
    options: ImportOptions,
    bbox: tuple[float, float, float, float] | None = None,
    feedback: Feedback | None = None,
) -> ImportResult:
    """Read a DEM into ``rasters["terrain"]``, warped onto ``target_crs``.

    ``bbox`` (minx, miny, maxx, maxy in ``target_crs``) limits the output grid; GDAL then
    reads only the source windows it needs.

    Raises:
        InvalidInputError: the file is not a raster, is not georeferenced, or holds no
            elevation value at all.
        CrsError: the file declares no CRS and none was given with ``--crs``.
    """
    feedback = ensure_feedback(feedback)
    try:
        dataset = _open(path)
    except RasterioIOError as exc:
        raise InvalidInputError(
            f"{path.name} cannot be read as a raster ({str(exc).splitlines()[0]}); give a "
            "georeferenced DEM as a GeoTIFF.",
            code="dem_unreadable",
            values={"file": path.name, "detail": str(exc).splitlines()[0]},
        ) from exc
    except UnicodeDecodeError as exc:  # its CRS tags hold bytes that are not text
        raise CrsError(
            f"{path.name}: its coordinate system cannot be read (its GeoTIFF keys are damaged); "
            "fix it (gdal_edit.py -a_srs EPSG:2154) or export the DEM again.",
            code="crs_damaged",
            values={"file": path.name},
        ) from exc
    with dataset:
        src_crs = _source_crs(dataset, path, options)
        feedback.set_progress(0.1)
        _check_degrees(dataset, src_crs, path)
        try:
            resolution_m = _resolution_m(dataset, src_crs)
            dst_transform, width, height = _target_grid(dataset, src_crs, target_crs, resolution_m)
        except (CPLE_BaseError, RasterioError, ValueError) as exc:
            raise CrsError(
                f"{path.name}: its extent cannot be transformed from {src_crs.name} to "
                f"{target_crs.name} ({str(exc).splitlines()[0]}); check the CRS it declares.",
                code="crs_transform_failed",
                values={"file": path.name, "detail": str(exc).splitlines()[0]},
            ) from exc
        if bbox is not None:
            dst_transform, width, height = _clip_grid(dst_transform, width, height, bbox)
        if width < 1 or height < 1:
            raise InvalidInputError(
                f"{path.name}: placed in {target_crs.name} it makes no grid at all (its "
                "georeferencing is damaged); check its CRS and geotransform.",
                code="dem_no_grid",
                values={"file": path.name, "crs": target_crs.name},
            )
        if width * height > MAX_GROWTH * max(dataset.width * dataset.height, 10_000):
            raise InvalidInputError(
                f"{path.name}: warped to {target_crs.name} it would make {width} x {height} "
                f"pixels out of {dataset.width} x {dataset.height}, which only a wrong CRS "
                "explains; check its CRS or use --crs.",
                code="dem_warp_too_big",
                values={
                    "file": path.name,
                    "crs": target_crs.name,
                    "width": width,
                    "height": height,
                    "source_width": dataset.width,
                    "source_height": dataset.height,
                },
            )
        if width * height > MAX_PIXELS:
            raise InvalidInputError(
                f"{path.name}: its terrain would be a grid of {width:,} x {height:,} pixels "
                f"({width * height * 4 / 1024**3:,.1f} GB), more than the {MAX_PIXELS:,} pixels "
                "a project holds; clip it to the town (gdal_translate -projwin) or give a "
                "coarser DEM.",
                code="dem_too_large",
                values={
                    "file": path.name,
                    "width": width,
                    "height": height,
                    "size_gb": width * height * 4 / 1024**3,
                    "max_pixels": MAX_PIXELS,
                },
            )
        values = np.full((height, width), np.nan, dtype=np.float32)
        feedback.raise_if_cancelled()
        try:
            reproject(
                source=rasterio.band(dataset, 1),
                destination=values,
                src_crs=src_crs,
                src_nodata=dataset.nodata,
                dst_transform=dst_transform,
                dst_crs=target_crs,
                dst_nodata=np.nan,
                resampling=Resampling.bilinear,
                init_dest_nodata=True,
            )
        except (CPLE_BaseError, RasterioError) as exc:  # a truncated or damaged file
            raise InvalidInputError(
                f"{path.name} cannot be read to the end ({str(exc).splitlines()[0]}); the file "
                "is damaged or truncated: fetch or export it again.",
                code="file_truncated",
                values={"file": path.name, "detail": str(exc).splitlines()[0]},
            ) from exc
        feedback.set_progress(0.9)
        details = _details(dataset, src_crs, resolution_m, (height, width))
    if width == 0 or height == 0 or not np.isfinite(values).any():
        raise InvalidInputError(
            f"{path.name} contains no elevation values (every pixel is nodata"
            f"{' inside the area asked for' if bbox is not None else ''}); check that it is the "
            "right file, or that its nodata value is not set to a real altitude.",
            code="dem_all_nodata",
            values={"file": path.name},
        )
    issues = _implausible(values, path.name)
    if details["bands"] > 1:
        issues.append(
            Issue(
                Severity.INFO,
                "extra_bands",
                f"the file has {details['bands']} bands; the first one was read as the altitude",
                path.name,
            )
        )
    raster = Raster(RASTER_NAME, values, dst_transform, target_crs, unit="m", meaning=MEANING)
    feedback.set_progress(1.0)
    logger.info(
        "%s: %d x %d pixels of %g m in %s", path.name, width, height, resolution_m, target_crs.name
    )
    return ImportResult.of(path.name, NAME, {}, issues, details, rasters={RASTER_NAME: raster})


# -- opening and georeferencing ------------------------------------------------------------------
def _open(path: Path) -> Any:
    with warnings.catch_warnings():  # a photo without georeferencing is a normal case here
        warnings.simplefilter("ignore", NotGeoreferencedWarning)
        return rasterio.open(path)


def _georeferenced(dataset: Any) -> bool:
    return dataset.crs is not None or dataset.transform != Affine.identity()


def _source_crs(dataset: Any, path: Path, options: ImportOptions) -> CRS:
    if not _georeferenced(dataset) and options.source_crs is None:
        raise InvalidInputError(
            f"{path.name} is an image without georeferencing (no CRS, no geotransform), not a "
            "DEM; give a georeferenced DEM, such as a GeoTIFF of IGN's BD ALTI or RGE ALTI.",
            code="dem_not_georeferenced",
            values={"file": path.name},
        )
    if dataset.transform == Affine.identity():
        raise InvalidInputError(
            f"{path.name} has no geotransform (where its pixels are is unknown); give a "
            "georeferenced DEM, such as a GeoTIFF of IGN's BD ALTI or RGE ALTI.",
            code="dem_no_geotransform",
            values={"file": path.name},
        )
    if dataset.crs is None:
        if options.source_crs is None:
            raise CrsError(
                f"{path.name} does not say which coordinate system it uses; give it with "
                "--crs (for example --crs EPSG:2154 for Lambert-93).",
                code="crs_missing",
                values={"file": path.name},
            )
        return CRS.from_user_input(options.source_crs)
    return CRS.from_user_input(dataset.crs.to_wkt())


def _check_degrees(dataset: Any, src_crs: CRS, path: Path) -> None:
    """Refuse a grid declared in degrees whose coordinates cannot be longitudes and latitudes."""
    if not src_crs.is_geographic:
        return
    left, bottom, right, top = dataset.bounds
    if max(abs(left), abs(right)) > 360.0 or max(abs(bottom), abs(top)) > 90.0:
        raise CrsError(
            f"{path.name} declares {src_crs.name} (degrees) but its coordinates "
            f"({left:,.0f}, {bottom:,.0f}, {right:,.0f}, {top:,.0f}) are not longitudes and "
            "latitudes; fix the CRS it declares (e.g. gdal_edit.py -a_srs EPSG:2154 FILE).",
            code="dem_degrees_wrong",
            values={
                "file": path.name,
                "crs": src_crs.name,
                "box": f"{left:,.0f}, {bottom:,.0f}, {right:,.0f}, {top:,.0f}",
            },
        )


# -- the target grid -----------------------------------------------------------------------------
def _resolution_m(dataset: Any, src_crs: CRS) -> float:
    """The source pixel size in metres (the smaller side), rounded to 3 significant digits."""
    transform = dataset.transform
    size_x = math.hypot(transform.a, transform.d)
    size_y = math.hypot(transform.b, transform.e)
    if src_crs.is_geographic:
        left, bottom, right, top = dataset.bounds
        lon, lat = (left + right) / 2.0, (bottom + top) / 2.0
        geod = Geod(ellps="WGS84")
        size_x = geod.inv(lon, lat, lon + size_x, lat)[2]
        size_y = geod.inv(lon, lat - size_y / 2.0, lon, lat + size_y / 2.0)[2]
    else:
        factor = src_crs.axis_info[0].unit_conversion_factor if src_crs.axis_info else 1.0
        size_x, size_y = size_x * factor, size_y * factor
    size = min(size_x, size_y)
    return float(f"{size:.3g}")


def _target_grid(
    dataset: Any, src_crs: CRS, target_crs: CRS, resolution_m: float
) -> tuple[Affine, int, int]:
    """Square pixels of ``resolution_m`` covering the warped source, aligned on its multiples."""
    transform, width, height = calculate_default_transform(
        src_crs, target_crs, dataset.width, dataset.height, *dataset.bounds,
        resolution=resolution_m,
    )  # fmt: skip
    left, top = transform.c, transform.f
    right, bottom = left + width * transform.a, top + height * transform.e
    left = math.floor(left / resolution_m + 1e-9) * resolution_m
    top = math.ceil(top / resolution_m - 1e-9) * resolution_m
    width = math.ceil((right - left) / resolution_m - 1e-9)
    height = math.ceil((top - bottom) / resolution_m - 1e-9)
    return Affine(resolution_m, 0.0, left, 0.0, -resolution_m, top), int(width), int(height)


def _clip_grid(
    transform: Affine, width: int, height: int, bbox: tuple[float, float, float, float]
) -> tuple[Affine, int, int]:
    """The part of a north-up grid inside ``bbox`` (whole pixels, possibly empty)."""
    size = transform.a
    minx, miny, maxx, maxy = bbox
    col0 = max(0, math.floor((minx - transform.c) / size))
    col1 = min(width, math.ceil((maxx - transform.c) / size))
    row0 = max(0, math.floor((transform.f - maxy) / size))
    row1 = min(height, math.ceil((transform.f - miny) / size))
    clipped = transform @ Affine.translation(col0, row0)
    return clipped, max(0, col1 - col0), max(0, row1 - row0)


# -- report ---------------------------------------------------------------------------------------
def _details(
    dataset: Any, src_crs: CRS, resolution_m: float, shape: tuple[int, int]
) -> dict[str, Any]:
    return {
        "source_crs": src_crs.to_string(),
        "source_shape": [int(dataset.height), int(dataset.width)],
        "source_dtype": str(dataset.dtypes[0]),
        "source_nodata": None if dataset.nodata is None else float(dataset.nodata),
        "bands": int(dataset.count),
        "shape": [int(shape[0]), int(shape[1])],
        "resolution_m": resolution_m,
        "resampling": "bilinear",
    }


def _implausible(values: np.ndarray, source: str) -> list[Issue]:
    low, high = PLAUSIBLE_ALTITUDE_M
    with np.errstate(invalid="ignore"):
        count = int(np.count_nonzero((values < low) | (values > high)))
    if not count:
        return []
    return [
        Issue(
            Severity.WARNING,
            "implausible_altitude",
            f"{count} pixel(s) outside {low:g}..{high:g} m, likely an undeclared nodata value; "
            "they are kept in the raster but not used for building bases",
            source,
        )
    ]
