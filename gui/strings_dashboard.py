"""User-facing strings of the indicators dashboard, the change colouring and the side-by-side
comparison, French and English (merged by gui.strings)."""

from __future__ import annotations

# Indicator titles by measure (the dashboard shows one level at a time: no level in them).
_MEASURES: dict[str, tuple[str, str]] = {
    "footprint_m2": ("Emprise au sol", "Building footprint"),
    "coverage_ratio": ("Coefficient d'emprise au sol (CES)", "Site coverage ratio"),
    "floor_area_m2": ("Surface de plancher brute", "Gross floor area"),
    "floor_area_residential_m2": ("Surface de plancher : logement", "Floor area: housing"),
    "floor_area_office_m2": ("Surface de plancher : bureaux", "Floor area: offices"),
    "floor_area_retail_m2": (
        "Surface de plancher : commerce et services",
        "Floor area: retail and services",
    ),
    "floor_area_public_m2": (
        "Surface de plancher : équipements publics",
        "Floor area: public facilities",
    ),
    "floor_area_industrial_m2": (
        "Surface de plancher : industrie et logistique",
        "Floor area: industry and logistics",
    ),
    "floor_area_annex_m2": ("Surface de plancher : annexes", "Floor area: annexes"),
    "floor_area_unknown_m2": ("Surface de plancher : usage inconnu", "Floor area: unknown use"),
    "surface_de_plancher_m2": (
        "Surface de plancher (R111-22, estimée)",
        "Surface de plancher (R111-22, estimate)",
    ),
    "floor_area_ratio": ("Densité bâtie (COS)", "Floor area ratio"),
    "height_mean_m": ("Hauteur moyenne", "Mean height"),
    "height_max_m": ("Hauteur maximale", "Maximum height"),
    "height_m": ("Hauteur", "Height"),
    "storeys": ("Niveaux", "Storeys"),
    "dwellings": ("Logements", "Dwellings"),
    "dwellings_per_ha": ("Densité de logements nette", "Net dwelling density"),
    "dwellings_per_ha_gross": ("Densité de logements brute", "Gross dwelling density"),
    "jobs": ("Emplois estimés", "Estimated jobs"),
    "inhabitants": ("Habitants", "Inhabitants"),
    "households": ("Ménages", "Households"),
    "inhabitants_per_ha": ("Densité de population", "Population density"),
    "households_per_ha": ("Densité de ménages", "Household density"),
    "newly_sealed_m2": (
        "Surface nouvellement artificialisée (bâti)",
        "Newly sealed land (buildings)",
    ),
    "desealed_m2": ("Surface désartificialisée", "De-sealed land"),
    "net_sealed_m2": ("Artificialisation nette", "Net land take"),
    "floor_area_reused_m2": (
        "Surface de plancher réutilisée (changement d'usage)",
        "Floor area reused (change of use)",
    ),
    "floor_area_built_m2": ("Surface de plancher construite", "Floor area built"),
    "floor_area_reused_share": (
        "Part de surface réutilisée plutôt que construite",
        "Share of floor area reused rather than built",
    ),
    "demolished_not_rebuilt_m2": (
        "Emprise démolie non reconstruite",
        "Footprint demolished and not rebuilt",
    ),
    "final_energy_kwh": ("Consommation d'énergie finale", "Final energy use"),
    "final_energy_housing_kwh": ("Énergie finale des logements", "Final energy: housing"),
    "final_energy_tertiary_kwh": ("Énergie finale du tertiaire", "Final energy: tertiary"),
    "primary_energy_kwh": ("Consommation d'énergie primaire", "Primary energy use"),
    "primary_energy_kwh_per_m2": ("Énergie primaire par m²", "Primary energy per m²"),
    "energy_class": ("Classe énergie (DPE)", "Energy class (DPE)"),
    "roof_pv_kwh": ("Production photovoltaïque possible en toiture", "Possible rooftop PV yield"),
    "roof_pv_kwp": ("Puissance photovoltaïque installable", "Installable PV power"),
    "roof_pv_share_of_demand": (
        "Part de la consommation couverte par le solaire en toiture",
        "Share of the demand met by rooftop PV",
    ),
    "roof_unshaded_share": ("Part d'ensoleillement de la toiture", "Unshaded share of the roof"),
    "co2_kg": ("Émissions de gaz à effet de serre", "Greenhouse gas emissions"),
    "share_inhabitants_near_served_stop": (
        "Habitants proches d'un arrêt bien desservi",
        "Inhabitants near a well-served stop",
    ),
    "walk_distance_to_stop_m": (
        "Distance à pied à l'arrêt le plus proche",
        "Walk to the nearest stop",
    ),
    "nearest_stop_departures_per_h": (
        "Départs par heure à l'arrêt le plus proche",
        "Departures per hour at the nearest stop",
    ),
    "walk_distance_to_served_stop_m": (
        "Distance à pied à un arrêt bien desservi",
        "Walk to a well-served stop",
    ),
    "winter_sun_hours_facade": (
        "Ensoleillement des façades au solstice d'hiver",
        "Facade sun hours at the winter solstice",
    ),
    "winter_sun_hours_lost": (
        "Ensoleillement pris aux voisins au solstice d'hiver",
        "Sun hours taken from neighbours at the winter solstice",
    ),
    "storey_floor_area_m2": ("Surface de l'étage", "Storey floor area"),
    "net_floor_area_m2": ("Surface utile", "Net floor area"),
    "net_floor_area_residential_m2": ("Surface utile : logement", "Net floor area: housing"),
    "net_floor_area_office_m2": ("Surface utile : bureaux", "Net floor area: offices"),
    "net_floor_area_retail_m2": (
        "Surface utile : commerce et services",
        "Net floor area: retail and services",
    ),
    "net_floor_area_public_m2": (
        "Surface utile : équipements publics",
        "Net floor area: public facilities",
    ),
    "net_floor_area_industrial_m2": (
        "Surface utile : industrie et logistique",
        "Net floor area: industry and logistics",
    ),
    "net_floor_area_annex_m2": ("Surface utile : annexes", "Net floor area: annexes"),
    "net_floor_area_unknown_m2": ("Surface utile : usage inconnu", "Net floor area: unknown use"),
}

_UNITS: dict[str, tuple[str, str]] = {
    "m2/m2": ("m²/m²", "m²/m²"),
    "dwellings/ha": ("logements/ha", "dwellings/ha"),
    "jobs": ("emplois", "jobs"),
    "persons/ha": ("hab./ha", "inhab./ha"),
    "households/ha": ("ménages/ha", "households/ha"),
    "%": ("%", "%"),
    "kWh/yr": ("kWh/an", "kWh/yr"),
    "kWh/m2/yr": ("kWh/m²/an", "kWh/m²/yr"),
    "kWp": ("kWc", "kWp"),
    "kgCO2e/yr": ("kg CO₂e/an", "kg CO₂e/yr"),
    "share": ("part", "share"),
}

_GROUPS: dict[str, tuple[str, str]] = {
    "urbanism": ("Urbanisme", "Urbanism"),
    "people": ("Population et emplois", "Population and jobs"),
    "land": ("Foncier (ZAN)", "Land take (ZAN)"),
    "energy": ("Énergie", "Energy"),
    "climate": ("Climat", "Climate"),
    "sunlight": ("Ensoleillement", "Sunlight"),
    "mobility": ("Mobilité", "Mobility"),
    "other": ("Autres", "Other"),
}

_DELTAS: dict[str, tuple[str, str]] = {
    "floor_area_m2": ("surface de plancher", "floor area"),
    "dwellings": ("logements", "dwellings"),
    "inhabitants": ("habitants", "inhabitants"),
    "final_energy_kwh": ("énergie finale", "final energy"),
    "co2_kg": ("émissions de GES", "GHG emissions"),
}

FR: dict[str, str] = {
    "dashboard.dock": "Indicateurs",
    "dash.level": "Niveau",
    "dash.level_tip": "Le niveau des indicateurs : celui de la sélection (bâtiment, parcelle, "
    "quartier, commune) ou un niveau au-dessus ; le territoire sans sélection",
    "dash.scenarios": "Scénarios",
    "dash.scenarios_tip": "Les scénarios comparés à la situation actuelle (le scénario "
    "affiché, et ceux que vous cochez)",
    "dash.follow_shown": "Le scénario affiché",
    "dash.all": "Cocher tous les scénarios",
    "dash.none": "Décocher tous les scénarios",
    "dash.expensive": "Ensoleillement et solaire",
    "dash.expensive_tip": "Calculer aussi l'ensoleillement d'hiver et le potentiel solaire des "
    "toitures (plusieurs secondes sur une ville)",
    "dash.computing": "calcul…",
    "dash.done": "à jour",
    "dash.done_tip": "Calculé en {ms} ms ; {count} indicateur(s) recalculé(s), les autres "
    "gardés depuis le calcul précédent",
    "dash.error": "Erreur : {error}",
    "dash.unit": "{level} : {name}",
    "dash.unit_id": "{level} : {name} ({id})",
    "dash.no_project": "Aucun projet ouvert",
    "dash.hint": "Cochez des scénarios (bouton « Scénarios ») ou affichez-en un pour les "
    "comparer à la situation actuelle.",
    "dash.col.indicator": "Indicateur",
    "dash.col.unit": "Unité",
    "dash.col.baseline": "Situation actuelle",
    "dash.col.delta": "Δ",
    "dash.tip.delta": "Écart : {name} − situation actuelle",
    "dash.tree_tip": "Les indicateurs de l'unité choisie, les mêmes que « twin indicators » ; "
    "cliquez une ligne pour la voir en graphique",
    "dash.chart_tip": "L'indicateur choisi dans la situation actuelle et dans chaque scénario",
    "dash.chart.empty": "Aucune valeur",
    "dash.note": "Valeur manquante : {note}",
    "dash.delta.unchanged": "inchangé",
    "dash.delta.pending": "Calcul des écarts en cours…",
    "dash.delta.none": "Aucun écart calculable pour ces bâtiments.",
    # side by side
    "action.view.compare": "&Comparer côte à côte",
    "tip.view.compare": "Deux vues côte à côte avec la même caméra : à gauche un autre état "
    "(la situation actuelle par défaut), à droite le scénario affiché",
    "compare.with": "À gauche :",
    "compare.with_tip": "L'état montré dans la vue de gauche",
    "compare.shown": "À droite : {name}",
    "compare.shown_tip": "La vue de droite montre ce que montre la fenêtre ; choisissez un "
    "scénario dans le panneau Scénarios",
    "compare.baseline": "Situation actuelle",
    "compare.leave": "Quitter la comparaison",
    "compare.leave_tip": "Revenir à une seule vue",
    "compare.error": "Impossible de montrer « {name} » : {error}",
}

EN: dict[str, str] = {
    "dashboard.dock": "Indicators",
    "dash.level": "Level",
    "dash.level_tip": "The level of the indicators: the selection's (building, parcel, "
    "district, commune) or a level above; the territory without a selection",
    "dash.scenarios": "Scenarios",
    "dash.scenarios_tip": "The scenarios compared with the current situation (the scenario "
    "shown, and those you tick)",
    "dash.follow_shown": "The scenario shown",
    "dash.all": "Tick every scenario",
    "dash.none": "Untick every scenario",
    "dash.expensive": "Sunlight and solar",
    "dash.expensive_tip": "Also compute the winter sunlight and the roofs' solar potential "
    "(several seconds on a town)",
    "dash.computing": "computing…",
    "dash.done": "up to date",
    "dash.done_tip": "Computed in {ms} ms; {count} indicator(s) recomputed, the others kept "
    "from the previous computation",
    "dash.error": "Error: {error}",
    "dash.unit": "{level}: {name}",
    "dash.unit_id": "{level}: {name} ({id})",
    "dash.no_project": "No project open",
    "dash.hint": "Tick scenarios (“Scenarios” button) or show one to compare them with the "
    "current situation.",
    "dash.col.indicator": "Indicator",
    "dash.col.unit": "Unit",
    "dash.col.baseline": "Current situation",
    "dash.col.delta": "Δ",
    "dash.tip.delta": "Change: {name} − current situation",
    "dash.tree_tip": "The indicators of the chosen unit, the same as `twin indicators`; click "
    "a row to chart it",
    "dash.chart_tip": "The chosen indicator in the current situation and in each scenario",
    "dash.chart.empty": "No value",
    "dash.note": "Missing value: {note}",
    "dash.delta.unchanged": "unchanged",
    "dash.delta.pending": "Computing the changes…",
    "dash.delta.none": "No change can be computed for these buildings.",
    # side by side
    "action.view.compare": "&Compare side by side",
    "tip.view.compare": "Two views side by side with the same camera: another state on the "
    "left (the current situation by default), the scenario shown on the right",
    "compare.with": "Left:",
    "compare.with_tip": "The state shown in the left view",
    "compare.shown": "Right: {name}",
    "compare.shown_tip": "The right view shows what the window shows; choose a scenario in the "
    "Scenarios panel",
    "compare.baseline": "Current situation",
    "compare.leave": "Leave the comparison",
    "compare.leave_tip": "Back to one view",
    "compare.error": "“{name}” cannot be shown: {error}",
}

for _prefix, _table in (
    ("dash.measure.", _MEASURES),
    ("dash.unit.", _UNITS),
    ("dash.group.", _GROUPS),
):
    for _key, (_fr, _en) in _table.items():
        FR[_prefix + _key] = _fr
        EN[_prefix + _key] = _en
for _key, (_fr, _en) in _DELTAS.items():
    FR[f"colour.col.delta:{_key}"] = f"Écart au scénario de référence : {_fr}"
    EN[f"colour.col.delta:{_key}"] = f"Change against the reference: {_en}"
