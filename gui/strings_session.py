"""User-facing strings of the app's session part, French and English (merged by gui.strings):
autosave and crash recovery (``autosave.``), window layout, dock toggles and widget tooltips
(``session.``)."""

from __future__ import annotations

FR: dict[str, str] = {
    "autosave.title": "Récupération du projet",
    "autosave.question": "Le projet « {name} » n'a pas été fermé correctement.\n"
    "Récupérer la version enregistrée automatiquement le {date}\u00a0?",  # no break before ?
    "autosave.date_format": "%d/%m/%Y à %H:%M",
    "autosave.details": "Le fichier du projet, {path}, n'est pas modifié tant que vous "
    "n'enregistrez pas.",
    "autosave.details_untitled": "Ce projet n'avait pas encore été enregistré.",
    "autosave.unnamed": "sans titre",
    "autosave.recover": "Récupérer",
    "autosave.ignore": "Ignorer",
    "autosave.later": "Plus tard",
    "autosave.recovered": "Version récupérée ; enregistrez pour remplacer {path}",
    "autosave.set_aside": "Copie automatique mise de côté : {path}",
    "autosave.corrupt": "La copie enregistrée automatiquement de « {name} » est illisible "
    "({error}).\nElle a été mise de côté ({path}) ; le projet n'est pas modifié.",
    "autosave.failed": "Enregistrement automatique impossible : {error}",
    "session.action.reset_layout": "&Réinitialiser la disposition",
    "session.tip.reset_layout": "Remettre les panneaux et la barre d'outils à leur place d'origine",
    "session.tip.dock": "Afficher ou masquer le panneau « {name} »",
    "session.tip.tree": "Territoire → commune → quartier → parcelle → bâtiment → étage → "
    "pièce ; cliquer une ligne sélectionne l'objet partout",
    "session.tip.layers": "Couches de la vue 3D : visibilité et opacité",
    "session.tip.inspector": "Attributs, unités et provenance de l'objet sélectionné",
    "session.tip.crs": "Système de coordonnées du projet",
    "session.tip.coords": "Coordonnées du point sous le curseur, dans le système du projet",
    "session.tip.import_progress": "Avancement de l'import en cours",
    "session.tip.import_cancel": "Arrêter l'import ; le projet reste tel qu'il était",
}

EN: dict[str, str] = {
    "autosave.title": "Project recovery",
    "autosave.question": "The project “{name}” was not closed properly.\n"
    "Recover the version saved automatically on {date}?",
    "autosave.date_format": "%Y-%m-%d at %H:%M",
    "autosave.details": "The project file, {path}, is not changed until you save.",
    "autosave.details_untitled": "This project had not been saved yet.",
    "autosave.unnamed": "untitled",
    "autosave.recover": "Recover",
    "autosave.ignore": "Ignore",
    "autosave.later": "Later",
    "autosave.recovered": "Version recovered; save to replace {path}",
    "autosave.set_aside": "Automatic copy set aside: {path}",
    "autosave.corrupt": "The automatic copy of “{name}” cannot be read ({error}).\n"
    "It was set aside ({path}); the project is unchanged.",
    "autosave.failed": "Automatic save failed: {error}",
    "session.action.reset_layout": "&Reset the layout",
    "session.tip.reset_layout": "Put the panels and the toolbar back where they started",
    "session.tip.dock": "Show or hide the “{name}” panel",
    "session.tip.tree": "Territory → commune → district → parcel → building → storey → "
    "space; click a row to select the object everywhere",
    "session.tip.layers": "Layers of the 3D view: visibility and opacity",
    "session.tip.inspector": "Attributes, units and provenance of the selected object",
    "session.tip.crs": "The project's coordinate reference system",
    "session.tip.coords": "Coordinates of the point under the cursor, in the project's CRS",
    "session.tip.import_progress": "Progress of the running import",
    "session.tip.import_cancel": "Stop the import; the project stays as it was",
}
