"""``python -m defus_graph``: the same as the ``defus-graph`` command."""

from .cli import run

run()
