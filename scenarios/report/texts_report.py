"""The report's own texts (cover, captions, sources, statuses, maps, units): key → (fr, en)."""

from __future__ import annotations

REPORT_TEXTS: dict[str, tuple[str, str]] = {
    # cover and frame
    "report.title": ("Étude d’impact numérique", "Digital impact study"),
    "report.subtitle": (
        "Réseaux et équipements numériques d’un projet d’aménagement : besoins, coûts, "
        "bénéfices et suivi",
        "Digital networks and equipment of a development project: needs, costs, benefits "
        "and monitoring",
    ),
    "report.project": ("Projet", "Project"),
    "report.scenario": ("Scénario étudié", "Scenario studied"),
    "report.compare": ("Comparé à", "Compared with"),
    "report.compare_with": ("comparé à {compare}", "compared with {compare}"),
    "report.generated": ("Étude produite le", "Study produced on"),
    "report.contents": ("Sommaire", "Contents"),
    "report.produced_by": (
        "Produit par urban-twin, jumeau numérique du territoire. Chaque valeur est tracée "
        "jusqu’à un indicateur, une hypothèse sourcée ou un décompte du modèle.",
        "Produced by urban-twin, a digital twin of the territory. Every value is traced to "
        "an indicator, a sourced assumption or a count of the model.",
    ),
    "report.baseline_name": ("État actuel", "Current state"),
    "report.scenario_name": ("Scénario « {name} »", "Scenario “{name}”"),
    "baseline": ("l’état actuel", "the current state"),
    # figures, tables
    "report.figure": ("Grandeur", "Quantity"),
    "report.value": ("Valeur", "Value"),
    "report.source": ("Source", "Source"),
    "report.note": ("Remarque", "Note"),
    "report.key_figures": ("Chiffres clés", "Key figures"),
    "report.details": ("Détail des valeurs", "Values in detail"),
    "report.empty_section": (
        "Rien à signaler pour ce scénario dans cette partie.",
        "Nothing to report for this scenario in this part.",
    ),
    # 3D views
    "report.views": (
        "Vues 3D de l’état de référence et du scénario, depuis le même point de vue",
        "3D views of the reference state and of the scenario, from the same viewpoint",
    ),
    "report.legend_new": ("bâtiment neuf", "new building"),
    "report.legend_changed": ("bâtiment modifié", "changed building"),
    "report.legend_removed": ("bâtiment démoli", "demolished building"),
    "report.legend_others": ("autres bâtiments en blanc", "other buildings in white"),
    "report.interactive": ("Vue 3D interactive", "Interactive 3D view"),
    "report.interactive_help": (
        "Faites tourner la vue avec le bouton gauche de la souris, déplacez-la avec Maj et "
        "le bouton gauche, zoomez avec la molette. Le fichier suffit : ni installation ni "
        "connexion.",
        "Rotate the view with the left mouse button, pan with Shift and the left button, "
        "zoom with the wheel. The file is all you need: no installation, no connection.",
    ),
    "report.interactive_noscript": (
        "La vue 3D interactive demande JavaScript et WebGL ; les vues fixes ci-dessus "
        "montrent la même scène.",
        "The interactive 3D view needs JavaScript and WebGL; the still views above show "
        "the same scene.",
    ),
    # maps
    "report.map": ("Carte : {title}", "Map: {title}"),
    "map.buildings": ("bâtiments", "buildings"),
    "map.roads": ("voies", "roads"),
    "map.parcels": ("parcelles", "parcels"),
    "map.north": ("N", "N"),
    "map.scale": ("{length}", "{length}"),
    # sources and statuses
    "source.indicator": ("indicateur {name}", "indicator {name}"),
    "source.assumption": ("hypothèse {name}", "assumption {name}"),
    "source.model": ("décompte du modèle : {name}", "count of the model: {name}"),
    "source.computed": ("calculé", "computed"),
    "source.computed_from": ("calculé à partir de {inputs}", "computed from {inputs}"),
    "status.sourced": ("sourcée", "sourced"),
    "status.estimate": ("estimation", "estimate"),
    "status.local": ("valeur locale", "local value"),
    "report.assumption": ("Hypothèse", "Assumption"),
    "unit": ("Unité", "Unit"),
    "report.unit": ("Unité", "Unit"),
    "report.status": ("Statut", "Status"),
    "report.assumptions_table": (
        "Toutes les hypothèses utilisées, avec leur source",
        "Every assumption used, with its source",
    ),
    # units (key "unit.<unit as the study gives it>")
    "unit.dwellings": ("logements", "dwellings"),
    "unit.logements": ("logements", "dwellings"),
    "unit.persons": ("personnes", "persons"),
    "unit.jobs": ("emplois", "jobs"),
    "unit.prises": ("prises", "premises"),
    "unit.premises": ("prises", "premises"),
    "unit.buildings": ("bâtiments", "buildings"),
    "unit.bâtiments": ("bâtiments", "buildings"),
    "unit.sensors": ("capteurs", "sensors"),
    "unit.capteurs": ("capteurs", "sensors"),
    "unit.meters": ("compteurs", "meters"),
    "unit.compteurs": ("compteurs", "meters"),
    "unit.sites": ("sites", "sites"),
    "unit.storeys": ("niveaux", "storeys"),
    "unit.years": ("ans", "years"),
    "unit.ans": ("ans", "years"),
    "unit.kWh/an": ("kWh/an", "kWh/yr"),
    "unit.kWh/yr": ("kWh/an", "kWh/yr"),
    "unit.MWh/an": ("MWh/an", "MWh/yr"),
    "unit.MWh/yr": ("MWh/an", "MWh/yr"),
    "unit.€/an": ("€/an", "€/yr"),
    "unit.€/yr": ("€/an", "€/yr"),
    "unit.€/€": ("€ par € investi", "€ per € invested"),
    "unit.€/m": ("€/m", "€/m"),
    "unit.€/prise": ("€/prise", "€/premises"),
    "unit.kgCO2e/an": ("kg CO₂e/an", "kg CO₂e/yr"),
    "unit.kgCO2e/yr": ("kg CO₂e/an", "kg CO₂e/yr"),
    "unit.tCO2e/an": ("t CO₂e/an", "t CO₂e/yr"),
    "unit.share": ("part", "share"),
    "unit.sensors/ha": ("capteurs/ha", "sensors/ha"),
    "unit.small cells": ("petites cellules", "small cells"),
    "unit.gateways": ("passerelles", "gateways"),
    "unit.streetlights": ("points lumineux", "street lights"),
    "unit.edits": ("modifications", "edits"),
    "unit.parcels": ("parcelles", "parcels"),
    "unit.assumptions": ("hypothèses", "assumptions"),
    "unit.households": ("ménages", "households"),
}
