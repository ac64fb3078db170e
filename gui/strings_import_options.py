"""User-facing strings of the import options dialog, French and English (see gui.strings).

Keys: the ``file.import_options`` action, ``options.`` for the dialog, ``importer.<name>`` for
the registry's importers (a test checks every importer has both).
"""

from __future__ import annotations

FR: dict[str, str] = {
    "action.file.import_options": "Importer avec &options…",
    "tip.file.import_options": "Importer des fichiers en précisant leur type, leur système de "
    "coordonnées, la couche à lire, une correspondance de colonnes…",
    "options.title": "Options d'import",
    "options.files": "Fichier(s) : {names}",
    "options.kind": "Contenu",
    "options.kind.auto": "Détection automatique (d'après le contenu du fichier)",
    "options.kind.importer": "Format : {description}",
    "options.kind.layer": "Couche du projet : {layer} ({name})",
    "options.crs": "Système de coordonnées",
    "options.crs.auto": "Celui que déclare le fichier",
    "options.crs.placeholder": "ex. EPSG:2154",
    "options.crs.declared": "Le fichier déclare : {crs}",
    "options.crs.none": "Le fichier ne déclare aucun système : choisissez-le.",
    "options.crs.not_read": "Système du fichier non lu (ni vecteur ni raster OGR).",
    "options.crs.2154": "Lambert-93 (France métropolitaine)",
    "options.crs.4326": "WGS 84, longitude et latitude en degrés (GPS, GeoJSON)",
    "options.crs.cc": "Lambert conique conforme CC{zone}",
    "options.crs.utm": "UTM zone {zone}N (WGS 84)",
    "options.layer": "Couche du fichier",
    "options.layer.auto": "Automatique (toutes celles que l'import connaît)",
    "options.layer.item": "{name} — {geometry}",
    "options.layer.no_geometry": "table sans géométrie",
    "options.mapping": "Correspondance (TOML)",
    "options.mapping.placeholder": "aucune (voir docs/mapping.md)",
    "options.mapping.browse": "Parcourir…",
    "options.mapping.filter": "Correspondances TOML (*.toml)",
    "options.map": "Colonnes (cible=source)",
    "options.map.placeholder": "ex. height_m=HAUTEUR, floors=NB_ETAGES",
    "options.storey_height": "Hauteur d'étage",
    "options.furniture": "Lire aussi le mobilier et les équipements (IFC)",
    "options.error.crs": "Système de coordonnées inconnu : « {value} ». Saisissez un code EPSG, "
    "par exemple EPSG:2154 (Lambert-93).",
    "options.error.map": "Correspondance mal écrite : « {value} ». Écrivez cible=source, par "
    "exemple height_m=HAUTEUR.",
    "options.error.mapping_missing": "Fichier de correspondance introuvable : {value}.",
    "options.error.mapping": "Fichier de correspondance illisible (TOML invalide) : {value}. "
    "Voir docs/mapping.md.",
    "options.error.storey_height": "Hauteur d'étage de {value} m : choisissez entre 2 et 10 m.",
    "options.error.other": "Option inutilisable : {error}",
    # the registry's importers
    "importer.cadastre": "cadastre Etalab en GeoJSON (parcelles, bâtiments, communes)",
    "importer.iris": "contours IRIS de l'IGN et de l'INSEE (quartiers)",
    "importer.bdtopo": "BD TOPO v3 de l'IGN (bâtiments, tronçons de route, communes)",
    "importer.osm": "OpenStreetMap, XML ou PBF (bâtiments, voirie)",
    "importer.cityjson": "maquette 3D CityJSON 1.1 / 2.0 ou CityJSONSeq (bâtiments)",
    "importer.dem": "modèle numérique de terrain GeoTIFF (BD ALTI, RGE ALTI…)",
    "importer.ifc": "maquette IFC de bâtiment (IFC2X3, IFC4, IFC4X3)",
    "importer.filosofi": "population carroyée Filosofi de l'INSEE, carreaux de 200 m ou 1 km",
    "importer.gtfs": "horaires de transport en commun GTFS (arrêts, lignes, passages)",
    "importer.vector": "vecteur quelconque (GeoPackage, Shapefile, GeoJSON…) avec correspondance "
    "de colonnes",
}

EN: dict[str, str] = {
    "action.file.import_options": "Import with &options…",
    "tip.file.import_options": "Import files saying what they hold, their coordinate system, "
    "the layer to read, a column mapping…",
    "options.title": "Import options",
    "options.files": "File(s): {names}",
    "options.kind": "Content",
    "options.kind.auto": "Detect automatically (from the file's content)",
    "options.kind.importer": "Format: {description}",
    "options.kind.layer": "Project layer: {layer} ({name})",
    "options.crs": "Coordinate system",
    "options.crs.auto": "The one the file declares",
    "options.crs.placeholder": "e.g. EPSG:2154",
    "options.crs.declared": "The file declares: {crs}",
    "options.crs.none": "The file declares no coordinate system: choose one.",
    "options.crs.not_read": "The file's coordinate system was not read (not an OGR vector).",
    "options.crs.2154": "Lambert-93 (mainland France)",
    "options.crs.4326": "WGS 84, longitude and latitude in degrees (GPS, GeoJSON)",
    "options.crs.cc": "Lambert conformal conic CC{zone}",
    "options.crs.utm": "UTM zone {zone}N (WGS 84)",
    "options.layer": "Layer of the file",
    "options.layer.auto": "Automatic (every layer the import knows)",
    "options.layer.item": "{name} — {geometry}",
    "options.layer.no_geometry": "table without geometry",
    "options.mapping": "Mapping (TOML)",
    "options.mapping.placeholder": "none (see docs/mapping.md)",
    "options.mapping.browse": "Browse…",
    "options.mapping.filter": "TOML mappings (*.toml)",
    "options.map": "Columns (target=source)",
    "options.map.placeholder": "e.g. height_m=HAUTEUR, floors=NB_ETAGES",
    "options.storey_height": "Storey height",
    "options.furniture": "Also read furniture and equipment (IFC)",
    "options.error.crs": "Unknown coordinate system: '{value}'. Type an EPSG code, for example "
    "EPSG:2154 (Lambert-93).",
    "options.error.map": "Badly written mapping: '{value}'. Write target=source, for example "
    "height_m=HAUTEUR.",
    "options.error.mapping_missing": "Mapping file not found: {value}.",
    "options.error.mapping": "Unreadable mapping file (invalid TOML): {value}. See "
    "docs/mapping.md.",
    "options.error.storey_height": "Storey height of {value} m: choose between 2 and 10 m.",
    "options.error.other": "Unusable option: {error}",
    "importer.cadastre": "Etalab cadastre GeoJSON (parcels, buildings, communes)",
    "importer.iris": "IGN/INSEE IRIS outlines (districts)",
    "importer.bdtopo": "IGN BD TOPO v3 (buildings, road sections, communes)",
    "importer.osm": "OpenStreetMap, XML or PBF (buildings, roads)",
    "importer.cityjson": "CityJSON 1.1 / 2.0 or CityJSONSeq 3D model (buildings)",
    "importer.dem": "GeoTIFF digital elevation model (BD ALTI, RGE ALTI…)",
    "importer.ifc": "IFC building model (IFC2X3, IFC4, IFC4X3)",
    "importer.filosofi": "INSEE Filosofi gridded population, 200 m or 1 km cells",
    "importer.gtfs": "GTFS public transport timetables (stops, routes, stop times)",
    "importer.vector": "any vector file (GeoPackage, Shapefile, GeoJSON…) with a column mapping",
}
