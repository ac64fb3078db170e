"""User-facing strings of the errors met with files, French and English (merged by gui.strings):
one text per code of :data:`twin.errors.FILE_ERRORS` (``error.<code>``, its values in braces,
rendered by :mod:`gui.error_texts`): files that cannot be imported, projects that cannot be
opened or saved. Where the CLI's line names a flag (``--crs``, ``--as``, ``--layer``, ``--map``,
``--at``), these texts name the field of the app's dialog instead (``options.*`` labels of
:mod:`gui.strings_import_options`, the placement dialog's ``placement.*``); the importers'
names as an error names them are ``error.importer.<name>``."""

from __future__ import annotations

# The app's places the texts point to (the labels of gui/strings_import_options.py).
_OPTIONS_FR = "(Fichier ▸ Importer avec options…)"
_CRS_FR = f"le champ « Système de coordonnées » {_OPTIONS_FR}"
_KIND_FR = f"le champ « Contenu » {_OPTIONS_FR}"
_LAYER_FR = f"le champ « Couche du fichier » {_OPTIONS_FR}"
_OPTIONS_EN = "(File ▸ Import with options…)"
_CRS_EN = f"the “Coordinate system” field {_OPTIONS_EN}"
_KIND_EN = f"the “Content” field {_OPTIONS_EN}"
_LAYER_EN = f"the “Layer of the file” field {_OPTIONS_EN}"
_VALIDATE_FR = "un validateur IFC (ifcopenshell.validate ou validate.buildingsmart.org)"
_VALIDATE_EN = "an IFC validator (ifcopenshell.validate, or validate.buildingsmart.org)"
_DEM_FR = "donnez un MNT géoréférencé, comme un GeoTIFF de la BD ALTI ou du RGE ALTI de l'IGN"
_DEM_EN = "give a georeferenced DEM, such as a GeoTIFF of IGN's BD ALTI or RGE ALTI"

FR: dict[str, str] = {
    # the importers, as an error names them
    "error.importer.cadastre": "cadastre Etalab en GeoJSON",
    "error.importer.bdtopo": "BD TOPO de l'IGN",
    "error.importer.iris": "contours IRIS",
    "error.importer.osm": "OpenStreetMap",
    "error.importer.cityjson": "CityJSON",
    "error.importer.dem": "MNT GeoTIFF",
    "error.importer.ifc": "IFC",
    "error.importer.filosofi": "population carroyée Filosofi de l'INSEE",
    "error.importer.gtfs": "GTFS",
    "error.importer.digital": "infrastructures numériques",
    "error.importer.vector": "vecteur",
    # any file
    "error.file_not_found": "Le fichier {file} est introuvable : vérifiez son nom et son dossier.",
    "error.file_empty": "« {file} » est vide (0 octet) : la copie ou le téléchargement a sans "
    "doute été interrompu ; récupérez le fichier de nouveau.",
    "error.file_unreadable": "« {file} » ne peut pas être lu ({detail}) : vérifiez que le fichier "
    "est complet et non endommagé (un shapefile a besoin de ses fichiers .shx et .dbf à côté).",
    "error.file_truncated": "« {file} » ne peut pas être lu jusqu'au bout ({detail}) : le fichier "
    "est endommagé ou tronqué ; récupérez-le ou exportez-le de nouveau.",
    "error.file_damaged": "« {file} » est endommagé ou tronqué ({detail}) : téléchargez-le ou "
    "exportez-le de nouveau.",
    "error.shapefile_parts_missing": "« {file} » est un shapefile sans son fichier {missing} (un "
    "shapefile se compose de plusieurs fichiers : .shp, .shx, .dbf, .prj) : placez-le à côté, "
    "sous le même nom, puis importez de nouveau.",
    "error.format_unrecognised": "Aucun import ne reconnaît le contenu de « {file} » (formats pris "
    f"en charge : {{suffixes}}) : vérifiez qu'il n'est pas endommagé, ou indiquez ce qu'il "
    f"contient dans {_KIND_FR}.",
    "error.format_unrecognised_named": "Aucun import ne reconnaît le contenu de « {file} », bien "
    "que son nom se termine par {suffix} : il est peut-être endommagé, tronqué ou d'un autre "
    "format. Récupérez-le ou exportez-le de nouveau, ou indiquez ce qu'il contient dans "
    f"{_KIND_FR}.",
    "error.format_not_importer": "« {file} » n'est pas un fichier du format attendu ({importer}) : "
    "vérifiez que c'est le bon fichier, ou choisissez la couche du projet qu'il alimente dans "
    f"{_KIND_FR} et donnez la correspondance de ses colonnes.",
    "error.text_not_utf8": "« {file} » n'est pas un texte UTF-8 (l'octet {byte} est illisible) : "
    "enregistrez-le de nouveau en UTF-8 (dans QGIS : Exporter, Sauvegarder les entités sous, "
    "codage UTF-8).",
    "error.text_truncated": "« {file} » s'arrête au milieu d'un caractère : le fichier est tronqué "
    "; récupérez-le de nouveau.",
    "error.zip_unsafe_path": "« {file} » contient une entrée au chemin dangereux (« {entry} »), "
    "qui pourrait pointer hors de son dossier : l'archive est refusée. Vérifiez sa provenance et "
    "n'en extrayez que les fichiers utiles.",
    "error.zip_bomb": "« {file} » se décompresserait en {expanded_mb} Mo à partir de {packed_mb} "
    "Mo (rapport de {ratio} pour 1), ce que seule une bombe de décompression ou une archive "
    "endommagée fait : elle est refusée. Vérifiez sa provenance et n'en extrayez que les fichiers "
    "utiles.",
    "error.zip_damaged": "« {file} » est une archive zip endommagée ({detail}) : téléchargez-la ou "
    "refaites-la.",
    "error.gzip_bomb": "« {file} » se décompresse en plus de {expanded_mb} Mo à partir de "
    "{packed_mb} Mo, ce que seule une bombe de décompression ou un fichier endommagé fait : il est "
    "refusé. Donnez le fichier non compressé, ou compressez-le de nouveau.",
    "error.gzip_damaged": "« {file} » est un fichier gzip endommagé ({detail}) : téléchargez-le ou "
    "compressez-le de nouveau.",
    "error.geometry_unreadable": "« {file} » contient une géométrie illisible ({detail}) : réparez "
    "le fichier (dans QGIS : Vecteur ▸ Outils de géométrie ▸ Réparer les géométries) ou "
    "exportez-le de nouveau.",
    "error.value_unreadable": "« {file} » contient une valeur illisible ({detail}) : le fichier "
    "est endommagé ; exportez-le de nouveau.",
    "error.json_invalid": "« {file} » n'est pas un JSON valide ({detail}) : le fichier est "
    "endommagé ou tronqué ; téléchargez-le ou exportez-le de nouveau.",
    "error.csv_no_separator": "« {file} » : aucun séparateur « ; » ou « , » sur sa première ligne "
    "; ajoutez une ligne d'en-tête qui nomme ses champs.",
    "error.csv_unreadable": "« {file} » ne se lit pas comme un tableau séparé par « {separator} » "
    "({detail}) : vérifiez que chaque ligne a le même nombre de champs.",
    "error.table_no_coordinates": "« {file} » n'a pas de champs de coordonnées (longitude et "
    "latitude, x et y, ou une colonne de géométrie WKT) : ajoutez-les, ou exportez le tableau en "
    "GeoPackage depuis son SIG.",
    "error.coordinates_unknown": "« {file} » : les coordonnées des champs {fields} ne sont ni des "
    f"degrés ni du Lambert-93 ; choisissez leur système dans {_CRS_FR}.",
    "error.source_layer_missing": "« {file} » n'a pas de couche « {source_layer} » (ses couches : "
    f"{{source_layers}}) : choisissez-en une dans {_LAYER_FR}.",
    "error.source_layer_not_read": "« {file} » : cet import ne lit pas la couche "
    "« {source_layer} » ; choisissez l'une de celles qu'il lit ({source_layers}) dans le champ "
    "« Couche du fichier », ou la couche du projet qu'elle alimente dans le champ « Contenu », "
    f"avec une correspondance de colonnes {_OPTIONS_FR}.",
    "error.layer_needed": "« {file} » : indiquez quelle couche du projet ce fichier alimente dans "
    f"{_KIND_FR} ; couches possibles : {{layers}}.",
    "error.mapping_column_missing": "« {file} » : la correspondance prend « {column} » dans la "
    "colonne « {source_column} », que le fichier n'a pas (ses colonnes : {columns}) ; corrigez "
    "la correspondance.",
    # coordinate systems
    "error.crs_missing": "« {file} » n'indique pas son système de coordonnées : choisissez-le "
    f"dans {_CRS_FR}, par exemple Lambert-93 (EPSG:2154).",
    "error.crs_damaged": "Le système de coordonnées de « {file} » est illisible (son .prj ou ses "
    "clés GeoTIFF sont endommagés) : remplacez le .prj, ou supprimez-le et choisissez le système "
    f"dans {_CRS_FR}.",
    "error.crs_unknown_declared": "« {file} » déclare le système de coordonnées « {crs} », qui est "
    f"inconnu : choisissez le bon dans {_CRS_FR}.",
    "error.crs_vertical_only": "« {file} » ne déclare qu'un système vertical : choisissez le "
    f"système horizontal dans {_CRS_FR}.",
    "error.crs_transform_failed": "« {file} » ne peut pas être passé de son système de coordonnées "
    "à celui du projet ({detail}) : vérifiez le système qu'il déclare, ou choisissez-le dans "
    f"{_CRS_FR}.",
    # checks before merging
    "error.import_empty": "« {file} » ne contient aucun objet : vérifiez que c'est le bon fichier "
    f"(ou la bonne couche, dans {_LAYER_FR}).",
    "error.import_empty_left_out": "« {file} » ne contient aucun objet utilisable ({count} "
    "écarté(s), par ex. {issue} : {message}) : vérifiez que c'est le bon fichier (ou la bonne "
    f"couche, dans {_LAYER_FR}).",
    "error.degrees_as_projected": "« {file} » : ses coordonnées ({box}) ressemblent à des "
    "longitudes et latitudes en degrés, mais le fichier déclare {crs} (en mètres) ; corrigez son "
    f".prj, ou choisissez WGS 84 (EPSG:4326) dans {_CRS_FR}.",
    "error.outside_crs_area": "« {file} » : ses données ({box} en {crs}) sont hors de la zone pour "
    "laquelle ce système est fait ({area}) ; vérifiez les coordonnées et le système que déclare "
    f"le fichier, ou choisissez-le dans {_CRS_FR}.",
    "error.too_far_from_project": "« {file} » : ses données sont à {distance_km} km de celles du "
    "projet ({box} contre {project_box} en {crs}) ; vérifiez son système de coordonnées, ou "
    f"choisissez-le dans {_CRS_FR}.",
    "error.merge_failed": "« {file} » n'a pas pu être ajouté au projet, qui est resté tel quel : "
    "{cause}",
    "error.merge_out_of_memory": "Mémoire insuffisante pour ajouter « {file} » au projet, qui est "
    "resté tel quel : fermez d'autres programmes, ou importez un extrait plus petit (une seule "
    f"couche, dans {_LAYER_FR}, ou une zone plus petite).",
    "error.merge_bug": "« {file} » n'a pas pu être ajouté au projet ({detail}), qui est resté tel "
    "quel. C'est une erreur du logiciel : signalez-la avec ce message.",
    # layer specifications
    "error.spec_column_missing": "Couche « {layer} » : la colonne obligatoire « {column} » manque "
    "; faites-lui correspondre une colonne du fichier dans le champ « Colonnes (cible=source) » "
    f"{_OPTIONS_FR}.",
    "error.spec_dtype": "Couche « {layer} » : la colonne « {column} » doit contenir des valeurs de "
    "type {dtype} ({detail}) ; vérifiez la correspondance des colonnes ou nettoyez la source.",
    "error.spec_column_empty": "Couche « {layer} » : la colonne obligatoire « {column} » est vide "
    "sur {count} ligne(s) ; remplissez-la dans la source ou faites-lui correspondre une autre "
    "colonne.",
    "error.spec_out_of_range": "Couche « {layer} » : {count} valeur(s) de « {column} » hors des "
    "valeurs permises (par ex. « {example} » pour la ligne « {row} » ; attendu : {allowed}) ; "
    "corrigez la source ou la correspondance des colonnes.",
    "error.spec_duplicate_ids": "Couche « {layer} » : {count} identifiant(s) en double, par ex. "
    "« {example} » ; les identifiants doivent être uniques : corrigez la source ou laissez "
    "l'import numéroter les lignes.",
    "error.spec_no_geometry": "Couche « {layer} » : elle n'a pas de géométrie ; il lui faut : "
    "{geometries}.",
    "error.spec_rows_without_geometry": "Couche « {layer} » : {count} ligne(s) sans géométrie ; "
    "retirez-les ou réparez leurs géométries dans la source.",
    "error.spec_geometry_type": "Couche « {layer} » : {count} géométrie(s) de type {geometry}, "
    "alors qu'il faut : {geometries} ; importez la bonne couche de la source.",
    # cadastre, BD TOPO, OSM, CityJSON
    "error.cadastre_sections": "« {file} » contient des sections cadastrales, qui n'ont pas de "
    "couche dans le projet (chaque parcelle garde sa section) : importez plutôt le fichier des "
    "parcelles.",
    "error.bdtopo_commune_no_insee": "« {file} » : la couche des communes n'a pas de champ de code "
    "INSEE (INSEE_COM ou CODE_INSEE) ; donnez la couche COMMUNE telle que l'IGN la livre.",
    "error.osm_layer": "« {file} » : un fichier OpenStreetMap alimente les couches Bâtiments et "
    f"Voirie, pas « {{layer}} » ; choisissez l'une d'elles dans {_KIND_FR}, ou la détection "
    "automatique pour les deux.",
    "error.osm_unreadable": "« {file} » ne se lit pas comme des données OpenStreetMap ({detail}) : "
    "vérifiez que le fichier est complet, ou exportez-le de nouveau (les entités XML et les DTD "
    "sont refusées).",
    "error.cityjson_version": "« {file} » est en CityJSON version « {version} », qui n'est pas "
    "prise en charge (versions prises en charge : {supported}) : mettez-le à jour, par ex. avec "
    "cjio (commande upgrade).",
    "error.cityjson_member_missing": "« {file} » n'a pas de membre « {member} », qu'exige un "
    "fichier CityJSON : le fichier est endommagé ou n'a pas été écrit en CityJSON ; exportez-le "
    "de nouveau.",
    "error.cityjson_line_damaged": "« {file} » : la ligne {line} n'est pas un CityJSONFeature "
    "valide ; le fichier CityJSONSeq est endommagé : exportez-le de nouveau.",
    "error.cityjson_vertices": "« {file} » : ses sommets ne sont pas des triplets [x, y, z] de "
    "nombres finis, ou sa « transform » n'a pas d'échelle et de translation de 3 nombres ; le "
    "fichier est endommagé : exportez-le de nouveau.",
    # DEM
    "error.dem_unreadable": "« {file} » ne se lit pas comme un raster ({detail}) : donnez un MNT "
    "géoréférencé en GeoTIFF.",
    "error.dem_no_grid": "« {file} » : placé en {crs}, il ne donne aucune grille (son "
    "géoréférencement est endommagé) ; vérifiez son système de coordonnées et sa "
    "géotransformation.",
    "error.dem_warp_too_big": "« {file} » : reprojeté en {crs}, il ferait {width} × {height} "
    "pixels au lieu de {source_width} × {source_height}, ce que seul un mauvais système de "
    f"coordonnées explique ; vérifiez-le, ou choisissez-le dans {_CRS_FR}.",
    "error.dem_too_large": "« {file} » : son terrain serait une grille de {width} × {height} "
    "pixels ({size_gb} Go), plus que les {max_pixels} pixels qu'un projet peut contenir ; "
    "découpez-le à la commune (gdal_translate -projwin) ou donnez un MNT moins fin.",
    "error.dem_all_nodata": "« {file} » ne contient aucune altitude (tous ses pixels sont « sans "
    "donnée ») : vérifiez que c'est le bon fichier et que sa valeur « sans donnée » n'est pas une "
    "vraie altitude.",
    "error.dem_not_georeferenced": "« {file} » est une image sans géoréférencement (ni système de "
    f"coordonnées ni géotransformation), pas un MNT : {_DEM_FR}.",
    "error.dem_no_geotransform": "« {file} » n'a pas de géotransformation (on ne sait pas où sont "
    f"ses pixels) : {_DEM_FR}.",
    "error.dem_degrees_wrong": "« {file} » déclare {crs} (en degrés), mais ses coordonnées ({box}) "
    "ne sont pas des longitudes et latitudes : corrigez le système qu'il déclare (par ex. "
    "gdal_edit.py -a_srs EPSG:2154).",
    # IFC
    "error.ifc_no_building": "« {file} » ne contient aucun IfcBuilding : exportez le bâtiment, pas "
    "seulement ses éléments.",
    "error.ifc_no_georef": "La maquette « {file} » n'est pas géoréférencée (ni IfcMapConversion, "
    "ni latitude et longitude du site) : indiquez où placer son origine dans les champs X et Y de "
    "la fenêtre « Placer la maquette », qui s'ouvre quand vous l'importez.",
    "error.ifc_crs_unknown": "« {file} » : le système de coordonnées de son {entity} (« {crs} ») "
    "est inconnu de PROJ ; écrivez son code EPSG comme nom du système (par ex. EPSG:2154), ou "
    "placez la maquette dans les champs X et Y de la fenêtre « Placer la maquette ».",
    "error.ifc_schema_broken": "« {file} » contient des entités qui enfreignent le schéma IFC (une "
    "référence manquante ou une valeur du mauvais type) : vérifiez la maquette avec "
    f"{_VALIDATE_FR} et exportez-la de nouveau.",
    "error.ifc_kernel_crashed": "« {file} » : le noyau géométrique d'IfcOpenShell a planté sur "
    "l'un de ses éléments ({how}) ; le fichier est endommagé (deux entités avec le même #id, une "
    f"référence vers une entité du mauvais type…) : vérifiez-le avec {_VALIDATE_FR} et "
    "exportez-le de nouveau. Rien n'a été importé.",
    "error.ifc_unreadable": "« {file} » ne se lit pas comme un fichier IFC ({detail}) : le fichier "
    "est endommagé ; exportez-le de nouveau depuis le logiciel de modélisation.",
    "error.ifc_no_schema": "« {file} » n'a pas de FILE_SCHEMA dans son en-tête : le fichier est "
    "endommagé ; exportez-le de nouveau.",
    "error.ifc_truncated": "« {file} » est tronqué (il ne se termine pas par END-ISO-10303-21;) : "
    "la copie ou l'export a été interrompu ; récupérez ou exportez le fichier de nouveau.",
    "error.ifc_schema_unsupported": "« {file} » utilise le schéma IFC {schema}, qui n'est pas pris "
    "en charge (schémas pris en charge : {supported}) : exportez la maquette de nouveau dans l'un "
    "d'eux.",
    "error.ifc_zip_without_ifc": "« {file} » est un zip sans aucun fichier .ifc : donnez la "
    "maquette IFC.",
    # GTFS
    "error.gtfs_day_invalid": "« {file} » : le jour de service « {day} » n'est pas une date ; "
    "écrivez-le AAAA-MM-JJ (par ex. 2024-03-12).",
    "error.gtfs_no_stops": "« {file} » : stops.txt ne liste aucun arrêt ; exportez de nouveau le "
    "flux complet.",
    "error.gtfs_stops_no_coordinates": "« {file} » : aucun des {count} arrêts de stops.txt n'a de "
    "latitude et de longitude utilisables (degrés décimaux, par ex. 44.35 et 2.57) ; corrigez "
    "stops.txt ou exportez de nouveau le flux.",
    "error.gtfs_outside_crs": "« {file} » : ses arrêts (vers {latitude}°, {longitude}°) sont hors "
    "de la zone pour laquelle le système du projet ({crs}) est fait ({area}) ; utilisez un "
    "projet dans un système qui les couvre, par ex. {epsg} (la zone UTM de l'endroit).",
    "error.gtfs_column_missing": "« {file} » : {member} manque ou n'a pas de colonne « {column} », "
    "que GTFS exige ; exportez de nouveau le flux complet depuis son éditeur.",
    "error.gtfs_member_damaged": "« {file} » : {member} est endommagé dans le zip ({detail}) ; "
    "téléchargez de nouveau le flux.",
    "error.gtfs_files_missing": "« {file} » n'est pas un flux GTFS complet : il manque {missing} "
    "(trouvé : {found}) ; exportez de nouveau le flux complet depuis son éditeur.",
    "error.gtfs_stop_times_columns": "« {file} » : stop_times.txt n'a pas de colonne trip_id, "
    "stop_id ou d'horaires (colonnes trouvées : {found}) ; exportez de nouveau le flux complet.",
    "error.gtfs_no_stop_times": "« {file} » : stop_times.txt ne liste aucun horaire, aucun service "
    "ne peut donc être compté ; exportez de nouveau le flux complet.",
    "error.gtfs_times_unreadable": "« {file} » : aucun des {count} horaires de stop_times.txt "
    "n'est lisible (les horaires GTFS s'écrivent HH:MM:SS, par ex. 07:05:00 ou 25:10:00) ; "
    "corrigez stop_times.txt ou exportez de nouveau le flux.",
    "error.gtfs_encoding": "« {file} » : {member} n'est ni en UTF-8 ni en Windows-1252 ; "
    "enregistrez-le en UTF-8 (GTFS l'exige) et importez de nouveau le flux.",
    "error.gtfs_csv_unreadable": "« {file} » : {member} ne se lit pas comme un CSV ({detail}) ; "
    "vérifiez le fichier (un guillemet isolé, ou une ligne avec plus de champs que l'en-tête).",
    # Filosofi
    "error.filosofi_no_inhabitants": "« {file} » : aucune ligne n'a de nombre d'habitants (colonne "
    "« {column} ») ; vérifiez que c'est le bon fichier et la bonne colonne, ou corrigez la "
    "colonne (des nombres, avec une virgule ou un point décimal).",
    # project files
    "error.project_not_found": "Le projet {file} est introuvable : vérifiez son chemin.",
    "error.project_is_folder": "{file} est un dossier, pas un fichier de projet : choisissez un "
    "fichier .twin.gpkg.",
    "error.not_a_project": "{file} n'est pas un projet urban-twin : créez un projet, puis "
    "importez-y ce fichier (Fichier ▸ Importer des fichiers…).",
    "error.project_damaged": "{file} ressemble à un projet urban-twin mais il est endommagé "
    "({detail}) : ouvrez une sauvegarde ou la copie enregistrée automatiquement.",
    "error.project_no_crs": "{file} : les métadonnées du projet n'ont pas de système de "
    "coordonnées ; ouvrez une copie de sauvegarde.",
    "error.project_newer": "{file} a été écrit par une version plus récente d'urban-twin (format "
    "de projet {version} ; cette version lit jusqu'au format {supported}) : mettez urban-twin à "
    "jour pour l'ouvrir.",
    "error.save_folder_missing": "Impossible d'enregistrer {file} : le dossier {folder} n'existe "
    "pas ; créez-le ou choisissez-en un autre.",
    "error.save_read_only": "Impossible d'enregistrer {file} : le dossier est en lecture seule ; "
    "enregistrez le projet ailleurs.",
    "error.save_disk_full": "Impossible d'enregistrer {file} : le disque est plein ; libérez de la "
    "place et enregistrez de nouveau.",
    "error.save_os_error": "Impossible d'enregistrer {file} ({detail}) : vérifiez le dossier et "
    "enregistrez de nouveau.",
}

EN: dict[str, str] = {
    "error.importer.cadastre": "Etalab cadastre GeoJSON",
    "error.importer.bdtopo": "IGN BD TOPO",
    "error.importer.iris": "IRIS outlines",
    "error.importer.osm": "OpenStreetMap",
    "error.importer.cityjson": "CityJSON",
    "error.importer.dem": "GeoTIFF DEM",
    "error.importer.ifc": "IFC",
    "error.importer.filosofi": "INSEE Filosofi gridded population",
    "error.importer.gtfs": "GTFS",
    "error.importer.digital": "digital infrastructure",
    "error.importer.vector": "vector",
    "error.file_not_found": "The file {file} cannot be found: check its name and folder.",
    "error.file_empty": "“{file}” is empty (0 bytes): the copy or download was probably "
    "interrupted; fetch the file again.",
    "error.file_unreadable": "“{file}” cannot be read ({detail}): check that the file is complete "
    "and not damaged (a shapefile needs its .shx and .dbf beside it).",
    "error.file_truncated": "“{file}” cannot be read to the end ({detail}): the file is damaged or "
    "truncated; fetch or export it again.",
    "error.file_damaged": "“{file}” is damaged or truncated ({detail}): download or export it "
    "again.",
    "error.shapefile_parts_missing": "“{file}” is a shapefile without its {missing} file (a "
    "shapefile is several files: .shp, .shx, .dbf, .prj): put it beside it, with the same name, "
    "and import again.",
    "error.format_unrecognised": "No import recognises the content of “{file}” (supported: "
    f"{{suffixes}}): check that it is not damaged, or say what it holds in {_KIND_EN}.",
    "error.format_unrecognised_named": "No import recognises the content of “{file}”, although "
    "its name ends in {suffix}: it may be damaged, truncated or of another format. Fetch or "
    f"export it again, or say what it holds in {_KIND_EN}.",
    "error.format_not_importer": "“{file}” is not a file of the expected format ({importer}): "
    "check that it is the right file, or choose the project layer it feeds in "
    f"{_KIND_EN} and give its column mapping.",
    "error.text_not_utf8": "“{file}” is not UTF-8 text (byte {byte} cannot be read): save it "
    "again as UTF-8 (in QGIS: Export, Save Features As, encoding UTF-8).",
    "error.text_truncated": "“{file}” ends in the middle of a character: the file is truncated; "
    "fetch it again.",
    "error.zip_unsafe_path": "“{file}” holds an entry with an unsafe path (“{entry}”), which could "
    "point outside its folder: the archive is refused. Check where it comes from, and extract "
    "only the files you need.",
    "error.zip_bomb": "“{file}” would decompress to {expanded_mb} MB from {packed_mb} MB (a ratio "
    "of {ratio} to 1), which only a zip bomb or a damaged archive does: it is refused. Check "
    "where it comes from, and extract only the files you need.",
    "error.zip_damaged": "“{file}” is a damaged zip archive ({detail}): download or make it again.",
    "error.gzip_bomb": "“{file}” decompresses to more than {expanded_mb} MB from {packed_mb} MB, "
    "which only a compression bomb or a damaged file does: it is refused. Give the uncompressed "
    "file, or compress it again.",
    "error.gzip_damaged": "“{file}” is a damaged gzip file ({detail}): download or compress it "
    "again.",
    "error.geometry_unreadable": "“{file}” holds a geometry that cannot be read ({detail}): repair "
    "the file (in QGIS: Vector ▸ Geometry Tools ▸ Fix Geometries) or export it again.",
    "error.value_unreadable": "“{file}” holds a value that cannot be read ({detail}): the file is "
    "damaged; export it again.",
    "error.json_invalid": "“{file}” is not valid JSON ({detail}): the file is damaged or "
    "truncated; download or export it again.",
    "error.csv_no_separator": "“{file}”: no ‘;’ or ‘,’ separator in its first line; add a header "
    "line naming its fields.",
    "error.csv_unreadable": "“{file}” cannot be read as a table separated by ‘{separator}’ "
    "({detail}): check that every line has the same number of fields.",
    "error.table_no_coordinates": "“{file}” has no coordinate fields (longitude and latitude, x "
    "and y, or a WKT geometry column): add them, or export the table from its GIS as a "
    "GeoPackage.",
    "error.coordinates_unknown": "“{file}”: the coordinates in the fields {fields} are neither "
    f"degrees nor Lambert-93; choose their system in {_CRS_EN}.",
    "error.source_layer_missing": "“{file}” has no layer “{source_layer}” (its layers: "
    f"{{source_layers}}): choose one in {_LAYER_EN}.",
    "error.source_layer_not_read": "“{file}”: this import does not read the layer "
    "“{source_layer}”; choose one of those it reads ({source_layers}) in the “Layer of the "
    "file” field, or the project layer it feeds in the “Content” field, with a column mapping "
    f"{_OPTIONS_EN}.",
    "error.layer_needed": "“{file}”: say which project layer this file feeds in "
    f"{_KIND_EN}; possible layers: {{layers}}.",
    "error.mapping_column_missing": "“{file}”: the mapping takes “{column}” from the column "
    "“{source_column}”, which the file does not have (its columns: {columns}); fix the mapping.",
    "error.crs_missing": "“{file}” does not say which coordinate system it uses: choose it in "
    f"{_CRS_EN}, for example Lambert-93 (EPSG:2154).",
    "error.crs_damaged": "The coordinate system of “{file}” cannot be read (its .prj or GeoTIFF "
    f"keys are damaged): replace the .prj, or delete it and choose the system in {_CRS_EN}.",
    "error.crs_unknown_declared": "“{file}” declares the coordinate system “{crs}”, which is not "
    f"known: choose the right one in {_CRS_EN}.",
    "error.crs_vertical_only": "“{file}” declares only a vertical system: choose the horizontal "
    f"one in {_CRS_EN}.",
    "error.crs_transform_failed": "“{file}” cannot be moved from its coordinate system into the "
    f"project's ({{detail}}): check the system it declares, or choose it in {_CRS_EN}.",
    "error.import_empty": "“{file}” contains no features: check that it is the right file (or "
    f"layer, in {_LAYER_EN}).",
    "error.import_empty_left_out": "“{file}” contains no usable features ({count} left out, e.g. "
    "{issue}: {message}): check that it is the right file (or layer, in "
    f"{_LAYER_EN}).",
    "error.degrees_as_projected": "“{file}”: its coordinates ({box}) look like longitudes and "
    "latitudes in degrees, but the file declares {crs} (metres); fix its .prj, or choose WGS 84 "
    f"(EPSG:4326) in {_CRS_EN}.",
    "error.outside_crs_area": "“{file}”: its data ({box} in {crs}) lie outside the area that "
    "system is made for ({area}); check the coordinates and the system the file declares, or "
    f"choose it in {_CRS_EN}.",
    "error.too_far_from_project": "“{file}”: its data lie {distance_km} km from the project's "
    "({box} against {project_box} in {crs}); check its coordinate system, or choose it in "
    f"{_CRS_EN}.",
    "error.merge_failed": "“{file}” could not be added to the project, which was left as it was: "
    "{cause}",
    "error.merge_out_of_memory": "Not enough memory to add “{file}” to the project, which was "
    "left as it was: close other programs, or import a smaller extract (one layer, in "
    f"{_LAYER_EN}, or a smaller area).",
    "error.merge_bug": "“{file}” could not be added to the project ({detail}), which was left as "
    "it was. This is a bug: please report it with this message.",
    "error.spec_column_missing": "Layer “{layer}”: the required column “{column}” is missing; map "
    f"a column of the file onto it in the “Columns (target=source)” field {_OPTIONS_EN}.",
    "error.spec_dtype": "Layer “{layer}”: the column “{column}” must hold {dtype} values "
    "({detail}); check the column mapping or clean the source.",
    "error.spec_column_empty": "Layer “{layer}”: the required column “{column}” is empty in "
    "{count} row(s); fill it in the source or map another column onto it.",
    "error.spec_out_of_range": "Layer “{layer}”: {count} value(s) of “{column}” outside the "
    "allowed values (e.g. “{example}” for row “{row}”; expected {allowed}); correct the source or "
    "the column mapping.",
    "error.spec_duplicate_ids": "Layer “{layer}”: {count} duplicate id(s), e.g. “{example}”; ids "
    "must be unique: fix the source or let the import number the rows.",
    "error.spec_no_geometry": "Layer “{layer}”: it has no geometry; it needs {geometries}.",
    "error.spec_rows_without_geometry": "Layer “{layer}”: {count} row(s) without geometry; remove "
    "them or repair their geometries in the source.",
    "error.spec_geometry_type": "Layer “{layer}”: {count} geometry(ies) of type {geometry}, "
    "expected {geometries}; import the right layer of the source.",
    "error.cadastre_sections": "“{file}” holds cadastral sections, which have no layer in the "
    "project (each parcel keeps its section): import the parcels file instead.",
    "error.bdtopo_commune_no_insee": "“{file}”: the communes layer has no INSEE code field "
    "(INSEE_COM or CODE_INSEE); give the COMMUNE layer as IGN delivers it.",
    "error.osm_layer": "“{file}”: an OpenStreetMap file feeds the Buildings and Roads layers, not "
    f"“{{layer}}”; choose one of them in {_KIND_EN}, or automatic detection for both.",
    "error.osm_unreadable": "“{file}” cannot be read as OpenStreetMap data ({detail}): check that "
    "the file is complete, or export it again (XML entities and DTDs are refused).",
    "error.cityjson_version": "“{file}” is CityJSON version “{version}”, which is not supported "
    "(supported: {supported}): upgrade it, e.g. with cjio (the upgrade command).",
    "error.cityjson_member_missing": "“{file}” has no “{member}” member, which a CityJSON file "
    "needs: the file is damaged or was not written as CityJSON; export it again.",
    "error.cityjson_line_damaged": "“{file}”: line {line} is not a valid CityJSONFeature; the "
    "CityJSONSeq file is damaged: export it again.",
    "error.cityjson_vertices": "“{file}”: its vertices are not [x, y, z] triples of finite "
    "numbers, or its “transform” lacks a 3-number scale and translate; the file is damaged: "
    "export it again.",
    "error.dem_unreadable": "“{file}” cannot be read as a raster ({detail}): give a "
    "georeferenced DEM as a GeoTIFF.",
    "error.dem_no_grid": "“{file}”: placed in {crs} it makes no grid at all (its georeferencing "
    "is damaged); check its coordinate system and geotransform.",
    "error.dem_warp_too_big": "“{file}”: warped to {crs} it would make {width} × {height} pixels "
    "out of {source_width} × {source_height}, which only a wrong coordinate system explains; "
    f"check it, or choose it in {_CRS_EN}.",
    "error.dem_too_large": "“{file}”: its terrain would be a grid of {width} × {height} pixels "
    "({size_gb} GB), more than the {max_pixels} pixels a project holds; clip it to the town "
    "(gdal_translate -projwin) or give a coarser DEM.",
    "error.dem_all_nodata": "“{file}” contains no elevation values (every pixel is “no data”): "
    "check that it is the right file, and that its no-data value is not a real altitude.",
    "error.dem_not_georeferenced": "“{file}” is an image without georeferencing (no coordinate "
    f"system, no geotransform), not a DEM: {_DEM_EN}.",
    "error.dem_no_geotransform": "“{file}” has no geotransform (where its pixels are is unknown): "
    f"{_DEM_EN}.",
    "error.dem_degrees_wrong": "“{file}” declares {crs} (degrees), but its coordinates ({box}) are "
    "not longitudes and latitudes: fix the system it declares (e.g. gdal_edit.py -a_srs "
    "EPSG:2154).",
    "error.ifc_no_building": "“{file}” contains no IfcBuilding: export the building, not only its "
    "elements.",
    "error.ifc_no_georef": "The model “{file}” is not georeferenced (no IfcMapConversion, no site "
    "latitude and longitude): say where its origin goes in the X and Y fields of the “Place the "
    "model” window, which opens when you import it.",
    "error.ifc_crs_unknown": "“{file}”: the coordinate system of its {entity} (“{crs}”) is "
    "unknown to PROJ; write its EPSG code as the system's name (e.g. EPSG:2154), or place the "
    "model in the X and Y fields of the “Place the model” window.",
    "error.ifc_schema_broken": "“{file}” has entities that break the IFC schema (a missing "
    f"reference or a value of the wrong type): check the model with {_VALIDATE_EN} and export "
    "it again.",
    "error.ifc_kernel_crashed": "“{file}”: IfcOpenShell's geometry kernel crashed on one of its "
    "elements ({how}); the file is damaged (two entities with the same #id, a reference to the "
    f"wrong kind of entity…): check it with {_VALIDATE_EN} and export it again. Nothing was "
    "imported.",
    "error.ifc_unreadable": "“{file}” cannot be read as IFC ({detail}): the file is damaged; "
    "export it again from the modelling software.",
    "error.ifc_no_schema": "“{file}” has no FILE_SCHEMA in its header: the file is damaged; "
    "export it again.",
    "error.ifc_truncated": "“{file}” is truncated (it does not end with END-ISO-10303-21;): the "
    "copy or export was interrupted; fetch or export the file again.",
    "error.ifc_schema_unsupported": "“{file}” uses the IFC schema {schema}, which is not "
    "supported (supported: {supported}): export the model again in one of them.",
    "error.ifc_zip_without_ifc": "“{file}” is a zip without any .ifc file inside: give the IFC "
    "model.",
    "error.gtfs_day_invalid": "“{file}”: the service day “{day}” is not a date; write it "
    "YYYY-MM-DD (e.g. 2024-03-12).",
    "error.gtfs_no_stops": "“{file}”: stops.txt lists no stop; export the whole feed again.",
    "error.gtfs_stops_no_coordinates": "“{file}”: none of the {count} stops of stops.txt has a "
    "usable latitude and longitude (decimal degrees, e.g. 44.35 and 2.57); fix stops.txt or "
    "export the feed again.",
    "error.gtfs_outside_crs": "“{file}”: its stops (around {latitude}°, {longitude}°) lie outside "
    "the area the project's coordinate system ({crs}) is made for ({area}); use a project in a "
    "system that covers them, e.g. {epsg} (the UTM zone there).",
    "error.gtfs_column_missing": "“{file}”: {member} is missing or has no “{column}” column, "
    "which GTFS requires; export the whole feed again from its publisher.",
    "error.gtfs_member_damaged": "“{file}”: {member} is damaged inside the zip ({detail}); "
    "download the feed again.",
    "error.gtfs_files_missing": "“{file}” is not a complete GTFS feed: {missing} missing (found: "
    "{found}); export the whole feed again from its publisher.",
    "error.gtfs_stop_times_columns": "“{file}”: stop_times.txt lacks a trip_id, stop_id or time "
    "column (columns found: {found}); export the whole feed again.",
    "error.gtfs_no_stop_times": "“{file}”: stop_times.txt lists no stop time, so no service can "
    "be counted; export the whole feed again.",
    "error.gtfs_times_unreadable": "“{file}”: none of the {count} times of stop_times.txt can be "
    "read (GTFS times are HH:MM:SS, e.g. 07:05:00 or 25:10:00); fix stop_times.txt or export the "
    "feed again.",
    "error.gtfs_encoding": "“{file}”: {member} is neither UTF-8 nor Windows-1252 text; save it as "
    "UTF-8 (GTFS requires it) and import the feed again.",
    "error.gtfs_csv_unreadable": "“{file}”: {member} cannot be read as CSV ({detail}); check the "
    "file (a stray quote, or a line with more fields than the header).",
    "error.filosofi_no_inhabitants": "“{file}”: no row has a number of inhabitants (column "
    "“{column}”); check that it is the right file and column, or fix the column (numbers, with "
    "a decimal point or comma).",
    "error.project_not_found": "The project {file} cannot be found: check its path.",
    "error.project_is_folder": "{file} is a folder, not a project file: choose a .twin.gpkg file.",
    "error.not_a_project": "{file} is not an urban-twin project: create a project, then import "
    "this file into it (File ▸ Import files…).",
    "error.project_damaged": "{file} looks like an urban-twin project but it is damaged "
    "({detail}): open a backup or the automatic copy.",
    "error.project_no_crs": "{file}: the project's metadata have no coordinate system; open a "
    "backup copy.",
    "error.project_newer": "{file} was written by a newer urban-twin (project format {version}; "
    "this version reads up to format {supported}): update urban-twin to open it.",
    "error.save_folder_missing": "Cannot save {file}: the folder {folder} does not exist; create "
    "it or choose another.",
    "error.save_read_only": "Cannot save {file}: the folder is read-only; save the project "
    "somewhere else.",
    "error.save_disk_full": "Cannot save {file}: the disk is full; free some space and save again.",
    "error.save_os_error": "Cannot save {file} ({detail}): check the folder and save again.",
}
