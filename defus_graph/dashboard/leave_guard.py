"""A warning before a reload or a closed tab loses data that is only in this browser tab.

Data a user added (files, merges) lives in the Streamlit session until it is
saved; a reload starts a new session and it is gone. The browser can ask
first ("Leave site? Changes you made may not be saved.") when the page has a
``beforeunload`` handler that cancels the event. A custom component (v2,
which runs its script in the page itself, not in an iframe) installs that
handler once and tells it, on every rerun, whether anything is unsaved.
"""

from __future__ import annotations

from functools import cache
from typing import Any

import streamlit as st

__all__ = ["leave_guard"]

_NAME = "defus_graph.leave_guard"

# Module state survives reruns: Streamlit imports a component's module once.
_JS = """
let unsaved = false;
let installed = false;

function warn(event) {
  if (!unsaved) return;
  event.preventDefault();
  event.returnValue = "";  // what older browsers look at before asking
}

export default function (component) {
  unsaved = Boolean(component.data && component.data.unsaved);
  if (!installed) {
    window.addEventListener("beforeunload", warn);
    installed = true;
  }
  // For tests and for the curious: whether the page will ask before leaving.
  const mark = component.parentElement.querySelector(".dg-leave-guard");
  if (mark) mark.dataset.unsaved = String(unsaved);
  // Nothing to see: take no room in the page's layout either.
  const root = component.parentElement;
  const box = (root.host || root).closest('[data-testid="stElementContainer"]');
  if (box) box.style.display = "none";
}
"""


@cache
def _component() -> Any:
    return st.components.v2.component(_NAME, html='<span class="dg-leave-guard"></span>', js=_JS)


def leave_guard(*, unsaved: bool) -> None:
    """Have the browser ask before leaving the page while ``unsaved`` (mount on every run)."""
    _component()(key="leave_guard", data={"unsaved": unsaved}, height="content")
