"""The text keys a computed Study uses for notes and paragraphs, with their meaning in English.

Paragraph keys follow the report's text tables (``scenarios/report/texts_study.py``); the keys
the computation adds beyond them (``initial_state.site``, ``methods.*`` but ``methods.intro``
and ``methods.estimates``, every ``note.*``) are listed here with their values, so the report
can translate them; a test checks every key a Study carries is in :data:`NOTES` or
:data:`PARAGRAPHS`.
"""

from __future__ import annotations

#: ``Figure.note`` keys.
NOTES: dict[str, str] = {
    "note.no_digital_assets": "The project has no digital infrastructure layer: the initial "
    "digital state is unknown and costs use the assumptions only.",
    "note.empty_site": "The scenario touches nothing located: there is no site to describe.",
    "note.no_premises": "No premises are recorded in the site.",
    "note.no_roads": "The project has no roads layer: duct lengths along roads are unknown.",
    "note.no_network": "No existing fibre cable or connection point is recorded: duct lengths "
    "are unknown.",
    "note.no_route": "No new building could be reached along the roads from the network.",
    "note.some_unrouted": "Some new buildings could not be reached along the roads: the length "
    "counts the others.",
    "note.costs_from_ratios": "Without routed ducts, costs come from the cost per premise and "
    "the civil-works share of the assumptions.",
    "note.nothing_to_connect": "The scenario creates no premise to connect.",
    "note.sum_over_studied_buildings": "Sum of the energy indicator over the new and changed "
    "buildings.",
    "note.indicator_missing": "The indicator could not be computed.",
    "note.no_new_buildings": "The scenario adds no building with premises: no duct to lay.",
}

#: ``Section.paragraphs`` keys and the values they are filled with ({name}).
PARAGRAPHS: dict[str, str] = {
    "summary.intro": "{scenario}, {compare}",
    "summary.premises": "{buildings} new or changed, where {premises} are to be connected",
    "summary.ducts": "{length} of ducts: {cost_now} at development, {cost_later} later, "
    "{saving} saved",
    "summary.value": "{ratio} per euro: {returned} for {invested}",
    "summary.energy": "{digital_energy} used, {energy_saved} saved",
    "summary.recommendation": "lay ducts while the site is serviced, in shared trenches",
    "project.description": "{description}",
    "project.edits": "{scenario}: {count} edits",
    "project.indicators": "planning indicators compared with {compare}",
    "initial_state.site": "The site covers {area_ha}: the parcels the scenario touches "
    "({parcels}), plus {buffer_m} around; new, changed or demolished buildings: {buildings}; "
    "other features added: {features}; districts {districts}; {context} context (rural: cost "
    "per premise and cell radius of the countryside).",
    "initial_state.network": "{fibre_length} of cables, {connection_points}",
    "initial_state.premises": "{connectable} of {premises} connectable ({share})",
    "initial_state.mobile": "{sites} mobile sites ({technologies})",
    "initial_state.sensors": "{sensors} sensors",
    "initial_state.no_data": "no {layer} data: initial state unknown",
    "effects.premises": "{dwellings} and {business}: {premises}",
    "effects.ducts": "{length} of ducts along the roads",
    "effects.equipment": "{sensors} and {meters}",
    "effects.mobile": "{buildings} beyond {distance} of a mobile site",
    "effects.energy": "{energy} used by the digital equipment",
    "measures.avoid": "lay ducts before the surfacing",
    "measures.ducts_in_advance": "spare ducts avoid {saving} of later works",
    "measures.reduce": "share the trenches over {length}",
    "measures.compensate": "reuse ducts, share high points",
    "costs_benefits.at_development": "{cost} planned at development",
    "costs_benefits.retrofit": "{cost} retrofitted",
    "costs_benefits.saving": "{saving} saved, {share} of the later cost",
    "costs_benefits.value": "{ratio}: {returned} for {invested}",
    "monitoring.intro": "indicators to follow after delivery",
    "methods.intro": "every value comes from an indicator, an assumption or a count",
    "methods.estimates": "{count} assumptions are estimates",
    "methods.site": "Site: the parcels of the new, changed and demolished buildings and the "
    "other features the scenario adds, plus {buffer_m}.",
    "methods.premises": "Premises to connect: new dwellings plus the floor area new in an "
    "office, shop, public or industrial use / {business_premise_m2} per premise.",
    "methods.ducts": "Ducts: shortest path along every road from the nearest point of the "
    "existing network (along cables every {spacing_m}, connection points) to each new "
    "building's facade; streets shared by several routes counted once.",
    "methods.costs": "Costs ({method}): a duct in the open trench and final connections, "
    "against trenches priced by context (town centre, road, bare ground) and a share of "
    "complex connections later; without routes, the cost per premise and civil-works share.",
    "methods.equipment": "Equipment: sensors per hectare of parcel by use, meters per premise, "
    "LoRaWAN gateways by range, small cells for buildings beyond the cell radius of every "
    "4G/5G site.",
    "methods.energy": "Energy: the equipment's power all year; savings as a share of the new "
    "and changed buildings' final energy; collective value per euro invested in meters and "
    "gateways.",
    "methods.indicators": "Planning indicators: the indicator engine at the {level} level, as "
    "`twin indicators --json` gives them.",
}
