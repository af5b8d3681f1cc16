"""The fault battery's short form (``bench/faults.py --quick``): production mode as separate
processes, a kill -9 of a worker and a Redis restart under a mixed burst; every row must meet
the goal (0 lost, 0 twice, 0 out of order, settled within 30 s after recovery)."""

from __future__ import annotations

import importlib.util
import sys

import pytest

from tests.harness.fleet import AVAILABLE, ROOT

pytestmark = pytest.mark.skipif(not AVAILABLE,
                                reason="needs PostgreSQL's initdb and redis-server")


def _battery() -> object:
    spec = importlib.util.spec_from_file_location("faults_bench", ROOT / "bench" / "faults.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize("fault", ["kill-worker", "redis-restart"])
async def test_quick_fault_battery_meets_the_goal(fault: str) -> None:
    faults = _battery()
    assert fault in faults.QUICK_FAULTS  # type: ignore[attr-defined]
    rows = await faults.run([fault], faults.QUICK,  # type: ignore[attr-defined]
                            seed=1, settle_limit=faults.SETTLE_GOAL + 5)  # type: ignore[attr-defined]
    table = faults.render(rows)  # type: ignore[attr-defined]
    assert rows[0].sent and rows[0].acked, table  # the burst really ran
    assert rows[0].ok, table
