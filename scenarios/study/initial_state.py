"""The initial digital state of the site: fibre by laying, premises by FTTH status, mobile sites
by operator and technology, sensors and gateways, read from the compared City's
``digital_assets`` rows that exist (not planned).

Fibre counts the length of cables inside the site; premises and equipment the units of the
points inside it; mobile sites those within the cell radius of the site (they serve it).
Without a ``digital_assets`` layer every figure is NaN with the note ``no_digital_assets``.
"""

from __future__ import annotations

from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from scenarios.study import digital_assets as da
from scenarios.study.model import Chart, Figure, MapLayer, Section, Table
from scenarios.study.site import Site
from twin.city import City

NAN = float("nan")
SOURCE = "model:digital_assets"
EQUIPMENT_KINDS = ("sensor", "smart_meter", "streetlight", "lorawan_gateway", "connection_point")


@dataclass(frozen=True)
class DigitalState:
    """What exists in and around the site (all empty when ``known`` is false).

    Attributes:
        known: whether the City has a ``digital_assets`` layer.
        fibre_m: cable length inside the site by laying (:data:`digital_assets.LAYINGS`).
        premises: premises units inside the site by FTTH status.
        mobile: mobile sites serving the site, one row per site and technology.
        equipment: units inside the site by kind (sensors, meters, lights, gateways).
        fibre: the cables clipped to the site, for the map.
        sites: the mobile sites serving the site, for the map.
    """

    known: bool
    fibre_m: pd.Series
    premises: pd.Series
    mobile: pd.DataFrame
    equipment: pd.Series
    fibre: gpd.GeoDataFrame
    sites: gpd.GeoDataFrame

    @property
    def n_mobile_sites(self) -> int:
        """Mobile sites serving the site."""
        return len(self.sites)

    @property
    def connectable_share_pct(self) -> float:
        """Premises connectable now, in % of the premises in the site (NaN without any)."""
        total = float(self.premises.sum())
        return 100.0 * float(self.premises["connectable"]) / total if total > 0 else NAN


def digital_state(city: City, site: Site, cell_radius_m: float) -> DigitalState:
    """Read the existing digital assets of ``city`` in and around ``site``."""
    frame = da.digital_layer(city)
    empty = gpd.GeoDataFrame(geometry=[], crs=city.crs)
    if frame is None:
        return DigitalState(
            False,
            pd.Series(0.0, index=list(da.LAYINGS)),
            pd.Series(0.0, index=list(da.FTTH_STATUSES)),
            pd.DataFrame(columns=["operator", "technology"]),
            pd.Series(0.0, index=list(EQUIPMENT_KINDS)),
            empty,
            empty,
        )
    rows = da.existing_rows(frame)
    area = site.geometry
    cables = da.of_kind(rows, "fibre_cable")
    clipped = shapely.intersection(cables.geometry.to_numpy(), area)
    length = pd.Series(shapely.length(clipped), index=cables.index)
    fibre_m = length.groupby(da.laying_of(cables)).sum().reindex(list(da.LAYINGS), fill_value=0.0)
    inside = shapely.intersects(rows.geometry.to_numpy(), area)
    here = rows[inside]
    premises = da.of_kind(here, "premises")
    units = pd.Series(da.counts(premises), index=premises.index)
    by_status = units.groupby(da.premises_status(premises)).sum()
    by_status = by_status.reindex(list(da.FTTH_STATUSES), fill_value=0.0)
    equipment = pd.Series(
        {kind: float(da.counts(da.of_kind(here, kind)).sum()) for kind in EQUIPMENT_KINDS}
    )
    sites = da.of_kind(rows, "mobile_site")
    serving = sites[shapely.dwithin(sites.geometry.to_numpy(), area, cell_radius_m)]
    kept = clipped[shapely.length(clipped) > 0]
    fibre = gpd.GeoDataFrame(
        {"laying": da.laying_of(cables)[shapely.length(clipped) > 0].to_numpy()},
        geometry=kept,
        crs=city.crs,
    )
    return DigitalState(
        True,
        fibre_m.astype("float64"),
        by_status.astype("float64"),
        da.technologies(serving),
        equipment,
        fibre,
        gpd.GeoDataFrame(serving, crs=city.crs),
    )


def initial_state_section(state: DigitalState, site: Site, site_figures: list[Figure]) -> Section:
    """The section *état initial numérique du site*."""
    section = Section("initial_state", figures=list(site_figures))
    note = "" if state.known else "note.no_digital_assets"
    source = SOURCE if state.known else "computed"

    def count(key: str, value: float, unit: str, why: str = "") -> None:
        shown = value if state.known and not site.is_empty else NAN
        reason = note or ("note.empty_site" if site.is_empty else why)
        section.figures.append(Figure(key, shown, unit, source, ("site_area_ha",), reason))

    count("fibre_length_existing_m", float(state.fibre_m.sum()), "m")
    for laying in da.LAYINGS[:-1]:
        count(f"fibre_length_{laying}_m", float(state.fibre_m[laying]), "m")
    count("premises_existing", float(state.premises.sum()), "premises")
    for status in da.FTTH_STATUSES[:-1]:
        count(f"premises_{status}", float(state.premises[status]), "premises")
    share = state.connectable_share_pct
    why = "" if np.isfinite(share) else "note.no_premises"
    count("premises_connectable_share", share, "%", why)
    count("mobile_sites_existing", float(state.n_mobile_sites), "sites")
    count("sensors_existing", float(state.equipment["sensor"]), "sensors")
    count("lorawan_gateways_existing", float(state.equipment["lorawan_gateway"]), "gateways")
    if not state.known:
        section.paragraphs.append(("initial_state.no_data", {"layer": da.LAYER}))
        return section
    if site.is_empty:
        return section
    section.paragraphs += _paragraphs(state, section)
    section.tables += _tables(state)
    section.charts += [
        Chart("fibre_by_laying", "bar", state.fibre_m.rename("fibre").to_frame(), "m"),
        Chart("premises_by_status", "bar", state.premises.to_frame("premises"), "premises"),
    ]
    section.maps += [
        MapLayer("existing_fibre", state.fibre, "fibre_existing"),
        MapLayer("mobile_sites", state.sites, "mobile_site"),
    ]
    return section


def _paragraphs(state: DigitalState, section: Section) -> list[tuple[str, dict[str, object]]]:
    """The paragraphs of a known initial state, valued with the section's figures."""
    figure = section.figure
    technologies = sorted(set(state.mobile["technology"].astype(str)) - {"unknown"})
    return [
        (
            "initial_state.network",
            {
                "fibre_length": figure("fibre_length_existing_m"),
                "connection_points": (
                    float(state.equipment["connection_point"]),
                    "connection points",
                ),
            },
        ),
        (
            "initial_state.premises",
            {
                "connectable": figure("premises_connectable"),
                "premises": figure("premises_existing"),
                "share": figure("premises_connectable_share"),
            },
        ),
        (
            "initial_state.mobile",
            {"sites": float(state.n_mobile_sites), "technologies": ", ".join(technologies)},
        ),
        ("initial_state.sensors", {"sensors": figure("sensors_existing")}),
    ]


def _tables(state: DigitalState) -> list[Table]:
    fibre = state.fibre_m.rename("length_m").to_frame()
    fibre.index.name = "laying"
    premises = state.premises.rename("premises").to_frame()
    premises["share_pct"] = 100.0 * premises["premises"] / max(float(premises["premises"].sum()), 1)
    premises.index.name = "ftth_status"
    mobile = (
        state.mobile.assign(sites=1)
        .pivot_table(index="operator", columns="technology", values="sites", aggfunc="sum")
        .fillna(0)
        .astype("int64")
        if len(state.mobile)
        else pd.DataFrame(index=pd.Index([], name="operator"))
    )
    return [
        Table("fibre_by_laying", fibre, {"length_m": "m"}),
        Table("premises_by_status", premises, {"premises": "premises", "share_pct": "%"}),
        Table("mobile_sites", mobile, dict.fromkeys(map(str, mobile.columns), "sites")),
    ]
