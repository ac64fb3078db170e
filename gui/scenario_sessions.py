"""The applied Cities of the project's scenarios, kept so that switching back is instant, and
each scenario's edits in a :class:`~scenarios.history.History` so they undo and redo (no Qt).

A scenario's City is its bases applied to the baseline (:func:`~scenarios.scenario.apply_scenario`
with its own edits left out: copy-on-write, the baseline untouched), then its own edits run one
by one through its History. So every edit of the scenario, even one loaded from the project,
can be undone (Ctrl+Z removes the last edit) and redone. Whatever the History does is written
back to the scenario stored in ``City.scenarios`` at once; the Cities of scenarios built on it
are dropped from the cache (they are applied again when next shown).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from scenarios.assumptions import Assumptions, project_assumptions
from scenarios.change import Change
from scenarios.edits import Edit
from scenarios.edits.refusals import refuse
from scenarios.history import History
from scenarios.scenario import (
    Scenario,
    apply_scenario,
    scenario_chain,
    scenarios_of,
    store_scenario,
)
from twin.city import City
from twin.errors import InvalidInputError

logger = logging.getLogger(__name__)

HISTORY_LIMIT = 200  # edits one scenario can undo


@dataclass
class ScenarioSession:
    """One scenario applied, with its History.

    Attributes:
        name: the scenario's name.
        city: the baseline with the bases' edits and this scenario's own edits applied.
        history: the scenario's own edits, undoable.
        edits: the scenario's own edits now (done, not undone), as stored in the project.
        chain: names of the scenario and its bases, the one on the baseline first.
        undone: the Changes undone and not redone, the next to redo last.
        seconds: how long applying it took.
    """

    name: str
    city: City
    history: History
    edits: tuple[Edit, ...]
    chain: tuple[str, ...]
    undone: list[Change] = field(default_factory=list)
    seconds: float = 0.0

    def changes(self) -> list[Change | None]:
        """The Change of each edit in :attr:`edits` (None for those the History forgot)."""
        done = list(self.history.changes)[-len(self.edits) :] if self.edits else []
        return [None] * (len(self.edits) - len(done)) + done


class ScenarioSessions:
    """The scenarios of one baseline City, applied on demand and cached.

    Args:
        baseline: the project's City (never changed here, except ``City.scenarios``).
        on_edited: called with a scenario's name after its edits changed (do, undo, redo).
    """

    def __init__(self, baseline: City, on_edited: Callable[[str], None] | None = None) -> None:
        self.baseline = baseline
        self.on_edited = on_edited
        self._sessions: dict[str, ScenarioSession] = {}
        self._assumptions: Assumptions | None = None

    @property
    def assumptions(self) -> Assumptions:
        """The project's assumptions (its overrides of the shipped values), read once."""
        if self._assumptions is None:
            self._assumptions = project_assumptions(self.baseline)
        return self._assumptions

    def cached(self, name: str) -> bool:
        """Whether scenario ``name`` is applied and kept."""
        return name in self._sessions

    def get(self, name: str) -> ScenarioSession | None:
        """The session of ``name`` if it is kept (never applies)."""
        return self._sessions.get(name)

    def session(self, name: str) -> ScenarioSession:
        """The session of scenario ``name``, applied now if not kept.

        Raises:
            InvalidInputError: no such scenario, an unknown base or cycle, or an edit that does
                not fit (named: scenario, edit number, kind).
        """
        kept = self._sessions.get(name)
        if kept is not None:
            return kept
        start = time.perf_counter()
        scenarios = scenarios_of(self.baseline)
        chain = tuple(step.name for step in scenario_chain(name, scenarios))
        scenario = scenarios[name]
        city = apply_scenario(
            self.baseline, scenario.with_edits(()), scenarios, assumptions=self.assumptions
        )
        history = History(city, self.assumptions, limit=HISTORY_LIMIT)
        for number, edit in enumerate(scenario.edits, start=1):
            try:
                history.do(edit)
            except InvalidInputError as error:
                raise refuse(
                    "edit_failed",
                    f"scenario '{name}', edit {number} ({edit.kind}): {error}",
                    where=f"scenario '{name}'",
                    number=number,
                    edit=edit,
                    cause=error,
                ) from None
        session = ScenarioSession(
            name, city, history, scenario.edits, chain, seconds=time.perf_counter() - start
        )
        history.changed.connect(lambda action, change: self._on_history(session, action, change))
        self._sessions[name] = session
        logger.info("scenario '%s' applied in %.3f s", name, session.seconds)
        return session

    def drop(self, name: str) -> None:
        """Forget the City of ``name`` and of every scenario built on it."""
        for other in [n for n, s in self._sessions.items() if name in s.chain]:
            del self._sessions[other]

    def drop_dependants(self, name: str) -> None:
        """Forget the Cities of the scenarios built on ``name`` (not its own)."""
        for other in [n for n, s in self._sessions.items() if name in s.chain and n != name]:
            del self._sessions[other]

    def clear(self) -> None:
        """Forget every applied City (the baseline changed)."""
        self._sessions.clear()

    def rename(self, old: str, new: str) -> None:
        """Follow a renamed scenario: its City and History are kept under the new name."""
        for session in self._sessions.values():
            session.chain = tuple(new if n == old else n for n in session.chain)
        renamed = self._sessions.pop(old, None)
        if renamed is not None:
            renamed.name = new
            renamed.city.metadata["scenario"] = new
            self._sessions[new] = renamed

    # -- edits ------------------------------------------------------------------------------------
    def do(self, name: str, edit: Edit) -> Change:
        """Run ``edit`` as the next edit of scenario ``name`` (undoable).

        Raises:
            InvalidInputError: the edit does not fit the scenario's City; nothing changed.
        """
        return self.session(name).history.do(edit)

    def _on_history(self, session: ScenarioSession, action: str, change: Change | None) -> None:
        if action in ("do", "redo") and change is not None:
            session.edits = (*session.edits, change.edit)
            if action == "do":
                session.undone.clear()
            elif session.undone:
                session.undone.pop()
        elif action == "undo" and change is not None and session.edits:
            session.edits = session.edits[:-1]
            session.undone.append(change)
        else:
            return
        stored = Scenario.from_dict(self.baseline.scenarios[session.name])
        store_scenario(self.baseline, stored.with_edits(session.edits), replace=True)
        self.drop_dependants(session.name)
        logger.info("scenario '%s' %s: %d edit(s)", session.name, action, len(session.edits))
        if self.on_edited is not None:
            self.on_edited(session.name)


def differing_sources(before: City, after: City) -> list[str]:
    """Names of the layers, rasters and mesh sets that are not the very same object in both
    Cities (what a view showing ``before`` must redraw to show ``after``).

    Example:
        >>> city = City()
        >>> differing_sources(city, city.copy(share_layers=True))
        []
    """

    def parts(city: City) -> dict[str, object]:
        found: dict[str, object] = {**city.meshes, **city.rasters}
        found.update({name: city.layer(name) for name in city.layer_names})
        return found

    old, new = parts(before), parts(after)
    return sorted(n for n in {*old, *new} if old.get(n) is not new.get(n))
