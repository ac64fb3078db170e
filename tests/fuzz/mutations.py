"""Hypothesis strategies for fuzz inputs: a seed's bytes mutated, or a tiny document made up.

A :class:`FuzzInput` says which seed it starts from, which of its files is mutated (a member
of an archive is mutated before zipping, so the mutation reaches the CSV or IFC inside) and how:
byte flips, overwrites with boundary values, insertions, deletions, duplicated chunks,
truncation, and numbers of text formats swapped for extreme ones. Or it is a document written
from scratch by :mod:`tests.fuzz.generated`.
"""

from __future__ import annotations

import functools
import re

from hypothesis import strategies as st

from tests.fuzz.generated import GENERATED
from tests.fuzz.seeds import FuzzInput, Seed

#: Byte strings that break parsers: boundaries of integers, special numbers, JSON, XML, CSV
#: and STEP punctuation, a BOM, invalid UTF-8.
INTERESTING = (
    b"\x00",
    b"\xff",
    b"\xff\xff\xff\xff",
    b"\x7f\xff\xff\xff",
    b"\x80\x00\x00\x00",
    b"\x00\x00\x00\x00\x00\x00\xf0\x7f",  # +inf as a little-endian double
    b"-1",
    b"0",
    b"1e308",
    b"-1e309",
    b"NaN",
    b"9223372036854775808",
    b"null",
    b'""',
    b'"',
    b"{",
    b"}",
    b"[]",
    b",",
    b"\n",
    b"\r\n",
    b"<",
    b"&amp;",
    b"#0",
    b"$",
    b"();",
    b"'",
    b"\xef\xbb\xbf",
    b"\xc3\x28",
)
#: Numbers of text formats, swapped for these.
EXTREME_NUMBERS = (b"0", b"-0", b"-1", b"1e308", b"-1e308", b"NaN", b"1e-320", b"99999999999")
NUMBER = re.compile(rb"-?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?")
KINDS = ("flip", "overwrite", "insert", "delete", "duplicate", "truncate", "number")

Mutation = tuple[str, float, float, bytes]
"""(kind, where: 0..1 of the data, size or second place: 0..1, payload)."""


@functools.lru_cache(maxsize=64)
def _numbers(data: bytes) -> tuple[tuple[int, int], ...]:
    return tuple(match.span() for match in NUMBER.finditer(data[:2_000_000]))


def mutate(data: bytes, mutations: list[Mutation]) -> bytes:
    """Apply ``mutations`` in order."""
    out = data
    for kind, where, size, payload in mutations:
        at = int(where * len(out))
        length = 1 + int(size * 64)
        if kind == "flip" and out:
            at = min(at, len(out) - 1)
            out = out[:at] + bytes([out[at] ^ (payload[0] or 0x01)]) + out[at + 1 :]
        elif kind == "overwrite":
            out = out[:at] + payload + out[at + len(payload) :]
        elif kind == "insert":
            out = out[:at] + payload + out[at:]
        elif kind == "delete":
            out = out[:at] + out[at + length :]
        elif kind == "duplicate":
            chunk = out[at : at + length * 16]
            to = int(size * len(out))
            out = out[:to] + chunk + out[to:]
        elif kind == "truncate":
            out = out[:at]
        elif kind == "number" and (spans := _numbers(out)):
            start, end = spans[min(int(where * len(spans)), len(spans) - 1)]
            out = out[:start] + EXTREME_NUMBERS[payload[0] % len(EXTREME_NUMBERS)] + out[end:]
    return out


def mutations() -> st.SearchStrategy[Mutation]:
    """One mutation."""
    payloads = st.one_of(st.sampled_from(INTERESTING), st.binary(min_size=1, max_size=24))
    return st.tuples(st.sampled_from(KINDS), st.floats(0, 1), st.floats(0, 1), payloads)


@st.composite
def mutated(draw: st.DrawFn, seeds: list[Seed]) -> FuzzInput:
    """A seed with one of its files (or its packed archive) mutated."""
    seed = draw(st.sampled_from(seeds))
    packed = seed.packed()
    inside = bool(seed.archive) and draw(st.booleans())
    files = dict(seed.files if inside else packed)
    names = sorted(files)
    name = seed.main if seed.main in files and draw(st.booleans()) else draw(st.sampled_from(names))
    changes = draw(st.lists(mutations(), min_size=1, max_size=6))
    files[name] = mutate(files[name], changes)
    if inside:
        files = seed.packed(files)
    kinds = ",".join(change[0] for change in changes)
    where = f"{name} in {seed.archive}" if inside else name
    return FuzzInput(f"{seed.name}: {where} ({kinds})", files, seed.main)


def fuzz_inputs(target: str, seeds: list[Seed]) -> st.SearchStrategy[FuzzInput]:
    """Mutated seeds, and (for text formats) documents made up from scratch."""
    made_up = GENERATED.get(target) if target != "auto" else st.one_of(*GENERATED.values())
    return mutated(seeds) if made_up is None else st.one_of(mutated(seeds), mutated(seeds), made_up)
