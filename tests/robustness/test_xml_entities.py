"""XML with external entities never reads a local file.

The only XML urban-twin parses is OpenStreetMap's, with libosmium (pyosmium), whose XML parser
is expat: it refuses any entity declaration ("XML entities are not supported") and never loads
an external DTD. IFC is read as STEP only (no ifcXML); GML, KML and other XML never reach GDAL,
because no importer sniffs them and every importer named with ``--as`` refuses them first.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from importers.registry import IMPORTER_MODULES
from tests.robustness.conftest import assert_refused_cleanly, run_twin

SECRET = "SECRET-4242-NE-PAS-LIRE"

_WAY = (
    '<node id="1" lat="44.35" lon="2.57"/><node id="2" lat="44.35" lon="2.5702"/>'
    '<node id="3" lat="44.3502" lon="2.5702"/>'
    '<way id="10"><nd ref="1"/><nd ref="2"/><nd ref="3"/><nd ref="1"/>'
    '<tag k="building" v="yes"/><tag k="name" v="&xxe;"/></way>'
)


def _secret(folder: Path) -> Path:
    path = folder / "secret.txt"
    path.write_text(SECRET, encoding="utf-8")
    return path


def _osm_with_entity(folder: Path, declaration: str) -> Path:
    path = folder / "quartier.osm"
    path.write_text(
        f'<?xml version="1.0" encoding="UTF-8"?>\n{declaration}\n<osm version="0.6">{_WAY}</osm>\n',
        encoding="utf-8",
    )
    return path


def _everything_written(tmp_path: Path, *texts: str) -> str:
    """Every byte the command left: its output and every file but the secret, as text."""
    files = [p for p in tmp_path.rglob("*") if p.is_file() and p.name != "secret.txt"]
    return "".join(texts) + "".join(p.read_bytes().decode("latin-1") for p in files)


@pytest.mark.parametrize(
    "declaration",
    [
        '<!DOCTYPE osm [<!ENTITY xxe SYSTEM "file://{secret}">]>',
        '<!DOCTYPE osm [<!ENTITY % p SYSTEM "file://{secret}"> %p;]>',
        '<!DOCTYPE osm [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">'
        '<!ENTITY xxe "&b;&b;&b;&b;&b;&b;&b;&b;">]>',  # the "billion laughs", in small
    ],
    ids=["external entity", "parameter entity", "entity expansion"],
)
def test_osm_xml_declaring_entities_is_refused_and_the_file_is_never_read(
    declaration: str,
    tmp_path: Path,
    project: Path,
    inputs: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    secret = _secret(tmp_path)
    path = _osm_with_entity(inputs, declaration.format(secret=secret))
    before = project.read_bytes()
    outcome = run_twin(capsys, "import", project, path)
    assert_refused_cleanly(outcome, "quartier.osm", "entities")
    assert project.read_bytes() == before
    assert SECRET not in _everything_written(tmp_path, outcome.out, outcome.err)


def test_an_external_dtd_is_never_fetched(
    tmp_path: Path, project: Path, inputs: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    secret = _secret(tmp_path)
    dtd = tmp_path / "evil.dtd"
    dtd.write_text(f'<!ENTITY xxe SYSTEM "file://{secret}">', encoding="utf-8")
    path = _osm_with_entity(inputs, f'<!DOCTYPE osm SYSTEM "file://{dtd}">')
    outcome = run_twin(capsys, "import", project, path)
    # expat does not load the DTD: the entity stays undefined and the name is left empty.
    assert outcome.status == 0, outcome.err
    assert "buildings: 1 rows added" in outcome.out
    assert SECRET not in _everything_written(tmp_path, outcome.out, outcome.err)


_GML = (
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    '<!DOCTYPE foo [<!ENTITY xxe SYSTEM "file://{secret}">]>\n'
    '<ogr:FeatureCollection xmlns:ogr="http://ogr.maptools.org/" '
    'xmlns:gml="http://www.opengis.net/gml"><gml:featureMember><ogr:b fid="b.0">'
    '<ogr:geometryProperty><gml:Polygon srsName="EPSG:2154"><gml:outerBoundaryIs>'
    "<gml:LinearRing><gml:coordinates>660000,6360000 660010,6360000 660010,6360010 "
    "660000,6360000</gml:coordinates></gml:LinearRing></gml:outerBoundaryIs></gml:Polygon>"
    "</ogr:geometryProperty><ogr:id>&xxe;</ogr:id><ogr:name>&xxe;</ogr:name></ogr:b>"
    "</gml:featureMember></ogr:FeatureCollection>\n"
)
_IFC_XML = (
    '<?xml version="1.0"?>\n<!DOCTYPE ifc [<!ENTITY xxe SYSTEM "file://{secret}">]>\n'
    '<ifcXML xmlns="http://www.buildingsmart-tech.org/ifcXML/IFC4/final">'
    "<IfcProject><Name>&xxe;</Name></IfcProject></ifcXML>\n"
)
XML_FILES = {"batiments.gml": _GML, "batiments.kml": _GML, "mairie.ifc": _IFC_XML}
KINDS = [None, "buildings", *(module.rsplit(".", 1)[1] for module in IMPORTER_MODULES)]


@pytest.mark.parametrize("name", sorted(XML_FILES))
def test_other_xml_with_an_external_entity_is_refused_by_every_importer(
    name: str, tmp_path: Path, project: Path, inputs: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    secret = _secret(tmp_path)
    path = inputs / name
    path.write_text(XML_FILES[name].format(secret=secret), encoding="utf-8")
    before = project.read_bytes()
    for kind in KINDS:
        outcome = run_twin(capsys, "import", project, path, *(("--as", kind) if kind else ()))
        assert_refused_cleanly(outcome, name)
        assert SECRET not in _everything_written(tmp_path, outcome.out, outcome.err), kind
    assert project.read_bytes() == before
