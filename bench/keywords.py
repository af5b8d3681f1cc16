"""Keyword matcher benchmark: `.venv/bin/python bench/keywords.py`.

Deterministic generated data: rule sets of 100 / 1,000 / 10,000 rules whose
terms come from jieba's own dictionary (any, all, contains, exclude and a few
regex), and 5,000 chat-length messages per size (5-80 characters, some
traditional, some full-width) of which roughly 10-40 % hit something. The
naive baseline (loop over rules, `in` per term) runs on the same data.
Latency is timed per message; ``best p99`` is the p99 of each message's fastest
of 3 passes (the matcher's own cost, the host's interruptions left out), shown
beside the single pass that the targets judge.
"""

from __future__ import annotations

import json
import os
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from keywords import Matcher, load_rules, normalize  # noqa: E402

SIZES = (100, 1_000, 10_000)
N_MESSAGES = 5_000
NAIVE_SAMPLE = 1_000  # the naive loop is slow; time it on the first 1,000 messages
FULLWIDTH = {c: chr(ord(c) + 0xFEE0) for c in "0123456789abcdefghijklmnopqrstuvwxyz"}


def dictionary() -> list[tuple[str, int]]:
    import jieba

    path = Path(jieba.__file__).parent / "dict.txt"
    out = []
    for line in path.read_text(encoding="utf-8").splitlines():
        word, freq, _tag = line.split(" ")
        out.append((word, int(freq)))
    return out


def make_rules(n: int, terms: list[str], rnd: random.Random) -> list[dict]:
    rules = []
    for i in range(n):
        pick = rnd.random()
        when: dict[str, list[str]]
        if pick < 0.40:
            when = {"any": rnd.sample(terms, rnd.randint(1, 3))}
        elif pick < 0.60:
            when = {"all": rnd.sample(terms, 2)}
        elif pick < 0.85:
            when = {"contains": rnd.sample(terms, rnd.randint(1, 2))}
        elif pick < 0.99:
            when = {"any": rnd.sample(terms, 2), "exclude": [rnd.choice(terms)]}
        else:
            when = {"regex": [rnd.choice(terms) + r"\d{3,}"]}
        rules.append(
            {
                "id": f"r{i:05d}",
                "priority": rnd.randint(0, 5),
                "when": when,
                "replies": {"messages": [{"text": "ok"}]},
            }
        )
    return rules


def make_messages(rules: list[dict], filler: list[str], rnd: random.Random) -> list[str]:
    from opencc import OpenCC

    t2s_inverse = OpenCC("s2t")
    msgs = []
    for _ in range(N_MESSAGES):
        target = rnd.randint(5, 80)
        parts: list[str] = []
        while sum(map(len, parts)) < target:
            parts.append(rnd.choice(filler))
            if rnd.random() < 0.15:
                parts.append(rnd.choice("，。？！ ~"))
        if rnd.random() < 0.28:  # plant a rule term
            when = rnd.choice(rules)["when"]
            terms = next(iter(when.values()))
            term = terms[0] if "regex" not in when else terms[0].split("\\")[0] + "12345"
            parts.insert(rnd.randrange(len(parts) + 1), term)
            if "all" in when:
                parts.append(terms[1])
        text = "".join(parts)[:80]
        roll = rnd.random()
        if roll < 0.10:
            text = t2s_inverse.convert(text)
        elif roll < 0.20:
            text = "".join(FULLWIDTH.get(c, c) for c in text + f"order{rnd.randint(1, 999)}")
        msgs.append(text)
    return msgs


def naive(rules: list[dict], text: str) -> list[str]:
    """The baseline: every rule, every term, `in` on the normalized text."""
    norm = normalize(text)
    hits = []
    for rule in rules:
        w = rule["when"]
        if any(t in norm for t in w.get("exclude", ())):
            continue
        if (
            any(t in norm for t in w.get("any", ()))
            or (w.get("all") and all(t in norm for t in w["all"]))
            or any(t in norm for t in w.get("contains", ()))
        ):
            hits.append(rule["id"])
    return hits


def timed(fn, msgs: list[str]) -> list[float]:
    out = []
    clock = time.perf_counter_ns
    for text in msgs:
        t0 = clock()
        fn(text)
        out.append((clock() - t0) / 1000)
    return out


def pct(values: list[float], q: float) -> float:
    s = sorted(values)
    return s[min(len(s) - 1, int(q * len(s)))]


STARTUP = """
import json, sys, time
t0 = time.perf_counter()
sys.path.insert(0, sys.argv[2])
from keywords import Matcher, load_rules
rules = load_rules(json.load(open(sys.argv[1], encoding="utf-8")))
m = Matcher(rules)
m.match("你好")
elapsed = time.perf_counter() - t0
# VmHWM, not ru_maxrss: the latter is inherited from the (big) parent across fork.
hwm = int(open("/proc/self/status").read().split("VmHWM:")[1].split()[0]) / 1024
print(json.dumps({"startup": elapsed, "rss_mib": hwm}))
"""


def startup(rules: list[dict]) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "rules.json")
        Path(path).write_text(json.dumps({"rules": rules}, ensure_ascii=False), encoding="utf-8")
        out = subprocess.run(
            [sys.executable, "-c", STARTUP, path, str(ROOT)],
            capture_output=True, text=True, check=True,
        )  # fmt: skip
        return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    words = dictionary()
    filler_set = {w for w, f in sorted(words, key=lambda x: -x[1])[:600] if len(w) <= 2}
    pool = sorted(w for w, f in words if 2 <= len(w) <= 4 and 3 <= f <= 2000 and w.isalpha())
    filler = sorted(filler_set)
    rows = []
    for n in SIZES:
        rnd = random.Random(n)
        raw = make_rules(n, pool, rnd)
        msgs = make_messages(raw, filler, rnd)
        rules = load_rules(raw)
        t0 = time.perf_counter()
        matcher = Matcher(rules)
        compile_s = time.perf_counter() - t0
        tracemalloc.start()  # separately: tracing slows compilation down a lot
        Matcher(rules)
        traced = tracemalloc.get_traced_memory()[1] / 2**20
        tracemalloc.stop()
        for text in msgs[:500]:  # warm caches (fold table, pinyin, etc.)
            matcher.match(text)
        lat = timed(matcher.match, msgs)
        # Each message's fastest of 3 passes: what the matcher itself costs, without the
        # host's interruptions (on a shared machine they make most of a single pass's p99).
        # Shown beside the single pass; the targets are judged on the single pass.
        again = [timed(matcher.match, msgs) for _ in range(2)]
        best = [min(t) for t in zip(lat, *again, strict=True)]
        hit_rate = sum(matcher.match(t) is not None for t in msgs) / len(msgs)
        for text in msgs[:1000]:
            assert matcher.match(text) == (matcher.match_all(text) or [None])[0]
        naive_lat = timed(lambda t, r=raw: naive(r, t), msgs[:NAIVE_SAMPLE])
        mean = statistics.fmean(lat)
        rows.append(
            {
                "rules": n,
                "mean": mean,
                "p50": pct(lat, 0.50),
                "p99": pct(lat, 0.99),
                "best_p99": pct(best, 0.99),
                "msgs/s": 1e6 / mean,
                "compile_s": compile_s,
                "traced_mib": traced,
                "hit%": 100 * hit_rate,
                "naive_mean": statistics.fmean(naive_lat),
                "speedup": statistics.fmean(naive_lat) / mean,
            }
        )
        print(f"  measured {n} rules", file=sys.stderr)
    start = startup(make_rules(10_000, pool, random.Random(10_000)))
    rss_now = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

    head = (
        f"{'rules':>6} {'mean µs':>8} {'p50 µs':>7} {'p99 µs':>7} {'best p99':>8} {'msg/s':>9} "
        f"{'compile s':>9} {'traced MiB':>10} {'hit %':>6} {'naive µs':>9} {'speedup':>8}"
    )
    print(head)
    print("-" * len(head))
    for r in rows:
        print(
            f"{r['rules']:>6} {r['mean']:>8.1f} {r['p50']:>7.1f} {r['p99']:>7.1f} "
            f"{r['best_p99']:>8.1f} "
            f"{r['msgs/s']:>9.0f} {r['compile_s']:>9.2f} {r['traced_mib']:>10.1f} "
            f"{r['hit%']:>6.1f} {r['naive_mean']:>9.0f} {r['speedup']:>7.0f}x"
        )
    print(
        f"\nstart-up (subprocess: import + load + compile 10,000 rules + first match): "
        f"{start['startup']:.2f} s, peak RSS {start['rss_mib']:.0f} MiB"
        f"\n(traced MiB = Python allocations while compiling, tracemalloc; this bench "
        f"process, with jieba's dictionary loaded for data generation: {rss_now:.0f} MiB)"
        f"\n(best p99 = the p99 of each message's fastest of 3 passes: the matcher's own cost, "
        f"the host's interruptions left out; the targets below judge the single pass)"
    )
    big, small = rows[-1], rows[0]
    targets = [
        ("p50 at 10k <= 8 µs (issue 18)", big["p50"] <= 8),
        ("p99 at 10k <= 60 µs (issue 18)", big["p99"] <= 60),
        (">= 500x faster than naive at 10k (issue 18)", big["speedup"] >= 500),
        ("latency 10k <= 1.5x latency 100 (mean)", big["mean"] <= 1.5 * small["mean"]),
        ("compile 10k <= 2 s", big["compile_s"] <= 2),
        ("peak RSS (10k, subprocess) <= 200 MiB", start["rss_mib"] <= 200),
        ("start-up <= 1.5 s", start["startup"] <= 1.5),
    ]
    print()
    for name, ok in targets:
        print(f"  [{'met' if ok else 'MISSED'}] {name}")


if __name__ == "__main__":
    main()
