"""User-facing strings of the app's drill part, French and English (merged by gui.strings)."""

from __future__ import annotations

FR: dict[str, str] = {
    "drill.dock": "Étages",
    "drill.open": "Ouvrir le bâtiment IFC",
    "drill.open.tip": "Voir le bâtiment IFC sélectionné étage par étage, ses pièces colorées "
    "par usage",
    "drill.leave": "Quitter la vue par étage",
    "drill.leave.tip": "Revenir à la vue de tout le bâtiment (couleurs et étiquettes d'origine)",
    "drill.hint": "Sélectionnez un bâtiment IFC (ou l'un de ses étages, pièces ou éléments) "
    "pour le parcourir étage par étage.",
    "drill.building": "{name} — {count} étages",
    "drill.mode": "Affichage",
    "drill.mode.hide_above": "Masquer les étages au-dessus",
    "drill.mode.cut": "Coupe à {height} m au-dessus du plancher",
    "drill.storeys": "Étages (du haut vers le bas)",
    "drill.storey.item": "{name}    niveau {elevation} m",
    "drill.storey.tip": "Plancher à {altitude} m d'altitude, hauteur {height} m, {count} pièces",
    "drill.spaces": "Pièces de l'étage {name}",
    "drill.spaces.none": "Pièces (choisissez un étage)",
    "drill.col.name": "Pièce",
    "drill.col.use": "Usage",
    "drill.col.area": "Surface (m²)",
    "drill.status": "{building}, étage {storey} : {count} pièces, {area} m²",
}

EN: dict[str, str] = {
    "drill.dock": "Storeys",
    "drill.open": "Open the IFC building",
    "drill.open.tip": "See the selected IFC building storey by storey, its rooms coloured by use",
    "drill.leave": "Leave the storey view",
    "drill.leave.tip": "Back to the whole building (original colours, no labels)",
    "drill.hint": "Select an IFC building (or one of its storeys, rooms or elements) to go "
    "through it storey by storey.",
    "drill.building": "{name} — {count} storeys",
    "drill.mode": "Display",
    "drill.mode.hide_above": "Hide the storeys above",
    "drill.mode.cut": "Cut {height} m above the floor",
    "drill.storeys": "Storeys (top first)",
    "drill.storey.item": "{name}    level {elevation} m",
    "drill.storey.tip": "Floor at {altitude} m altitude, {height} m high, {count} rooms",
    "drill.spaces": "Rooms of storey {name}",
    "drill.spaces.none": "Rooms (choose a storey)",
    "drill.col.name": "Room",
    "drill.col.use": "Use",
    "drill.col.area": "Area (m²)",
    "drill.status": "{building}, storey {storey}: {count} rooms, {area} m²",
}
