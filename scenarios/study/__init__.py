"""The digital-impact study (étude d'impact numérique): what a development needs in networks and
equipment, what it costs planned at land development rather than retrofitted, what it returns.

:mod:`scenarios.study.model` is the interface between the computation (``compute_study``) and the
report (HTML, PDF): every figure is a :class:`~scenarios.study.model.Figure` with its unit and
where it comes from, so the report prints nothing it cannot trace.
"""
