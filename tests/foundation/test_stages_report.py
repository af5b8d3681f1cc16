"""bench/stages.py: the moments of each customer's messages paired in order, across
processes, into steps."""

from __future__ import annotations

from bench import stages


def _moments(customer: str, start: float, gaps: list[float]) -> list[tuple[str, str, float]]:
    out, at = [], start
    for stage, gap in zip(stages.STAGES, [0.0, *gaps], strict=True):
        at += gap
        out.append((stage, customer, at))
    return out


def test_steps_pair_each_customers_messages_in_order() -> None:
    gaps = [0.010, 0.002, 0.003, 0.020, 0.008]  # seconds, one per step
    moments = [*_moments("a", 100.0, gaps), *_moments("a", 101.0, [2 * g for g in gaps]),
               *_moments("b", 100.5, gaps)]
    # Moments arrive from several processes, in any order.
    lines = stages.report(sorted(moments, key=lambda m: (m[0], -m[2]))).splitlines()
    rows = {line[:22].strip(): [float(x) for x in line[22:].split()] for line in lines[1:]}
    assert list(rows) == ["asked → pulled", "pulled → stored", "stored → deciding",
                          "deciding → decided", "decided → answered", "asked → answered"]
    mean, p50, _ = rows["asked → pulled"]
    assert round(mean, 1) == round((10 + 20 + 10) / 3, 1)
    assert p50 == 10.0
    assert round(rows["asked → answered"][0], 1) == round((43 + 86 + 43) / 3, 1)


def test_a_customer_with_a_stage_seen_twice_is_left_out_and_counted() -> None:
    gaps = [0.010, 0.002, 0.003, 0.020, 0.008]
    moments = [*_moments("a", 100.0, gaps), *_moments("b", 100.0, gaps),
               ("answered", "b", 100.2)]  # a reply sent twice
    report = stages.report(moments)
    assert "(customers left out, a stage seen more often than another: 1)" in report
    assert "asked → answered" in report
