"""Writing outputs, with the promises the README makes.

- Writes are atomic: a temporary file in the destination directory, fsync, then rename.
- Output directories follow one rule (:class:`OutputDir`): pvenum writes into a new or empty
  directory or one it wrote itself (its manifest.json lists what it owns), and never removes
  or overwrites a file it did not write; a new directory appears whole by one rename.
- Output names never escape the chosen directory.

Reading is pvenum/_io.py.
"""

from __future__ import annotations

import contextlib
import os
import stat
from pathlib import Path
from typing import Iterator

from . import _io
from ._io import MANIFEST, _kind, file_sha256, is_within, read_bytes
from .errors import LimitError, PvenumError


def safe_join(directory: str | os.PathLike[str], name: str) -> Path:
    """``directory / name``, refusing names that would land outside ``directory``."""
    base = Path(directory).resolve()
    if not name or name.startswith(("/", "\\")) or "\x00" in name:
        raise PvenumError(f"refusing output name {name!r}")
    target = (base / name).resolve()
    if not is_within(target, base):
        raise PvenumError(f"refusing output name {name!r}: it escapes {base}")
    return target


def _write_error(err: OSError, path: Path) -> PvenumError:
    """An output that could not be written, named by its destination (then what failed)."""
    what = f" ({err.filename})" if err.filename and Path(err.filename) != path else ""
    return PvenumError(f"cannot write: {err.strerror or err}{what}", path=str(path))


# atomic_write's temporary file: ".NAME.XXXXXXXX.tmp" beside NAME, the middle tempfile.mkstemp's
# 8 random characters (tempfile._RandomNameSequence: lowercase letters, digits and "_").
_TEMP_SUFFIX = ".tmp"
_TEMP_RANDOM = frozenset("abcdefghijklmnopqrstuvwxyz0123456789_")


def temp_target(file_name: str) -> str | None:
    """The name of the file ``file_name`` is atomic_write's temporary file for, or None (a
    cache prunes the ones a killed run left behind)."""
    if not (file_name.startswith(".") and file_name.endswith(_TEMP_SUFFIX)):
        return None
    target, dot, tail = file_name[1:-len(_TEMP_SUFFIX)].rpartition(".")
    return target if dot and len(tail) == 8 and _TEMP_RANDOM.issuperset(tail) else None


def atomic_write(path: str | os.PathLike[str], data: bytes | str) -> None:
    """Write ``data`` to ``path`` via a temporary file and a rename. ``path`` is the one file the
    user named (`-o FILE`): a regular file there is replaced; a special file, symlink or
    directory is refused."""
    p = Path(os.path.abspath(path))
    try:
        kind = _kind(p.lstat().st_mode)
        if kind is None and p.is_dir():
            kind = "directory"
    except FileNotFoundError:
        kind = None
    except OSError as err:
        raise _write_error(err, p) from None
    if kind is not None:  # never replace a device, FIFO, socket, symlink or directory with a file
        raise PvenumError(f"is a {kind}; refusing to replace it with a file", path=str(path))
    raw = data.encode() if isinstance(data, str) else data
    tmp: str | None = None
    try:
        p.parent.mkdir(parents=True, exist_ok=True)
        import tempfile  # writers only: readers start without it

        fd, tmp = tempfile.mkstemp(prefix=f".{p.name}.", suffix=_TEMP_SUFFIX, dir=p.parent)
        with os.fdopen(fd, "wb") as fh:
            fh.write(raw)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, 0o644)
        os.replace(tmp, p)
    except BaseException as err:
        if tmp is not None:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
        if isinstance(err, OSError):
            raise _write_error(err, p) from None
        raise


@contextlib.contextmanager
def atomic_directory(path: str | os.PathLike[str], *, force: bool = False) -> Iterator[Path]:
    """Yield a staging directory; on success its files become ``path`` (see :class:`OutputDir`).

    Every command that writes a directory of outputs goes through here, so the ownership rule
    holds for all of them; a refusal is raised before anything is created or changed.
    """
    out = OutputDir(path, force=force)
    with out.staging() as tmp:
        yield tmp


def read_ownership(directory: Path) -> dict[str, str | None] | None:
    """The files a pvenum manifest in ``directory`` says pvenum wrote (path -> sha256 or None),
    or None when there is no manifest pvenum wrote (absent, unreadable, someone else's JSON)."""
    import json

    m = directory / MANIFEST
    try:
        if not stat.S_ISREG(m.lstat().st_mode):
            return None
        doc = json.loads(read_bytes(m, limit=16 * 1024 * 1024))
    except (OSError, PvenumError, ValueError):
        return None
    if not isinstance(doc, dict) or not isinstance(doc.get("pvenum"), str) or not isinstance(doc.get("files"), list):
        return None
    owned: dict[str, str | None] = {}
    for entry in doc["files"]:
        rel = entry.get("path") if isinstance(entry, dict) else None
        if not isinstance(rel, str) or not rel or rel.startswith("/") or ".." in Path(rel).parts:
            return None  # a manifest naming paths outside its directory is not one pvenum wrote
        sha = entry.get("sha256")
        owned[rel] = sha if isinstance(sha, str) else None
    owned[MANIFEST] = None
    return owned


def manifest_json(directory: Path, files: list[str], **meta: object) -> bytes:
    """A manifest listing ``files`` (relative to ``directory``) with sizes and SHA-256s."""
    import json

    from ._version import __version__

    entries = [{"path": rel, "bytes": (directory / rel).stat().st_size, "sha256": file_sha256(directory / rel)}
               for rel in sorted(files)]
    doc = {"pvenum": __version__, **meta, "files": entries}
    return (json.dumps(doc, indent=2, sort_keys=True) + "\n").encode()


class OutputDir:
    """The one rule for every directory pvenum writes (build, build --all, snapshot, ...).

    pvenum writes into a new or empty directory, or into one it wrote itself: a directory
    whose ``manifest.json`` (written by pvenum) lists every file in it. Anything else is
    refused before anything is touched. ``force`` lets pvenum write into a directory holding
    other files too, but it still replaces only files its manifest owns and never removes or
    overwrites a foreign one. Devices, FIFOs, sockets and symlinks are never written through,
    and a symlinked output directory must stay inside its parent.

    The staged files carry a ``manifest.json`` listing them all (the caller's, or one written
    here), so the next run knows what it owns.
    """

    def __init__(self, path: str | os.PathLike[str], *, force: bool = False) -> None:
        self.shown = str(path)
        self.force = force
        dest = Path(os.path.abspath(path))  # `-o .` names the current directory
        try:
            st = dest.lstat()
        except FileNotFoundError:
            st = None
        except OSError as err:  # a file where a parent directory should be, no permission
            raise _write_error(err, dest) from None
        if st is not None and stat.S_ISLNK(st.st_mode):
            real = dest.resolve()
            if not real.is_dir() or dest.parent.resolve() not in real.parents:
                raise self._refuse(f"is a symlink pointing outside {dest.parent} ({real})")
            dest, st = real, real.lstat()
        self.dest = dest
        self.exists = st is not None
        self.owned: dict[str, str | None] = {}
        self.foreign: list[str] = []
        if st is None:
            return
        kind = _kind(st.st_mode)
        if kind is not None:
            raise self._refuse(f"is a {kind}, not a directory")
        if not stat.S_ISDIR(st.st_mode):
            raise self._refuse("is a file, not a directory")
        owned = read_ownership(dest)
        self.owned = owned or {}
        present = self._walk()
        self.foreign = sorted(rel for rel in present if rel not in self.owned)
        modified = sorted(rel for rel, sha in self.owned.items()
                          if sha is not None and rel in present and present[rel] and file_sha256(dest / rel) != sha)
        if self.force:
            return
        if self.foreign:
            n = len(self.foreign)
            raise self._refuse(
                f"holds {n} file{'s' if n > 1 else ''} pvenum did not write ({', '.join(self.foreign[:3])}"
                f"{', ...' if n > 3 else ''}); refusing to write there: give a new or empty directory "
                f"(--force writes beside them and replaces only the files pvenum's {MANIFEST} lists)")
        if modified:
            raise self._refuse(
                f"{', '.join(modified[:3])} changed since pvenum wrote it; refusing to replace it "
                "(--force replaces it)")

    def _refuse(self, what: str) -> PvenumError:
        return PvenumError(f"output directory {what}", path=self.shown)

    def _walk(self) -> dict[str, bool]:
        """Every non-directory entry under the destination: relative path -> is a regular file.
        Symlinks are not followed; each directory is listed bounded (_io.listing) and the count
        is bounded like any directory walk; a directory that cannot be listed is passed over, as
        os.walk passes it over."""
        found: dict[str, bool] = {}
        pending = [(str(self.dest), "")]
        while pending:
            top, rel = pending.pop()
            try:
                entries = _io.listing(top, _io.MAX_DIR_FILES)
            except LimitError:
                raise
            except PvenumError:
                continue
            for e in entries:
                st = _io.entry_lstat(e)
                if st is None:
                    continue
                if stat.S_ISDIR(st.st_mode):
                    pending.append((e.path, f"{rel}{e.name}/"))
                    continue
                found[rel + e.name] = stat.S_ISREG(st.st_mode)
                if len(found) > _io.MAX_DIR_FILES:  # read when used: one bound for reads and writes
                    raise LimitError("directory", f"more than {_io.MAX_DIR_FILES} files", path=self.shown)
        return found

    @contextlib.contextmanager
    def staging(self) -> Iterator[Path]:
        parent = self.dest if self.exists else self.dest.parent
        try:
            parent.mkdir(parents=True, exist_ok=True)
            import tempfile

            tmp = Path(tempfile.mkdtemp(prefix=f".{self.dest.name or 'pvenum'}.", suffix=".tmp", dir=parent))
        except OSError as err:
            raise _write_error(err, self.dest) from None
        try:
            yield tmp
            self._commit(tmp)
        except BaseException as err:
            import shutil

            shutil.rmtree(tmp, ignore_errors=True)
            if isinstance(err, OSError):
                raise _write_error(err, self.dest) from None
            raise

    def _commit(self, tmp: Path) -> None:
        staged = sorted(Path(top, n).relative_to(tmp).as_posix() for top, _, names in os.walk(tmp) for n in names)
        if MANIFEST not in staged:
            Path(tmp, MANIFEST).write_bytes(manifest_json(tmp, staged))
            staged.append(MANIFEST)
        else:
            listed = read_ownership(tmp)
            missing = [] if listed is None else [rel for rel in staged if rel not in listed]
            if listed is None or missing:
                raise PvenumError(f"internal error: {MANIFEST} does not list {missing or staged}", path=self.shown)
        for rel in staged:
            os.chmod(tmp / rel, 0o644)
        if not self.exists:
            os.chmod(tmp, 0o755)
            os.replace(tmp, self.dest)  # the whole directory appears at once
            return
        # An existing directory (empty or pvenum's): check every destination, then move each
        # staged file into place (each rename is atomic), drop owned files no longer produced,
        # and rename the manifest last.
        for rel in staged:
            self._check_target(rel)
        old_owned = set(self.owned) - {MANIFEST}
        gone = sorted(rel for rel in old_owned if rel not in staged)
        if self.owned:  # until the new manifest lands, the old one also names the new files
            interim = sorted(old_owned | set(staged) - {MANIFEST})
            atomic_write(self.dest / MANIFEST, (
                '{"files": [' + ", ".join('{"path": %s}' % _json_str(r) for r in interim)
                + '], "pvenum": "interim"}\n'))
        for rel in staged:
            if rel == MANIFEST:
                continue
            target = self.dest / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            os.replace(tmp / rel, target)
        for rel in gone:
            with contextlib.suppress(FileNotFoundError):
                if stat.S_ISREG((self.dest / rel).lstat().st_mode):
                    os.unlink(self.dest / rel)
        os.replace(tmp / MANIFEST, self.dest / MANIFEST)
        import shutil

        shutil.rmtree(tmp, ignore_errors=True)
        for rel in sorted({p.as_posix() for r in gone for p in Path(r).parents if p != Path(".")},
                          key=len, reverse=True):
            with contextlib.suppress(OSError):
                os.rmdir(self.dest / rel)  # only a directory left empty goes

    def _check_target(self, rel: str) -> None:
        """A staged file may land on nothing, or on a regular file pvenum owns."""
        p = self.dest
        for part in Path(rel).parts:
            p = p / part
            try:
                st = p.lstat()
            except FileNotFoundError:
                return
            kind = _kind(st.st_mode)
            if kind is not None:
                raise self._refuse(f"has a {kind} at {p.relative_to(self.dest).as_posix()}; refusing to write through it")
            if p != self.dest / rel and not stat.S_ISDIR(st.st_mode):
                raise self._refuse(f"has a file at {p.relative_to(self.dest).as_posix()} where pvenum writes a directory")
        if stat.S_ISDIR(st.st_mode):
            raise self._refuse(f"has a directory at {rel} where pvenum writes a file")
        if rel not in self.owned:
            raise self._refuse(f"holds {rel}, which pvenum did not write; refusing to replace it")


def _json_str(s: str) -> str:
    import json

    return json.dumps(s)


def check_collection(path: str | os.PathLike[str], names: list[str], *, force: bool = False) -> list[OutputDir]:
    """``build --all``: a directory of output directories, one per name. The top level may be
    new, empty or hold only those directories; each of them follows :class:`OutputDir`. Every
    check runs before anything is written."""
    top = Path(path)
    if top.is_symlink() or (top.exists() and not top.is_dir()):
        OutputDir(top)  # raises the same refusal a single output directory gets
    if top.is_dir() and not force:
        foreign = sorted(e.name for e in _io.listing(top, _io.MAX_DIR_FILES) if e.name not in names)
        if foreign:
            raise PvenumError(
                f"output directory holds {len(foreign)} entr{'ies' if len(foreign) > 1 else 'y'} pvenum did not write "
                f"({', '.join(foreign[:3])}{', ...' if len(foreign) > 3 else ''}); refusing to write there: give a new "
                "or empty directory (--force writes beside them)", path=str(path))
    return [OutputDir(top / name, force=force) for name in names]
