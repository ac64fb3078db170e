"""User-facing strings of the app's colour part, French and English (merged by gui.strings)."""

from __future__ import annotations

FR: dict[str, str] = {
    "colour.by": "Colorer les bâtiments par",
    "colour.by_tip": "La colonne qui donne leur couleur aux bâtiments (et aux maquettes IFC) ; "
    "la légende est dessous",
    "colour.legend_tip": "{count} bâtiment(s)",
    "colour.missing": "non renseigné",
    "colour.nothing": "Aucune valeur de « {title} » à colorer : les bâtiments gardent leurs "
    "couleurs d'usage.",
    "colour.period.before": "avant {year}",
    "colour.period.after": "après {year}",
    # column titles
    "colour.col.use": "Usage",
    "colour.col.height_m": "Hauteur",
    "colour.col.construction_year": "Période de construction",
    "colour.col.floors": "Nombre de niveaux",
    "colour.col.dwellings": "Nombre de logements",
    "colour.col.floor_area_m2": "Surface de plancher",
    "colour.col.inhabitants": "Habitants",
    "colour.col.households": "Ménages",
    "colour.col.height_source": "Origine de la hauteur",
    "colour.col.source": "Source des données",
    # sources (importer names)
    "colour.source.bdtopo": "BD TOPO",
    "colour.source.cadastre": "Cadastre",
    "colour.source.cityjson": "CityJSON",
    "colour.source.ifc": "Maquette IFC",
    "colour.source.osm": "OpenStreetMap",
    "colour.source.vector": "Fichier vecteur",
}

EN: dict[str, str] = {
    "colour.by": "Colour buildings by",
    "colour.by_tip": "The column that gives the buildings (and IFC models) their colour; "
    "the legend is below",
    "colour.legend_tip": "{count} building(s)",
    "colour.missing": "not given",
    "colour.nothing": "No “{title}” values to colour: the buildings keep their use colours.",
    "colour.period.before": "before {year}",
    "colour.period.after": "after {year}",
    "colour.col.use": "Use",
    "colour.col.height_m": "Height",
    "colour.col.construction_year": "Construction period",
    "colour.col.floors": "Number of floors",
    "colour.col.dwellings": "Number of dwellings",
    "colour.col.floor_area_m2": "Floor area",
    "colour.col.inhabitants": "Inhabitants",
    "colour.col.households": "Households",
    "colour.col.height_source": "Height source",
    "colour.col.source": "Data source",
    "colour.source.bdtopo": "BD TOPO",
    "colour.source.cadastre": "Cadastre",
    "colour.source.cityjson": "CityJSON",
    "colour.source.ifc": "IFC model",
    "colour.source.osm": "OpenStreetMap",
    "colour.source.vector": "Vector file",
}
