"""The rows behind the drill-down (:mod:`gui.drilldown`): which IFC mesh objects belong to
which storey, how high they reach, where a storey ends, and the spaces to list and label.

Plain numpy, pandas and shapely over the City; no Qt.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import shapely

from gui.scene import IFC_MESHES
from twin.city import City
from twin.mesh import MeshStore

IFC_ELEMENTS = "ifc_elements"
#: Room names are drawn this far above the floor.
LABEL_ABOVE_FLOOR_M = 1.0
#: A storey is at least this high when looking for its top (a slab lower than this above
#: the floor belongs to the storey itself).
MIN_STOREY_HEIGHT_M = 1.5
#: How many links (element → space → storey ...) are followed to find an element's storey.
MAX_PARENT_HOPS = 4


def building_meshes(
    city: City, building_id: str, storey_ids: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """The building's IFC mesh objects: ids, storey ids, lowest and highest altitude, and the
    (2 per object) corners of their boxes."""
    store: MeshStore | None = city.meshes.get(IFC_MESHES)
    empty = np.empty(0, dtype=str)
    if store is None or not store.n_objects:
        return empty, empty, np.empty(0), np.empty(0), np.empty((0, 3))
    ids = store.object_ids.astype(str)
    parents = parent_links(city)
    storey_of = storey_of_ids(ids, parents, set(storey_ids.tolist()))
    mine = storey_of != ""
    if IFC_ELEMENTS in city:
        elements = city.layer(IFC_ELEMENTS)
        owner = pd.Series(
            elements["building_id"].astype(object).to_numpy(), index=elements["id"].astype(str)
        )
        owner = owner[~owner.index.duplicated()]
        mine |= owner.reindex(ids).to_numpy(dtype=object) == building_id
    low, high = object_boxes(store)
    keep = mine & np.isfinite(low[:, 2])
    corners = np.concatenate([low[keep], high[keep]]) if keep.any() else np.empty((0, 3))
    return ids[mine], storey_of[mine], low[mine, 2], high[mine, 2], corners


def object_boxes(store: MeshStore) -> tuple[np.ndarray, np.ndarray]:
    """(n_objects, 3) lowest and highest corner of each object's vertices (absolute; NaN for
    objects without vertices)."""
    low = np.full((store.n_objects, 3), np.nan)
    high = np.full((store.n_objects, 3), np.nan)
    counts = np.diff(store.vertex_offsets)
    filled = counts > 0
    if filled.any():
        starts = store.vertex_offsets[:-1][filled]
        vertices = store.vertices.astype(np.float64)
        origin = np.asarray(store.origin, dtype=np.float64)
        low[filled] = np.minimum.reduceat(vertices, starts, axis=0) + origin
        high[filled] = np.maximum.reduceat(vertices, starts, axis=0) + origin
    return low, high


def parent_links(city: City) -> pd.Series:
    """id → parent id over ifc_elements, spaces and storeys (the layers' own links win)."""
    frames = []
    for name in (IFC_ELEMENTS, "spaces", "storeys"):
        if name in city:
            layer = city.layer(name)
            frames.append(
                pd.Series(
                    layer["parent_id"].astype(object).to_numpy(), index=layer["id"].astype(str)
                )
            )
    if not frames:
        return pd.Series(dtype=object)
    links = pd.concat(frames[::-1])
    return links[~links.index.duplicated()].dropna()


def storey_of_ids(ids: np.ndarray, parents: pd.Series, storeys: set[str]) -> np.ndarray:
    """The storey of each id (itself if a storey), following parent links; "" for none."""
    found = np.where(np.isin(ids, list(storeys)), ids, "").astype(object)
    current = ids.astype(object)
    for _hop in range(MAX_PARENT_HOPS):
        current = parents.reindex(current.astype(str)).to_numpy(dtype=object)
        known = pd.notna(current)
        hit = (found == "") & known & np.isin(current.astype(str), list(storeys))
        found[hit] = current[hit]
        if not known.any():
            break
        current = np.where(known, current, "")
    return found.astype(str)


def is_space(city: City, ids: np.ndarray) -> np.ndarray:
    if "spaces" not in city:
        return np.zeros(len(ids), dtype=bool)
    return np.isin(ids, city.layer("spaces")["id"].astype(str).to_numpy())


def base_and_top(
    city: City, building_id: str, z_low: np.ndarray, z_high: np.ndarray
) -> tuple[float, float]:
    """The building's lowest and highest altitude: from its meshes, else from its row."""
    if np.isfinite(z_low).any():
        return float(np.nanmin(z_low)), float(np.nanmax(z_high))
    base, height = 0.0, np.nan
    if "buildings" in city:
        rows = city.layer("buildings")
        rows = rows[rows["id"].astype(str) == building_id]
        if len(rows):
            value = float(rows["base_elevation_m"].iloc[0])
            base = value if np.isfinite(value) else 0.0
            height = float(rows["height_m"].iloc[0])
    return base, base + (height if np.isfinite(height) else 0.0)


def storey_top(
    floor_z: float, next_floor_z: float, space_tops: np.ndarray, above_bottoms: np.ndarray
) -> float:
    """Where the storey ends: the next floor, or lower where its rooms end or the next
    storey's slab starts (but at least :data:`MIN_STOREY_HEIGHT_M` above the floor).

    Example:
        >>> storey_top(412.7, 416.3, np.array([416.0, 416.0]), np.array([416.0, 416.3]))
        416.0
    """
    lowest = floor_z + MIN_STOREY_HEIGHT_M
    candidates = [next_floor_z]
    rooms = np.asarray(space_tops, dtype=float)
    rooms = rooms[np.isfinite(rooms) & (rooms > lowest)]
    if len(rooms):
        candidates.append(float(rooms.max()))
    above = np.asarray(above_bottoms, dtype=float)
    above = above[np.isfinite(above) & (above > lowest)]
    if len(above):
        candidates.append(float(above.min()))
    return min(candidates)


def space_table(city: City, floor_of: dict[str, float]) -> pd.DataFrame:
    """The spaces of the storeys ``floor_of`` (storey id → floor altitude), sorted by name:
    id, name, long_name, use, area_m2, storey, and x, y, z where to label them (a point inside
    the outline, :data:`LABEL_ABOVE_FLOOR_M` above the floor; NaN when unknown)."""
    columns = ["id", "name", "long_name", "use", "area_m2", "storey", "x", "y", "z"]
    if "spaces" not in city:
        return pd.DataFrame(columns=columns)
    spaces = city.layer("spaces")
    spaces = spaces[spaces["parent_id"].astype(object).isin(list(floor_of))]
    if not len(spaces):
        return pd.DataFrame(columns=columns)
    points = label_points(city, spaces)
    storeys = spaces["parent_id"].astype(str).to_numpy()
    label_z = pd.Series(floor_of).reindex(storeys).to_numpy(dtype=float) + LABEL_ABOVE_FLOOR_M
    table = pd.DataFrame(
        {
            "id": spaces["id"].astype(str).to_numpy(),
            "name": _texts(spaces, "name"),
            "long_name": _texts(spaces, "long_name"),
            "use": _texts(spaces, "use", "unknown"),
            "area_m2": spaces["area_m2"].to_numpy(dtype=float) if "area_m2" in spaces else np.nan,
            "storey": storeys,
            "x": points[:, 0],
            "y": points[:, 1],
            "z": label_z,
        }
    )
    return table.sort_values(["name", "long_name", "id"], kind="stable")


def _texts(frame: pd.DataFrame, column: str, default: str = "") -> np.ndarray:
    """A text column with missing values (or a missing column) as ``default``."""
    if column not in frame:
        return np.full(len(frame), default, dtype=object)
    values = frame[column].astype(object).to_numpy()
    return np.where([isinstance(v, str) and v != "" for v in values], values, default)


def label_points(city: City, spaces: pd.DataFrame) -> np.ndarray:
    """(n, 2) a point inside each space's outline, else the middle of its mesh."""
    geometry = np.asarray(spaces.geometry.to_numpy(), dtype=object)
    points = np.full((len(spaces), 2), np.nan)
    present = ~shapely.is_missing(geometry) & ~shapely.is_empty(geometry)
    if present.any():
        inside = shapely.point_on_surface(geometry[present])
        points[present] = shapely.get_coordinates(inside)
    missing = ~np.isfinite(points[:, 0])
    store: MeshStore | None = city.meshes.get(IFC_MESHES)
    if missing.any() and store is not None and store.n_objects:
        low, high = object_boxes(store)
        middle = pd.DataFrame((low[:, :2] + high[:, :2]) / 2.0, index=store.object_ids.astype(str))
        middle = middle[~middle.index.duplicated()]
        ids = spaces["id"].astype(str).to_numpy()[missing]
        points[missing] = middle.reindex(ids).to_numpy(dtype=float)
    return points


def building_name(city: City, building_id: str) -> str:
    if "buildings" in city:
        rows = city.layer("buildings")
        names = rows.loc[rows["id"].astype(str) == building_id, "name"]
        if len(names) and isinstance(names.iloc[0], str) and names.iloc[0]:
            return names.iloc[0]
    return building_id
