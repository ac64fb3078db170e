"""User-facing strings of the import report, French and English (merged by gui.strings).

Keys: ``report.`` for the report's lines, ``report.layer.<name>`` for layer names,
``report.severity.<severity>``, and ``issue.<code>`` explaining each Issue code the importers
emit (a test finds every code in importers/ and checks both languages explain it). Codes made
from a column name (``height_m_out_of_range``) are explained by ``issue.suffix.<suffix>``;
any other code falls back to ``issue.unknown``.
"""

from __future__ import annotations

FR: dict[str, str] = {
    # the report's lines
    "report.file": "{source} — lu par l'importeur « {importer} » : {description}",
    "report.rows": "{layer} : {read} lu(s), {added} ajouté(s), {replaced} remplacé(s)",
    "report.linked": "{layer} : {count} rattaché(s) à leur parent par recouvrement",
    "report.raster": "{layer} : raster de {columns} × {rows} pixels de {size} m",
    "report.meshes": "{layer} : {count} objet(s) en 3D détaillée",
    "report.files": "{count} fichier(s) source conservé(s) dans le projet",
    "report.heights": "Origine des hauteurs : {sources}",
    "report.height_item": "{label} {count}",
    "report.base_sampled": "{count} altitude(s) de base prise(s) du terrain",
    "report.base_missing": "{count} bâtiment(s) sans altitude de base (hors du terrain)",
    "report.replaced_blocks": "{count} bloc(s) LoD1 remplacé(s) par la maquette détaillée",
    "report.no_issue": "Aucun problème relevé.",
    "report.issues": "Problèmes relevés ({count}) :",
    "report.issue": "{severity} — {explanation} [{code}] × {count}",
    "report.examples": "exemples : {examples}",
    "report.detail": "détail de la source : {message}",
    "report.severity.info": "Information",
    "report.severity.warning": "Avertissement",
    "report.severity.error": "Erreur (entité écartée)",
    # layer names
    "report.layer.territory": "Territoire",
    "report.layer.communes": "Communes",
    "report.layer.districts": "Quartiers IRIS",
    "report.layer.parcels": "Parcelles",
    "report.layer.buildings": "Bâtiments",
    "report.layer.storeys": "Étages",
    "report.layer.spaces": "Pièces",
    "report.layer.roads": "Voirie",
    "report.layer.ifc_elements": "Éléments IFC",
    "report.layer.transit_stops": "Arrêts de transport",
    "report.layer.transit_routes": "Lignes de transport",
    "report.layer.transit_stop_hours": "Passages aux arrêts",
    "report.layer.population_cells": "Carreaux de population",
    "report.layer.terrain": "Terrain",
    "report.layer.ifc": "Maquettes IFC",
    "report.layer.digital_assets": "Infrastructures numériques",
    "importer.digital": "infrastructures numériques : fibre, locaux raccordables (Arcep), sites "
    "mobiles (ANFR), capteurs",
    # issue codes
    "issue.approximate_placement": "maquette placée d'après la latitude et la longitude du site, "
    "souvent arrondies : vérifiez sa position",
    "issue.area_differs_from_contenance": "surface dessinée éloignée de la contenance cadastrale "
    "(les deux sont gardées)",
    "issue.base_elevation_unusable": "altitude de base invraisemblable, laissée vide",
    "issue.crs_option_ignored": "le fichier déclare son système de coordonnées : celui choisi "
    "n'a pas servi",
    "issue.crs_unknown": "système de coordonnées de la maquette inconnu",
    "issue.degenerate_way": "chemin OSM avec trop peu de nœuds pour une forme, non construit",
    "issue.duplicate_city_object": "objet CityJSON répété, le premier est gardé",
    "issue.duplicate_geometry": "même contour qu'une autre entité (les deux sont gardées)",
    "issue.duplicate_global_id": "GlobalId IFC répété, le premier élément est gardé",
    "issue.duplicate_id": "identifiant déjà utilisé, entité écartée",
    "issue.empty_geometry": "entité sans géométrie, écartée",
    "issue.extra_bands": "le raster a plusieurs bandes : la première est lue comme altitude",
    "issue.footprint_missing": "aucune emprise au sol n'a pu être construite, bâtiment écarté",
    "issue.geometry_height_unusable": "hauteur de la géométrie 3D inutilisable, prise des "
    "attributs ou estimée",
    "issue.georeferencing_overridden": "géoréférencement du fichier ignoré : un placement a été "
    "donné",
    "issue.ground_altitude_implausible": "altitude du sol invraisemblable en France, laissée vide",
    "issue.height_unusable": "hauteur donnée inutilisable (nulle ou absurde), estimée autrement",
    "issue.highway_area_skipped": "voie dessinée comme une surface (area=yes), ignorée",
    "issue.id_missing": "entités sans identifiant, numérotées à l'import",
    "issue.implausible_altitude": "pixels d'altitude invraisemblable (valeur « sans donnée » non "
    "déclarée ?), non utilisés pour les bâtiments",
    "issue.incomplete_relation": "relation OSM dont des membres manquent dans l'extrait, non "
    "construite",
    "issue.incomplete_way": "chemin OSM coupé par le bord de l'extrait (nœuds absents), non "
    "construit",
    "issue.invalid_city_object": "objet CityJSON illisible, écarté",
    "issue.invalid_geometry": "polygone invalide réparé",
    "issue.map_scale_ignored": "échelle d'IfcMapConversion incohérente, ignorée",
    "issue.no_geometry": "bâtiment sans géométrie, écarté",
    "issue.orphan_building_part": "partie de bâtiment sans bâtiment parent, importée comme "
    "bâtiment",
    "issue.part_without_lod": "partie de bâtiment sans le niveau de détail du reste, laissée de "
    "côté",
    "issue.skipped_city_objects": "objets qui ne sont pas des bâtiments, non importés",
    "issue.sliver": "polygone minuscule (éclat), gardé",
    "issue.start_date_unparseable": "date de construction illisible, laissée vide",
    "issue.tessellation_failed": "élément IFC sans forme 3D (géométrie non triangulable), "
    "propriétés gardées",
    "issue.unclosed_ring": "anneau de multipolygone OSM non fermé, non construit",
    "issue.unclosed_way": "contour OSM non fermé, non construit",
    "issue.use_unmapped": "usage de la source inconnu, classé « inconnu »",
    # GTFS and Filosofi (population) codes
    "issue.bad_frequency": "ligne de frequencies.txt inutilisable (course inconnue ou sans "
    "horaires, heures ou intervalle illisibles), écartée",
    "issue.ragged_rows": "lignes GTFS avec trop ou trop peu de champs, complétées ou coupées",
    "issue.service_day_outside_calendar": "jour demandé hors du calendrier du flux GTFS : un "
    "autre jour est pris",
    "issue.trip_without_service": "course sans service_id, elle ne circule jamais",
    "issue.bad_calendar_row": "ligne de calendrier GTFS illisible (date ou type d'exception), "
    "écartée",
    "issue.blank_id": "lignes sans identifiant, écartées",
    "issue.cell_id_missing": "carreau sans identifiant INSEE, numéroté",
    "issue.cell_id_rebuilt": "identifiant de carreau reconstruit d'après sa position",
    "issue.cell_id_unparseable": "identifiant de carreau INSEE illisible",
    "issue.empty_file": "fichier vide dans le flux GTFS",
    "issue.file_missing": "fichier absent du flux GTFS",
    "issue.households_missing": "pas de champ des ménages : ménages laissés vides",
    "issue.no_calendar": "ni calendar.txt ni calendar_dates.txt : chaque course est supposée "
    "circuler tous les jours",
    "issue.not_utf8": "fichier GTFS qui n'est pas en UTF-8, lu en Windows-1252",
    "issue.population_count_missing": "effectif de population manquant, compté 0",
    "issue.population_allocated": "habitants et ménages répartis entre les bâtiments d'habitation",
    "issue.population_cell_without_housing": (
        "carreau habité sans bâtiment d'habitation : ses habitants sont listés, non répartis"
    ),
    "issue.residential_building_outside_grid": (
        "bâtiment d'habitation hors de tout carreau habité : 0 habitant"
    ),
    "issue.population_count_negative": "effectif de population négatif, écarté",
    "issue.route_without_trips": "ligne de transport sans aucune course, gardée",
    "issue.stop_without_coordinates": "arrêt sans coordonnées utilisables, hors de la carte",
    "issue.times_missing": "passages sans horaire avant la première ou après la dernière heure "
    "de la course, non comptés",
    "issue.trip_without_times": "course sans aucun horaire, elle ne circule pas",
    "issue.unknown_route": "course d'une ligne absente de routes.txt, comptée sans ligne",
    "issue.unknown_stop": "horaires d'un arrêt absent de stops.txt, écartés",
    "issue.unknown_trip": "horaires d'une course absente de trips.txt, écartés",
    "issue.unparseable_time": "horaires illisibles (pas en HH:MM:SS), estimés d'après les arrêts "
    "voisins",
    # digital infrastructure codes
    "issue.converted_to_points": "formes (lignes, polygones) d'équipements ponctuels placées en "
    "un point à l'intérieur",
    "issue.emitters_merged": "lignes d'émetteurs ANFR d'un même site réunies en un site mobile",
    "issue.far_from_the_rest": "entité très loin de toutes les autres du fichier (coordonnées "
    "erronées ?), écartée",
    "issue.ftth_status_unknown": "statut FTTH de la source inconnu, gardé tel quel dans "
    "ftth_status",
    "issue.id_prefixed": "identifiants précédés du nom de la couche pour rester uniques dans le "
    "projet",
    "issue.id_repeated_numbered": "tronçons portant l'identifiant d'un autre (même câble), "
    "numérotés #2, #3…",
    "issue.laying_unknown": "mode de pose de la source inconnu, laissé vide (valeur gardée dans "
    "le champ source)",
    "issue.not_a_line": "câble ou fourreau qui n'est pas une ligne, écarté",
    "issue.outside_crs_area": "entité hors de la zone couverte par le système de coordonnées du "
    "projet (0,0, latitude et longitude inversées ?), écartée",
    "issue.premises_count_missing": "nombre de locaux absent, chaque point compté pour 1",
    "issue.status_unknown": "statut de la source inconnu (ni existant ni projeté), laissé vide",
    "issue.technology_unknown": "technologie de la source inconnue, gardée telle quelle",
    "issue.suffix.out_of_range": "valeur de « {column} » hors des bornes admises, laissée vide",
    "issue.suffix.unmapped": "valeur de « {column} » sans traduction, laissée vide",
    "issue.suffix.unparseable": "valeur de « {column} » illisible, laissée vide",
    "issue.suffix.unusable": "valeur de « {column} » inutilisable, laissée vide",
    "issue.unknown": "problème « {code} » (voir le détail)",
}

EN: dict[str, str] = {
    "report.file": "{source} — read by the '{importer}' importer: {description}",
    "report.rows": "{layer}: {read} read, {added} added, {replaced} replaced",
    "report.linked": "{layer}: {count} linked to their parent by overlap",
    "report.raster": "{layer}: raster of {columns} × {rows} pixels of {size} m",
    "report.meshes": "{layer}: {count} object(s) in detailed 3D",
    "report.files": "{count} source file(s) kept in the project",
    "report.heights": "Where heights come from: {sources}",
    "report.height_item": "{label} {count}",
    "report.base_sampled": "{count} base elevation(s) taken from the terrain",
    "report.base_missing": "{count} building(s) without a base elevation (outside the terrain)",
    "report.replaced_blocks": "{count} LoD1 block(s) replaced by the detailed model",
    "report.no_issue": "No problem found.",
    "report.issues": "Problems found ({count}):",
    "report.issue": "{severity} — {explanation} [{code}] × {count}",
    "report.examples": "e.g. {examples}",
    "report.detail": "source detail: {message}",
    "report.severity.info": "Information",
    "report.severity.warning": "Warning",
    "report.severity.error": "Error (feature left out)",
    "report.layer.territory": "Territory",
    "report.layer.communes": "Communes",
    "report.layer.districts": "IRIS districts",
    "report.layer.parcels": "Parcels",
    "report.layer.buildings": "Buildings",
    "report.layer.storeys": "Storeys",
    "report.layer.spaces": "Rooms",
    "report.layer.roads": "Roads",
    "report.layer.ifc_elements": "IFC elements",
    "report.layer.transit_stops": "Transit stops",
    "report.layer.transit_routes": "Transit routes",
    "report.layer.transit_stop_hours": "Stop times",
    "report.layer.population_cells": "Population cells",
    "report.layer.terrain": "Terrain",
    "report.layer.ifc": "IFC models",
    "report.layer.digital_assets": "Digital infrastructure",
    "importer.digital": "digital infrastructure: fibre, premises eligible to FTTH (Arcep), mobile "
    "sites (ANFR), sensors",
    "issue.approximate_placement": "model placed from the site's latitude and longitude, often "
    "rounded: check where it stands",
    "issue.area_differs_from_contenance": "drawn area far from the cadastral contenance (both "
    "kept)",
    "issue.base_elevation_unusable": "implausible base elevation, left empty",
    "issue.crs_option_ignored": "the file declares its coordinate system: the one chosen was not "
    "used",
    "issue.crs_unknown": "unknown coordinate system of the model",
    "issue.degenerate_way": "OSM way with too few nodes for a shape, not built",
    "issue.duplicate_city_object": "CityJSON object given twice, the first kept",
    "issue.duplicate_geometry": "same outline as another feature (both kept)",
    "issue.duplicate_global_id": "repeated IFC GlobalId, the first element kept",
    "issue.duplicate_id": "identifier already used, feature left out",
    "issue.empty_geometry": "feature without geometry, left out",
    "issue.extra_bands": "the raster has several bands: the first is read as the altitude",
    "issue.footprint_missing": "no footprint could be made, building left out",
    "issue.geometry_height_unusable": "height of the 3D geometry unusable, taken from attributes "
    "or estimated",
    "issue.georeferencing_overridden": "the file's georeferencing is ignored: a placement was "
    "given",
    "issue.ground_altitude_implausible": "ground altitude implausible in France, left empty",
    "issue.height_unusable": "given height unusable (zero or absurd), estimated otherwise",
    "issue.highway_area_skipped": "road drawn as an area (area=yes), skipped",
    "issue.id_missing": "features without an identifier, numbered on import",
    "issue.implausible_altitude": "pixels of implausible altitude (an undeclared no-data value?), "
    "not used for buildings",
    "issue.incomplete_relation": "OSM relation with members missing from the extract, not built",
    "issue.incomplete_way": "OSM way cut by the extract's edge (nodes missing), not built",
    "issue.invalid_city_object": "unreadable CityJSON object, left out",
    "issue.invalid_geometry": "invalid polygon repaired",
    "issue.map_scale_ignored": "inconsistent IfcMapConversion scale, ignored",
    "issue.no_geometry": "building without geometry, left out",
    "issue.orphan_building_part": "building part without a parent building, imported as a building",
    "issue.part_without_lod": "building part without the level of detail of the rest, left aside",
    "issue.skipped_city_objects": "objects that are not buildings, not imported",
    "issue.sliver": "tiny polygon (sliver), kept",
    "issue.start_date_unparseable": "unreadable construction date, left empty",
    "issue.tessellation_failed": "IFC element without a 3D shape (geometry cannot be "
    "triangulated), properties kept",
    "issue.unclosed_ring": "unclosed OSM multipolygon ring, not built",
    "issue.unclosed_way": "unclosed OSM outline, not built",
    "issue.use_unmapped": "unknown use in the source, classed as unknown",
    "issue.bad_frequency": "unusable frequencies.txt row (unknown trip or trip without times, "
    "unreadable times or headway), left out",
    "issue.ragged_rows": "GTFS lines with too many or too few fields, padded or cut",
    "issue.service_day_outside_calendar": "day asked for is outside the GTFS feed's calendar: "
    "another day is used",
    "issue.trip_without_service": "trip without a service_id, it never runs",
    "issue.bad_calendar_row": "unreadable GTFS calendar row (date or exception type), left out",
    "issue.blank_id": "rows without an identifier, left out",
    "issue.cell_id_missing": "grid cell without an INSEE id, numbered",
    "issue.cell_id_rebuilt": "grid cell id rebuilt from its position",
    "issue.cell_id_unparseable": "unreadable INSEE grid cell id",
    "issue.empty_file": "empty file in the GTFS feed",
    "issue.file_missing": "file missing from the GTFS feed",
    "issue.households_missing": "no households field: households left empty",
    "issue.no_calendar": "neither calendar.txt nor calendar_dates.txt: every trip is taken to "
    "run every day",
    "issue.not_utf8": "GTFS file not in UTF-8, read as Windows-1252",
    "issue.population_count_missing": "population count missing, counted as 0",
    "issue.population_allocated": "inhabitants and households shared among housing buildings",
    "issue.population_cell_without_housing": (
        "inhabited cell without a housing building: its people are listed, not allocated"
    ),
    "issue.residential_building_outside_grid": (
        "housing building outside every inhabited cell: 0 inhabitants"
    ),
    "issue.population_count_negative": "negative population count, left out",
    "issue.route_without_trips": "transit route without any trip, kept",
    "issue.stop_without_coordinates": "stop without usable coordinates, left off the map",
    "issue.times_missing": "stops without a time before the trip's first or after its last "
    "time, not counted",
    "issue.trip_without_times": "trip without any time, it does not run",
    "issue.unknown_route": "trip of a route missing from routes.txt, counted without a line",
    "issue.unknown_stop": "times of a stop missing from stops.txt, left out",
    "issue.unknown_trip": "times of a trip missing from trips.txt, left out",
    "issue.unparseable_time": "unreadable times (not HH:MM:SS), estimated from the stops around "
    "them",
    "issue.converted_to_points": "shapes (lines, polygons) of point equipment placed at a point "
    "inside them",
    "issue.emitters_merged": "ANFR emitter rows of one site merged into one mobile site",
    "issue.far_from_the_rest": "feature very far from every other one of the file (wrong "
    "coordinates?), left out",
    "issue.ftth_status_unknown": "unknown FTTH status in the source, kept as written in "
    "ftth_status",
    "issue.id_prefixed": "ids preceded by the layer's name to stay unique in the project",
    "issue.id_repeated_numbered": "sections carrying another one's id (the same cable), numbered "
    "#2, #3…",
    "issue.laying_unknown": "unknown laying in the source, left empty (the value stays in the "
    "source field)",
    "issue.not_a_line": "cable or duct that is not a line, left out",
    "issue.outside_crs_area": "feature outside the area the project's coordinate system covers "
    "(0,0, latitude and longitude swapped?), left out",
    "issue.premises_count_missing": "number of premises missing, each point counted as 1",
    "issue.status_unknown": "unknown status in the source (neither existing nor planned), left "
    "empty",
    "issue.technology_unknown": "unknown technology in the source, kept as written",
    "issue.suffix.out_of_range": "value of '{column}' outside its allowed range, left empty",
    "issue.suffix.unmapped": "value of '{column}' without a translation, left empty",
    "issue.suffix.unparseable": "unreadable value of '{column}', left empty",
    "issue.suffix.unusable": "unusable value of '{column}', left empty",
    "issue.unknown": "problem '{code}' (see the detail)",
}
