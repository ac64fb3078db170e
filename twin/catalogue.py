"""The standard layers of a City and their specifications.

Hierarchy layers (territory → space) come first; layers outside the hierarchy (roads, transit,
population grid, digital infrastructure) are declared by the issues that bring them in.
"""

from __future__ import annotations

from twin.levels import Level
from twin.spec import LINEAR, POINTS, POLYGONAL, ColumnSpec, LayerSpec, common_columns
from twin.uses import ALL_USES

#: Where a building's height comes from, best first (the import report counts each):
#: measured (BD TOPO HAUTEUR, OSM height), roof_minus_ground (roof altitude - ground altitude),
#: geometry (3D model: CityJSON), ifc, floors (floors x storey height), use_default (a
#: default height for the use), edited (set in a scenario).
HEIGHT_SOURCES = (
    "measured",
    "roof_minus_ground",
    "geometry",
    "ifc",
    "floors",
    "use_default",
    "edited",
)

TERRITORY = LayerSpec(
    name="territory",
    title="Territoire d'étude",
    level=Level.TERRITORY,
    geometry_types=POLYGONAL,
    columns=(
        *common_columns("none (the territory is the root)"),
        ColumnSpec(
            "kind",
            "str",
            "what the study area is",
            allowed=("epci", "syndicat_mixte", "study_area"),
        ),
    ),
    meaning="The study area: an intercommunality or the area of a syndicat mixte.",
)

COMMUNES = LayerSpec(
    name="communes",
    title="Communes",
    level=Level.COMMUNE,
    geometry_types=POLYGONAL,
    columns=(
        *common_columns("the territory"),
        ColumnSpec("population", "Int64", "legal population", "persons", 0, 3e6),
    ),
    meaning="Communes, id = INSEE code.",
)

DISTRICTS = LayerSpec(
    name="districts",
    title="Quartiers (IRIS)",
    level=Level.DISTRICT,
    geometry_types=POLYGONAL,
    columns=(
        *common_columns("the commune"),
        ColumnSpec("kind", "str", "IRIS or quartier", allowed=("iris", "quartier")),
        ColumnSpec(
            "iris_type", "str", "INSEE IRIS type: H housing, A activity, D other, Z whole commune"
        ),
    ),
    meaning="Districts: IRIS (id = 9-character IRIS code) or quartiers.",
)

PARCELS = LayerSpec(
    name="parcels",
    title="Parcelles cadastrales",
    level=Level.PARCEL,
    geometry_types=POLYGONAL,
    columns=(
        *common_columns("the district (or the commune)"),
        ColumnSpec("commune", "str", "INSEE code of the commune"),
        ColumnSpec("section", "str", "cadastral section"),
        ColumnSpec("numero", "str", "parcel number in its section"),
        ColumnSpec("contenance_m2", "float64", "cadastral (legal) area", "m2", 0, 1e9),
        ColumnSpec(
            "desealed_area_m2",
            "float64",
            "area de-sealed and greened by a scenario (désartificialisation)",
            "m2",
            0,
            1e9,
        ),
    ),
    meaning="Cadastral parcels, id = Etalab 14-character id.",
)

BUILDINGS = LayerSpec(
    name="buildings",
    title="Bâtiments",
    level=Level.BUILDING,
    geometry_types=POLYGONAL,
    columns=(
        *common_columns("the parcel it overlaps most (or its district)"),
        ColumnSpec("use", "str", "main use, in the twin's classification", allowed=ALL_USES),
        ColumnSpec("height_m", "float64", "height from ground to top", "m", 0, 1000),
        ColumnSpec("height_source", "str", "where the height comes from", allowed=HEIGHT_SOURCES),
        ColumnSpec("floors", "Int64", "number of storeys above ground", "storeys", 0, 200),
        ColumnSpec(
            "base_elevation_m",
            "float64",
            "ground altitude under the building (NGF)",
            "m",
            -500,
            9000,
        ),
        ColumnSpec("dwellings", "Int64", "number of dwellings", "dwellings", 0, 100000),
        ColumnSpec("construction_year", "Int64", "year of construction", "year", 1000, 2100),
        ColumnSpec(
            "floor_area_m2", "float64", "gross floor area (surface de plancher)", "m2", 0, 1e7
        ),
        ColumnSpec(
            "inhabitants",
            "float64",
            "inhabitants living there (allocated from the population grid)",
            "persons",
            0,
            1e5,
        ),
        ColumnSpec("households", "float64", "households living there", "households", 0, 1e5),
        ColumnSpec(
            "use_mix",
            "str",
            'shares of floor area by use, JSON {"residential": 0.8, "retail": 0.2}',
        ),
        ColumnSpec(
            "energy_class",
            "str",
            "DPE energy class (A best to G), measured or set by a retrofit",
            allowed=("A", "B", "C", "D", "E", "F", "G"),
        ),
        ColumnSpec(
            "retrofit_target",
            "str",
            "DPE class an energy retrofit aims at (empty: no retrofit planned)",
            allowed=("A", "B", "C", "D", "E", "F", "G"),
        ),
        ColumnSpec("source", "str", "which importer or edit produced the row"),
    ),
    meaning="Buildings: LoD1 blocks (footprint + height) and IFC buildings.",
)

STOREYS = LayerSpec(
    name="storeys",
    title="Étages",
    level=Level.STOREY,
    geometry_types=POLYGONAL,
    geometry_required=False,
    columns=(
        *common_columns("the building"),
        ColumnSpec(
            "elevation_m", "float64", "floor level above the building's base", "m", -200, 2000
        ),
        ColumnSpec("area_m2", "float64", "gross floor area of the storey", "m2", 0, 1e7),
        ColumnSpec("ifc_global_id", "str", "IFC GlobalId (the IFC stays the source of detail)"),
    ),
    meaning="Storeys of IFC buildings (IfcBuildingStorey).",
)

SPACES = LayerSpec(
    name="spaces",
    title="Pièces et locaux",
    level=Level.SPACE,
    geometry_types=POLYGONAL,
    geometry_required=False,
    columns=(
        *common_columns("the storey"),
        ColumnSpec("long_name", "str", "long name of the room (IfcSpace LongName)"),
        ColumnSpec("use", "str", "use, in the twin's classification", allowed=ALL_USES),
        ColumnSpec("area_m2", "float64", "net floor area", "m2", 0, 1e6),
        ColumnSpec("volume_m3", "float64", "net volume", "m3", 0, 1e7),
        ColumnSpec("ifc_global_id", "str", "IFC GlobalId"),
    ),
    meaning="Rooms and spaces of IFC buildings (IfcSpace).",
)

ROADS = LayerSpec(
    name="roads",
    title="Voirie",
    level=None,
    geometry_types=LINEAR,
    columns=(
        ColumnSpec("id", "str", "stable identifier (OSM way id, BD TOPO cleabs)", required=True),
        ColumnSpec("name", "str", "street name"),
        ColumnSpec("kind", "str", "road class (OSM highway value or BD TOPO nature)"),
        ColumnSpec(
            "importance", "Int64", "BD TOPO importance, 1 (national) to 6 (local)", "", 1, 6
        ),
        ColumnSpec("lanes", "Int64", "number of lanes", "lanes", 0, 20),
        ColumnSpec("width_m", "float64", "carriageway width", "m", 0, 200),
        ColumnSpec("oneway", "boolean", "traffic in one direction only"),
        ColumnSpec("walkable", "boolean", "pedestrians may use it (for walking distances)"),
        ColumnSpec("source", "str", "which importer produced the row"),
    ),
    meaning="Road and path centrelines (for the 3D view and walking networks).",
)

IFC_ELEMENTS = LayerSpec(
    name="ifc_elements",
    title="Éléments IFC",
    level=None,
    geometry_types=(),
    geometry_required=False,
    columns=(
        ColumnSpec("id", "str", "IFC GlobalId of the element", required=True),
        ColumnSpec("parent_id", "str", "id of the storey or space containing it (or building)"),
        ColumnSpec("building_id", "str", "id of the IFC building it belongs to"),
        ColumnSpec("ifc_class", "str", "IFC entity (IfcWall, IfcSlab, IfcSpace ...)"),
        ColumnSpec("name", "str", "element name (IfcRoot Name)"),
        ColumnSpec("properties_json", "str", "property sets as JSON: {pset: {property: value}}"),
        ColumnSpec("quantities_json", "str", "quantity sets as JSON, lengths in metres"),
        ColumnSpec("source_file", "str", "name of the IFC file stored in the project"),
    ),
    meaning="Every IFC element read (also storeys, spaces, buildings), with its property sets.",
)

TRANSIT_STOPS = LayerSpec(
    name="transit_stops",
    title="Arrêts de transport en commun",
    level=None,
    geometry_types=POINTS,
    columns=(
        ColumnSpec("id", "str", "feed name and GTFS stop_id, as 'feed:stop_id'", required=True),
        ColumnSpec("name", "str", "stop name (GTFS stop_name)"),
        ColumnSpec("feed", "str", "name of the GTFS feed the stop comes from"),
        ColumnSpec("routes", "str", "short names of the routes serving the stop, comma-separated"),
        ColumnSpec("service_date", "str", "the day the service figures describe (YYYY-MM-DD)"),
        ColumnSpec("departures_day", "Int64", "departures on the service day", "departures", 0),
        ColumnSpec(
            "departures_peak_per_h",
            "float64",
            "mean departures per hour in the morning peak (07:00-09:00) of the service day",
            "departures/h",
            0,
        ),
        ColumnSpec(
            "headway_peak_min",
            "float64",
            "mean time between departures in the morning peak",
            "min",
            0,
        ),
        ColumnSpec("source", "str", "which importer produced the row"),
    ),
    meaning="Public transport stops (GTFS stops and platforms), with their service level.",
)

TRANSIT_ROUTES = LayerSpec(
    name="transit_routes",
    title="Lignes de transport en commun",
    level=None,
    geometry_types=LINEAR,
    geometry_required=False,
    columns=(
        ColumnSpec("id", "str", "feed name and GTFS route_id, as 'feed:route_id'", required=True),
        ColumnSpec("name", "str", "short name of the line (GTFS route_short_name)"),
        ColumnSpec("long_name", "str", "long name of the line (GTFS route_long_name)"),
        ColumnSpec("mode", "str", "tram, metro, rail, bus, ferry, cable, ... (GTFS route_type)"),
        ColumnSpec("colour", "str", "line colour, #rrggbb"),
        ColumnSpec("feed", "str", "name of the GTFS feed"),
        ColumnSpec("trips_day", "Int64", "trips on the service day", "trips", 0),
        ColumnSpec("source", "str", "which importer produced the row"),
    ),
    meaning="Public transport lines: GTFS shapes, or the line through their stops.",
)

TRANSIT_STOP_HOURS = LayerSpec(
    name="transit_stop_hours",
    title="Départs par arrêt et par heure",
    level=None,
    geometry_types=(),
    geometry_required=False,
    columns=(
        ColumnSpec("id", "str", "'stop id@hour'", required=True),
        ColumnSpec("stop_id", "str", "id of the stop in transit_stops", required=True),
        ColumnSpec(
            "hour", "Int64", "hour of the service day (24 and more: after midnight)", "h", 0, 47
        ),
        ColumnSpec("departures", "Int64", "departures in that hour", "departures", 0),
    ),
    meaning="Departures per stop and per hour on the service day of transit_stops.",
)

POPULATION_CELLS = LayerSpec(
    name="population_cells",
    title="Carroyage de population (INSEE)",
    level=None,
    geometry_types=POLYGONAL,
    columns=(
        ColumnSpec(
            "id", "str", "INSEE cell id (e.g. CRS3035RES200mN2387600E3728800)", required=True
        ),
        ColumnSpec("inhabitants", "float64", "inhabitants (Filosofi ind)", "persons", 0, 1e6),
        ColumnSpec("households", "float64", "households (Filosofi men)", "households", 0, 1e6),
        ColumnSpec(
            "poor_households",
            "float64",
            "households below the poverty line (Filosofi men_pauv)",
            "households",
            0,
            1e6,
        ),
        ColumnSpec("year", "Int64", "year the figures describe", "year", 1900, 2100),
        ColumnSpec(
            "allocated_inhabitants",
            "float64",
            "inhabitants shared among the cell's residential buildings (0: none to take them)",
            "persons",
            0,
            1e6,
        ),
        ColumnSpec("source", "str", "which importer produced the row"),
    ),
    meaning="INSEE Filosofi grid cells (200 m): inhabitants and households by cell.",
)

DIGITAL_ASSETS = LayerSpec(
    name="digital_assets",
    title="Infrastructures numériques",
    level=None,
    geometry_types=(*POINTS, *LINEAR),
    columns=(
        ColumnSpec(
            "id", "str", "stable identifier (operator's id where there is one)", required=True
        ),
        ColumnSpec(
            "kind",
            "str",
            "what it is",
            allowed=(
                "fibre_cable",
                "fibre_duct",
                "connection_point",
                "premises",
                "mobile_site",
                "sensor",
                "smart_meter",
                "streetlight",
                "lorawan_gateway",
            ),
        ),
        ColumnSpec("status", "str", "existing or planned", allowed=("existing", "planned")),
        ColumnSpec("count", "Int64", "units it stands for (premises, meters, sensors)", "", 0),
        ColumnSpec("length_m", "float64", "length of a cable or duct", "m", 0, 1e6),
        ColumnSpec("laying", "str", "how a cable is laid: underground, overhead, facade"),
        ColumnSpec("operator", "str", "operator or owner"),
        ColumnSpec("technology", "str", "FTTH, 4G, 5G, LoRaWAN ..."),
        ColumnSpec(
            "ftth_status",
            "str",
            "FTTH status of premises: connectable, on_demand, in_progress, targeted, "
            "not_connectable (other source words kept as written)",
        ),
        ColumnSpec("year", "Int64", "year laid or installed", "year", 1900, 2100),
        ColumnSpec("building_id", "str", "the building it serves (premises, meters)"),
        ColumnSpec("source", "str", "which importer or edit produced the row"),
    ),
    meaning="Digital infrastructure: fibre, connection points, premises, mobile sites, sensors.",
)

STANDARD_SPECS: dict[str, LayerSpec] = {
    spec.name: spec
    for spec in (
        TERRITORY,
        COMMUNES,
        DISTRICTS,
        PARCELS,
        BUILDINGS,
        STOREYS,
        SPACES,
        ROADS,
        IFC_ELEMENTS,
        TRANSIT_STOPS,
        TRANSIT_ROUTES,
        TRANSIT_STOP_HOURS,
        POPULATION_CELLS,
        DIGITAL_ASSETS,
    )
}


def standard_spec(layer_name: str) -> LayerSpec | None:
    """The standard spec of a layer name, or None if the name is not a standard layer."""
    return STANDARD_SPECS.get(layer_name)
