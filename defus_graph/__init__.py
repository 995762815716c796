"""defus-graph: who works with whom in DEFUS/Efus urban security projects.

The data flows one way: sources -> model (Dataset) -> graph -> analysis ->
export / viz -> cli, dashboard.
"""

__version__ = "0.1.0"
