"""The words of the one-line edit descriptions (:mod:`scenarios.edit_texts`): key → (French,
English). Values in braces are filled in by the describers."""

from __future__ import annotations

_EDITS = {
    "edit.add_building": ("Ajouter un bâtiment : {details}", "Add a building: {details}"),
    "edit.named_building": ("nommé « {name} »", "named “{name}”"),
    "edit.on_parcel": ("sur la parcelle {parcel}", "on parcel {parcel}"),
    "edit.demolish": ("Démolir {buildings}", "Demolish {buildings}"),
    "edit.add_floors": ("Ajouter {floors} à {buildings}", "Add {floors} to {buildings}"),
    "edit.remove_floors": ("Retirer {floors} à {buildings}", "Remove {floors} from {buildings}"),
    "edit.set_height": (
        "Porter {buildings} à {height} m de hauteur",
        "Bring {buildings} to {height} m high",
    ),
    "edit.change_use": (
        "Changer l'usage de {buildings} : {use}",
        "Change the use of {buildings}: {use}",
    ),
    "edit.change_space_use": (
        "Changer l'usage de {rooms} : {use}",
        "Change the use of {rooms}: {use}",
    ),
    "edit.named": (" « {name} »", " “{name}”"),
    "edit.long_name": (" ({name})", " ({name})"),
    "edit.retrofit": (
        "Rénovation énergétique vers la classe {target} du DPE : {what}",
        "Energy retrofit to EPC class {target}: {what}",
    ),
    "edit.retrofit_within": ("les bâtiments de {within}", "the buildings of {within}"),
    "edit.retrofit_uses_within": (
        "les bâtiments ({uses}) de {within}",
        "the buildings ({uses}) of {within}",
    ),
    "edit.deseal": (
        "Désimperméabiliser {area} m² de la parcelle {parcel}",
        "De-seal {area} m² of parcel {parcel}",
    ),
    "edit.add_transit_stop": (
        "Ajouter l'arrêt « {name} » : {departures} départs/h en pointe",
        "Add the stop “{name}”: {departures} departures/h at peak",
    ),
    "edit.add_transit_line": (
        "Ajouter la ligne {mode} « {name} »{long_name} : {stops}, {departures} départs/h en pointe",
        "Add the {mode} line “{name}”{long_name}: {stops}, {departures} departures/h at peak",
    ),
    "edit.add_digital_asset": (
        "Ajouter un équipement numérique prévu : {what}",
        "Add planned digital equipment: {what}",
    ),
    "edit.place_model": ("Implanter la maquette « {file} »", "Place the model “{file}”"),
    "edit.turned": (", tournée de {degrees}°", ", turned {degrees}°"),
    "edit.replacing": (", à la place de {buildings}", ", replacing {buildings}"),
    "edit.floor_area": ("{sign}{area} m² de plancher", "{sign}{area} m² of floor area"),
    "edit.area": ("{area} m²", "{area} m²"),
}

_COUNTS = {
    "n.floors.one": ("{n} niveau", "{n} storey"),
    "n.floors.many": ("{n} niveaux", "{n} storeys"),
    "n.buildings.one": ("{n} bâtiment", "{n} building"),
    "n.buildings.many": ("{n} bâtiments", "{n} buildings"),
    "n.dwellings.one": ("{n} logement", "{n} dwelling"),
    "n.dwellings.many": ("{n} logements", "{n} dwellings"),
    "n.rooms.one": ("{n} pièce", "{n} room"),
    "n.rooms.many": ("{n} pièces", "{n} rooms"),
    "n.stops.one": ("{n} arrêt", "{n} stop"),
    "n.stops.many": ("{n} arrêts", "{n} stops"),
}

_USES = {
    "use.residential": ("habitat", "housing"),
    "use.office": ("bureaux", "offices"),
    "use.retail": ("commerces et services", "shops and services"),
    "use.public": ("équipement public", "public facility"),
    "use.industrial": ("activité et industrie", "industry"),
    "use.annex": ("annexe", "annex"),
    "use.mixed": ("mixte", "mixed"),
    "use.unknown": ("usage inconnu", "unknown use"),
}

_MODES = {
    "mode.bus": ("de bus", "bus"),
    "mode.tram": ("de tramway", "tram"),
    "mode.metro": ("de métro", "metro"),
    "mode.rail": ("ferroviaire", "rail"),
    "mode.ferry": ("de bac", "ferry"),
    "mode.cable": ("de transport par câble", "cable car"),
    "mode.coach": ("d'autocar", "coach"),
    "mode.on_demand": ("de transport à la demande", "on-demand"),
}

_ASSETS = {
    "asset.fibre_cable": ("câble de fibre optique", "fibre cable"),
    "asset.fibre_duct": ("fourreau", "duct"),
    "asset.connection_point": ("point de branchement", "connection point"),
    "asset.premises": ("locaux raccordables", "premises to connect"),
    "asset.mobile_site": ("site de téléphonie mobile", "mobile phone site"),
    "asset.sensor": ("capteur", "sensor"),
    "asset.smart_meter": ("compteur communicant", "smart meter"),
    "asset.streetlight": ("lampadaire connecté", "connected streetlight"),
    "asset.lorawan_gateway": ("passerelle LoRaWAN", "LoRaWAN gateway"),
}

#: key → (French, English).
WORDS: dict[str, tuple[str, str]] = {**_EDITS, **_COUNTS, **_USES, **_MODES, **_ASSETS}
