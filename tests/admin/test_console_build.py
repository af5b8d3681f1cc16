"""The console shipped in the package is the build of the sources in console/: the build
stamps a hash of those sources (and the lockfile) and this recomputes it, so a change to the
sources without `npm run build` fails here, without Node on the machine."""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SOURCES = ROOT / "console"
STATIC = ROOT / "bot" / "web" / "admin" / "static"
SKIP = {"node_modules", "dist", ".vite"}


def source_hash() -> str:
    """What console/scripts/stamp.mjs computes: sha256 over each file's path and digest."""
    files = sorted(
        p.relative_to(SOURCES).as_posix() for p in SOURCES.rglob("*")
        if p.is_file() and not SKIP.intersection(p.relative_to(SOURCES).parts))
    total = hashlib.sha256()
    for name in files:
        digest = hashlib.sha256((SOURCES / name).read_bytes()).hexdigest()
        total.update(f"{name}\n{digest}\n".encode())
    return total.hexdigest()


def test_the_shipped_build_matches_the_sources() -> None:
    stamp = json.loads((STATIC / "build.json").read_text("utf-8"))
    assert stamp["source_sha256"] == source_hash(), (
        "console/ changed since the build in bot/web/admin/static: "
        "run `cd console && npm ci && npm run build` and commit the result")


def test_the_page_loads_only_shipped_assets() -> None:
    html = (STATIC / "index.html").read_text("utf-8")
    assets = re.findall(r'(?:src|href)="/admin/static/([^"]+)"', html)
    assert any(a.endswith(".js") for a in assets) and any(a.endswith(".css") for a in assets)
    for asset in assets:
        assert (STATIC / asset).is_file(), asset
    # Nothing inline: the CSP allows scripts and styles from the service only.
    assert "<script>" not in html and "<style" not in html and " style=" not in html


def test_the_lockfile_pins_what_package_json_asks_for() -> None:
    package = json.loads((SOURCES / "package.json").read_text("utf-8"))
    lock = json.loads((SOURCES / "package-lock.json").read_text("utf-8"))
    locked = lock["packages"]
    for section in ("dependencies", "devDependencies"):
        for name, version in package.get(section, {}).items():
            assert locked[f"node_modules/{name}"]["version"] == version, name
