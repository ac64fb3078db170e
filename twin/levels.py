"""The levels of the territory → room hierarchy and the layers that hold them."""

from __future__ import annotations

from enum import IntEnum


class Level(IntEnum):
    """A level of the hierarchy, from the study area down to the room.

    The integer order is the nesting order: a parent always has a smaller level than its
    children. A row may skip levels (a building with no known parcel hangs from its district).
    """

    TERRITORY = 0  # the study area: an intercommunality, a syndicat mixte's area
    COMMUNE = 1  # a commune, id = INSEE code
    DISTRICT = 2  # an IRIS or a quartier
    PARCEL = 3  # a cadastral parcel, id = Etalab 14-character id where it exists
    BUILDING = 4
    STOREY = 5  # from IFC (IfcBuildingStorey), id = GlobalId
    SPACE = 6  # from IFC (IfcSpace), id = GlobalId

    @property
    def layer_name(self) -> str:
        """The name of the City layer holding the rows of this level."""
        return LEVEL_LAYERS[self]

    @classmethod
    def parse(cls, text: str) -> Level:
        """Read a level from its English or French name, case-insensitively.

        >>> Level.parse("commune"), Level.parse("bâtiment"), Level.parse("buildings")
        (<Level.COMMUNE: 1>, <Level.BUILDING: 4>, <Level.BUILDING: 4>)
        """
        key = text.strip().lower()
        for level in cls:
            if key in (level.name.lower(), level.layer_name):
                return level
        if key in _FRENCH_NAMES:
            return _FRENCH_NAMES[key]
        names = ", ".join(level.name.lower() for level in cls)
        raise ValueError(f"Unknown level '{text}'. Use one of: {names}.")


LEVEL_LAYERS: dict[Level, str] = {
    Level.TERRITORY: "territory",
    Level.COMMUNE: "communes",
    Level.DISTRICT: "districts",
    Level.PARCEL: "parcels",
    Level.BUILDING: "buildings",
    Level.STOREY: "storeys",
    Level.SPACE: "spaces",
}

_FRENCH_NAMES: dict[str, Level] = {
    "territoire": Level.TERRITORY,
    "commune": Level.COMMUNE,
    "quartier": Level.DISTRICT,
    "iris": Level.DISTRICT,
    "parcelle": Level.PARCEL,
    "bâtiment": Level.BUILDING,
    "batiment": Level.BUILDING,
    "étage": Level.STOREY,
    "etage": Level.STOREY,
    "niveau": Level.STOREY,
    "pièce": Level.SPACE,
    "piece": Level.SPACE,
    "local": Level.SPACE,
}


def level_of_layer(layer_name: str) -> Level | None:
    """The level a layer holds, or None for layers outside the hierarchy (roads, stops ...)."""
    for level, name in LEVEL_LAYERS.items():
        if name == layer_name:
            return level
    return None
