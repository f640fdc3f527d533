"""Decoded values as JSON: integers stay integers, char arrays are text, byte arrays are hex."""

from __future__ import annotations

from typing import Any


def json_value(value: Any) -> Any:
    if isinstance(value, (bytes, bytearray, memoryview)):
        return bytes(value).hex()
    if isinstance(value, dict):
        return {str(k): json_value(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [json_value(v) for v in value]
    return value
