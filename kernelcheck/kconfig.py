"""The booted kernel's own configuration, given to the linux model it is compared with.

fetch.py unpacks each kernel's build configuration beside its vmlinuz as boot/config-ABI (from
the linux-image package, or for 7.x from linux-base-ABI's /usr/lib/modules/ABI/config). docs/kernelcheck.json records, per kernel, that file's name and
SHA-256 and the setting of every option the model reads (pvenum's KCONFIG table), so that
`--recompare` gives the model the same configuration without the packages.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from kernelcheck.fetch import kernel_dir, kernel_label
from pvenum._io import read_input
from pvenum.errors import PvenumError
from pvenum.kconfig import MAX_CONFIG_BYTES, NOT_SET, KernelConfig, parse_kconfig, read_kconfig
from pvenum.resolver.models.linux_releases import KCONFIG


def config_file(image: Path) -> Path | None:
    """``config-ABI`` beside ``vmlinuz-ABI`` (fetch.py unpacks both into one boot/ directory)."""
    name = image.name.replace("vmlinuz-", "config-", 1)
    path = image.with_name(name)
    return path if name != image.name and path.is_file() else None


def settings(path: Path, cfg: KernelConfig | None = None) -> dict:
    """What docs/kernelcheck.json keeps of a configuration (``path``'s, or ``cfg`` read from it):
    enough to rebuild what the model reads."""
    cfg = read_kconfig(path) if cfg is None else cfg
    return {"file": path.name, "sha256": cfg.sha256, "arch": cfg.arch,
            "version": cfg.version, "options": {option: cfg.value(option) for option in KCONFIG}}


def from_settings(recorded: dict) -> KernelConfig:
    """The :class:`KernelConfig` :func:`settings` recorded (only the options the model reads). A
    record made before the model read an option has no setting for it: that is an error, never n."""
    missing = [o for o in KCONFIG if o not in recorded["options"]]
    if missing:
        raise PvenumError(f"{recorded['file']}: docs/kernelcheck.json records no setting for {', '.join(missing)}; "
                         "with the kernels cached, `kernelcheck/run.py --recompare` records them")
    options = {o: v for o, v in recorded["options"].items() if v != NOT_SET}
    return KernelConfig(options, recorded["file"], recorded.get("arch"), recorded.get("version"), recorded["sha256"])


def refresh(kernels: list[dict], cache: Path) -> None:
    """Re-read each recorded configuration from the kernel cache (fetch.py's
    kernels/PACKAGE_VERSION/boot/) when the file there has the recorded SHA-256 (checked before
    it is parsed: another file there is not the one recorded, whatever it holds), so the record
    names every option the model reads now (Debian's configs are plain text, so the file's
    SHA-256 is the configuration's)."""
    for k in kernels:
        rec = k.get("kconfig")
        if rec is None:
            continue
        found = kernel_dir(cache, k["package"], k["version"]) / "boot" / rec["file"]
        if not found.is_file():
            continue
        try:
            data = read_input(found, limit=MAX_CONFIG_BYTES)  # read once: hashed, then parsed
        except PvenumError:  # too big or corrupt gzip: not the file recorded, which was read
            continue
        if hashlib.sha256(data).hexdigest() == rec["sha256"]:
            k["kconfig"] = settings(found, parse_kconfig(data, str(found)))


def recorded(kernels: list[dict]) -> dict[str, KernelConfig]:
    """The configuration docs/kernelcheck.json records per kernel, by its label (fetch.kernel_label())."""
    return {kernel_label(k["package"], k["version"]): from_settings(k["kconfig"]) for k in kernels if "kconfig" in k}
