"""Archives: a zip or gzip bomb is refused before it is expanded, entries with ``../`` or
absolute paths are refused, and nothing is ever extracted to disk."""

from __future__ import annotations

import gzip
import json
import struct
import zipfile
import zlib
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest

from importers import archive_guard
from importers.archive_guard import MAX_COMPRESSION_RATIO, check_zip_entries
from tests.robustness.bad_files import GTFS_BASE, MAIRIE
from tests.robustness.conftest import assert_refused_cleanly, files_under, run_twin
from twin.errors import InvalidInputError

BOMB_BYTES = 40 * 1024**2  # 40 MB of one byte: about 40 KB deflated, a ratio near 1000:1


def _zip(path: Path, members: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return path


def _gtfs_members() -> dict[str, bytes]:
    return {name: text.encode() for name, text in GTFS_BASE.items()}


@pytest.fixture
def forbid_decompression(monkeypatch: pytest.MonkeyPatch) -> Callable[[], None]:
    """Once called, any zip member opened for reading fails the test: names and sizes only."""

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("a zip member was decompressed")

    def forbid() -> None:
        monkeypatch.setattr(zipfile.ZipFile, "open", refuse)

    return forbid


def _bomb(folder: Path, kind: str) -> Path:
    zeros = b"\0" * BOMB_BYTES
    if kind == "gtfs":
        return _zip(folder / "reseau.zip", {**_gtfs_members(), "shapes.txt": zeros})
    if kind == "ifczip":
        return _zip(folder / "mairie.ifczip", {"mairie.ifc": zeros})
    if kind == "zipped shapefile":
        return _zip(
            folder / "batiments.zip",
            {"batiments.shp": b"\0\0\x27\x0a", "batiments.dbf": zeros, "batiments.shx": b""},
        )
    return _zip(folder / "donnees.zip", {"donnees.csv": zeros})


@pytest.mark.parametrize("kind", ["gtfs", "ifczip", "zipped shapefile", "zip of anything"])
@pytest.mark.parametrize("forced", [None, "gtfs", "ifc", "vector", "bdtopo", "digital"])
def test_a_zip_bomb_is_refused_before_any_member_is_decompressed(
    kind: str,
    forced: str | None,
    project: Path,
    inputs: Path,
    capsys: pytest.CaptureFixture[str],
    forbid_decompression: Callable[[], None],
) -> None:
    bomb = _bomb(inputs, kind)
    info = max(zipfile.ZipFile(bomb).infolist(), key=lambda i: i.file_size)
    assert info.file_size / info.compress_size > MAX_COMPRESSION_RATIO
    forbid_decompression()
    before = project.read_bytes()
    outcome = run_twin(capsys, "import", project, bomb, *(("--as", forced) if forced else ()))
    assert_refused_cleanly(outcome, bomb.name, "ratio")
    assert project.read_bytes() == before


def test_a_stored_gtfs_bomb_is_refused_when_read_back_from_bytes(tmp_path: Path) -> None:
    from importers.gtfs_files import zipped_feed

    data = _zip(tmp_path / "r.zip", {**_gtfs_members(), "shapes.txt": b"\0" * BOMB_BYTES})
    with pytest.raises(InvalidInputError, match="ratio"):
        zipped_feed(data.read_bytes(), "reseau.zip")


def test_an_archive_over_the_size_limit_is_refused_whatever_its_ratio(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(archive_guard, "MAX_UNCOMPRESSED_BYTES", 1024**2)
    incompressible = zipfile.ZipInfo("bruit.bin")
    incompressible.file_size = incompressible.compress_size = 2 * 1024**2  # ratio 1:1
    with pytest.raises(InvalidInputError, match=r"2\.0 MB"):
        check_zip_entries([incompressible], "gros.zip", "give a smaller file")


def test_small_repetitive_archives_are_not_taken_for_bombs() -> None:
    tiny = zipfile.ZipInfo("stops.txt")
    tiny.file_size, tiny.compress_size = 500_000, 1_000  # 500:1 but only 0.5 MB
    check_zip_entries([tiny], "petit.zip", "unused")  # no error


def _lying_zip(
    path: Path, member: str, real: bytes, declared_size: int, *, crc_of_all: bool = True
) -> Path:
    """A zip whose entry inflates to ``real`` but whose headers declare ``declared_size``;
    its CRC is that of all of ``real`` (as a bomb's maker writes it) or of the declared part."""
    _zip(path, {member: real})
    data = bytearray(path.read_bytes())
    crc = zlib.crc32(real if crc_of_all else real[:declared_size])
    local = data.find(b"PK\x03\x04")
    central = data.find(b"PK\x01\x02")
    struct.pack_into("<I", data, local + 14, crc)
    struct.pack_into("<I", data, local + 22, declared_size)
    struct.pack_into("<I", data, central + 16, crc)
    struct.pack_into("<I", data, central + 24, declared_size)
    path.write_bytes(bytes(data))
    return path


def test_zipfile_never_inflates_a_member_beyond_its_declared_size(tmp_path: Path) -> None:
    # The guard trusts the declared sizes; this is why it may.
    real = b"a" * BOMB_BYTES
    path = _lying_zip(tmp_path / "a.zip", "a.txt", real, declared_size=1000, crc_of_all=False)
    with zipfile.ZipFile(path) as archive, archive.open("a.txt") as stream:
        assert len(stream.read(10 * 1024**2)) == 1000
    path = _lying_zip(tmp_path / "b.zip", "a.txt", real, declared_size=1000)
    with zipfile.ZipFile(path) as archive, pytest.raises(zipfile.BadZipFile, match="CRC"):
        archive.read("a.txt")


@pytest.mark.parametrize("member", ["stops.txt", "stop_times.txt", "calendar.txt"])
def test_a_gtfs_member_lying_about_its_size_is_refused_cleanly(
    member: str, project: Path, inputs: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = GTFS_BASE[member].encode()
    real = text + text.splitlines(keepends=True)[-1] * 500_000
    path = _lying_zip(inputs / "reseau.zip", member, real, declared_size=len(text))
    with zipfile.ZipFile(path, "a") as archive:
        for name, other in GTFS_BASE.items():
            if name != member:
                archive.writestr(name, other)
    before = project.read_bytes()
    outcome = run_twin(capsys, "import", project, path)
    assert_refused_cleanly(outcome, "reseau.zip")
    assert project.read_bytes() == before


def test_a_gzip_bomb_is_refused_without_being_expanded_whole(
    project: Path, inputs: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    parcel = {
        "type": "Feature",
        "id": "12990000AB0001",
        "properties": {
            "id": "12990000AB0001",
            "commune": "12990",
            "prefixe": "000",
            "section": "AB",
            "numero": "1",
            "contenance": 500,
        },
        "geometry": {"type": "Point", "coordinates": [2.57, 44.35]},
    }
    head = '{"type": "FeatureCollection", "features": [' + json.dumps(parcel)
    path = inputs / "cadastre-12990-parcelles.json.gz"
    real_size = 200 * 1024**2
    with gzip.open(path, "wb", compresslevel=9) as stream:
        stream.write(head.encode())
        block = b" " * (8 * 1024**2)
        for _ in range(real_size // len(block)):
            stream.write(block)
        stream.write(b"]}")
    assert path.stat().st_size * MAX_COMPRESSION_RATIO < real_size
    before = project.read_bytes()
    outcome = run_twin(capsys, "import", project, path)
    line = assert_refused_cleanly(outcome, path.name, "decompresses to more than")
    expanded_mb = float(line.split("more than ")[1].split(" MB")[0])
    assert expanded_mb < real_size / 1024**2 / 4  # stopped long before the end
    assert project.read_bytes() == before


UNSAFE_NAMES = ["../../stops.txt", "/tmp/stops.txt", "..\\..\\stops.txt", "C:/stops.txt"]


@pytest.mark.parametrize("unsafe", UNSAFE_NAMES)
@pytest.mark.parametrize("kind", ["gtfs", "ifczip"])
def test_an_archive_entry_climbing_out_of_its_folder_is_refused_and_nothing_is_written(
    kind: str, unsafe: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "project").mkdir()
    project = tmp_path / "project" / "ville.twin.gpkg"
    assert run_twin(capsys, "new", project).status == 0
    deep = tmp_path / "a" / "b"
    deep.mkdir(parents=True)
    if kind == "gtfs":
        members = {**_gtfs_members(), unsafe: GTFS_BASE["stops.txt"].encode()}
        members.pop("stops.txt")
        path = _zip(deep / "reseau.zip", members)
    else:
        path = _zip(deep / "mairie.ifczip", {unsafe.replace("stops.txt", "x.ifc"): b"x"})
        with zipfile.ZipFile(path, "a") as archive:
            archive.write(MAIRIE, "mairie.ifc")
    before = files_under(tmp_path)
    outcome = run_twin(capsys, "import", project, path)
    assert_refused_cleanly(outcome, path.name, "unsafe path")
    assert files_under(tmp_path) == before  # nothing extracted, next to it or above
    assert not Path("/tmp/stops.txt").exists() and not Path("/tmp/x.ifc").exists()


def test_a_feed_with_a_safe_subfolder_still_imports(
    project: Path, inputs: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    members = {f"export/gtfs/{name}": data for name, data in _gtfs_members().items()}
    path = _zip(inputs / "reseau.zip", members)
    outcome = run_twin(capsys, "import", project, path)
    assert outcome.status == 0, outcome.err
    assert "transit_stops: 3 rows" in outcome.out


def test_random_bytes_after_a_zip_header_never_reach_a_decompressor(
    project: Path,
    inputs: Path,
    capsys: pytest.CaptureFixture[str],
    forbid_decompression: Callable[[], None],
) -> None:
    path = inputs / "bruit.zip"
    path.write_bytes(b"PK\x03\x04" + np.random.default_rng(3).bytes(50_000))
    forbid_decompression()
    outcome = run_twin(capsys, "import", project, path, "--as", "gtfs")
    assert_refused_cleanly(outcome, "bruit.zip")
