"""Import time: `import jax` against `import neokeras`, best of N fresh processes.

Each round runs, in fresh interpreters one after the other, `import jax`, then for every
`--src` (a directory holding a `neokeras` package: this checkout's `src` by default; give two to
compare two versions side by side) `import neokeras` and `import neokeras` followed by the names a
basic program touches (`Sequential`, `layers.Dense`, `optimizers.Adam`, `losses`, `callbacks`).
It prints the best wall and CPU (user + system) seconds of each, and each one's excess over
`import jax` (the issue 17 target: `import neokeras` <= `import jax` + 0.3 s). Alternating the
commands in every round keeps a load change on a shared machine from favouring one of them.

On a loaded machine wall (and even CPU) seconds of whole processes mostly measure the load; the
last table, from `python -X importtime`, is steadier: the modules each command imports beyond
`import jax`, and the best sum of their self times.

    PYTHONPATH=src .venv/bin/python benchmarks/import_time.py [--runs 7] [--src src --src OTHER/src]
"""

import argparse
import os
import re
import resource
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

BASIC_NAMES = ("import neokeras as keras\n"
               "keras.Sequential, keras.layers.Input, keras.layers.Dense, keras.optimizers.Adam\n"
               "keras.losses.MeanSquaredError, keras.metrics.Accuracy, keras.callbacks.History")


def timed(code, src):
    """Wall and CPU seconds of a fresh `python -c code` with `src` on its path."""
    env = {**os.environ, "PYTHONPATH": src} if src else dict(os.environ)
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run([sys.executable, "-c", code], env=env, check=True)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def import_times(runs, srcs, basic=True):
    """`{label: (best wall, best CPU)}` for `jax` and, per src, `neokeras` (and `basic`)."""
    commands = [("jax", "import jax", None)]
    for src in srcs:
        commands.append((f"neokeras [{src}]", "import neokeras", src))
        if basic:
            commands.append((f"neokeras + basic names [{src}]", BASIC_NAMES, src))
    best = {}
    for _ in range(runs):
        for label, code, src in commands:
            wall, cpu = timed(code, src)
            old = best.get(label, (float("inf"), float("inf")))
            best[label] = (min(old[0], wall), min(old[1], cpu))
    return best


def beyond_jax(runs, srcs):
    """`{label: (modules, best self-time seconds)}` of what each command imports beyond jax."""
    def imported(code, src):
        env = {**os.environ, "PYTHONPATH": src} if src else dict(os.environ)
        err = subprocess.run([sys.executable, "-X", "importtime", "-c", code], env=env,
                             check=True, capture_output=True, text=True).stderr
        return {m[2]: int(m[1]) for m in re.finditer(r"import time:\s+(\d+) \|\s+\d+ \| *(\S+)", err)}

    best = {}
    for _ in range(runs):
        jax_modules = imported("import jax", None)
        for src in srcs:
            for label, code in ((f"neokeras [{src}]", "import neokeras"),
                                (f"neokeras + basic names [{src}]", BASIC_NAMES)):
                extra = {m: t for m, t in imported(code, src).items() if m not in jax_modules}
                seconds = sum(extra.values()) / 1e6
                best[label] = (len(extra), min(best.get(label, (0, seconds))[1], seconds))
    return best


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--src", action="append",
                        help="a directory holding the neokeras package (repeatable; default: src)")
    args = parser.parse_args()
    srcs = [os.path.abspath(s) for s in (args.src or [os.path.join(ROOT, "src")])]
    print(f"load average {os.getloadavg()[0]:.1f}; best of {args.runs} fresh processes")
    best = import_times(args.runs, srcs)
    jax_wall, jax_cpu = best["jax"]
    width = max(len(label) for label in best) + 7
    print(f"{'':{width}} {'wall s':>8} {'CPU s':>8} {'- jax wall':>11} {'- jax CPU':>10}")
    for label, (wall, cpu) in best.items():
        excess = "" if label == "jax" else f"{wall - jax_wall:+11.3f} {cpu - jax_cpu:+10.3f}"
        print(f"{'import ' + label:{width}} {wall:8.3f} {cpu:8.3f} {excess}")
    print(f"\n-X importtime, beyond `import jax` (best of {args.runs}):")
    for label, (count, seconds) in beyond_jax(args.runs, srcs).items():
        print(f"{'import ' + label:{width}} {count:4d} modules {seconds:7.3f} s self time")
    print(f"load average {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
