"""Smart energy management: what it costs, what it returns to the community, the energy the
digital equipment uses and the energy it saves.

Keys: ``smart_energy_investment``, ``value_per_euro``, ``collective_value``, ...

- investment = the smart meters (electricity and water) and LoRaWAN gateways of the equipment
  table (the equipment that measures and manages energy and water);
- collective value = investment × ``smart.collective_value_per_eur`` (2.3 € per € by default,
  from « Smart city : gadget ou création de valeur collective ? », 2017);
- buildings' energy = Σ ``final_energy_kwh_building`` of the new and changed buildings after
  the scenario (the energy indicators' values);
- energy saved = buildings' energy × ``smart.energy_management_saving``;
- energy used by the digital equipment = Σ of the equipment table's ``energy_kwh``;
- net = saved − used.
"""

from __future__ import annotations

import pandas as pd

from scenarios.study.assumption_log import AssumptionLog
from scenarios.study.model import Chart, Figure

SMART_ENERGY_ITEMS = ("electricity_meter", "water_meter", "lorawan_gateway")
#: The effects section's figure of each equipment item (inputs of the sums).
ITEM_FIGURES = {
    "electricity_meter": "electricity_meters",
    "water_meter": "water_meters",
    "sensor": "sensors_needed",
    "lorawan_gateway": "lorawan_gateways",
    "small_cell": "small_cells_needed",
    "streetlight": "streetlights",
}
VALUE_PER_EUR = "smart.collective_value_per_eur"
SAVING_SHARE = "smart.energy_management_saving"


def energy_value_figures(
    equipment: pd.DataFrame, buildings_energy_kwh: float, log: AssumptionLog
) -> list[Figure]:
    """The figures of smart energy management (keys in the module's order)."""
    investment = float(equipment.loc[list(SMART_ENERGY_ITEMS), "cost_eur"].sum())
    per_eur = log.value(VALUE_PER_EUR)
    saved = buildings_energy_kwh * log.value(SAVING_SHARE)
    used = float(equipment["energy_kwh"].sum())
    equipment_eur = float(equipment["cost_eur"].sum())
    return [
        Figure(
            "equipment_cost_eur",
            equipment_eur,
            "€",
            "computed",
            tuple(ITEM_FIGURES.get(str(item), str(item)) for item in equipment.index),
        ),
        Figure(
            "smart_energy_investment",
            investment,
            "€",
            "computed",
            tuple(ITEM_FIGURES[item] for item in SMART_ENERGY_ITEMS),
        ),
        log.figure(VALUE_PER_EUR, name="value_per_euro"),
        Figure(
            "collective_value",
            investment * per_eur,
            "€",
            "computed",
            ("smart_energy_investment", VALUE_PER_EUR),
        ),
        Figure(
            "buildings_energy_kwh",
            buildings_energy_kwh,
            "kWh/yr",
            "computed",
            ("indicator:final_energy_kwh_building",),
            "note.sum_over_studied_buildings",
        ),
        Figure(
            "energy_saved_kwh",
            saved,
            "kWh/yr",
            "computed",
            ("buildings_energy_kwh", SAVING_SHARE),
        ),
        Figure(
            "digital_energy_kwh",
            used,
            "kWh/yr",
            "computed",
            tuple(ITEM_FIGURES.get(str(item), str(item)) for item in equipment.index),
        ),
        Figure(
            "energy_net_saved_kwh",
            saved - used,
            "kWh/yr",
            "computed",
            ("energy_saved_kwh", "digital_energy_kwh"),
        ),
    ]


def energy_chart(figures: list[Figure]) -> Chart:
    """Energy used by the digital equipment against energy saved (kWh/yr)."""
    values = {f.key: f.value for f in figures}
    data = pd.DataFrame(
        {"energy": [values["digital_energy_kwh"], values["energy_saved_kwh"]]},
        index=pd.Index(["consumed", "saved"], name="energy"),
    )
    return Chart("energy_balance", "bar", data, "kWh/yr")
