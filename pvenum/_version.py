"""pvenum's version: one source, read by packaging (pyproject.toml), `pvenum --version` and
every manifest pvenum writes. A module of its own so that readers need not import the package
facade (pvenum/__init__.py), which loads the resolver on demand."""

__version__ = "0.1.0"
