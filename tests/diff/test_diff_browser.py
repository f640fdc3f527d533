"""The HTML and SVG exports open in a real browser: headless chromium takes a screenshot,
and the PNG must show more than a blank page. Marked `browser`; skipped without chromium."""

from __future__ import annotations

import shutil
import struct
import subprocess
import zlib
from pathlib import Path

import pytest

from pvenum.diff import diff_targets
from pvenum.diff import render as R

BROWSERS = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")


@pytest.fixture(scope="module")
def exports(tmp_path_factory) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("exports")
    result = diff_targets("azure-snp-paravisor", "snp")
    paths = {}
    for fmt in ("html", "svg"):
        p = out / f"diff.{fmt}"
        p.write_text(R.export(result, fmt, max_rows=40), encoding="utf-8")
        paths[fmt] = p
    return paths


def test_exports_are_produced(exports):
    assert exports["html"].read_text().startswith("<!DOCTYPE html>")
    assert exports["svg"].read_text().lstrip().startswith("<svg")


def png_pixels(data: bytes) -> tuple[int, int, list[bytes]]:
    """Width, height and unfiltered rows of an 8-bit RGB/RGBA PNG (enough for a screenshot)."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    pos, idat, width = 8, b"", 0
    height = bpp = 0
    while pos < len(data):
        (length,) = struct.unpack(">I", data[pos:pos + 4])
        kind, body = data[pos + 4:pos + 8], data[pos + 8:pos + 8 + length]
        pos += 12 + length
        if kind == b"IHDR":
            width, height, depth, ctype = struct.unpack(">IIBB", body[:10])
            assert depth == 8 and ctype in (2, 6), f"PNG depth {depth} colour type {ctype}"
            bpp = 3 if ctype == 2 else 4
        elif kind == b"IDAT":
            idat += body
    raw = zlib.decompress(idat)
    stride = width * bpp
    rows, prev = [], bytearray(stride)
    for y in range(height):
        f, line = raw[y * (stride + 1)], bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        for i in range(stride):
            a = line[i - bpp] if i >= bpp else 0
            b, c = prev[i], prev[i - bpp] if i >= bpp else 0
            if f == 1:
                line[i] = (line[i] + a) & 0xFF
            elif f == 2:
                line[i] = (line[i] + b) & 0xFF
            elif f == 3:
                line[i] = (line[i] + (a + b) // 2) & 0xFF
            elif f == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 0xFF
        rows.append(bytes(line))
        prev = line
    return width, height, rows


@pytest.mark.browser
@pytest.mark.parametrize("fmt", ["html", "svg"])
def test_export_renders_in_headless_chromium(exports, fmt, tmp_path):
    browser = next((b for b in map(shutil.which, BROWSERS) if b), None)
    if browser is None:
        pytest.skip("no chromium (Debian: apt-get install chromium)")
    shot = tmp_path / f"{fmt}.png"
    cmd = [browser, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
           "--disable-background-networking", "--disable-component-update", "--disable-sync",
           "--disable-dev-shm-usage", f"--user-data-dir={tmp_path / 'profile'}", f"--screenshot={shot}",
           "--window-size=1200,800", exports[fmt].resolve().as_uri()]
    proc = subprocess.run(cmd, capture_output=True, timeout=120)
    assert shot.exists() and shot.stat().st_size > 0, proc.stderr.decode(errors="replace")[-2000:]
    width, height, rows = png_pixels(shot.read_bytes())
    assert (width, height) == (1200, 800)
    bpp = len(rows[0]) // width
    colours: dict[bytes, int] = {}
    for row in rows[::4]:  # every fourth row is plenty and keeps this fast
        for x in range(0, len(row), bpp * 2):
            px = row[x:x + 3]
            colours[px] = colours.get(px, 0) + 1
    assert len(colours) > 8, "the page rendered blank"
    background = max(colours.values())
    assert sum(colours.values()) - background > 0.01 * sum(colours.values()), "almost nothing drawn"
