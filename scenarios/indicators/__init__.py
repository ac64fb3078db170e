"""Planning indicators: documented pure functions over the City's columns.

Each indicator declares what it produces (level, unit) and what it reads (``layer.column``), so a
change only recomputes the indicators that depend on it (see :mod:`scenarios.indicators.base`).
"""
