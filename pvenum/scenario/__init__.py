"""Scenarios: platforms described at the level people think in, compiled into every channel."""

from .model import Scenario, load_scenario_file, parse_scenario

__all__ = ["Scenario", "load_scenario_file", "parse_scenario"]
