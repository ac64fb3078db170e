"""Plan of the territory: the two communes and the street grids of the town and hamlet.

The town of Valmont-sur-Aveyron is a street grid on the north bank of the river (rotated
with the local frame); the hamlet of Saint-Bruno is a small grid on the causse to the
west.  The roads outside the grids are in :mod:`samples.town.roads`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from shapely import LineString, Polygon

from samples.town.model import RURAL_INSEE, TOWN_INSEE, Road
from samples.town.roads import smooth


@dataclass(frozen=True)
class GridLine:
    """A street of a grid: its coordinate, name(s) and right-of-way half width."""

    at: float
    name: str
    half: float = 5.0
    width: float = 5.5
    oneway: bool = False


@dataclass(frozen=True)
class Grid:
    """A rectangular street grid; ``zones[row]`` is a string with one letter per column.

    Letters: C centre, P town-hall square, F faubourg, H detached houses, L social housing,
    E school, S sports, A business park, V village, "." no block.
    """

    name: str
    us: tuple[GridLine, ...]
    vs: tuple[GridLine, ...]
    zones: tuple[str, ...]
    main_v: float
    main_names: tuple[tuple[float, str], ...]
    """(u upper bound, name) pairs naming the successive parts of the main street."""
    commune: str

    def zone(self, col: int, row: int) -> str:
        """Zone letter of a block."""
        return self.zones[row][col]

    def blocks(self) -> list[tuple[int, int, str, tuple[float, float, float, float]]]:
        """Used blocks as (col, row, zone letter, inset box in the local frame)."""
        out = []
        for row in range(len(self.vs) - 1):
            for col in range(len(self.us) - 1):
                letter = self.zone(col, row)
                if letter == ".":
                    continue
                box = (
                    self.us[col].at + self.us[col].half,
                    self.vs[row].at + self.vs[row].half,
                    self.us[col + 1].at - self.us[col + 1].half,
                    self.vs[row + 1].at - self.vs[row + 1].half,
                )
                out.append((col, row, letter, box))
        return out

    def used(self, col: int, row: int) -> bool:
        """Whether a block exists (indices outside the grid count as unused)."""
        if 0 <= row < len(self.vs) - 1 and 0 <= col < len(self.us) - 1:
            return self.zone(col, row) != "."
        return False

    def main_name(self, u: float) -> str:
        """Name of the main street at abscissa ``u``."""
        for upper, name in self.main_names:
            if u <= upper:
                return name
        return self.main_names[-1][1]

    def roads(self) -> list[Road]:
        """One road section per grid edge bordering at least one used block."""
        roads = []
        for j, vl in enumerate(self.vs):
            for i in range(len(self.us) - 1):
                if not (self.used(i, j - 1) or self.used(i, j)):
                    continue
                u0, u1 = self.us[i].at, self.us[i + 1].at
                main = vl.at == self.main_v
                roads.append(
                    Road(
                        line=LineString([(u0, vl.at), (u1, vl.at)]),
                        nature="Route à 1 chaussée",
                        importance="3" if main else "5",
                        name=self.main_name((u0 + u1) / 2) if main else vl.name,
                        width=vl.width,
                        oneway=vl.oneway,
                        number="D45" if main else None,
                    )
                )
        for i, ul in enumerate(self.us):
            for j in range(len(self.vs) - 1):
                if not (self.used(i - 1, j) or self.used(i, j)):
                    continue
                roads.append(
                    Road(
                        line=LineString([(ul.at, self.vs[j].at), (ul.at, self.vs[j + 1].at)]),
                        nature="Route à 1 chaussée",
                        importance="5",
                        name=ul.name,
                        width=ul.width,
                        oneway=ul.oneway,
                    )
                )
        return roads


def _lines(spec: list[tuple[float, str]], narrow: set[float]) -> tuple[GridLine, ...]:
    return tuple(
        GridLine(at, name, 4.0, 3.5, True) if at in narrow else GridLine(at, name)
        for at, name in spec
    )


TOWN_GRID = Grid(
    name="Valmont-sur-Aveyron",
    us=_lines(
        [
            (-440, "Rue du Moulin"),
            (-330, "Rue Pasteur"),
            (-230, "Rue Jean Jaurès"),
            (-140, "Rue Victor Hugo"),
            (-50, "Rue de l'Église"),
            (50, "Rue du Marché"),
            (140, "Rue Voltaire"),
            (230, "Rue Jules Ferry"),
            (330, "Rue des Vignes"),
            (440, "Rue des Artisans"),
            (560, "Rue de la Forge"),
        ],
        narrow={-50, 50},
    ),
    vs=(
        GridLine(-150, "Quai de l'Aveyron", 6.0, 6.0),
        GridLine(-70, "Rue des Tanneurs", 4.0, 3.5, True),
        GridLine(0, "Grand'Rue", 7.0, 7.0),
        GridLine(75, "Rue de la République", 4.0, 3.5, True),
        GridLine(160, "Boulevard Gambetta", 6.0, 6.5),
        GridLine(260, "Avenue des Tilleuls"),
        GridLine(360, "Chemin des Crêtes"),
    ),
    zones=(
        ".....F....",
        ".HFCCCHHAA",
        ".HCCPCFHAA",
        "..HCCHH...",
        "..HELLL...",
        "...SLL....",
    ),
    main_v=0.0,
    main_names=((-140, "Avenue de Rodez"), (140, "Grand'Rue"), (1e9, "Avenue de Villefranche")),
    commune=TOWN_INSEE,
)

HAMLET_GRID = Grid(
    name="Saint-Bruno",
    us=_lines(
        [(-3720, "Rue du Four"), (-3610, "Rue de la Chapelle"), (-3500, "Chemin du Lavoir")],
        narrow=set(),
    ),
    vs=(
        GridLine(420, "Chemin des Jardins", 4.0, 3.5),
        GridLine(500, "Rue Principale", 5.0, 5.5),
        GridLine(580, "Rue du Puits", 4.0, 3.5),
    ),
    zones=("VV", "VV"),
    main_v=500.0,
    main_names=((1e9, "Rue Principale"),),
    commune=RURAL_INSEE,
)


def blob(
    centre: tuple[float, float],
    radii: tuple[float, float],
    rng: np.random.Generator,
    vertices: int = 120,
    roughness: float = 0.006,
) -> Polygon:
    """An irregular closed outline: an ellipse with seeded harmonics and jitter."""
    phi = np.linspace(0.0, 2 * math.pi, vertices, endpoint=False)
    factor = np.ones_like(phi)
    for k in range(2, 6):
        factor += rng.uniform(0.015, 0.04) * np.sin(k * phi + rng.uniform(0, 2 * math.pi))
    factor *= 1.0 + rng.normal(0.0, roughness, size=phi.size)
    return Polygon(
        np.column_stack(
            [
                centre[0] + radii[0] * factor * np.cos(phi),
                centre[1] + radii[1] * factor * np.sin(phi),
            ]
        )
    )


def territory(rng: np.random.Generator) -> tuple[Polygon, Polygon]:
    """Draw the outlines of the town commune and the rural commune (they tile)."""
    outline = blob((-1500.0, 100.0), (4400.0, 2450.0), rng)
    vs = np.arange(-3500.0, 3501.0, 250.0)
    us = -1500.0 + rng.uniform(-110.0, 110.0, size=vs.size)
    border = list(smooth(list(zip(us.tolist(), vs.tolist(), strict=True)), 2).coords)
    west = Polygon([(-9000.0, -3500.0), *border, (-9000.0, 3500.0)])
    rural = outline.intersection(west)
    town = outline.difference(west)
    if not (isinstance(rural, Polygon) and isinstance(town, Polygon)):
        raise RuntimeError("commune outlines are not single polygons")
    return town.normalize(), rural.normalize()
