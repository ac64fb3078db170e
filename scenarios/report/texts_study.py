"""Texts the study's computation names: section titles, paragraphs (with the values they
take in braces) and figure notes. Key → (fr, en). Labels are in ``texts_labels.py``.

docs/study-report.md lists them with their values; a key missing here renders as the key.
"""

from __future__ import annotations

_SECTIONS = {
    "section.summary": ("Résumé non technique", "Non-technical summary"),
    "section.project": ("Le projet", "The project"),
    "section.initial_state": (
        "État initial numérique du site",
        "Initial digital state of the site",
    ),
    "section.effects": ("Effets du projet", "Effects of the project"),
    "section.measures": (
        "Mesures : éviter, réduire, compenser",
        "Measures: avoid, reduce, compensate",
    ),
    "section.costs_benefits": ("Coûts et bénéfices", "Costs and benefits"),
    "section.monitoring": ("Suivi", "Monitoring"),
    "section.methods": ("Méthodes et hypothèses", "Methods and assumptions"),
}

_PARAGRAPHS = {
    "summary.intro": (
        "Cette étude décrit ce que le scénario « {scenario} » demande en réseaux et en "
        "équipements numériques, ce que coûte de les prévoir dès l’aménagement plutôt qu’après, "
        "et ce qu’ils rapportent à la collectivité ; le scénario est comparé à {compare}.",
        "This study describes what the scenario “{scenario}” needs in digital networks and "
        "equipment, what planning them at land development costs rather than afterwards, and "
        "what they return to the community; the scenario is compared with {compare}.",
    ),
    "summary.premises": (
        "Le projet construit ou transforme {buildings}, où il faut raccorder {premises} à la "
        "fibre.",
        "The project builds or changes {buildings}, where {premises} must be connected to fibre.",
    ),
    "summary.ducts": (
        "Poser {length} de fourreaux pendant les travaux coûte {cost_now}, contre {cost_later} "
        "s’il fallait rouvrir la voirie plus tard : {saving} évités.",
        "Laying {length} of ducts during the works costs {cost_now}, against {cost_later} if the "
        "street had to be opened later: {saving} saved.",
    ),
    "summary.value": (
        "La gestion intelligente de l’énergie rapporterait à la collectivité {ratio}, soit "
        "{returned} de valeur collective pour {invested} investis.",
        "Smart energy management would return {ratio} to the community, that is {returned} of "
        "collective value for {invested} invested.",
    ),
    "summary.energy": (
        "Les équipements numériques consomment {digital_energy} ; la gestion intelligente de "
        "l’énergie en économise {energy_saved}.",
        "The digital equipment uses {digital_energy}; smart energy management saves "
        "{energy_saved}.",
    ),
    "summary.recommendation": (
        "Recommandation : poser les fourreaux et les chambres de tirage pendant la viabilisation, "
        "dans des tranchées partagées avec les autres réseaux.",
        "Recommendation: lay ducts and pull boxes while the site is serviced, in trenches shared "
        "with the other networks.",
    ),
    "project.description": ("{description}", "{description}"),
    "project.edits": (
        "Le scénario « {scenario} » comprend {count} modifications du territoire.",
        "The scenario “{scenario}” makes {count} changes to the territory.",
    ),
    "project.indicators": (
        "Le tableau compare les indicateurs d’urbanisme du scénario à ceux de {compare}.",
        "The table compares the scenario’s planning indicators with those of {compare}.",
    ),
    "initial_state.network": (
        "Le site est desservi par {fibre_length} de câbles optiques et {connection_points}.",
        "The site is served by {fibre_length} of optical cables and {connection_points}.",
    ),
    "initial_state.premises": (
        "Sur {premises} du site, {connectable} sont raccordables à la fibre ({share}).",
        "Of the site’s {premises}, {connectable} can be connected to fibre ({share}).",
    ),
    "initial_state.mobile": (
        "Sites mobiles desservant le site : {sites} ({technologies}).",
        "Mobile sites serving the site: {sites} ({technologies}).",
    ),
    "initial_state.sensors": (
        "Capteurs déjà installés : {sensors}.",
        "Sensors already installed: {sensors}.",
    ),
    "initial_state.no_data": (
        "Aucune donnée « {layer} » n’a été importée : l’état initial de ce réseau est inconnu.",
        "No “{layer}” data was imported: the initial state of this network is unknown.",
    ),
    "effects.premises": (
        "Prises à raccorder à la fibre : {premises}, dont {dwellings} et {business} de locaux "
        "d’activité.",
        "Premises to connect to fibre: {premises}, of which {dwellings} and {business} for "
        "businesses.",
    ),
    "effects.ducts": (
        "Les raccorder demande {length} de fourreaux le long des voies depuis le point du réseau "
        "le plus proche.",
        "Connecting them needs {length} of ducts along the roads from the nearest network point.",
    ),
    "effects.equipment": (
        "Il faut prévoir {sensors} et {meters}.",
        "It needs {sensors} and {meters}.",
    ),
    "effects.mobile": (
        "Bâtiments neufs ou modifiés à plus de {distance} d’un site mobile : {buildings}.",
        "New or changed buildings more than {distance} from a mobile site: {buildings}.",
    ),
    "effects.energy": (
        "Les équipements numériques consomment {energy}.",
        "The digital equipment uses {energy}.",
    ),
    "measures.avoid": (
        "Éviter : poser les fourreaux avant les enrobés, pour ne jamais rouvrir la voirie neuve.",
        "Avoid: lay ducts before the surfacing, so the new street is never opened again.",
    ),
    "measures.reduce": (
        "Réduire : partager les tranchées avec l’eau, l’électricité et l’éclairage public sur "
        "{length}.",
        "Reduce: share the trenches with water, power and street lighting over {length}.",
    ),
    "measures.compensate": (
        "Compenser : réutiliser les fourreaux existants et mutualiser les points hauts pour les "
        "antennes.",
        "Compensate: reuse existing ducts and share high points for antennas.",
    ),
    "measures.ducts_in_advance": (
        "Des fourreaux en attente vers chaque parcelle évitent {saving} de travaux ultérieurs.",
        "Spare ducts to each parcel avoid {saving} of later works.",
    ),
    "costs_benefits.at_development": (
        "Prévus pendant l’aménagement, les réseaux coûtent {cost}.",
        "Planned during land development, the networks cost {cost}.",
    ),
    "costs_benefits.retrofit": (
        "Posés après la livraison, ils coûteraient {cost}.",
        "Laid after delivery, they would cost {cost}.",
    ),
    "costs_benefits.saving": (
        "L’écart, {saving}, représente {share} du coût a posteriori.",
        "The difference, {saving}, is {share} of the later cost.",
    ),
    "costs_benefits.value": (
        "La gestion intelligente de l’énergie rapporte {ratio} : {returned} de valeur collective "
        "pour {invested} investis.",
        "Smart energy management returns {ratio}: {returned} of collective value for "
        "{invested} invested.",
    ),
    "monitoring.intro": (
        "Indicateurs à suivre après la livraison, avec leur valeur attendue :",
        "Indicators to follow after delivery, with their expected value:",
    ),
    "methods.intro": (
        "Chaque valeur de l’étude vient d’un indicateur du jumeau (identique à ce que donne "
        "« twin indicators »), d’une hypothèse ou d’un décompte des couches du modèle.",
        "Every value of the study comes from an indicator of the twin (equal to what “twin "
        "indicators” gives), an assumption or a count of the model’s layers.",
    ),
    "methods.estimates": (
        "{count} hypothèses sont des estimations sans source publique : remplacez-les par des "
        "valeurs locales.",
        "{count} assumptions are estimates without a public source: replace them with local "
        "values.",
    ),
}


_METHODS = {
    "initial_state.site": (
        "Le site étudié couvre {area_ha} : les parcelles que le scénario touche ({parcels}), "
        "plus une bande de {buffer_m} alentour. Bâtiments neufs, modifiés ou démolis : "
        "{buildings} ; autres éléments ajoutés (arrêts, lignes, réseaux, voies) : {features}. "
        "Quartiers IRIS concernés : {districts}. Contexte : {context}.",
        "The site covers {area_ha}: the parcels the scenario touches ({parcels}), plus a band "
        "of {buffer_m} around them. New, changed or demolished buildings: {buildings}; other "
        "features added (stops, lines, networks, roads): {features}. IRIS districts: "
        "{districts}. Context: {context}.",
    ),
    "methods.site": (
        "Site : les parcelles des bâtiments neufs, modifiés et démolis et les autres éléments "
        "que le scénario ajoute, plus {buffer_m} alentour ; il est rural quand la plupart de "
        "ses bâtiments sont dans des IRIS couvrant toute une commune : le coût par prise et "
        "le rayon de cellule de la campagne s’appliquent alors.",
        "Site: the parcels of the new, changed and demolished buildings and the other features "
        "the scenario adds, plus {buffer_m}; it is rural when most of its buildings lie in IRIS "
        "covering a whole commune: the countryside's cost per premise and cell radius apply.",
    ),
    "methods.premises": (
        "Prises à raccorder : les logements neufs, plus la surface nouvellement affectée aux "
        "bureaux, commerces, équipements publics ou à l’industrie divisée par "
        "{business_premise_m2} par local.",
        "Premises to connect: new dwellings plus the floor area new in an office, shop, public "
        "or industrial use / {business_premise_m2} per premise.",
    ),
    "methods.ducts": (
        "Fourreaux : plus court chemin le long des voies, du point le plus proche du réseau "
        "existant (le long des câbles tous les {spacing_m}, points de branchement) à la façade "
        "de chaque bâtiment neuf ; une rue empruntée par plusieurs tracés n’est comptée qu’une "
        "fois.",
        "Ducts: shortest path along every road from the nearest point of the existing network "
        "(along cables every {spacing_m}, connection points) to each new building’s facade; "
        "streets shared by several routes counted once.",
    ),
    "methods.costs": (
        "Coûts ({method}) : un fourreau en tranchée ouverte et les raccordements finals, contre "
        "des tranchées chiffrées selon le contexte (centre-bourg, voirie, terrain nu) et une part "
        "de raccordements complexes a posteriori ; sans tracé, le coût par prise et la part de "
        "génie civil.",
        "Costs ({method}): a duct in the open trench and final connections, against trenches "
        "priced by context (town centre, road, bare ground) and a share of complex connections "
        "later; without routes, the cost per premise and civil-works share.",
    ),
    "methods.equipment": (
        "Équipements : capteurs par hectare de parcelle selon l’usage, compteurs par prise, "
        "passerelles LoRaWAN selon leur portée, petites cellules pour les bâtiments au-delà du "
        "rayon de cellule de chaque site 4G/5G.",
        "Equipment: sensors per hectare of parcel by use, meters per premise, LoRaWAN gateways "
        "by range, small cells for buildings beyond the cell radius of every 4G/5G site.",
    ),
    "methods.energy": (
        "Énergie : la puissance des équipements toute l’année ; les économies comme une part de "
        "l’énergie finale des bâtiments neufs et modifiés ; la valeur collective par euro "
        "investi dans les compteurs et les passerelles.",
        "Energy: the equipment’s power all year; savings as a share of the new and changed "
        "buildings’ final energy; collective value per euro invested in meters and gateways.",
    ),
    "methods.indicators": (
        "Indicateurs d’urbanisme : le moteur d’indicateurs à l’échelle {level}, tels que les "
        "donne « twin indicators --json ».",
        "Planning indicators: the indicator engine at the {level} level, as “twin indicators "
        "--json” gives them.",
    ),
    # values these paragraphs take
    "urban": ("urbain", "urban"),
    "rural": ("rural", "rural"),
    "routed": ("fourreaux tracés le long des voies", "ducts routed along the roads"),
    "ratios": ("ratios de coût par prise", "cost ratios per premise"),
    "territory": ("du territoire", "territory"),
    "commune": ("de la commune", "commune"),
    "district": ("du quartier", "district"),
}

_NOTES = {
    "note.no_digital_assets": (
        "Aucune couche d’infrastructures numériques : état initial inconnu, coûts tirés des "
        "seules hypothèses.",
        "No digital infrastructure layer: initial state unknown, costs from the assumptions only.",
    ),
    "note.empty_site": (
        "Le scénario ne touche rien de localisé : pas de site à décrire.",
        "The scenario touches nothing located: there is no site to describe.",
    ),
    "note.no_premises": (
        "Aucune prise recensée sur le site.",
        "No premises are recorded in the site.",
    ),
    "note.no_roads": (
        "Pas de couche de voies : longueurs de fourreaux inconnues.",
        "No roads layer: duct lengths along roads are unknown.",
    ),
    "note.no_network": (
        "Aucun câble ni point de branchement existant : longueurs de fourreaux inconnues.",
        "No existing fibre cable or connection point: duct lengths are unknown.",
    ),
    "note.no_route": (
        "Aucun bâtiment neuf n’a pu être rejoint par les voies depuis le réseau.",
        "No new building could be reached along the roads from the network.",
    ),
    "note.some_unrouted": (
        "Certains bâtiments neufs n’ont pu être rejoints par les voies : la longueur compte les "
        "autres.",
        "Some new buildings could not be reached along the roads: the length counts the others.",
    ),
    "note.costs_from_ratios": (
        "Sans tracé des fourreaux, coûts tirés du coût par prise et de la part de génie civil.",
        "Without routed ducts, costs come from the cost per premise and the civil-works share.",
    ),
    "note.nothing_to_connect": (
        "Le scénario ne crée aucune prise à raccorder.",
        "The scenario creates no premise to connect.",
    ),
    "note.sum_over_studied_buildings": (
        "Somme de l’indicateur d’énergie sur les bâtiments neufs et modifiés.",
        "Sum of the energy indicator over the new and changed buildings.",
    ),
    "note.indicator_missing": (
        "L’indicateur n’a pas pu être calculé.",
        "The indicator could not be computed.",
    ),
    "note.no_new_buildings": (
        "Le scénario n’ajoute aucun bâtiment avec des prises : pas de fourreau à poser.",
        "The scenario adds no building with premises: no duct to lay.",
    ),
}

STUDY_TEXTS: dict[str, tuple[str, str]] = {**_SECTIONS, **_PARAGRAPHS, **_METHODS, **_NOTES}
