"""User-facing strings of the model's refusals, French and English (merged by gui.strings):
one text per code of :data:`scenarios.edits.refusals.REFUSALS` (``error.<code>``, its values
in braces, rendered by :mod:`gui.error_texts`), the edit kinds as a refusal names them
(``error.kind.<kind>``) and the pieces the texts are made of."""

from __future__ import annotations

FR: dict[str, str] = {
    # pieces
    "error.more": " (et {count} autres)",
    "error.more.one": " (et 1 autre)",
    "error.none": "aucun",
    "error.kind.add_building": "Nouveau bâtiment",
    "error.kind.demolish": "Démolition",
    "error.kind.set_height": "Hauteur",
    "error.kind.add_floors": "Ajout de niveaux",
    "error.kind.change_use": "Changement d'usage",
    "error.kind.change_space_use": "Usage des pièces",
    "error.kind.retrofit": "Rénovation énergétique",
    "error.kind.deseal": "Désimperméabilisation",
    "error.kind.add_transit_stop": "Nouvel arrêt",
    "error.kind.add_transit_line": "Nouvelle ligne",
    "error.kind.add_digital_asset": "Équipement numérique",
    "error.kind.place_model": "Implantation d'une maquette",
    # ids, geometries
    "error.ids_none": "Aucun objet choisi dans la couche « {layer} » : sélectionnez-en au moins "
    "un.",
    "error.layer_missing": "Le projet n'a pas de couche « {layer} » : importez-la d'abord.",
    "error.id_unknown": "« {id} »{more} ne figure pas dans la couche « {layer} » du projet : "
    "vérifiez les identifiants.",
    "error.wkt_unreadable": "La géométrie n'est pas lisible ({error}) : dessinez-la de nouveau.",
    "error.geometry_empty": "La géométrie est vide : dessinez-en une.",
    "error.geometry_kind": "La géométrie est de type {kind} ; il faut : {kinds}.",
    "error.polygon_invalid": "Le contour dessiné n'est pas un polygone valide ({reason}) : "
    "redessinez-le sans croiser ses côtés.",
    "error.too_far": "La géométrie est à {distance_km} km des données du projet : donnez des "
    "coordonnées dans le système du projet ({crs}), en mètres.",
    "error.id_taken": "L'identifiant « {id} » existe déjà dans la couche « {layer} » : "
    "choisissez-en un autre ou laissez-le vide.",
    # fields of the edits
    "error.field_empty": "{edit} : le champ « {field} » est vide ; remplissez-le.",
    "error.field_range": "{edit} : le champ « {field} » vaut {value} ; donnez une valeur entre "
    "{low} et {high}.",
    "error.field_min": "{edit} : le champ « {field} » vaut {value} ; donnez une valeur d'au "
    "moins {low}.",
    "error.field_choice": "{edit} : le champ « {field} » vaut « {value} » ; choisissez parmi : "
    "{choices}.",
    "error.fields_either": "{edit} : remplissez soit le champ « {first} », soit le champ "
    "« {second} », pas les deux ni aucun.",
    # what the edits find in the project
    "error.floors_left_none": "Le bâtiment « {id} » a {floors} niveau(x) : en retirer {removed} "
    "n'en laisserait aucun (démolissez-le plutôt).",
    "error.asset_not_line": "Un équipement « {kind} » se dessine comme une ligne (pas un "
    "{geometry}) : cliquez les points de son tracé.",
    "error.line_no_length": "Le tracé n'a pas de longueur : dessinez-le de nouveau.",
    "error.mix_empty": "Les parts d'usage sont vides : donnez au moins un usage (ex. habitat à "
    "100 %).",
    "error.use_unknown": "Usage inconnu : « {use} » ; choisissez parmi : {uses}.",
    "error.share_range": "La part de l'usage « {use} » vaut {share} : elle doit être comprise "
    "entre 0 (exclu) et 1.",
    "error.shares_total": "Les parts d'usage font {total} au lieu de 1 : faites-les totaliser 1 "
    "(ex. habitat 0,75 et commerces 0,25).",
    "error.dpe_class_unknown": "Classe DPE inconnue : « {target_class} » ; choisissez de A à G.",
    "error.area_unknown": "Aucun quartier, commune ou parcelle « {id} » dans le projet : "
    "vérifiez l'identifiant.",
    "error.area_not_holding": "« {id} » est un objet de niveau {level}, pas une zone qui contient "
    "des bâtiments : choisissez un quartier, une commune ou une parcelle.",
    "error.area_no_buildings": "Aucun bâtiment à rénover dans « {id} » (usages : {uses}) : "
    "vérifiez la zone et les usages choisis.",
    "error.deseal_too_much": "La parcelle « {parcel} » fait {parcel_m2} m², dont {built_m2} m² "
    "bâtis et {already_m2} m² déjà désimperméabilisés : au plus {free_m2} m² peuvent l'être, "
    "pas {area_m2} m².",
    "error.overlap": "L'emprise du nouveau bâtiment chevauche le bâtiment « {id} »{more} : "
    "démolissez-le d'abord ou dessinez l'emprise à côté.",
    "error.setback_too_big": "Un recul de {setback_m} m ne laisse rien de la parcelle "
    "« {parcel} » ({parcel_m2} m²) : donnez un recul plus petit.",
    "error.model_no_building": "La maquette « {file} » ne contient aucun bâtiment avec une forme "
    "à placer : vérifiez-la (murs, dalles ou toits en 3D).",
    "error.model_overlap": "La maquette « {file} » placée là chevauche le bâtiment « {id} »"
    "{more} : indiquez-le dans les bâtiments remplacés ou déplacez la maquette.",
    "error.file_not_stored": "Le projet ne contient pas le fichier « {file} » (fichiers "
    "enregistrés : {stored}) : ajoutez-le d'abord au projet.",
    "error.model_unreadable": "La maquette « {file} » ne peut pas être placée : {error}",
    "error.reader_unavailable": "Impossible de placer « {file} » : le lecteur IFC n'est pas "
    "disponible dans ce programme.",
    "error.reader_unknown": "Impossible de placer « {file} » : aucun lecteur pour les fichiers "
    "« {suffix} » ; enregistrez une maquette d'un type connu ({known}).",
    "error.stop_ids_one": "Une ligne relie au moins deux arrêts : un seul est indiqué.",
    "error.stop_names_count": "{names} nom(s) d'arrêt pour les {vertices} sommets du tracé : "
    "donnez-en un par sommet, ou aucun.",
    "error.colour_format": "La couleur « {colour} » n'est pas au format #rrvvbb.",
    # shapes drawn by clicks
    "error.footprint_points": "Une emprise demande au moins 3 points ; {count} cliqué(s).",
    "error.footprint_crosses": "L'emprise se croise elle-même ({reason}) : redessinez-la sans "
    "croiser ses côtés.",
    "error.footprint_small": "L'emprise ne couvre que {area_m2} m² : dessinez-en une plus grande.",
    "error.line_points": "Un tracé demande au moins 2 points différents : cliquez-en d'autres.",
    # scenarios and their history
    "error.scenario_name_missing": "Un scénario doit avoir un nom : donnez-en un (ex. "
    "« Densifier le centre »).",
    "error.scenario_name_baseline": "« baseline » désigne la situation actuelle : donnez un autre "
    "nom au scénario.",
    "error.scenario_name_long": "Le nom « {name}… » doit tenir sur une ligne d'au plus {max} "
    "caractères : mettez les détails dans la description.",
    "error.scenario_base_empty": "Le scénario « {name} » n'a pas de base : choisissez la "
    "situation actuelle ou un autre scénario.",
    "error.scenario_self_based": "Le scénario « {name} » ne peut pas reposer sur lui-même.",
    "error.scenario_exists": "Le projet a déjà un scénario « {name} » : choisissez un autre nom.",
    "error.scenario_unknown": "Le projet n'a pas de scénario « {name} » (scénarios : {known}).",
    "error.scenario_base_unknown": "Le scénario « {child} » repose sur « {name} », absent du "
    "projet (scénarios : {known}).",
    "error.scenario_has_children": "Le scénario « {child} » repose sur « {name} » : supprimez-le "
    "ou changez sa base d'abord.",
    "error.scenario_cycle": "Les bases des scénarios forment une boucle ({loop}) : changez la "
    "base de l'un d'eux.",
    "error.edit_failed": "la modification n° {number} ({edit}) ne s'applique plus : {cause}",
    "error.nothing_to_undo": "Rien à annuler.",
    "error.nothing_to_redo": "Rien à rétablir.",
    "error.undo_stale": "Impossible d'annuler « {edit} » : la couche « {layer} » a changé "
    "depuis ; annulez d'abord les modifications suivantes.",
    "error.redo_stale": "Impossible de rétablir « {edit} » : la couche « {layer} » a changé "
    "depuis ; rétablissez d'abord les modifications précédentes.",
    # the digital-impact study
    "error.study_scenario_unknown": "Le projet n'a pas de scénario « {name} » (scénarios : "
    "{known}).",
    "error.study_compare_self": "L'étude ne peut pas comparer le scénario « {name} » à lui-même : "
    "choisissez un autre scénario de comparaison.",
    "error.study_assumption_missing": "L'étude a besoin de l'hypothèse « {assumption} », absente "
    "des hypothèses en vigueur : rétablissez-la.",
    "error.study_assumption_list": "L'hypothèse « {assumption} » doit être un seul nombre, pas "
    "une liste.",
    "error.study_no_buildings": "Le projet n'a pas de bâtiments : l'étude en a besoin ; "
    "importez-les d'abord.",
    "error.output_is_folder": "{path} est un dossier : ajoutez un nom de fichier.",
    "error.output_parent_file": "Impossible d'écrire {path} : {folder} est un fichier, pas un "
    "dossier ; choisissez un autre emplacement.",
    "error.output_folder_missing": "Impossible d'écrire {path} : le dossier {folder} n'existe pas "
    "; créez-le ou choisissez un autre emplacement.",
    "error.output_read_only": "Impossible d'écrire {path} : le dossier {folder} est en lecture "
    "seule ; choisissez un autre emplacement.",
    "error.output_unwritable": "Impossible d'écrire {path} ({reason}) : vérifiez le dossier et "
    "l'espace libre, puis réessayez.",
}

EN: dict[str, str] = {
    "error.more": " (and {count} more)",
    "error.more.one": " (and 1 more)",
    "error.none": "none",
    "error.kind.add_building": "New building",
    "error.kind.demolish": "Demolition",
    "error.kind.set_height": "Height",
    "error.kind.add_floors": "Storeys added",
    "error.kind.change_use": "Change of use",
    "error.kind.change_space_use": "Use of rooms",
    "error.kind.retrofit": "Energy retrofit",
    "error.kind.deseal": "De-sealing",
    "error.kind.add_transit_stop": "New stop",
    "error.kind.add_transit_line": "New line",
    "error.kind.add_digital_asset": "Digital equipment",
    "error.kind.place_model": "Placing a model",
    "error.ids_none": "Nothing chosen in the layer “{layer}”: select at least one.",
    "error.layer_missing": "The project has no layer “{layer}”: import it first.",
    "error.id_unknown": "“{id}”{more} is not in the project's layer “{layer}”: check the ids.",
    "error.wkt_unreadable": "The geometry cannot be read ({error}): draw it again.",
    "error.geometry_empty": "The geometry is empty: draw one.",
    "error.geometry_kind": "The geometry is a {kind}; it must be: {kinds}.",
    "error.polygon_invalid": "The outline drawn is not a valid polygon ({reason}): draw it again "
    "without crossing its sides.",
    "error.too_far": "The geometry lies {distance_km} km from the project's data: give "
    "coordinates in the project's system ({crs}), in metres.",
    "error.id_taken": "The id “{id}” is already in the layer “{layer}”: choose another or leave "
    "it empty.",
    "error.field_empty": "{edit}: field “{field}” is empty; fill it in.",
    "error.field_range": "{edit}: field “{field}” is {value}; give a value between {low} and "
    "{high}.",
    "error.field_min": "{edit}: field “{field}” is {value}; give a value of at least {low}.",
    "error.field_choice": "{edit}: field “{field}” is “{value}”; choose one of: {choices}.",
    "error.fields_either": "{edit}: fill in either field “{first}” or field “{second}”, not both "
    "nor neither.",
    "error.floors_left_none": "Building “{id}” has {floors} storey(s): removing {removed} would "
    "leave none (demolish it instead).",
    "error.asset_not_line": "Equipment “{kind}” is drawn as a line (not a {geometry}): click "
    "the points of its route.",
    "error.line_no_length": "The route has no length: draw it again.",
    "error.mix_empty": "The use shares are empty: give at least one use (e.g. housing at 100 %).",
    "error.use_unknown": "Unknown use: “{use}”; choose one of: {uses}.",
    "error.share_range": "The share of the use “{use}” is {share}: it must be above 0 and at "
    "most 1.",
    "error.shares_total": "The use shares add up to {total}, not 1: make them add up to 1 (e.g. "
    "housing 0.75 and shops 0.25).",
    "error.dpe_class_unknown": "Unknown DPE class: “{target_class}”; choose A to G.",
    "error.area_unknown": "No district, commune or parcel “{id}” in the project: check the id.",
    "error.area_not_holding": "“{id}” is at level {level}, not an area holding buildings: choose "
    "a district, a commune or a parcel.",
    "error.area_no_buildings": "No building to retrofit in “{id}” (uses: {uses}): check the area "
    "and the uses chosen.",
    "error.deseal_too_much": "Parcel “{parcel}” has {parcel_m2} m², {built_m2} m² under "
    "buildings and {already_m2} m² already de-sealed: at most {free_m2} m² can be de-sealed, not "
    "{area_m2} m².",
    "error.overlap": "The new building's footprint overlaps building “{id}”{more}: demolish it "
    "first or draw the footprint beside it.",
    "error.setback_too_big": "A setback of {setback_m} m leaves nothing of parcel “{parcel}” "
    "({parcel_m2} m²): give a smaller setback.",
    "error.model_no_building": "The model “{file}” holds no building with a shape to place: "
    "check it (3D walls, slabs or roofs).",
    "error.model_overlap": "The model “{file}” placed there overlaps building “{id}”{more}: list "
    "it among the buildings replaced, or move the model.",
    "error.file_not_stored": "The project has no file “{file}” (files stored: {stored}): add it "
    "to the project first.",
    "error.model_unreadable": "The model “{file}” cannot be placed: {error}",
    "error.reader_unavailable": "Cannot place “{file}”: the IFC reader is unavailable in this "
    "program.",
    "error.reader_unknown": "Cannot place “{file}”: no reader for “{suffix}” files; store a model "
    "of a known kind ({known}).",
    "error.stop_ids_one": "A line links at least two stops: only one is given.",
    "error.stop_names_count": "{names} stop name(s) for the {vertices} vertices of the route: "
    "give one per vertex, or none.",
    "error.colour_format": "The colour “{colour}” is not written #rrggbb.",
    "error.footprint_points": "A footprint needs at least 3 points; {count} clicked.",
    "error.footprint_crosses": "The footprint crosses itself ({reason}): draw it again without "
    "crossing its sides.",
    "error.footprint_small": "The footprint covers only {area_m2} m²: draw a larger one.",
    "error.line_points": "A route needs at least 2 different points: click more.",
    "error.scenario_name_missing": "A scenario needs a name: give one (e.g. “Densify the centre”).",
    "error.scenario_name_baseline": "“baseline” is the current situation: give the scenario "
    "another name.",
    "error.scenario_name_long": "The name “{name}…” must be one line of at most {max} "
    "characters: put the details in the description.",
    "error.scenario_base_empty": "The scenario “{name}” has no base: choose the current "
    "situation or another scenario.",
    "error.scenario_self_based": "The scenario “{name}” cannot be based on itself.",
    "error.scenario_exists": "The project already has a scenario “{name}”: choose another name.",
    "error.scenario_unknown": "The project has no scenario “{name}” (scenarios: {known}).",
    "error.scenario_base_unknown": "The scenario “{child}” is based on “{name}”, which is not in "
    "the project (scenarios: {known}).",
    "error.scenario_has_children": "The scenario “{child}” is based on “{name}”: delete it or "
    "change its base first.",
    "error.scenario_cycle": "The scenarios' bases make a loop ({loop}): change the base of one "
    "of them.",
    "error.edit_failed": "edit {number} ({edit}) no longer applies: {cause}",
    "error.nothing_to_undo": "Nothing to undo.",
    "error.nothing_to_redo": "Nothing to redo.",
    "error.undo_stale": "Cannot undo “{edit}”: the layer “{layer}” changed since; undo the "
    "later edits first.",
    "error.redo_stale": "Cannot redo “{edit}”: the layer “{layer}” changed since; redo the "
    "earlier edits first.",
    "error.study_scenario_unknown": "The project has no scenario “{name}” (scenarios: {known}).",
    "error.study_compare_self": "The study cannot compare the scenario “{name}” with itself: "
    "choose another scenario to compare with.",
    "error.study_assumption_missing": "The study needs the assumption “{assumption}”, missing "
    "from the assumptions in force: restore it.",
    "error.study_assumption_list": "The assumption “{assumption}” must be one number, not a list.",
    "error.study_no_buildings": "The project has no buildings: the study needs them; import "
    "them first.",
    "error.output_is_folder": "{path} is a folder: add a file name.",
    "error.output_parent_file": "Cannot write {path}: {folder} is a file, not a folder; choose "
    "another place.",
    "error.output_folder_missing": "Cannot write {path}: the folder {folder} does not exist; "
    "create it or choose another place.",
    "error.output_read_only": "Cannot write {path}: the folder {folder} is read-only; choose "
    "another place.",
    "error.output_unwritable": "Cannot write {path} ({reason}): check the folder and the free "
    "space, then try again.",
}
