"""Your own data on screen: the banner, the upload and its preview, duplicates, the save.

The logic is plain Python in :mod:`.own_data`; this module shows it and turns
buttons into changes of the session's data. Every change happens in a callback,
before the script reruns, so the whole page sees the data it changed to. The
saved folder changes only in :func:`_save`, after the user confirmed.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import streamlit as st

from ..errors import DataError, DefusGraphError
from ..model import Dataset
from ..reading import Reading
from ..store.folders import is_bundled, save_dir
from ..store.tables import FILES, NO_TABLES, PREVIOUS_DIR, StaleDataError, save_dataset
from . import state
from .data import Network, load_network, network_of, saved_key
from .leave_guard import leave_guard
from .own_data import (
    ENCODINGS,
    MAX_FILE_MB,
    Duplicate,
    Preview,
    SessionData,
    Upload,
    data_label,
    duplicates,
    folder_name,
    new_organisations_frame,
    new_projects_frame,
    preview_uploads,
    problems_frame,
    with_merge,
    with_uploads,
)
from .text import md

__all__ = [
    "DUPLICATES_SHOWN",
    "READING_PROJECTS_SHOWN",
    "data_banner",
    "duplicates_panel",
    "duplicates_section",
    "network_in_use",
    "upload_panel",
    "upload_section",
]

#: How many suggested duplicates are listed at once, most likely first.
DUPLICATES_SHOWN = 20
#: How many projects of each added file the reading report shows (a CORDIS export has thousands).
READING_PROJECTS_SHOWN = 200

_TYPES = ["csv", "tsv", "txt", "xlsx", "zip"]


def _session() -> SessionData | None:
    value = st.session_state.get(state.SESSION_DATA)
    return value if isinstance(value, SessionData) else None


def network_in_use(saved: Network) -> Network:
    """What this session shows: its own data if it added files or merged, else ``saved``."""
    session = _session()
    if session is None:
        return saved
    return network_of(session.dataset, session.key)


def _notice(kind: str, text: str) -> None:
    st.session_state[state.NOTICE] = (kind, text)


def _show_notice() -> None:
    notice = st.session_state.get(state.NOTICE)
    if not notice:
        return
    kind, text = notice
    st.session_state[state.NOTICE] = None
    (st.success if kind == "success" else st.error)(md(text))


def _forget_pending() -> None:
    st.session_state[state.PREVIEW] = None
    st.session_state[state.MERGE_PENDING] = None
    st.session_state[state.SAVE_PENDING] = False
    st.session_state[state.UPLOAD_ROUND] = st.session_state.get(state.UPLOAD_ROUND, 0) + 1


def _back_to_saved() -> None:
    st.session_state[state.SESSION_DATA] = None
    _forget_pending()
    _notice("success", "Back to the saved data; what you added or merged is gone.")


def _count(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def data_banner(directory: Path, saved: Network, net: Network) -> None:
    """Which data is shown; for data not saved, a way back and the save (with confirmation)."""
    _show_notice()
    bundled = is_bundled(directory)
    label = data_label(str(directory), bundled=bundled)
    target = save_dir(directory)  # the bundled example is never written
    ds = net.dataset
    counts = (
        f"{_count(len(ds.projects), 'project')}, {_count(len(ds.organisations), 'organisation')}"
    )
    session = _session()
    if session is None:
        _saved_data_line(directory, target, f"**{md(label)}** ({counts})", bundled=bundled)
        return
    with st.container(border=True, key="data_banner"):
        line, paths = st.columns([5, 1], vertical_alignment="center")
        line.warning(f"Showing: {md(session.describe(label))}: {counts}.")
        with paths:
            _full_path(directory, target)
            leave_guard(unsaved=True)
        st.caption(_session_details(session, target))
        stale = session.base_key != saved.key
        if stale:
            st.error(
                f"The files in the folder “{md(folder_name(str(directory)))}” changed since you "
                "started adding data, so "
                "saving would undo those changes. Go back to the saved data and add your "
                "files again."
            )
        back, save = st.columns(2)
        back.button(
            "Back to the saved data", key="back_to_saved", on_click=_back_to_saved, width="stretch"
        )
        save.button(
            f"Save to the folder “{md(folder_name(str(target)))}”…",
            key="save_ask",
            disabled=stale,
            on_click=st.session_state.__setitem__,
            args=(state.SAVE_PENDING, True),
            width="stretch",
        )
        if st.session_state.get(state.SAVE_PENDING) and not stale:
            _confirm_save(directory, session)


def _saved_data_line(directory: Path, target: Path, shown: str, *, bundled: bool) -> None:
    """The banner of saved data: its name and counts, and for the example where saves go."""
    where = (
        ": the example that comes with defus-graph. What you add and save goes to your "
        f"data folder, “{md(folder_name(str(target)))}”."
        if bundled
        else "."
    )
    line, paths = st.columns([5, 1], vertical_alignment="center")
    line.markdown(f"Showing: {shown}{where}")
    with paths:
        _full_path(directory, target)
        leave_guard(unsaved=bool(st.session_state.get(state.uploader_key())))


def _session_details(session: SessionData, target: Path) -> str:
    """What this tab's own data holds, and that it is lost unless saved (markdown)."""
    details = []
    if session.files:
        details.append("Files added: " + ", ".join(md(f) for f in session.files) + ".")
    if session.merges:
        details.append(
            "Merged: " + "; ".join(f"{md(o)} into {md(k)}" for k, o in session.merges) + "."
        )
    details.append(
        "This is held in this browser tab only: closing or reloading it loses it (the browser "
        f"asks first), and the folder “{md(folder_name(str(target)))}” changes only if you "
        "save."
    )
    return "  \n".join(details)


def _full_path(directory: Path, target: Path) -> None:
    """The folders' full paths on the server, shown only when asked (a server path says
    little to most readers and much to an onlooker)."""
    with st.popover("Full path", type="tertiary", help="Where the data is kept on the server"):
        if target != directory:
            st.markdown("Read from")
            st.code(str(directory), language=None, wrap_lines=True)
            st.markdown("Saved to")
        st.code(str(target), language=None, wrap_lines=True)


def _holds_tables(directory: Path) -> bool:
    return any((directory / name).exists() for name in FILES)


def _confirm_save(directory: Path, session: SessionData) -> None:
    ds = session.dataset
    target = save_dir(directory)
    replaces = _holds_tables(target)
    shown = (
        f"{_count(len(ds.projects), 'project')}, "
        f"{_count(len(ds.organisations), 'organisation')}, "
        f"{_count(len(ds.participations), 'participation')}, "
        f"{_count(len(ds.aliases), 'other name')}"
    )
    if replaces:
        st.markdown(
            f"Saving replaces projects.csv, organisations.csv, participations.csv and "
            f"aliases.csv in {md(target)} with the data shown: {shown}. The tables it "
            f"replaces are kept in {md(target / PREVIOUS_DIR)} (one version back)."
        )
    else:
        st.markdown(
            f"Saving writes the data shown ({shown}) as projects.csv, organisations.csv, "
            f"participations.csv and aliases.csv in {md(target)}, your data folder, which is "
            "shown from then on. The example that comes with defus-graph stays as it is."
        )
    question = "Yes, replace the saved data in" if replaces else "Yes, save to"
    sure = st.checkbox(f"{question} {md(target)}", key=state.SAVE_CONFIRM)
    now, cancel = st.columns(2)
    now.button(
        "Save now",
        key="save_now",
        type="primary",
        disabled=not sure,
        on_click=_save,
        args=(directory, session),
        width="stretch",
    )
    cancel.button(
        "Cancel",
        key="save_cancel",
        on_click=st.session_state.__setitem__,
        args=(state.SAVE_PENDING, False),
        width="stretch",
    )


def _save(directory: Path, session: SessionData) -> None:
    """Write the session's data to the folder, then show the folder's data read back.

    ``directory`` is the folder the data was read from; the bundled example's data goes to
    the user's data folder (:func:`~defus_graph.store.folders.save_dir`), read from then on.
    """
    target = save_dir(directory)
    replaces = _holds_tables(target)
    st.session_state[state.SAVE_PENDING] = False
    st.session_state[state.SAVE_CONFIRM] = False
    stale = (
        f"Not saved: the data changed since you opened it: reload. The files in {target} "
        "changed since you started adding data (someone saved them); nothing was saved, so "
        "their change is kept. Go back to the saved data and add your files again."
    )
    if saved_key(directory) != session.base_key:
        _notice("error", stale)
        return
    try:
        # Against the state the session started from, checked again under the folder's
        # lock: another user's save between the check above and this one is refused too.
        # The user's own folder, saved to first instead of the example, must hold no tables.
        since = load_network(directory).state if target == directory else NO_TABLES
        save_dataset(session.dataset, target, since=since)
    except (StaleDataError, DataError):
        _notice("error", stale)
        return
    except OSError as err:
        _notice(
            "error",
            f"Could not save to {target}: {err.strerror or err}. The data shown is still "
            "here, unsaved; check that the folder exists and can be written, then save again.",
        )
        return
    try:
        load_network(target)
    except DataError as err:
        _notice(
            "error",
            f"Saved to {target}, but the saved files cannot be read back ({err}). "
            f"The data shown is still here; the version before is in {target / PREVIOUS_DIR}.",
        )
        return
    st.session_state[state.SESSION_DATA] = None
    _forget_pending()
    replaced = f" The tables it replaced are in {target / PREVIOUS_DIR}." if replaces else ""
    _notice("success", f"Saved to {target} and read back from there.{replaced}")


# --- adding files ---------------------------------------------------------------------------


def _preview(uploads: list[Upload], net: Network, encoding: str | None) -> Preview:
    """The preview of ``uploads`` on ``net``, computed once per content and kept in the session."""
    kept = st.session_state.get(state.PREVIEW)
    marker = hashlib.sha256(
        "\0".join([net.key, encoding or "", *(f"{u.name}\0{u.digest}" for u in uploads)]).encode()
    ).hexdigest()
    if isinstance(kept, tuple) and kept[0] == marker:
        return kept[1]  # type: ignore[no-any-return]
    # A whole programme (70 MB) takes a while: say what is being read.
    bar = st.progress(0.0, text="Reading the files…")
    preview = preview_uploads(
        uploads, net.dataset, net.key, encoding=encoding, progress=lambda f, t: bar.progress(f, t)
    )
    bar.empty()
    st.session_state[state.PREVIEW] = (marker, preview)
    return preview


def _apply(preview: Preview, base_key: str) -> None:
    st.session_state[state.SESSION_DATA] = with_uploads(_session(), base_key, preview)
    _forget_pending()
    _notice(
        "success",
        f"Added {', '.join(preview.files)}. Explore it below; nothing is saved until you save.",
    )


def upload_panel(saved: Network, net: Network) -> None:
    """The folded "Add your own data" panel (:func:`upload_section`)."""
    # Not folded by code: a fold set in a callback can be undone by the next graph click.
    with st.expander("Add your own data", key=state.UPLOAD_PANEL):
        upload_section(saved, net)


def upload_section(saved: Network, net: Network) -> None:
    """Choose files, see what they add or what is wrong with them, then add them (or not)."""
    st.markdown(
        "Add spreadsheets (.csv, .xlsx), CORDIS exports (project.csv and organization.csv "
        "together, or the ZIP archive CORDIS publishes them in) or DEFUS project pages (.txt) "
        "to the data shown. You see what they add "
        "first; they are kept in this browser tab only, until you save."
    )
    files = st.file_uploader(
        f"Files to add (up to {MAX_FILE_MB} MB each)",
        type=_TYPES,
        accept_multiple_files=True,
        key=state.uploader_key(),
    )
    label = st.selectbox(
        "Text encoding",
        list(ENCODINGS),
        key=state.ENCODING,
        help="Detect reads CSV files and pages as UTF-8, else as Windows cp1252 (German "
        "Excel, Notepad), and tells you.",
    )
    if not files:
        return
    uploads = [Upload(f.name, f.getvalue()) for f in files]
    preview = _preview(uploads, net, ENCODINGS[str(label)])
    if not preview.ok:
        _problems(preview)
        return
    _what_it_adds(preview, saved)


def _problems(preview: Preview) -> None:
    n = len(preview.problems)
    st.error(
        f"{_count(n, 'problem')} found in {', '.join(md(f) for f in preview.files)}: nothing "
        "was added, and the data shown has not changed. Correct the files and choose them again."
    )
    st.dataframe(problems_frame(preview.problems), hide_index=True, width="stretch")


def _what_it_adds(preview: Preview, saved: Network) -> None:
    st.success(
        f"Read {', '.join(md(f) for f in preview.files)}. Nothing is added until you say so."
    )
    a, b, c = st.columns(3)
    a.metric("New projects", len(preview.new_projects))
    b.metric("New organisations", len(preview.new_organisations))
    c.metric("New participations", preview.new_participations)
    add, discard = st.columns(2)
    add.button(
        "Explore the data with these files",
        key="upload_apply",
        type="primary",
        on_click=_apply,
        args=(preview, saved.key),
        width="stretch",
    )
    discard.button("Discard them", key="upload_discard", on_click=_forget_pending, width="stretch")
    if preview.known_in_new_projects:
        st.markdown(
            "Already in the data, now in more projects: "
            + ", ".join(md(n) for n in preview.known_in_new_projects)
        )
    for note in preview.notes:
        st.info(md(note))
    if preview.new_projects:
        st.markdown("**New projects**")
        st.dataframe(new_projects_frame(preview), hide_index=True, width="stretch")
    if preview.new_organisations:
        st.markdown("**New organisations**")
        st.dataframe(new_organisations_frame(preview), hide_index=True, width="stretch")
    if preview.reading is not None:
        _reading(preview.reading)


def _reading(reading: Reading) -> None:
    """What each file was read as, line by line: the report ``ingest --dry-run`` prints."""
    unread = sum(len(f.unread) for f in reading.files)
    if unread:
        st.warning(
            f"{_count(unread, 'line')} {'names' if unread == 1 else 'name'} a known "
            f"organisation or city but {'was' if unread == 1 else 'were'} read as nothing: "
            "see the end of the reading below."
        )
    st.markdown("**What was read, line by line**")
    st.caption(
        "Hold this against your file: each project with the line of its heading, and every "
        "organisation with the line it came from. defus-graph ingest FILE --out DIR --dry-run "
        "prints the same."
    )
    # Inside the upload panel's expander, which cannot hold another: a scrolling box instead.
    with st.container(height=420, key="upload_reading"):
        # st.code shows text as it is: a name is never markup.
        st.code(reading.text(max_projects=READING_PROJECTS_SHOWN), language=None)
    if any(len(f.projects) > READING_PROJECTS_SHOWN for f in reading.files):
        st.caption(
            f"The first {READING_PROJECTS_SHOWN} projects of each file are shown; the command "
            "above prints them all."
        )


# --- duplicates -----------------------------------------------------------------------------


@st.cache_resource(show_spinner="Looking for duplicates…", max_entries=8)
def _duplicates(key: str, _ds: Dataset) -> tuple[Duplicate, ...]:
    return tuple(duplicates(_ds))


def _pair_key(names: tuple[str, str]) -> str:
    return hashlib.sha256("\0".join(names).encode("utf-8", "surrogatepass")).hexdigest()[:12]


def _ask_merge(names: tuple[str, str]) -> None:
    st.session_state[state.MERGE_PENDING] = names
    st.session_state[state.MERGE_KEEP] = names[0]


def _merge(net: Network, keep: str, other: str, reason: str) -> None:
    st.session_state[state.MERGE_PENDING] = None
    try:
        st.session_state[state.SESSION_DATA] = with_merge(
            _session(), net.dataset, net.key, keep=keep, other=other, reason=reason
        )
    except DefusGraphError as err:
        _notice("error", f"Not merged: {err}")
        return
    st.session_state[state.SAVE_PENDING] = False
    _notice(
        "success",
        f'Merged "{other}" into "{keep}": "{other}" is now another name of {keep}. Not saved yet.',
    )


def duplicates_panel(net: Network) -> None:
    """The folded "Possible duplicates" panel; it looks for them only when opened."""
    with st.expander("Possible duplicates", key=state.DUPLICATES_PANEL, on_change="rerun") as panel:
        if panel.open:
            duplicates_section(net)


def duplicates_section(net: Network) -> None:
    """Likely duplicate organisations, each with a merge that asks before it acts."""
    found = _duplicates(net.key, net.dataset)
    if not found:
        st.markdown("No likely duplicates among the organisations shown.")
        return
    st.markdown(
        f"{_count(len(found), 'pair')} of organisations may be one. Nothing is merged unless "
        "you confirm; a merge keeps the other name as an alias, in this browser tab until you "
        "save. A city and its region are never proposed."
    )
    if len(found) > DUPLICATES_SHOWN:
        st.caption(f"The {DUPLICATES_SHOWN} most likely are listed.")
    pending = st.session_state.get(state.MERGE_PENDING)
    for d in found[:DUPLICATES_SHOWN]:
        s = d.suggestion
        with st.container(border=True, key=f"dup_{_pair_key(d.names)}"):
            text, action = st.columns([5, 1], vertical_alignment="center")
            text.markdown(
                f"**{md(s.keep)}** · {md(d.keep_facts)}  \n"
                f"**{md(s.other)}** · {md(d.other_facts)}  \n"
                f"Score {s.score:.2f}: {md(s.reason)}"
            )
            action.button(
                "Merge…",
                key=f"merge_ask_{_pair_key(d.names)}",
                on_click=_ask_merge,
                args=(d.names,),
                width="stretch",
            )
            if pending == d.names:
                _confirm_merge(net, d)


def _confirm_merge(net: Network, d: Duplicate) -> None:
    keep = st.radio(
        "Name to keep (the other becomes an alias of it)",
        list(d.names),
        key=state.MERGE_KEEP,
        format_func=md,
    )
    keep = str(keep)
    other = d.names[1] if keep == d.names[0] else d.names[0]
    reason = f"score {d.suggestion.score:.2f}: {d.suggestion.reason}"
    yes, no = st.columns(2)
    yes.button(
        f"Yes, merge {md(other)} into {md(keep)}",
        key="merge_yes",
        type="primary",
        on_click=_merge,
        args=(net, keep, other, reason),
        width="stretch",
    )
    no.button(
        "Cancel",
        key="merge_no",
        on_click=st.session_state.__setitem__,
        args=(state.MERGE_PENDING, None),
        width="stretch",
    )
