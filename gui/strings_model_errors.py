"""User-facing strings of the errors the City model raises itself, French and English (merged
by gui.strings): one text per code of :data:`twin.errors.MODEL_ERRORS` (``error.<code>``, its
values in braces, rendered by :mod:`gui.error_texts`): the project's coordinate system, a layer
the project lacks or cannot take, a broken territory → room hierarchy. Also the allowed values
of a column as a file or edit error names them (``error.allowed.*``, the ``allowed`` value of
``error.spec_out_of_range``). Layers and levels are named as the app names them (the
``report.layer.`` and ``level.`` keys); coordinate systems and units keep PROJ's names."""

from __future__ import annotations

_REPORT_FR = "c'est une erreur du logiciel ; signalez-la avec ce message."
_REPORT_EN = "this is a bug of the software; report it with this message."
_REPROJECT_FR = (
    "passez-la d'abord dans le système de coordonnées du projet (l'import de fichiers le fait "
    "pour vous : Fichier ▸ Importer des fichiers…)."
)
_REPROJECT_EN = (
    "convert it to the project's coordinate system first (importing files does it for you: "
    "File ▸ Import files…)."
)
_LEVELS_FR = "territoire → commune → quartier → parcelle → bâtiment → étage → pièce"
_LEVELS_EN = "territory → commune → district → parcel → building → storey → room"

FR: dict[str, str] = {
    # the allowed values of a column (the ``allowed`` value of error.spec_out_of_range)
    "error.allowed.range": "de {low} à {high} {unit}",
    "error.allowed.choices": "l'une des valeurs {choices}",
    # the project's coordinate system
    "error.crs_unknown": "Le système de coordonnées « {crs} » est inconnu : donnez un code EPSG, "
    "comme EPSG:2154 (Lambert-93) ou EPSG:3944 (CC44).",
    "error.crs_not_projected": "« {name} » ({crs}) n'est pas un système de coordonnées projeté, "
    "en mètres (des longitudes et latitudes en degrés ne conviennent pas) : un projet en demande "
    "un, comme EPSG:2154 (Lambert-93).",
    "error.crs_not_metres": "« {name} » ({crs}) mesure les distances en {unit}, pas en mètres : "
    "choisissez un système de coordonnées en mètres, comme EPSG:2154 (Lambert-93).",
    # layers and rasters of the project
    "error.layer_unknown": "Le projet n'a pas de couche « {layer} » (ses couches : {layers}) : "
    "importez d'abord les données qui la remplissent.",
    "error.layer_no_spec": "La couche « {layer} » n'est pas une couche que le projet connaît (il "
    "ne sait pas quelles colonnes elle doit avoir) : importez le fichier dans l'une des couches "
    "connues, choisie dans le champ « Contenu » (Fichier ▸ Importer avec options…), avec la "
    "correspondance de ses colonnes.",
    "error.layer_spec_mismatch": "La couche « {layer} » a reçu la description des colonnes de la "
    f"couche « {{spec_layer}} » : {_REPORT_FR}",
    "error.layer_crs_differs": "La couche « {layer} » est en {crs} et le projet en {project_crs} "
    f": {_REPROJECT_FR}",
    "error.layer_crs_differs_from": "La couche « {layer} » venue de « {source} » est en {crs} et "
    f"le projet en {{project_crs}} : {_REPROJECT_FR}",
    "error.raster_crs_differs": "Le raster « {layer} » est en {crs} et le projet en {project_crs} "
    ": passez-le d'abord dans le système de coordonnées du projet (l'import d'un MNT le fait pour "
    "vous : Fichier ▸ Importer des fichiers…).",
    # the territory → room hierarchy
    "error.hierarchy_not_by_level": "La hiérarchie du projet (territoire → pièce) n'est pas rangée "
    f"niveau par niveau : {_REPORT_FR}",
    "error.hierarchy_duplicate_ids": "{count} identifiant(s) sont portés par deux objets de la "
    "hiérarchie, par ex. {examples} : chaque commune, quartier, parcelle, bâtiment, étage et "
    "pièce doit avoir le sien. Importez de nouveau la couche qui les répète.",
    "error.hierarchy_parent_level": "L'objet « {id} » (niveau « {level} ») a pour parent "
    "« {parent} », du niveau « {parent_level} », qui n'est pas au-dessus du sien : un parent doit "
    f"être d'un niveau supérieur ({_LEVELS_FR}). Corrigez la colonne « Parent » (parent_id) de "
    "l'objet dans la source, puis importez-la de nouveau.",
    "error.hierarchy_id_unknown": "« {id} » ne fait pas (ou plus) partie de la hiérarchie du "
    "projet : les valeurs à cumuler sont anciennes ; calculez-les de nouveau.",
    "error.roll_up_downwards": "Les valeurs du niveau « {from_level} » ne se cumulent pas vers le "
    "niveau inférieur « {to_level} » : choisissez un niveau au-dessus.",
    "error.roll_up_wrong_level": "« {id} » n'est pas du niveau « {level} » : seules les valeurs "
    "de ce niveau se cumulent ici ; calculez-les de nouveau.",
}

EN: dict[str, str] = {
    "error.allowed.range": "{low} to {high} {unit}",
    "error.allowed.choices": "one of {choices}",
    "error.crs_unknown": "The coordinate system “{crs}” is unknown: give an EPSG code such as "
    "EPSG:2154 (Lambert-93) or EPSG:3944 (CC44).",
    "error.crs_not_projected": "“{name}” ({crs}) is not a projected coordinate system in metres "
    "(longitudes and latitudes in degrees will not do): a project needs one, such as EPSG:2154 "
    "(Lambert-93).",
    "error.crs_not_metres": "“{name}” ({crs}) measures distances in {unit}, not metres: choose a "
    "coordinate system in metres, such as EPSG:2154 (Lambert-93).",
    "error.layer_unknown": "The project has no layer “{layer}” (its layers: {layers}): import the "
    "data that fill it first.",
    "error.layer_no_spec": "“{layer}” is not a layer the project knows (it does not know which "
    "columns it needs): import the file into one of the known layers, chosen in the “Content” "
    "field (File ▸ Import with options…), with the mapping of its columns.",
    "error.layer_spec_mismatch": "The layer “{layer}” was given the column description of the "
    f"layer “{{spec_layer}}”: {_REPORT_EN}",
    "error.layer_crs_differs": "The layer “{layer}” is in {crs}, the project in {project_crs}: "
    f"{_REPROJECT_EN}",
    "error.layer_crs_differs_from": "The layer “{layer}” from “{source}” is in {crs}, the project "
    f"in {{project_crs}}: {_REPROJECT_EN}",
    "error.raster_crs_differs": "The raster “{layer}” is in {crs}, the project in {project_crs}: "
    "convert it to the project's coordinate system first (importing a DEM does it for you: File ▸ "
    "Import files…).",
    "error.hierarchy_not_by_level": "The project's hierarchy (territory → room) is not listed "
    f"level by level: {_REPORT_EN}",
    "error.hierarchy_duplicate_ids": "{count} id(s) are used by two objects of the hierarchy, "
    "e.g. {examples}: every commune, district, parcel, building, storey and room needs its own. "
    "Import the layer that repeats them again.",
    "error.hierarchy_parent_level": "“{id}” (level “{level}”) has the parent “{parent}”, of level "
    f"“{{parent_level}}”, which is not above its own: a parent must be higher ({_LEVELS_EN}). "
    "Correct the object's “Parent” column (parent_id) in the source, then import it again.",
    "error.hierarchy_id_unknown": "“{id}” is not (or no longer) in the project's hierarchy: the "
    "values to sum up are outdated; compute them again.",
    "error.roll_up_downwards": "Values of the level “{from_level}” cannot be summed up to the "
    "lower level “{to_level}”: choose a level above it.",
    "error.roll_up_wrong_level": "“{id}” is not of the level “{level}”: only values of that level "
    "are summed up here; compute them again.",
}
