"""urban-twin's city model: layers, hierarchy, meshes, project file, feedback and errors.

This package imports nothing of ours (importers, scenarios and gui sit above it), except the
command-line composition root :mod:`twin.cli`, which imports them lazily.
"""

__version__ = "0.1.0"
