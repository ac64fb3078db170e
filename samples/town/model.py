"""Plain data objects shared by the generator modules (all geometry in the local frame)."""

from __future__ import annotations

from dataclasses import dataclass

from shapely import LineString, Point, Polygon

TOWN_INSEE = "12990"
TOWN_NAME = "Valmont-sur-Aveyron"
RURAL_INSEE = "12991"
RURAL_NAME = "Saint-Bruno-des-Causses"
COMMUNE_NAMES = {TOWN_INSEE: TOWN_NAME, RURAL_INSEE: RURAL_NAME}


@dataclass(frozen=True)
class Road:
    """One road section (BD TOPO ``troncon_de_route``) between two junctions."""

    line: LineString
    nature: str
    importance: str
    name: str | None
    width: float
    """Carriageway width (m)."""
    oneway: bool = False
    number: str | None = None
    """Road number such as ``D45`` (None for local streets)."""
    bridge: bool = False
    town: bool = True
    """True for streets of the town and hamlet grids, False for country roads."""


@dataclass
class Frontage:
    """Axis-aligned box inside a block parcel and the side that faces the street."""

    u0: float
    v0: float
    u1: float
    v1: float
    side: str
    """One of "S", "N", "W", "E": the street side of the box."""

    @property
    def width(self) -> float:
        """Length of the street front."""
        return self.u1 - self.u0 if self.side in "SN" else self.v1 - self.v0

    @property
    def depth(self) -> float:
        """Distance from the street front to the back of the box."""
        return self.v1 - self.v0 if self.side in "SN" else self.u1 - self.u0

    def to_local(self, s: float, t: float) -> tuple[float, float]:
        """Local coordinates of a point ``s`` along the front and ``t`` deep from it."""
        if self.side == "S":
            return self.u0 + s, self.v0 + t
        if self.side == "N":
            return self.u1 - s, self.v1 - t
        if self.side == "W":
            return self.u0 + t, self.v1 - s
        return self.u1 - t, self.v0 + s

    def rect(self, s0: float, t0: float, s1: float, t1: float) -> Polygon:
        """Local polygon of the rectangle [s0, s1] x [t0, t1] of the frontage frame."""
        corners = [self.to_local(s, t) for s, t in ((s0, t0), (s1, t0), (s1, t1), (s0, t1))]
        return Polygon(corners).normalize()


@dataclass
class Parcel:
    """A cadastral parcel."""

    polygon: Polygon
    commune: str
    zone: str
    """Urban programme of the parcel: centre, faubourg, house, social, school, ..."""
    frontage: Frontage | None = None
    site: Point | None = None
    """For farm parcels, the point around which the farmstead is built."""
    section: str = ""
    numero: int = 0
    name: str | None = None

    @property
    def ident(self) -> str:
        """The 14-character cadastral identifier."""
        return f"{self.commune}000{self.section.rjust(2, '0')}{self.numero:04d}"


@dataclass
class Building:
    """A building footprint with its BD TOPO-like description."""

    footprint: Polygon
    parcel: int
    commune: str
    kind: str
    nature: str = "Indifférenciée"
    usage_1: str = "Résidentiel"
    usage_2: str | None = None
    light: bool = False
    floors: int | None = 1
    dwellings: int | None = None
    eave: float = 3.0
    """Height of the eave above the floor level (m)."""
    roof_rise: float = 3.0
    """Height of the ridge above the eave (m)."""
    height_known: bool = True
    year: int | None = None
    walls: str | None = None
    roof: str | None = None
    social: bool = False
    cleabs: str = ""
