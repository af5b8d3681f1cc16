"""The deployment files (deploy/) and the tools that check them: promtool (Debian's
prometheus package) and docker-compose, installed by the test command when missing
(scripts/ops-tools.sh). Outside CI a missing tool skips its test, saying which; in CI it
fails, since the test command installs it."""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"

_KEYWORDS = frozenset({"by", "without", "on", "ignoring", "group_left", "group_right", "and",
                       "or", "unless", "bool", "offset", "inf", "nan"})


def tool(name: str) -> str:
    """The tool's path; a test without it skips (fails in CI) naming the package."""
    path = shutil.which(name)
    if path is None:
        message = (f"{name} is not installed: `bash scripts/ops-tools.sh` (or the test "
                   "command) installs it")
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return path


def metric_names(expr: str) -> set[str]:
    """The metric names a PromQL expression reads (functions, keywords, label matchers,
    grouping labels, durations and template variables left out)."""
    text = re.sub(r'"(?:[^"\\]|\\.)*"', '""', expr)  # string literals
    text = re.sub(r"\{[^}]*\}", " ", text)  # label matchers
    text = re.sub(r"\[[^\]]*\]", " ", text)  # ranges and subqueries
    text = re.sub(r"\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)", " ", text)
    text = re.sub(r"\$\w+", " ", text)  # Grafana variables
    names = set()
    for m in re.finditer(r"[A-Za-z_:][A-Za-z0-9_:]*", text):
        following = text[m.end():].lstrip()[:1]
        word = m.group(0)
        if following == "(" or word.lower() in _KEYWORDS:
            continue
        if m.start() > 0 and (text[m.start() - 1].isdigit() or text[m.start() - 1] == "."):
            continue  # the exponent or unit of a number (1e-9, 5m)
        names.add(word)
    return names


def exported_names(exposition: str) -> set[str]:
    """The series names a /metrics text can contain, from its TYPE lines (a histogram's
    _bucket, _count and _sum, a counter's _total)."""
    names: set[str] = set()
    for line in exposition.splitlines():
        if not line.startswith("# TYPE "):
            continue
        _, _, name, kind = line.split(" ", 3)
        if kind == "histogram":
            names.update({f"{name}_bucket", f"{name}_count", f"{name}_sum"})
        elif kind == "counter":
            names.update({name, name.removesuffix("_total") + "_total"})
        else:
            names.add(name)
    return names
