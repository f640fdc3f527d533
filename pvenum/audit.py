"""Fleet audit: resolve every bundle and artifact of a fleet, each distinct capture once.

Targets come from paths (a directory tree is walked as it is read, never listed whole), or
from a newline-separated list on stdin (``-``). Under a directory, a directory holding
``platform.toml``, ``manifest.json`` or ``snapshot.json`` is one bundle (its subdirectories
included); every other recognised file is one artifact; scenario TOML files count too.

Each target is keyed by the SHA-256 of what the loader reads (every file of a bundle with its
relative name, of its manifest the file entries; a single file's bytes and the format they are
read as): targets with the same key are the
same capture, resolved once per worker process and reused. The linux models' kernel is built
as the configuration given to the run says (``--kernel-config``), else as a bundle's own
``kernel.config`` says (a snapshot's; it is one of the bundle's keyed files), else with every
guest option; a resolved capture is reused only under the same configuration. :func:`audit_one` is the
per-target function (a result record with the key, the four derivations and the bundle's
problems); :func:`run` maps it over chunks of paths on local processes, and
:mod:`pvenum.audit_dask` on a Dask cluster; :class:`Summary` folds records into the
platform-class table.
"""

from __future__ import annotations

import hashlib
import os
from collections import OrderedDict
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path
from typing import TYPE_CHECKING, IO, Any, Iterable, Iterator

from . import _io

if TYPE_CHECKING:  # pragma: no cover
    from .kconfig import KernelConfig

BUNDLE_MARKERS = ("platform.toml", "manifest.json", "snapshot.json")
CHUNK = 64  # paths per task: big enough to amortise a task, small enough to balance
CACHE_SIZE = 4096  # distinct captures remembered per worker (bounded memory)
MAX_HELD = 64 * 1024 * 1024  # bytes of one target kept from its key for its load


# -- targets -------------------------------------------------------------------------------------


def iter_targets(root: str | Path) -> Iterator[Path]:
    """Bundles and recognised files under ``root``, streamed in name order (numbers by value:
    pvenum._io.natural_key): in each directory its subdirectories first (a bundle is yielded
    whole, not entered), then its files. ``root`` itself may be a bundle or a file."""
    root = Path(root)
    if root.is_file():
        yield root
        return
    yield from _walk(root, 0, frozenset())


def _walk(d: Path, depth: int, above: frozenset[tuple[int, int]]) -> Iterator[Path]:
    from .errors import LimitError, PvenumError

    if depth > _io.MAX_DIR_DEPTH:
        raise LimitError("directory", f"nested deeper than {_io.MAX_DIR_DEPTH} levels", path=str(d))
    try:
        st = d.stat()
    except OSError as err:
        raise PvenumError(f"cannot list: {err.strerror or err}", path=str(d)) from None
    here = (st.st_dev, st.st_ino)
    if here in above:  # a symlink back to a directory above: a loop (links to one bundle are fine)
        return
    # A fleet's own tree: as many machines as it has (no bound); machine2 before machine10
    entries = [(e, _io.entry_kind(e)) for e in _io.sorted_listing(d, None)]
    if any(e.name in BUNDLE_MARKERS and kind == "file" for e, kind in entries):
        yield d
        return
    files = []
    for e, kind in entries:
        if kind == "dir":
            yield from _walk(Path(e.path), depth + 1, above | {here})
        elif kind == "file":
            files.append(Path(e.path))
    for f in files:
        if _recognised(f):
            yield f


def _recognised(f: Path) -> bool:
    from .errors import PvenumError
    from .formats import detect

    try:
        data = _io.read_input(f)  # bounded, gzip inflated: as load_target will read it
    except PvenumError:
        return False  # unreadable or over the limit: not a target
    return detect(data, str(f)) is not None


def find_targets(root: str | Path) -> list[Path]:
    """:func:`iter_targets` as a list (bundles first at each level, then artifacts)."""
    return list(iter_targets(root))


def expand(args: Iterable[str], stdin: IO[bytes] | None = None) -> Iterator[Path]:
    """Targets from command-line paths; ``-`` reads one path per line from ``stdin`` (bytes,
    decoded as argv is: os.fsdecode). A path that is a directory is walked; blank lines are
    skipped."""
    for arg in args:
        if arg == "-":
            if stdin is None:
                continue
            for raw in stdin:
                line = os.fsdecode(raw.rstrip(b"\r\n"))
                if line.strip():
                    yield from _expand_one(line)
        else:
            yield from _expand_one(arg)


def _expand_one(path: str) -> Iterator[Path]:
    p = Path(path)
    if os.path.isdir(p):  # False, not OSError, for a name no file can have (ENAMETOOLONG)
        yield from iter_targets(p)
    else:
        yield p  # a file, or a path that is not there: its record says so


# -- one target ----------------------------------------------------------------------------------


def content_key(path: str | Path) -> str:
    """SHA-256 (hex, 128 bits) of what the loader reads for ``path`` (see :func:`keyed`)."""
    return keyed(path)[0]


def keyed(path: str | Path) -> tuple[str, dict[str, bytes] | None]:
    """The content key of ``path`` and the bytes it was made from, for the load to read instead
    of the disk (:func:`pvenum.target.load_target` ``files``): a capture rewritten while a fleet
    is audited is then resolved as it was keyed, never cached under another capture's key. None
    for the bytes of a target above :data:`MAX_HELD`, of an unflattened devicetree directory, or
    of one that makes the loader read a file outside it (a scenario's ``base``, what a DTS
    includes), which the load reads again from the disk: such a target is read again, and so
    not shared.

    The key hashes a bundle's files, each with its relative name (of the manifest, its file
    entries: :func:`_manifest_key`), walked as
    :func:`pvenum.bundle.read_bundle` walks them (:func:`pvenum._io.iter_file_names`), or a
    file's bytes, gzip inflated as the loader reads them (and as a bundle's checksums are
    taken), else as stored where they do not inflate. What a file makes the
    loader read besides itself is hashed under its name and a NUL (no file name holds one) with
    where it lies, so the same text elsewhere is never taken for a copy: the CPUID capture a
    scenario TOML's ``base`` names (its bytes too), and the directory where dtc finds what a
    DTS includes. A file alone is keyed with the format detection gives it (its name can
    decide), so a duplicate costs a read, a hash and that detection; a capture loaded for the
    first time is detected again by its load."""
    from .errors import PvenumError
    from .fdt.dts_files import names_files
    from .formats import _is_dt_fs_dir, detect
    from .scenario.refs import referenced_base

    is_dir = os.path.isdir(path)
    # Confined as read_bundle reads it: a symlink out of the bundle fails the key as the load.
    inside = _io.Within(path) if is_dir else None
    files = _io.iter_file_names(path, within=inside) if is_dir else iter([("", os.fspath(path))])
    h = hashlib.sha256()
    # An unflattened devicetree is read by its own walk (pvenum/fdt/fs.py): not held.
    dt_fs = is_dir and _is_dt_fs_dir(path)
    held: dict[str, bytes] | None = None if dt_fs else {}
    size = 0

    def entry(name: bytes, data: bytes) -> None:
        h.update(len(name).to_bytes(4, "little") + name + len(data).to_bytes(8, "little"))
        h.update(data)

    def place(p: str) -> bytes:
        return os.path.realpath(p).encode("utf-8", "surrogateescape")

    for rel, full in files:
        data = _io.read_bytes(full, regular=inside is not None, within=inside)  # the file opened is checked
        size += len(data)
        if held is not None:
            held[rel] = data
            if size > MAX_HELD:
                held = None
        name = rel.encode("utf-8", "surrogateescape")
        if rel == _io.MANIFEST:
            entry(name, _manifest_key(data))
            continue
        if dt_fs:  # property files are read as stored (pvenum/fdt/fs.py): gzip is a value there
            entry(name, data)
            continue
        try:
            text = _io.inflate(data, full)  # as the loader reads it
        except PvenumError:  # a gzip bomb: the loader fails on these bytes, and names nothing
            entry(name + b"\0stored", data)
            continue
        # What the loader reads, as verify and diff compare it: a copy compressed again (another
        # mtime or level in its gzip header) is the same platform.
        entry(name, text)
        if not is_dir:
            # A file alone is read as the format its bytes and its name say (pvenum.formats.detect:
            # "platform.toml" is read as one, a file extension can decide): the same bytes under
            # another name may be another capture.
            spec = detect(text, full)
            entry(b"\0format", (spec.name if spec is not None else "").encode())
        if names_files(text):  # DTS that pulls in other files, which dtc finds beside it
            entry(name + b"\0dts-place", place(os.path.dirname(full)))
            held = None  # dtc reads them from the disk at load time
        base = referenced_base(text, full)
        if base is not None:
            held = None  # the scenario model reads the base from the disk at load time
            try:
                # First: a base no file can have (a NUL) is NotFound; as the loader reads it
                # (pvenum/scenario/compile.py load_base()), a FIFO or device is refused unopened.
                stored = _io.read_bytes(base, regular=True)
            except PvenumError as err:  # the load fails and says why; nothing is kept for it
                entry(name + b"\0base-unreadable", str(err).encode("utf-8", "surrogateescape"))
            else:
                entry(name + b"\0base", place(base) + b"\0" + stored)
    return h.hexdigest()[:32], held


def _manifest_key(data: bytes) -> bytes:
    """What the loader reads of a manifest: its file entries (each file's format decides how the
    file is read, its checksum whether the bundle has a problem), not the description or when it
    was written; a manifest the loader cannot read is keyed whole (pvenum.bundle)."""
    import json

    from .bundle import manifest_entries

    entries = manifest_entries(data)
    # A manifest listing itself is checked against its own digest (pvenum.bundle.check_manifest),
    # which its entries do not hold: keyed whole.
    if entries is not None and _io.MANIFEST not in entries:
        try:  # what json.loads made always serialises; only its nesting can be too deep to again
            return json.dumps(entries, sort_keys=True, separators=(",", ":")).encode()
        except RecursionError:
            pass
    return b"\0unread\0" + data


@dataclass
class _Resolved:
    """What a capture resolves to, whatever it is called or where it lies."""

    kind: str
    scenario: str | None
    arch: str
    derivations: dict[str, Any]
    problems: list[dict[str, Any]]
    notes: list[str]
    kernel_config: dict[str, Any] | None  # which configuration built the linux models' kernel

    def named_for(self, path: str) -> tuple[list[dict[str, Any]], list[str]]:
        """The problems and notes, naming the files of the target at ``path`` (a capture shared
        by copies was loaded with its files named :data:`_HERE`)."""
        return _named(self.problems, path), _named(self.notes, path)


_CACHE: "OrderedDict[tuple[str, str], _Resolved]" = OrderedDict()


def audit_one(path: str, cache: "OrderedDict[tuple[str, str], _Resolved] | None" = None,
              kernel_config: "KernelConfig | None" = None) -> dict[str, Any]:
    """The result record of one target: ``{"target", "key", "name", "arch", "derivations",
    "problems"}`` (and ``"kernel_config"`` when one built the linux models' kernel), or
    ``{"target", "key"?, "error"}`` when it cannot be read or resolved. ``kernel_config``
    (pvenum.kconfig) overrides a bundle's own. Records do not depend on which worker made them
    or what it had seen before."""
    from .errors import PvenumError

    cache = _CACHE if cache is None else cache
    key: str | None
    held: dict[str, bytes] | None
    try:
        key, held = keyed(path)
    except (PvenumError, OSError):  # unreadable or too big: load_target words the error
        key, held = None, None
    # A capture resolved under one configuration is not the answer under another; one whose
    # bytes were not held is read again, so its result is not shared.
    slot = (key, kernel_config.sha256 if kernel_config is not None else "") if held is not None else None
    hit = cache.get(slot) if slot is not None else None
    if hit is None:
        try:
            hit = _resolve(path, kernel_config, held)
        except PvenumError as err:
            return {"target": path, **({"key": key} if key else {}), "error": str(err)}
        if slot is not None:
            cache[slot] = hit
            if len(cache) > CACHE_SIZE:
                cache.popitem(last=False)
    else:
        cache.move_to_end(slot)
    name = hit.scenario if hit.kind == "scenario" and hit.scenario else (Path(path).name or path)
    out: dict[str, Any] = {"target": path, "key": key, "name": name, "arch": hit.arch, "derivations": hit.derivations}
    problems, notes = hit.named_for(path)
    if problems:
        out["problems"] = problems
    if notes:
        out["notes"] = notes
    if hit.kernel_config is not None:
        out["kernel_config"] = dict(hit.kernel_config)
    return out


# A capture shared by copies, wherever they lie, is loaded with its files named under this
# stand-in for the target (a NUL: in no path), and every string of its record is named again
# under each copy's own path.
_HERE = "\0target\0"


def _named(value: Any, path: str) -> Any:
    """``value`` (strings, lists and dicts of them) with :data:`_HERE` as ``path`` names it."""
    if isinstance(value, str):
        return value.replace(_HERE, str(Path(path))) if _HERE in value else value
    if isinstance(value, list):
        return [_named(v, path) for v in value]
    if isinstance(value, dict):
        return {k: _named(v, path) for k, v in value.items()}
    return value


def _resolve(path: str, kernel_config: "KernelConfig | None" = None,
             files: dict[str, bytes] | None = None) -> _Resolved:
    from .report.matrix import cell
    from .resolver.registry import resolve_all
    from .target import load_target

    from .errors import PvenumError

    # A name that is no path is an error, never a catalog scenario of that name (a fleet's list
    # read in the wrong directory). Held bytes are shared by copies: their files named _HERE.
    try:
        tgt = load_target(path, files=files, catalog=False, names_as=_HERE if files is not None else None)
    except PvenumError:
        if files is None:
            raise
        # An error is not shared: its message escapes the name it gives, so _HERE cannot be
        # replaced in it. Loaded again under this target's own name, the same bytes fail alike.
        tgt = load_target(path, files=files, catalog=False)
    given = kernel_config is not None
    config = kernel_config if given else tgt.kernel_config
    ds = resolve_all(tgt.platform, kernel_config=config)
    return _Resolved(
        kind=tgt.kind,
        scenario=tgt.name if tgt.kind == "scenario" else None,
        arch=tgt.platform.arch,
        derivations={m: {**cell(d), "output": _short_output(d.output), "findings": [f.code for f in d.findings]}
                     for m, d in ds.items()},
        # the bundle is not one platform: every problem, by file (pvenum.bundle)
        problems=[p.to_json() for p in tgt.platform.problems],
        notes=list(tgt.platform.notes),
        # By content, not path: the record is reused for every copy of the capture.
        kernel_config=None if config is None else {
            "from": "--kernel-config" if given else "bundle",
            **{k: v for k, v in config.to_json().items() if k != "path"}},
    )


def _short_output(output: Any) -> Any:
    # Linux's output is a dict of every cc_* fact; a line per target keeps the headline ones.
    if isinstance(output, dict):
        return {k: v for k, v in output.items() if k in ("cc_vendor", "state", "stops")}
    return output


def audit_chunk(paths: list[str], kernel_config: "KernelConfig | None" = None) -> list[dict[str, Any]]:
    """:func:`audit_one` over a chunk of paths (the unit of work on processes and on Dask)."""
    return [audit_one(p, kernel_config=kernel_config) for p in paths]


# -- many targets --------------------------------------------------------------------------------


def chunks(targets: Iterable[Path | str], size: int = CHUNK) -> Iterator[list[str]]:
    it = iter(targets)
    while True:
        chunk = [str(t) for t in islice(it, size)]
        if not chunk:
            return
        yield chunk


def run(targets: Iterable[Path | str], *, jobs: int | None = None, chunk: int = CHUNK,
        kernel_config: "KernelConfig | None" = None) -> Iterator[dict[str, Any]]:
    """Records in target order, streamed: ``jobs=1`` stays in this process; otherwise chunks
    of paths go to worker processes, a bounded number in flight (memory does not grow with
    the number of targets)."""
    jobs = jobs or os.cpu_count() or 1
    if jobs == 1:
        for c in chunks(targets, chunk):
            yield from audit_chunk(c, kernel_config)
        return
    from concurrent.futures import Future, ProcessPoolExecutor  # not needed by -j 1

    with ProcessPoolExecutor(max_workers=jobs) as pool:
        pending: list[Future] = []
        for c in chunks(targets, chunk):
            pending.append(pool.submit(audit_chunk, c, kernel_config))
            if len(pending) >= jobs * 3:
                yield from pending.pop(0).result()
        for fut in pending:
            yield from fut.result()


# -- the summary ---------------------------------------------------------------------------------

SERVICE_NAMES = ("attestation", "tdisp", "vtpm")


def _services(d: dict[str, Any]) -> list[str]:
    return [n for n in SERVICE_NAMES if d.get(n)]


@dataclass
class PlatformClass:
    arch: str
    models: dict[str, dict[str, Any]]
    count: int = 0
    keys: set[str] = field(default_factory=set)
    example: str = ""

    def to_json(self) -> dict[str, Any]:
        return {"arch": self.arch, "models": self.models, "machines": self.count, "distinct": len(self.keys),
                "example": self.example}


@dataclass
class Summary:
    """Records folded into platform classes (same arch and, per model, the same mode,
    isolation and available services), in order of first appearance."""

    targets: int = 0
    errors: int = 0
    classes: dict[tuple, PlatformClass] = field(default_factory=dict)
    distinct: set[str] = field(default_factory=set)
    first_error: str | None = None
    # Resolved targets whose bundle has problems (copies disagree, a file unreadable, the
    # manifest does not match), counted for the summary.
    with_problems: int = 0
    first_problem: str | None = None

    def add(self, rec: dict[str, Any]) -> None:
        self.targets += 1
        if "error" in rec:
            self.errors += 1
            self.first_error = self.first_error or rec["target"]
            return
        if rec.get("problems"):
            self.with_problems += 1
            self.first_problem = self.first_problem or rec["target"]
        if rec.get("key"):
            self.distinct.add(rec["key"])
        models = {m: {"mode": d["mode"], "isolation": d["isolation"], "services": _services(d)}
                  for m, d in rec["derivations"].items()}
        cls_key = (rec["arch"], tuple((m, v["mode"], v["isolation"], tuple(v["services"])) for m, v in models.items()))
        cls = self.classes.get(cls_key)
        if cls is None:
            cls = self.classes[cls_key] = PlatformClass(rec["arch"], models, example=rec["target"])
        cls.count += 1
        if rec.get("key"):
            cls.keys.add(rec["key"])

    def to_json(self) -> dict[str, Any]:
        return {"targets": self.targets, "distinct_platforms": len(self.distinct), "errors": self.errors,
                "with_problems": self.with_problems,
                "classes": [c.to_json() for c in self.classes.values()]}

    def to_markdown(self) -> str:
        from .report.markdown import md_code

        models = list(next(iter(self.classes.values())).models) if self.classes else []

        def row(*cells: object) -> str:
            return "| " + " | ".join(str(c) for c in cells) + " |"

        problems = f", {self.with_problems} with bundle problems (first: {md_code(self.first_problem)})" \
            if self.with_problems else ""
        lines = [
            f"{self.targets} targets, {len(self.distinct)} distinct platforms, {len(self.classes)} platform classes, "
            f"{self.errors} errors{problems}",
            "",
            row("class", "arch", *models, "machines", "distinct", "first example"),
            "|" + "---|" * (len(models) + 5),
        ]
        for i, c in enumerate(self.classes.values(), 1):
            cells = []
            for m in models:
                v = c.models[m]
                svc = ", ".join(v["services"]) or "no services"
                cells.append(f"{v['mode']} · {v['isolation']} · {svc}")
            lines.append(row(i, c.arch, *cells, c.count, len(c.keys), md_code(c.example)))
        if self.errors:
            lines.append(row("errors", "", *[""] * len(models), self.errors, "", md_code(self.first_error)))
        return "\n".join(lines) + "\n"
