"""The server ``defus-graph serve`` starts: Streamlit, reading the data as soon as it runs.

``python -m defus_graph.dashboard.launch run app.py [flags]`` is ``streamlit run``
with one addition. A first page used to start reading the data, building the
network and the part to draw only once it was opened (seconds at Horizon 2020
scale, after the browser had started and loaded the page); here a thread starts
on them as soon as Streamlit's runtime exists. It calls the dashboard's own cached
functions with the arguments the opening page uses, so the page finds them done,
or waits for them (``st.cache_resource`` computes a value once, whoever asks
first); the page does everything else, and anything the thread could not do.
"""

from __future__ import annotations

import logging
import sys
import threading
import time

from streamlit import runtime
from streamlit.web import cli as streamlit_cli

__all__ = ["main", "prepare"]

log = logging.getLogger(__name__)

#: The thread's name (in Streamlit's log).
THREAD = "defus-graph-prepare"

#: How long the thread waits for Streamlit's runtime before leaving it all to the page.
RUNTIME_WAIT = 60.0


def prepare() -> None:
    """Read the data folder and build what the opening page draws, into the page's caches.

    A folder that cannot be read is left to the page, which lists its problems.
    """
    deadline = time.monotonic() + RUNTIME_WAIT
    while not runtime.exists():  # cached values belong to the runtime's caches
        if time.monotonic() > deadline:
            return
        time.sleep(0.02)
    # Streamlit warns of every cached call made outside a page ("missing ScriptRunContext"):
    # this thread's are meant to be, and would fill the user's terminal.
    logging.getLogger("streamlit.runtime.scriptrunner_utils.script_run_context").addFilter(
        lambda record: record.threadName != THREAD
    )
    from ..errors import DefusGraphError
    from ..graph.views import VIEWS, Filters
    from ..store.folders import default_data_dir
    from . import data

    try:
        net = data.load_network(default_data_dir())
        shown = data.current_view(net, Filters(), VIEWS[0])
        data.drawn_part(net, Filters(), shown, None)
    except (DefusGraphError, OSError) as err:  # the page says what is wrong
        log.info("the data is left to the page: %s", err)


def main() -> None:
    """``streamlit run`` with its arguments, and :func:`prepare` beside it."""
    threading.Thread(target=prepare, name=THREAD, daemon=True).start()
    sys.argv[0] = "streamlit"
    streamlit_cli.main(prog_name="streamlit")


if __name__ == "__main__":
    main()
