"""CORDIS archives as they are downloaded: generated, then damaged the ways real ones are."""

from __future__ import annotations

import io
import json
import tarfile
import zipfile
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from benchmarks.generate import SIZES, write_cordis
from defus_graph.cli import main
from defus_graph.dashboard.own_data import Upload, preview_uploads
from defus_graph.errors import DataError
from defus_graph.model import Dataset
from defus_graph.sources.archive import archive_members, expand_archives, is_archive
from defus_graph.store.tables import load_dataset

ARCHIVE = "cordis-h2020projects-csv.zip"
OTHERS = {"euroSciVoc.csv": b"projectID;euroSciVocCode\n1;/23\n", "legalBasis.csv": b"a;b\n"}


class _Unseekable(io.RawIOBase):
    """A pipe, as a download streamed to disk is: zipfile then writes data descriptors."""

    def __init__(self) -> None:
        self.written = bytearray()

    def writable(self) -> bool:
        return True

    def write(self, b: bytes) -> int:  # type: ignore[override]
        self.written += b
        return len(b)


def _zip(
    members: dict[str, bytes], *, method: int = zipfile.ZIP_DEFLATED, stream: bool = False
) -> bytes:
    target: io.BytesIO | _Unseekable = _Unseekable() if stream else io.BytesIO()
    with zipfile.ZipFile(target, "w", method) as z:
        for name, data in members.items():
            z.writestr(name, data)
    return bytes(target.written) if isinstance(target, _Unseekable) else target.getvalue()


def _without_table_of_contents(data: bytes) -> bytes:
    """The archive with its central directory made unreadable, local headers intact."""
    return data.replace(b"PK\x01\x02", b"XX\x01\x02")


@pytest.fixture(scope="module")
def cordis(tmp_path_factory: pytest.TempPathFactory) -> dict[str, bytes]:
    folder = tmp_path_factory.mktemp("cordis")
    project, organization = write_cordis(SIZES["small"], folder)
    return {"project.csv": project.read_bytes(), "organization.csv": organization.read_bytes()}


def _facts(ds: Dataset) -> tuple[object, ...]:
    """The dataset without the file names its facts cite (an archive's members are
    cited as ARCHIVE/MEMBER)."""
    return (
        sorted((p.acronym, p.title, p.start, p.end, p.funding_eur) for p in ds.projects),
        sorted((o.name, o.kind, o.country, o.pic) for o in ds.organisations),
        sorted((pa.project, pa.organisation, pa.role) for pa in ds.participations),
    )


def _ingest(tmp_path: Path, *files: Path) -> tuple[int, Path]:
    out = tmp_path / f"out{len(list(tmp_path.iterdir()))}"
    return main(["ingest", "--out", str(out), *map(str, files)]), out


@pytest.mark.parametrize(
    ("how", "make"),
    [
        ("deflated", lambda m: _zip(m)),
        ("stored", lambda m: _zip(m, method=zipfile.ZIP_STORED)),
        ("bzip2", lambda m: _zip(m, method=zipfile.ZIP_BZIP2)),
        ("streamed", lambda m: _zip(m, stream=True)),
        ("no table of contents", lambda m: _without_table_of_contents(_zip(m))),
        (
            "streamed, no table of contents",
            lambda m: _without_table_of_contents(_zip(m, stream=True)),
        ),
        (
            "stored and streamed, no table of contents",
            lambda m: _without_table_of_contents(_zip(m, method=zipfile.ZIP_STORED, stream=True)),
        ),
    ],
)
def test_ingest_reads_the_archive_as_the_two_files(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    cordis: dict[str, bytes],
    how: str,
    make: object,
) -> None:
    for name, data in cordis.items():
        (tmp_path / name).write_bytes(data)
    archive = tmp_path / ARCHIVE
    archive.write_bytes(make({**OTHERS, **cordis}))  # type: ignore[operator]
    status, from_files = _ingest(tmp_path, tmp_path / "project.csv", tmp_path / "organization.csv")
    assert status == 0
    capsys.readouterr()
    status, from_archive = _ingest(tmp_path, archive)
    err = capsys.readouterr().err
    assert status == 0, err
    assert _facts(load_dataset(from_archive)) == _facts(load_dataset(from_files))
    cited = {p.source for p in load_dataset(from_archive).projects}
    assert cited == {f"{ARCHIVE}/project.csv"}
    assert (
        f"note: {ARCHIVE}: read project.csv and organization.csv; left out euroSciVoc.csv, "
        "legalBasis.csv (not needed for the network)." in err
    )
    damaged = "no table of contents" in how
    assert ("read file by file, as its table of contents cannot be used" in err) == damaged


def test_a_tar_archive_is_read_too(tmp_path: Path, cordis: dict[str, bytes]) -> None:
    archive = tmp_path / "cordis.tar.gz"
    with tarfile.open(archive, "w:gz") as tar:
        for name, data in {**OTHERS, **cordis}.items():
            info = tarfile.TarInfo(f"csv/{name}")
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    files = dict(expand_archives([(archive.name, archive.read_bytes())]).files)
    assert files == {f"cordis.tar.gz/csv/{n}": d for n, d in cordis.items()}


def _cut(data: bytes) -> bytes:
    return data[: len(data) // 2]


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda c: _cut(_zip(c)), "is cut short: the archive ends inside it"),
        (lambda c: _cut(_zip(c, stream=True)), "is cut short: the archive ends inside it"),
        (lambda c: _zip(OTHERS), "holds no project.csv or organization.csv (euroSciVoc.csv"),
        (lambda c: b"PK\x03\x04" + bytes(10), "the archive ends inside a file header"),
        (lambda c: _zip({}), "holds no project.csv or organization.csv (no files)"),
    ],
)
def test_an_archive_that_cannot_be_read_says_why_and_nothing_is_written(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    cordis: dict[str, bytes],
    make: object,
    message: str,
) -> None:
    archive = tmp_path / ARCHIVE
    archive.write_bytes(make(cordis))  # type: ignore[operator]
    out = tmp_path / "out"
    assert main(["ingest", "--out", str(out), str(archive)]) == 1
    err = capsys.readouterr().err
    assert f"{ARCHIVE}: cannot be read" in err or f"{ARCHIVE}: holds no" in err
    assert message in err
    assert "Traceback" not in err
    assert not out.exists()


def test_a_damaged_member_is_caught_by_its_checksum(cordis: dict[str, bytes]) -> None:
    data = _without_table_of_contents(_zip(cordis, method=zipfile.ZIP_STORED))
    at = data.index(cordis["project.csv"][:50])
    damaged = data[:at] + b"Y" + data[at + 1 :]
    with pytest.raises(DataError, match=r"project\.csv is damaged: its content does not match"):
        expand_archives([(ARCHIVE, damaged)])


def test_an_encrypted_archive_says_so(cordis: dict[str, bytes]) -> None:
    data = bytearray(_zip({"project.csv": b"x"}, method=zipfile.ZIP_STORED))
    data[6] |= 1  # the local header's "encrypted" flag
    at = data.index(b"PK\x01\x02")
    data[at + 8] |= 1  # and the central directory's
    with pytest.raises(DataError, match=r"project\.csv is encrypted"):
        expand_archives([(ARCHIVE, bytes(data))])


def test_a_workbook_is_not_unpacked() -> None:
    import openpyxl

    book = openpyxl.Workbook()
    book.active.append(["Project", "Organisation"])
    buffer = io.BytesIO()
    book.save(buffer)
    assert not is_archive("partners.xlsx", buffer.getvalue())
    assert expand_archives([("partners.xlsx", buffer.getvalue())]).files[0][0] == "partners.xlsx"


_member_names = st.sampled_from(["project.csv", "organization.csv", "topics.csv", "a/b.csv"])


@settings(max_examples=60, deadline=None)
@given(
    members=st.dictionaries(_member_names, st.binary(max_size=3000), min_size=1),
    method=st.sampled_from([zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED, zipfile.ZIP_BZIP2]),
    stream=st.booleans(),
)
def test_reading_by_local_headers_finds_what_zipfile_finds(
    members: dict[str, bytes], method: int, stream: bool
) -> None:
    data = _zip(members, method=method, stream=stream)
    whole, others, how = archive_members("a.zip", data)
    assert how == ""
    # A stored member may hold a descriptor's signature by chance: then the checksum says so.
    if (
        stream
        and method == zipfile.ZIP_STORED
        and any(b"PK\x07\x08" in d for d in members.values())
    ):
        return
    found, found_others, how = archive_members("a.zip", _without_table_of_contents(data))
    assert "file by file" in how
    assert (
        found
        == whole
        == [(n, d) for n, d in members.items() if n in ("project.csv", "organization.csv")]
    )
    assert found_others == others


def test_the_dashboard_takes_the_archive_and_says_what_it_left_out(
    cordis: dict[str, bytes],
) -> None:
    seen: list[tuple[float, str]] = []
    upload = Upload(ARCHIVE, _zip({**OTHERS, **cordis}))
    preview = preview_uploads(
        [upload], Dataset(), "empty", progress=lambda f, t: seen.append((f, t))
    )
    assert preview.ok, preview.problems
    files = [Upload(name, data) for name, data in cordis.items()]
    direct = preview_uploads(files, Dataset(), "empty").new_projects
    assert [p.acronym for p in preview.new_projects] == [p.acronym for p in direct]
    assert len(preview.new_projects) > 300
    assert any("left out euroSciVoc.csv, legalBasis.csv" in n for n in preview.notes)
    assert [f for f, _ in seen] == sorted(f for f, _ in seen) and seen[-1][0] == 1.0
    assert any("project.csv" in t and "MB" in t for _, t in seen)


def test_the_dashboard_says_when_an_archive_cannot_be_read() -> None:
    preview = preview_uploads([Upload(ARCHIVE, b"PK\x03\x04broken")], Dataset(), "empty")
    assert not preview.ok
    assert "cannot be read" in str(preview.problems[0])
    assert json.dumps([p.as_dict() for p in preview.problems])


def test_the_upload_limit_fits_a_whole_programme() -> None:
    """Streamlit refuses a file above server.maxUploadSize before the app sees it: the
    setting and the app's own check agree, and both take Horizon 2020's project.csv
    (about 70 MB with every abstract)."""
    import tomllib

    from defus_graph.dashboard.own_data import MAX_FILE_MB

    config = Path(__file__).resolve().parent.parent / ".streamlit" / "config.toml"
    setting = tomllib.loads(config.read_text(encoding="utf-8"))["server"]["maxUploadSize"]
    assert setting == MAX_FILE_MB >= 70


def test_the_library_reads_the_archive_as_the_command_does(
    tmp_path: Path, cordis: dict[str, bytes]
) -> None:
    from defus_graph.ingest import ingest_files

    for name, data in cordis.items():
        (tmp_path / name).write_bytes(data)
    (tmp_path / ARCHIVE).write_bytes(_zip({**OTHERS, **cordis}))
    from_archive = ingest_files([tmp_path / ARCHIVE], Dataset())
    from_files = ingest_files([tmp_path / "project.csv", tmp_path / "organization.csv"], Dataset())
    assert _facts(from_archive) == _facts(from_files)
