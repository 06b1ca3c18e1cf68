"""Where the test suite's time goes, in CPU seconds (steadier than wall time on a shared machine).

As a pytest plugin it appends one JSON line per test, `[node id, CPU s, wall s, pid]`
(setup, call and teardown; CPU of the test process only, so tests that run subprocesses show
their wall time alone). `TEST_CPU_SAMPLE=k` keeps one test in k (by a hash of its id) for a
quicker estimate. Run as a script, it sums the lines by directory and by file, scaled by k:

    PYTHONPATH=$PWD/src:$PWD/tools TEST_CPU_OUT=/tmp/cpu.jsonl TEST_CPU_SAMPLE=3 \\
        python -m pytest -n 2 -p cpu_profile_tests -p no:randomly tests
    python tools/cpu_profile_tests.py /tmp/cpu.jsonl 3
"""

import collections
import json
import os
import sys
import time
import zlib

import pytest

_out = None


def pytest_collection_modifyitems(config, items):
    k = int(os.environ.get("TEST_CPU_SAMPLE", "1"))
    if k > 1:
        items[:] = [item for item in items if zlib.crc32(item.nodeid.encode()) % k == 0]


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_protocol(item, nextitem):
    global _out
    cpu, wall = time.process_time(), time.perf_counter()
    yield
    if _out is None:
        _out = open(os.environ.get("TEST_CPU_OUT", "test_cpu.jsonl"), "a", buffering=1)
    _out.write(json.dumps([item.nodeid, round(time.process_time() - cpu, 4),
                           round(time.perf_counter() - wall, 4), os.getpid()]) + "\n")


def main(path, scale=1, top=30):
    rows = [json.loads(line) for line in open(path)]
    groups = {"directory": collections.Counter(), "file": collections.Counter()}
    for node, cpu, *_ in rows:
        file = node.split("::")[0]
        parts = file.split("/")
        groups["directory"][parts[1] if len(parts) > 2 else file] += cpu * scale
        groups["file"][file] += cpu * scale
    print(f"{len(rows)} tests, {sum(r[1] for r in rows) * scale:.0f} CPU s (x{scale})")
    for name, counter in groups.items():
        print(f"--- by {name}")
        for key, seconds in counter.most_common(top):
            print(f"{seconds:8.1f}  {key}")


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]) if len(sys.argv) > 2 else 1)
