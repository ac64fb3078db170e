"""Deterministic generator of a fictional French town, written in real open-data formats.

Use :func:`samples.town.generate.generate_sample_town` or ``python -m samples.town OUTDIR``.
"""
