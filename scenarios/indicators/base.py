"""How an indicator declares itself: name, French title, unit, level, the columns it reads.

An indicator is a pure function ``f(city, **parameters) -> pandas.Series`` indexed by object id
(one value per row of its level's layer) or a scalar for the territory. The :func:`indicator`
decorator attaches an :class:`IndicatorSpec` and registers the function in :data:`INDICATORS`,
so the GUI, reports and caches can list them, show their units, and know which edits make a
value stale (:func:`depends_on`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from twin.levels import Level

F = TypeVar("F", bound=Callable[..., Any])


@dataclass(frozen=True)
class IndicatorSpec:
    """What an indicator is.

    Attributes:
        name: snake_case identifier, unique (``inhabitants_per_ha``).
        title: short French title shown to users (« Densité de population »).
        unit: unit of the values (``persons/ha``, ``m``, ``%``, ``€``), "" for counts without unit.
        level: the level the values describe (one per row of that level's layer).
        reads: the inputs, as ``"layer.column"`` (``"buildings.inhabitants"``), or ``"layer"``
            for the geometry or the rows themselves.
        meaning: one sentence: how it is computed, with the assumption it uses.
        measure: the quantity the indicator gives, the same at every level it is registered
            at (``footprint_m2`` for ``footprint_m2_commune``); defaults to ``name``.
        group: the family shown together: ``urbanism``, ``people``, ``land``, ``energy``,
            ``mobility`` ... ("" when unclassified).
        assumptions: the keys of ``scenarios/data/assumptions.toml`` the values depend on.

    A read prefixed ``baseline:`` (``"baseline:buildings.geometry"``) is a column of the
    baseline City an indicator compares with (land take, floor area reused).
    """

    name: str
    title: str
    unit: str
    level: Level
    reads: tuple[str, ...]
    meaning: str
    measure: str = ""
    group: str = ""
    assumptions: tuple[str, ...] = ()

    @property
    def quantity(self) -> str:
        """``measure`` when given, else ``name``."""
        return self.measure or self.name


#: Every registered indicator, by name.
INDICATORS: dict[str, Callable[..., Any]] = {}


def indicator(spec: IndicatorSpec) -> Callable[[F], F]:
    """Register a function as the indicator ``spec`` describes (attached as ``.spec``).

    Example:
        >>> @indicator(IndicatorSpec("demo_count", "Démo", "", Level.COMMUNE, ("communes",), "."))
        ... def demo_count(city): ...
        >>> demo_count.spec.level.name, "demo_count" in INDICATORS
        ('COMMUNE', True)
        >>> del INDICATORS["demo_count"]
    """

    def register(function: F) -> F:
        if spec.name in INDICATORS and INDICATORS[spec.name] is not function:
            raise ValueError(f"indicator '{spec.name}' is registered twice")
        function.spec = spec  # type: ignore[attr-defined]
        INDICATORS[spec.name] = function
        return function

    return register


def depends_on(spec: IndicatorSpec, layer: str, columns: tuple[str, ...] = ()) -> bool:
    """Whether a change to ``layer`` (``columns``; empty: rows or geometry) affects ``spec``.

    Example:
        >>> s = IndicatorSpec("x", "X", "", Level.BUILDING, ("buildings.height_m",), ".")
        >>> depends_on(s, "buildings", ("height_m",)), depends_on(s, "buildings", ("use",))
        (True, False)
        >>> depends_on(s, "buildings"), depends_on(s, "roads")
        (True, False)
    """
    return reads_depend_on(spec.reads, layer, columns)


def reads_depend_on(reads: tuple[str, ...], layer: str, columns: tuple[str, ...] = ()) -> bool:
    """Whether a change to ``layer`` (``columns``; empty: rows or geometry) hits ``reads``.

    Example:
        >>> reads_depend_on(("parcels.contenance_m2", "buildings"), "buildings", ("use",))
        True
    """
    for item in reads:
        read_layer, _, read_column = item.partition(".")
        if read_layer != layer:
            continue
        if not columns or not read_column or read_column in columns:
            return True
    return False
