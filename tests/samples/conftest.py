"""Shared fixtures: one generation of the sample town per test session, read back."""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest

from samples.town.generate import generate_sample_town


@pytest.fixture(scope="session")
def town(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Paths of a freshly generated sample town (default seed)."""
    return generate_sample_town(tmp_path_factory.mktemp("sample_town"))


@pytest.fixture(scope="session")
def communes(town: dict[str, Path]) -> gpd.GeoDataFrame:
    """The Etalab communes, in Lambert-93."""
    return gpd.read_file(town["communes"]).to_crs(2154)


@pytest.fixture(scope="session")
def parcels(town: dict[str, Path]) -> gpd.GeoDataFrame:
    """Both communes' Etalab parcels, in Lambert-93."""
    frames = [gpd.read_file(town[key]) for key in ("parcelles_12990", "parcelles_12991")]
    return gpd.GeoDataFrame(pd.concat(frames, ignore_index=True), crs=frames[0].crs).to_crs(2154)


@pytest.fixture(scope="session")
def buildings(town: dict[str, Path]) -> gpd.GeoDataFrame:
    """The BD TOPO ``batiment`` layer."""
    return gpd.read_file(town["bdtopo"], layer="batiment")


@pytest.fixture(scope="session")
def roads(town: dict[str, Path]) -> gpd.GeoDataFrame:
    """The BD TOPO ``troncon_de_route`` layer."""
    return gpd.read_file(town["bdtopo"], layer="troncon_de_route")
