"""Vocabularies of digital-infrastructure sources → the values of the ``digital_assets`` layer.

Source values are compared once normalised (lower case, accents and punctuation removed:
``Déployé`` and ``deploye`` are the same word). Statuses become ``existing``/``planned``, FTTH
statuses of premises one of :data:`FTTH_STATUSES`, laying ``underground``/``overhead``/
``facade``, technologies ``FTTH``, ``2G`` … ``5G``, ``LoRaWAN`` …. A value outside a vocabulary
is reported once per distinct value (with how many rows carry it) and kept as the source wrote
it where the column allows it; docs/formats/digital.md lists the words.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

import numpy as np
import pandas as pd

from twin.issues import Issue, Severity


def _words(table: Mapping[str, tuple[str, ...]]) -> dict[str, str]:
    return {word: value for value, words in table.items() for word in words}


#: Status of a network, site or sensor (GraceTHD phases included: REC built, AVP/PRO/EXE planned).
STATUS = _words(
    {
        "existing": (
            "existing", "existant", "existante", "en service", "service", "in service",
            "operationnel", "techniquement operationnel", "operational", "actif", "active",
            "construit", "built", "deploye", "installe", "en exploitation", "exploitation",
            "livre", "rec", "recole", "mco",
        ),
        "planned": (
            "planned", "projet", "en projet", "projet approuve", "approuve", "autorise",
            "prevu", "planifie", "programme", "a construire", "a deployer", "en cours",
            "en construction", "en travaux", "travaux", "etude", "en etude", "proposed",
            "under construction", "avp", "pro", "exe", "etu", "dia", "cible",
        ),
    }
)  # fmt: skip

#: Where a premises stands for FTTH (ARCEP *Ma connexion internet*, IPE ``imb_etat``).
FTTH_STATUS = _words(
    {
        "connectable": (
            "raccordable", "deploye", "eligible", "connectable", "en service",
            "commercialisable", "ouvert a la commercialisation", "raccorde", "connected",
        ),
        "on_demand": (
            "raccordable a la demande", "raccordable sur demande", "raccordable demande",
            "rad", "sur demande", "on demand",
        ),
        "in_progress": (
            "en cours de deploiement", "en cours", "deploiement en cours", "signe",
            "en travaux", "in progress",
        ),
        "targeted": ("cible", "prevu", "programme", "planifie", "a deployer", "targeted"),
        "not_connectable": (
            "non raccordable", "non eligible", "non deploye", "abandonne", "hors zone",
            "non couvert", "not connectable",
        ),
    }
)  # fmt: skip
FTTH_STATUSES = ("connectable", "on_demand", "in_progress", "targeted", "not_connectable")

#: How a cable or duct is laid (``mode_pose``).
LAYING = _words(
    {
        "underground": (
            "souterrain", "souterraine", "sous terrain", "enterre", "pleine terre",
            "conduite", "fourreau", "galerie", "egout", "underground", "buried", "st",
        ),
        "overhead": (
            "aerien", "aerienne", "appui", "appuis", "poteau", "poteaux", "overhead", "aer",
        ),
        "facade": ("facade", "en facade", "facades", "sur facade", "fac"),
    }
)  # fmt: skip

#: Technologies of fixed access (premises, cables).
FIXED = _words(
    {
        "FTTH": ("ftth", "fibre", "fibre optique", "fttp", "fo"),
        "FTTB": ("fttb",),
        "FTTO": ("ftto",),
        "FTTLA": ("fttla", "cable", "coaxial"),
        "xDSL": ("xdsl", "adsl", "adsl2", "vdsl", "vdsl2", "cuivre", "dsl", "copper"),
        "THD radio": ("thd radio", "radio"),
        "satellite": ("satellite", "sat"),
        "4G fixe": ("4g fixe", "4g box"),
    }
)  # fmt: skip

#: Mobile systems (ANFR ``emr_lb_systeme`` once band numbers are dropped) → generations.
MOBILE = _words(
    {
        "2G": ("2g", "gsm", "gprs", "edge", "dcs"),
        "3G": ("3g", "3g+", "umts", "hspa", "hspa+"),
        "4G": ("4g", "4g+", "lte", "lte a", "lte advanced"),
        "5G": ("5g", "5g nr", "nr", "5g sa", "5g nsa"),
    }
)  # fmt: skip
MOBILE_ORDER = ("2G", "3G", "4G", "5G")

#: Networks of sensors and gateways.
IOT = _words(
    {
        "LoRaWAN": ("lorawan", "lora"),
        "Sigfox": ("sigfox",),
        "NB-IoT": ("nb iot", "nbiot"),
        "LTE-M": ("lte m", "ltem", "cat m1"),
        "Zigbee": ("zigbee",),
        "Wi-Fi": ("wifi", "wi fi", "wlan"),
        "Bluetooth": ("bluetooth", "ble"),
        "4G": ("4g", "lte"),
        "5G": ("5g",),
        "wired": ("filaire", "wired", "ethernet"),
    }
)  # fmt: skip

#: Words of a ``type`` column saying that a line is a duct, not a cable.
DUCT_WORDS = ("fourreau", "gaine", "conduite", "alveole", "duct", "tube", "genie civil")

_BANDS = re.compile(r"\b\d+([.,]\d+)?\s*(mhz|ghz)?\b")
_TOKEN_SEPARATORS = r"[,;/|+&]| et | and "


def normalise(values: pd.Series) -> pd.Series:
    """Lower case, no accents, ``_``/``-``/``'`` as spaces, single spaces; blanks missing.

    >>> normalise(pd.Series(["Raccordable à la demande", " En_cours ", "", None])).tolist()
    ['raccordable a la demande', 'en cours', <NA>, <NA>]
    """
    text = values.astype("string").str.normalize("NFKD")
    text = text.str.encode("ascii", "ignore").str.decode("ascii").astype("string")
    text = text.str.lower().str.replace(r"[_\-'’\"().]", " ", regex=True)
    text = text.str.replace(r"\s+", " ", regex=True).str.strip()
    return text.where(text.str.len() > 0)


def translate(values: pd.Series, table: Mapping[str, str]) -> tuple[pd.Series, pd.Series]:
    """(translated values, mask of filled values outside ``table``), both on ``values.index``.

    >>> done, unknown = translate(pd.Series(["Aérien", "Souterrain", "en l'air"]), LAYING)
    >>> done.tolist(), unknown.tolist()
    (['overhead', 'underground', <NA>], [False, False, True])
    """
    keys = normalise(values)
    mapped = keys.map(dict(table)).astype("string")
    unknown = keys.notna() & mapped.isna()
    return mapped, unknown.astype(bool)


def technologies(
    values: pd.Series, table: Mapping[str, str], order: tuple[str, ...] = ()
) -> tuple[pd.Series, pd.Series]:
    """Each value's technologies as one text (``"4G,5G"``), and the unknown words as text.

    A value may list several (``"2G,3G,4G"``, ``"LTE 800 / NR 3500"``); band numbers are
    dropped, words in ``table`` translated, others kept as written. Known ones come in
    ``order``, then the others.

    >>> done, unknown = technologies(pd.Series(["NR 3500, LTE 800", "GSM 900/WiMAX"]), MOBILE)
    >>> done.tolist(), unknown.tolist()
    (['4G,5G', '2G,WiMAX'], [<NA>, 'WiMAX'])
    """
    raw = pd.Series(values.astype("string").to_numpy(), dtype="string")
    parts = raw.str.split(_TOKEN_SEPARATORS, regex=True).explode()
    parts = parts.astype("string").str.strip()
    keys = normalise(parts.str.replace(_BANDS, " ", regex=True))
    known = keys.map(dict(table)).astype("string")
    words = known.fillna(parts.where(keys.notna()))
    rank = words.map({name: position for position, name in enumerate(order)}).fillna(len(order))
    listed = pd.DataFrame({"word": words, "rank": rank, "unknown": keys.notna() & known.isna()})
    listed = listed[listed["word"].notna()]
    listed = listed.rename_axis("row").reset_index().drop_duplicates(["row", "word"])
    listed = listed.sort_values(["row", "rank", "word"], kind="stable")
    joined = listed.groupby("row")["word"].agg(",".join).reindex(raw.index)
    strange = listed[listed["unknown"]].groupby("row")["word"].agg(",".join).reindex(raw.index)
    return (
        pd.Series(joined.to_numpy(), index=values.index, dtype="string"),
        pd.Series(strange.to_numpy(), index=values.index, dtype="string"),
    )


def flags(values: pd.Series) -> np.ndarray:
    """True for the filled "yes" values of a flag column (1, true, oui, yes, x).

    >>> flags(pd.Series([1, 0, "oui", "non", None, "X"])).tolist()
    [True, False, True, False, False, True]
    """
    keys = normalise(values.astype("string"))
    return keys.isin(("1", "1 0", "true", "vrai", "oui", "yes", "o", "y", "x")).to_numpy()


def report_unknown_words(
    raw: pd.Series,
    unknown: pd.Series,
    ids: pd.Series,
    code: str,
    what: str,
    done: str,
    source: str,
    issues: list[Issue],
) -> None:
    """One warning per distinct value of ``raw`` flagged ``unknown``, with its row count and
    the first row's id; ``what`` names the column, ``done`` what became of the value."""
    if not unknown.any():
        return
    frame = pd.DataFrame({"value": raw[unknown].astype("string"), "id": ids[unknown]})
    grouped = frame.groupby("value", sort=True)["id"].agg(["count", "first"])
    for value, row in grouped.iterrows():
        issues.append(
            Issue(
                Severity.WARNING,
                code,
                f"{row['count']} row(s) with {what} '{value}', which is not a known word; {done}",
                source,
                str(row["first"]),
            )
        )
