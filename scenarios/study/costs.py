"""Cost of connecting the new premises to fibre planned at land development versus retrofitted
later, and the measures (avoid, reduce, compensate) with their saving.

With routed ducts (a network and roads to route on):

- at development = duct length × ``fibre.duct_in_open_trench_eur_per_m`` + premises ×
  ``fibre.final_connection_eur``;
- retrofitted later = Σ length by context × its trench price
  (``fibre.trench_town_centre_eur_per_m``, ``fibre.trench_eur_per_m``,
  ``fibre.trench_bare_ground_eur_per_m``) + premises × ((1 − s) × final connection + s ×
  ``fibre.complex_connection_eur``), s = ``fibre.complex_connection_share``.

Without routes (no digital_assets layer, no cable, no roads), from the ratios only: retrofitted
= premises × ``fibre.cost_per_premise_dense_eur`` (``_rural_eur`` on a rural site), of which
``fibre.civil_works_share`` is civil works; at development the civil works cost
``fibre.shared_works_saving`` less.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import pandas as pd

from scenarios.study.assumption_log import AssumptionLog
from scenarios.study.ducts import DuctPlan
from scenarios.study.model import Figure

TRENCH_PRICES = {
    "town_centre": "fibre.trench_town_centre_eur_per_m",
    "road": "fibre.trench_eur_per_m",
    "bare_ground": "fibre.trench_bare_ground_eur_per_m",
}
DUCT = "fibre.duct_in_open_trench_eur_per_m"
FINAL = "fibre.final_connection_eur"
COMPLEX = "fibre.complex_connection_eur"
COMPLEX_SHARE = "fibre.complex_connection_share"
CONNECTION_INPUTS = ("premises_to_connect", FINAL, COMPLEX, COMPLEX_SHARE)


@dataclass(frozen=True)
class FibreCosts:
    """The two costs, split into civil works (ducts, trenches) and connections (€)."""

    development_works_eur: float
    development_connections_eur: float
    retrofit_works_eur: float
    retrofit_connections_eur: float
    routed: bool
    inputs_development: tuple[str, ...]
    inputs_retrofit: tuple[str, ...]

    @property
    def development_eur(self) -> float:
        """Cost if planned at land development."""
        return self.development_works_eur + self.development_connections_eur

    @property
    def retrofit_eur(self) -> float:
        """Cost if retrofitted later."""
        return self.retrofit_works_eur + self.retrofit_connections_eur

    @property
    def saving_eur(self) -> float:
        """What planning at development saves."""
        return self.retrofit_eur - self.development_eur

    def breakdown(self) -> pd.DataFrame:
        """Rows development / retrofit, columns works and connections (€): a stacked chart."""
        return pd.DataFrame(
            {
                "works": [self.development_works_eur, self.retrofit_works_eur],
                "connections": [self.development_connections_eur, self.retrofit_connections_eur],
            },
            index=pd.Index(["at_development", "retrofit"], name="when"),
        )


def fibre_costs(plan: DuctPlan, premises: float, rural: bool, log: AssumptionLog) -> FibreCosts:
    """Both costs for ``premises`` to connect along ``plan``'s ducts (see the module)."""
    final = log.value(FINAL)
    if math.isfinite(plan.length_m):
        share = log.value(COMPLEX_SHARE)
        trench = sum(
            float(plan.length_by_context[context]) * log.value(key)
            for context, key in TRENCH_PRICES.items()
        )
        connection_later = (1 - share) * final + share * log.value(COMPLEX)
        return FibreCosts(
            plan.length_m * log.value(DUCT),
            premises * final,
            trench,
            premises * connection_later,
            True,
            ("duct_length_m", DUCT, "premises_to_connect", FINAL),
            (
                *(f"duct_length_{context}_m" for context in TRENCH_PRICES),
                *TRENCH_PRICES.values(),
                "premises_to_connect",
                FINAL,
                COMPLEX,
                COMPLEX_SHARE,
            ),
        )
    per_premise_key = (
        "fibre.cost_per_premise_rural_eur" if rural else "fibre.cost_per_premise_dense_eur"
    )
    per_premise = log.value(per_premise_key)
    civil = log.value("fibre.civil_works_share")
    saving = log.value("fibre.shared_works_saving")
    works = premises * per_premise * civil
    connections = premises * per_premise * (1 - civil)
    inputs = ("premises_to_connect", per_premise_key, "fibre.civil_works_share")
    return FibreCosts(
        works * (1 - saving),
        connections,
        works,
        connections,
        False,
        (*inputs, "fibre.shared_works_saving"),
        inputs,
    )


def cost_figures(costs: FibreCosts) -> list[Figure]:
    """Cost at development, retrofitted, the saving (€ and % of the retrofit cost)."""
    note = "" if costs.routed else "note.costs_from_ratios"
    share = 100.0 * costs.saving_eur / costs.retrofit_eur if costs.retrofit_eur > 0 else math.nan
    return [
        Figure(
            "cost_at_development_eur",
            costs.development_eur,
            "€",
            "computed",
            costs.inputs_development,
            note,
        ),
        Figure(
            "cost_retrofit_eur", costs.retrofit_eur, "€", "computed", costs.inputs_retrofit, note
        ),
        Figure(
            "saving_eur",
            costs.saving_eur,
            "€",
            "computed",
            ("cost_retrofit_eur", "cost_at_development_eur"),
            note,
        ),
        Figure(
            "saving_share",
            share,
            "%",
            "computed",
            ("saving_eur", "cost_retrofit_eur"),
            "" if math.isfinite(share) else "note.nothing_to_connect",
        ),
    ]


def works_figures(costs: FibreCosts) -> list[Figure]:
    """The civil works alone (ducts in the open trench against trenches dug later)."""
    note = "" if costs.routed else "note.costs_from_ratios"
    return [
        Figure(
            "duct_cost_at_development",
            costs.development_works_eur,
            "€",
            "computed",
            costs.inputs_development[:2],
            note,
        ),
        Figure(
            "duct_cost_retrofit",
            costs.retrofit_works_eur,
            "€",
            "computed",
            tuple(
                k for k in costs.inputs_retrofit if not costs.routed or k not in CONNECTION_INPUTS
            ),
            note,
        ),
        Figure(
            "duct_cost_saving",
            costs.retrofit_works_eur - costs.development_works_eur,
            "€",
            "computed",
            ("duct_cost_retrofit", "duct_cost_at_development"),
            note,
        ),
    ]


def measures_table(costs: FibreCosts, small_cells_eur: float, log: AssumptionLog) -> pd.DataFrame:
    """Avoid / reduce / compensate measures with their saving or cost (€), index ``measure``."""
    shared = log.value("fibre.shared_works_saving")
    rows = [
        (
            "shared_trench",
            "avoid",
            costs.retrofit_works_eur - costs.development_works_eur,
            costs.development_works_eur,
            "duct_cost_retrofit, duct_cost_at_development",
        ),
        (
            "ducts_laid_in_advance",
            "avoid",
            costs.retrofit_connections_eur - costs.development_connections_eur,
            costs.development_connections_eur,
            f"{FINAL}, {COMPLEX}, {COMPLEX_SHARE}",
        ),
        (
            "shared_later_works",
            "reduce",
            costs.retrofit_works_eur * shared,
            costs.retrofit_works_eur * (1 - shared),
            "fibre.shared_works_saving",
        ),
        ("small_cells", "compensate", 0.0, small_cells_eur, "mobile.small_cell_eur"),
    ]
    frame = pd.DataFrame(rows, columns=["measure", "type", "saving_eur", "cost_eur", "inputs"])
    return frame.set_index("measure")
