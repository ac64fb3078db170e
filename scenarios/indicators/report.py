"""A comparison of indicators as text, CSV or JSON (what ``twin indicators`` prints).

Numbers are rounded by unit (m² and counts to the unit, ratios m²/m² to 2 decimals, metres,
densities and % to 1) and, with ``french=True``, written the French way (``1 234,5``: narrow
no-break space between thousands, decimal comma; CSV with ``;``). Missing values print as ``—``.

Example:
    >>> format_value(12345.678, "m2"), format_value(12345.678, "m2", french=True)
    ('12,346', '12\u202f346')
    >>> format_value(0.354, "m2/m2"), format_value(-3.25, "m", signed=True, french=True)
    ('0.35', '−3,2')
"""

from __future__ import annotations

import json
import math
from typing import Any

import pandas as pd

from scenarios.indicators.comparison import DELTA, Comparison

MISSING = "—"
_THIN = "\u202f"


def decimals(unit: str, value: float) -> int:
    """How many decimals a value of ``unit`` is shown with."""
    if unit in ("m2/m2", "ratio"):
        return 2
    if unit in ("%", "m", "storeys") or "/ha" in unit or "/m2" in unit:
        return 1
    return 0 if abs(value) >= 100 or unit in ("m2", "dwellings") else 1


def format_value(value: Any, unit: str, *, french: bool = False, signed: bool = False) -> str:
    """One number for people to read (``—`` when missing)."""
    try:
        number = float(value)
    except (TypeError, ValueError):
        return MISSING if value is None else str(value)
    if not math.isfinite(number):
        return MISSING
    if number == 0:
        return "0"
    text = f"{number:{'+' if signed else ''},.{decimals(unit, number)}f}"
    if text.lstrip("+-").strip("0.,") == "":
        text = text.lstrip("+-")  # rounds to zero: no "-0.0" nor "+0.0"
    text = text.replace("-", "−")
    if french:
        text = text.replace(",", _THIN).replace(".", ",")
    return text


def comparison_text(
    comparison: Comparison, *, french: bool = False, names: dict | None = None
) -> str:
    """The comparison as aligned text: one block per unit, one line per indicator."""
    frame = comparison.long()
    columns = [comparison.baseline, *comparison.scenarios]
    columns += [DELTA + name for name in comparison.scenarios]
    level = comparison.level.name.lower()
    against = ", ".join(f"'{name}'" for name in comparison.scenarios)
    lines = [
        f"Indicators per {level}: {comparison.baseline}"
        + (f" vs {against} (Δ = scenario − baseline)" if against else "")
    ]
    labels = [
        f"{m} [{u}]" if u else m for m, u in zip(frame["measure"], frame["unit"], strict=True)
    ]
    cells = {
        column: [
            format_value(v, u, french=french, signed=column.startswith(DELTA))
            for v, u in zip(frame[column], frame["unit"], strict=True)
        ]
        for column in columns
    }
    label_width = max([len("indicator"), *map(len, labels)])
    widths = {c: max([len(c), *map(len, cells[c])]) for c in columns}
    header = (
        "  " + "indicator".ljust(label_width) + "".join("  " + c.rjust(widths[c]) for c in columns)
    )
    previous = None
    for row, unit_id in enumerate(frame["id"]):
        if unit_id != previous:
            title = (names or {}).get(unit_id, "")
            lines += ["", f"{unit_id}{'  ' + title if title else ''}", header]
            previous = unit_id
        lines.append(
            "  "
            + labels[row].ljust(label_width)
            + "".join("  " + cells[c][row].rjust(widths[c]) for c in columns)
        )
    notes = comparison.notes()
    if notes:
        lines += ["", "Notes:"] + [f"  {key}: {note}" for key, note in notes.items()]
    return "\n".join(lines)


def comparison_csv(comparison: Comparison, *, french: bool = False) -> str:
    """The comparison as CSV, one row per unit and indicator."""
    frame = comparison.long()
    if french:
        return str(frame.to_csv(index=False, sep=";", decimal=","))
    return str(frame.to_csv(index=False))


def comparison_json(comparison: Comparison) -> str:
    """The comparison as JSON: the indicators' specs, then one record per unit and indicator."""
    frame = comparison.long()
    specs = comparison.specs
    indicators = {
        name: {
            "measure": specs[name].quantity,
            "title": specs[name].title,
            "unit": specs[name].unit,
            "group": specs[name].group,
            "meaning": specs[name].meaning,
            "assumptions": list(specs[name].assumptions),
        }
        for name in dict.fromkeys(frame["indicator"])
    }
    rows = frame.drop(columns=["measure", "unit"]).astype(object)
    records = rows.where(pd.notna(rows), None).to_dict(orient="records")
    document = {
        "level": comparison.level.name.lower(),
        "baseline": comparison.baseline,
        "scenarios": comparison.scenarios,
        "indicators": indicators,
        "values": records,
        "notes": comparison.notes(),
    }
    return json.dumps(document, ensure_ascii=False, indent=1)
