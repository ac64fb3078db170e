"""Jobs estimated from non-residential floor area, at every level from the building up.

``jobs = office floor area / people.office_m2_per_job + retail floor area /
people.retail_m2_per_job + industrial floor area / people.industry_m2_per_job`` (gross floor
areas by use from :mod:`scenarios.indicators.measures`; the three ratios are estimates in the
assumptions file, to be replaced by local figures). Public facilities, housing, annexes and
unknown uses count no jobs: see :mod:`scenarios.indicators.measures` for why.
"""

from __future__ import annotations

from scenarios.indicators import measures  # noqa: F401  (registers the measure groups)
from scenarios.indicators.plans import BUILDING_UP, Sum, plan_indicators

JOBS = plan_indicators(
    "jobs",
    "Emplois estimés",
    "jobs",
    BUILDING_UP,
    Sum("jobs"),
    "Office, retail and industrial floor area divided by the m² per job of each use "
    "(assumptions people.office_m2_per_job, retail_m2_per_job, industry_m2_per_job); public "
    "facilities count none.",
    group="people",
)
