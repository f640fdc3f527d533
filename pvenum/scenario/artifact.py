"""The ``scenario-toml`` format hook: a scenario file is an artifact that compiles to channels."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Iterator

from .model import Scenario, parse_scenario


@dataclass
class ScenarioArtifact:
    format = "scenario-toml"
    path: str
    scenario: Scenario
    _platform: Any = field(default=None, repr=False, compare=False)

    def platform(self) -> Any:
        """The scenario compiled, once per artifact (loading it checks that it compiles; the
        bundle's platform and `pvenum verify` read the same result)."""
        if self._platform is None:
            self._platform = self.scenario.platform()
        return self._platform

    def to_json(self) -> dict[str, Any]:
        from ..expect import tables

        p = self.platform()
        return {"format": self.format, "path": self.path, "scenario": self.scenario.to_summary(),
                "channels": p.channels(), "expect": tables(self.scenario.expect)}

    def render(self, *, bits: bool = False) -> Any:
        from rich.table import Table

        t = Table(title=f"{self.path} — scenario {self.scenario.name}", title_justify="left")
        t.add_column("key", style="cyan")
        t.add_column("value")
        for k, v in self.scenario.to_summary().items():
            t.add_row(k, str(v))
        t.add_row("channels", ", ".join(self.platform().channels()))
        return t

    def textconv(self) -> Iterator[str]:
        yield from self.scenario.text.splitlines()

    def contribute(self, builder: Any) -> None:
        self.platform().contribute_to(builder, self.path)


def names_beside(data: bytes) -> bool:
    """Whether ``data`` is TOML naming a ``base`` capture (as the fleet audit's key decides it).
    A scenario's base is read beside it: defining this, the module is handed ``on_disk``
    (pvenum.formats.FormatSpec.load)."""
    from .refs import referenced_base

    return referenced_base(data, "") is not None


def load(data: bytes, path: str, *, on_disk: Any = None) -> list[ScenarioArtifact]:
    from ..errors import ScenarioError

    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as err:
        raise ScenarioError(f"not UTF-8 text (byte {err.start})", path=path) from None
    art = ScenarioArtifact(path, parse_scenario(text, path, build=False, on_disk=on_disk))
    art.platform()  # as parse_scenario(build=True) does: a scenario that cannot be built is refused now
    return [art]


def validate(data: bytes, path: str, fmt: str = "scenario-toml") -> list[Any]:
    """A scenario's schema, its overrides (built once) and its [expect] values, as problems."""
    from ..errors import ScenarioError
    from ..validation import toml_problems

    try:
        load(data, path)
    except ScenarioError as err:
        return toml_problems(err, "scenario")
    return []
