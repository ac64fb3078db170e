"""IFC room and building words (French, English, German) mapped onto the twin's uses.

A space's use comes from the first of its LongName, ObjectType and Name that holds a known
word; words are matched without case or accents, at the start of a word ("bureaux" matches
"bureau", "Schlafzimmer" matches "schlaf"). Phrases are tried before single words. Rooms that
serve every use (circulation, toilets, stairs) stay ``unknown`` and do not weigh in the
building's use. docs/formats/ifc.md lists the table; keep them in step.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterable

import numpy as np

from twin.uses import BuildingUse as U

#: (words, use), phrases first. Matching is on lower-case text without accents.
SPACE_WORDS: tuple[tuple[tuple[str, ...], str], ...] = (
    (
        (
            "salle du conseil",
            "salle des mariages",
            "salle de classe",
            "salle polyvalente",
            "salle des fetes",
        ),
        U.PUBLIC,
    ),
    (("salle de bain", "salle d'eau", "salle a manger", "living room"), U.RESIDENTIAL),
    (("local technique", "local poubelles", "local velo", "plant room"), U.ANNEX),
    (("salle de reunion", "meeting room", "open space"), U.OFFICE),
    (
        (
            "logement",
            "appartement",
            "chambre",
            "sejour",
            "salon",
            "cuisine",
            "bedroom",
            "living",
            "kitchen",
            "bathroom",
            "dining",
            "apartment",
            "dwelling",
            "residential",
            "wohn",
            "schlaf",
            "kuche",
            "kueche",
            "kinderzimmer",
            "esszimmer",
            "bad",
        ),
        U.RESIDENTIAL,
    ),
    (("bureau", "office", "secretariat", "buero", "buro"), U.OFFICE),
    (
        ("commerce", "boutique", "magasin", "shop", "retail", "vente", "restaurant", "laden"),
        U.RETAIL,
    ),
    (
        (
            "accueil",
            "mairie",
            "classe",
            "classroom",
            "ecole",
            "school",
            "bibliotheque",
            "library",
            "gymnase",
            "mariage",
            "ceremonie",
            "conseil",
            "town hall",
        ),
        U.PUBLIC,
    ),
    (("atelier", "workshop", "usine", "entrepot", "warehouse", "production"), U.INDUSTRIAL),
    (
        (
            "technique",
            "stockage",
            "storage",
            "garage",
            "parking",
            "cave",
            "cellier",
            "remise",
            "archive",
            "utility",
            "chaufferie",
            "technik",
            "abstellraum",
        ),
        U.ANNEX,
    ),
)

#: IfcBuilding ObjectType / Pset_BuildingCommon OccupancyType words (same matching).
BUILDING_WORDS: tuple[tuple[tuple[str, ...], str], ...] = (
    (
        (
            "mairie",
            "hotel de ville",
            "town hall",
            "ecole",
            "school",
            "college",
            "lycee",
            "gymnase",
            "hopital",
            "hospital",
            "eglise",
            "church",
            "bibliotheque",
            "library",
            "musee",
            "museum",
            "public",
        ),
        U.PUBLIC,
    ),
    (
        (
            "logement",
            "maison",
            "habitation",
            "residentiel",
            "residential",
            "house",
            "dwelling",
            "apartment",
            "immeuble d'habitation",
            "wohn",
            "einfamilienhaus",
        ),
        U.RESIDENTIAL,
    ),
    (("bureau", "office", "buero", "buro"), U.OFFICE),
    (("commerce", "commercial", "retail", "shop", "magasin", "hotel"), U.RETAIL),
    (("industri", "usine", "entrepot", "warehouse", "factory"), U.INDUSTRIAL),
    (("garage", "annexe", "annex", "hangar", "remise"), U.ANNEX),
)

#: Uses that make a building's main use; annex only counts when nothing else does.
MAIN_USES = (U.RESIDENTIAL, U.OFFICE, U.RETAIL, U.PUBLIC, U.INDUSTRIAL)
#: Share of the area of spaces with a main use that one use needs to be the building's use.
DOMINANT_SHARE = 0.6


def fold(text: str) -> str:
    """Lower case, accents removed, apostrophes unified.

    >>> fold("Salle de Réunion"), fold("Küche")
    ('salle de reunion', 'kuche')
    """
    decomposed = unicodedata.normalize("NFKD", text.replace("’", "'"))
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold().strip()


def _compile(table: tuple[tuple[tuple[str, ...], str], ...]) -> list[tuple[re.Pattern, str]]:
    return [
        (re.compile(r"(?<![a-z])(?:" + "|".join(re.escape(w) for w in words) + ")"), str(use))
        for words, use in table
    ]


_SPACE_PATTERNS = _compile(SPACE_WORDS)
_BUILDING_PATTERNS = _compile(BUILDING_WORDS)


def _match(texts: Iterable[object], patterns: list[tuple[re.Pattern, str]]) -> str | None:
    for text in texts:
        if not isinstance(text, str) or not text.strip():
            continue
        folded = fold(text)
        for pattern, use in patterns:
            if pattern.search(folded):
                return use
    return None


@functools.lru_cache(maxsize=4096)
def space_use(long_name: object, object_type: object, name: object) -> str:
    """The use of a room from its LongName, ObjectType, then Name.

    >>> space_use("Bureau du maire", "Bureau", "R12"), space_use("Schlafzimmer", None, "4")
    ('office', 'residential')
    >>> space_use("Circulation", "Circulation", "R08"), space_use(None, None, "Kitchen")
    ('unknown', 'residential')
    """
    return _match((long_name, object_type, name), _SPACE_PATTERNS) or str(U.UNKNOWN)


def declared_building_use(*texts: object) -> str | None:
    """The use an IfcBuilding states (its ObjectType, Pset_BuildingCommon OccupancyType).

    >>> declared_building_use("Mairie"), declared_building_use("Wohnhaus")
    ('public', 'residential')
    >>> declared_building_use("B1", None) is None
    True
    """
    return _match(texts, _BUILDING_PATTERNS)


def building_use(uses: np.ndarray, areas_m2: np.ndarray, declared: str | None) -> str:
    """A building's use from its spaces' uses weighted by area, and what it declares.

    The use the building declares (ObjectType, OccupancyType) wins when some of its spaces have
    it: a town hall's offices serve the town hall. Otherwise one main use with at least
    :data:`DOMINANT_SHARE` of the area of spaces with a main use wins; several without a
    dominant one make ``mixed``. Without spaces of a main use: the declared use, else annex if
    there are annexes, else ``unknown``. Spaces without an area count for 1 m².

    >>> building_use(np.array(["office", "public", "unknown"]), np.array([45.0, 55, 500]), None)
    'mixed'
    >>> building_use(np.array(["office", "public"]), np.array([70.0, 30]), "public")
    'public'
    >>> building_use(np.array(["office", "office"]), np.array([70.0, 30]), "residential")
    'office'
    >>> building_use(np.array(["residential", "office"]), np.array([75.0, 12.6]), None)
    'residential'
    """
    areas = np.where(np.isfinite(areas_m2) & (areas_m2 > 0), areas_m2, 1.0)
    main = np.isin(uses, [str(u) for u in MAIN_USES])
    if main.any():
        totals: dict[str, float] = {}
        for use, area in zip(uses[main], areas[main], strict=True):
            totals[str(use)] = totals.get(str(use), 0.0) + float(area)
        if declared in totals:
            return str(declared)
        best = max(totals, key=lambda u: totals[u])
        if totals[best] >= DOMINANT_SHARE * sum(totals.values()):
            return best
        return str(U.MIXED)
    if declared:
        return declared
    return str(U.ANNEX) if (uses == str(U.ANNEX)).any() else str(U.UNKNOWN)
