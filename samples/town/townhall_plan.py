"""Programme of the town hall: dimensions, storeys and rooms (storey coordinates, m).

Each storey has a south row of rooms, a central corridor and a north row; the exterior
walls are 0.4 m thick and the footprint is 24 m x 14 m.
"""

from __future__ import annotations

from dataclasses import dataclass

NAME = "Mairie de Valmont-sur-Aveyron"
LENGTH, WIDTH = 24.0, 14.0
WALL = 0.4
STOREY_HEIGHT = 3.6
SLAB = 0.3
ROOF_RISE = 4.0
STOREYS = (("RDC", "Rez-de-chaussée"), ("R+1", "Premier étage"), ("R+2", "Deuxième étage"))


@dataclass(frozen=True)
class Room:
    """A room of the town hall, in storey coordinates (m)."""

    name: str
    long_name: str
    use: str
    x0: float
    y0: float
    x1: float
    y1: float
    public: bool = False


def _floor(
    level: int,
    south: list[tuple[str, str, float]],
    north: list[tuple[str, str, float]],
    public: set[str],
) -> list[Room]:
    """Rooms of one storey: a south row, a central corridor and a north row."""
    rooms = []
    for row, (y0, y1) in ((south, (WALL, 6.0)), (north, (8.0, WIDTH - WALL))):
        x = WALL
        for long_name, use, x1 in row:
            rooms.append(Room("", long_name, use, x, y0, x1, y1, long_name in public))
            x = x1
    rooms.append(Room("", "Circulation", "Circulation", WALL, 6.0, LENGTH - WALL, 8.0, True))
    return [
        Room(f"R{level}{k}", r.long_name, r.use, r.x0, r.y0, r.x1, r.y1, r.public)
        for k, r in enumerate(rooms, start=1)
    ]


END = LENGTH - WALL
ROOMS: tuple[tuple[Room, ...], ...] = (
    tuple(
        _floor(
            0,
            [
                ("Accueil", "Accueil du public", 10.4),
                ("Salle des mariages", "Salle de cérémonie", END),
            ],
            [
                ("Bureau de l'état civil", "Bureau", 6.4),
                ("Sanitaires", "Sanitaires", 10.4),
                ("Escalier", "Circulation", 14.4),
                ("Local technique", "Technique", 18.4),
                ("Archives", "Stockage", END),
            ],
            {"Accueil", "Salle des mariages", "Sanitaires"},
        )
    ),
    tuple(
        _floor(
            1,
            [("Salle du conseil", "Salle de réunion", 14.4), ("Bureau du maire", "Bureau", END)],
            [
                ("Secrétariat général", "Bureau", 6.4),
                ("Sanitaires", "Sanitaires", 10.4),
                ("Escalier", "Circulation", 14.4),
                ("Bureau des adjoints", "Bureau", END),
            ],
            {"Salle du conseil"},
        )
    ),
    tuple(
        _floor(
            2,
            [
                ("Service urbanisme", "Bureau", 8.4),
                ("Salle de réunion", "Salle de réunion", 16.4),
                ("Service comptabilité", "Bureau", END),
            ],
            [
                ("Archives", "Stockage", 6.4),
                ("Sanitaires", "Sanitaires", 10.4),
                ("Escalier", "Circulation", 14.4),
                ("Local technique", "Technique", END),
            ],
            set(),
        )
    ),
)
SPACE_HEIGHT = round(STOREY_HEIGHT - SLAB, 3)
