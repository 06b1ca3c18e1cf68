"""Runs the test suites of libraries built on Keras (scikeras, keras-tuner) on neokeras, through
the drop-in, and on real Keras 3 (JAX backend), and prints their pass counts side by side.

    python benchmarks/ecosystem.py --workdir /tmp/neokeras-ecosystem \\
        --reuse-site-packages .venv/lib/python3.11/site-packages \\
        --sources scikeras=PATH_OR_URL --sources keras-tuner=PATH_OR_URL
    python benchmarks/ecosystem.py --report            # the table of what is recorded so far

What it does, in `--workdir` (a throwaway folder):
1. makes a virtual environment and installs the pinned libraries (`scikeras==0.13.0`,
   `keras-tuner==1.4.8`) with pytest and pytest-timeout; with `--reuse-site-packages DIR` it puts
   DIR (holding jax, keras 3.15.1, scikit-learn) on the venv's path instead of installing those;
2. gets each library's tests, and only those: from its published source distribution when that
   holds them, else from the project's git repository (a clone, a bare mirror or a URL given by
   `--sources NAME=...`) at the commit matching the release (see `SUITES`);
3. runs every test file on its own, under `nice`, with a per-test timeout, once with
   `import keras` mapped to neokeras by a `sitecustomize.py` that calls
   `neokeras.install_as_keras()`, once on real Keras (`KERAS_BACKEND=jax`), `--jobs` files at a
   time. Each test's outcome is appended to a log as it finishes, and `results.json` records
   every file run: a second invocation skips what is recorded (resumable; `--rerun` forgets a
   suite/mode/file), so a killed or timed-out run loses at most the test in flight.

Network access is needed for the installs and downloads unless everything is already there.
It is long (tens of minutes per suite on a busy machine): it is not part of `make test`.
"""

import argparse
import concurrent.futures
import fnmatch
import itertools
import json
import os
import re
import shutil
import subprocess
import sys
import tarfile
import threading
import time

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

SUITES = {
    "scikeras": {
        "requirement": "scikeras==0.13.0",
        "git": "https://github.com/adriangb/scikeras",
        "tag": "v0.13.0",
        "tests": ["tests"],  # paths inside the repository
        "pattern": "test_*.py",
    },
    "keras-tuner": {
        "requirement": "keras-tuner==1.4.8",
        "git": "https://github.com/keras-team/keras-tuner",
        # There is no 1.4.8 tag. 1.4.8's code is the repository's master of June 2024 (417e5b5,
        # "Pause the Keras.io tests", after 1.4.7) moved under `keras_tuner/src/` with a
        # generated public API; that commit's tests are used with their imports of internal
        # modules rewritten to `keras_tuner.src.*` (see `_arrange`).
        "tag": "417e5b5e8df924d428a3c64007f3ed47bd4c7026",
        "tests": ["keras_tuner"],
        "pattern": "*_test.py",
    },
}

# Records each test's outcome as soon as it is known (a killed run keeps what finished).
PLUGIN = '''
import json, os

_LOG = os.environ["ECOSYSTEM_LOG"]


def _write(nodeid, outcome):
    with open(_LOG, "a") as f:
        f.write(json.dumps([nodeid, outcome]) + "\\n")


def pytest_collectreport(report):
    if report.failed:
        _write(report.nodeid or "<collection>", "error")


def pytest_runtest_logreport(report):
    if report.when == "call":
        _write(report.nodeid, "skipped" if report.skipped else report.outcome)
    elif report.failed:
        _write(report.nodeid, "error")
    elif report.skipped:
        _write(report.nodeid, "skipped")
'''

OUTCOME_ORDER = {"error": 3, "failed": 2, "passed": 1, "skipped": 0}


def run(command, **kwargs):
    print("+", " ".join(command), flush=True)
    return subprocess.run(command, check=True, **kwargs)


def make_venv(workdir, reuse_site_packages, requirements):
    venv = os.path.join(workdir, "venv")
    python = os.path.join(venv, "bin", "python")
    if not os.path.exists(python):
        run([sys.executable, "-m", "venv", venv])
    # What the suites' tests import besides the libraries (keras-tuner 1.4.8 also imports `six`
    # without declaring it).
    packages = ["pytest-timeout", "six", "portpicker"]
    stamp = os.path.join(venv, "ecosystem-installed.txt")
    wanted = " ".join(sorted(requirements + packages))
    if os.path.exists(stamp) and open(stamp).read() == wanted:
        return python
    if reuse_site_packages:
        site = subprocess.run([python, "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"],
                              check=True, capture_output=True, text=True).stdout.strip()
        with open(os.path.join(site, "_neokeras_ecosystem_base.pth"), "w") as f:
            f.write(os.path.abspath(reuse_site_packages) + "\n")
    else:
        packages += ["keras==3.15.1", "jax", "scikit-learn", "pytest"]
    run([python, "-m", "pip", "install", "-q", *packages, *requirements])
    with open(stamp, "w") as f:
        f.write(wanted)
    return python


def fetch_tests(name, workdir, python, source):
    """Copies the suite's tests into `workdir/name/` (once); returns that folder."""
    spec = SUITES[name]
    target = os.path.join(workdir, name)
    if os.path.isdir(target):
        return target
    partial = target + ".part"
    shutil.rmtree(partial, ignore_errors=True)
    os.makedirs(partial)
    sdists = os.path.join(workdir, "sdists")
    run([python, "-m", "pip", "download", "-q", "--no-binary", ":all:", "--no-deps",
         spec["requirement"], "-d", sdists])
    prefix = spec["requirement"].split("==")[0].replace("-", "_")
    archive = next(os.path.join(sdists, f) for f in sorted(os.listdir(sdists))
                   if f.lower().replace("-", "_").startswith(prefix))
    with tarfile.open(archive) as tar:
        members = [m for m in tar.getmembers()
                   if "/" in m.name and m.name.split("/", 1)[1].startswith(tuple(spec["tests"]))
                   and fnmatch.fnmatch(os.path.basename(m.name), spec["pattern"])]
        if members:
            for member in tar.getmembers():
                member.name = member.name.split("/", 1)[-1]
            tar.extractall(partial, members=[m for m in tar.getmembers() if m.name.startswith(
                tuple(spec["tests"]))], filter="data")
            return _arrange(name, partial, target)
    # The source distribution has no tests: take them from the git repository.
    source = source or spec["git"]
    if os.path.isdir(os.path.join(source, "objects")):  # a bare repository
        git_dir = source
    elif os.path.isdir(os.path.join(source, ".git")):
        git_dir = os.path.join(source, ".git")
    else:
        git_dir = os.path.join(workdir, "git-" + name)
        if not os.path.isdir(git_dir):
            run(["git", "clone", "--quiet", "--bare", source, git_dir])
    listing = subprocess.run(["git", "--git-dir", git_dir, "archive", "--format=tar",
                              spec["tag"], *spec["tests"]], check=True, capture_output=True)
    tar_path = os.path.join(workdir, name + "-tests.tar")
    with open(tar_path, "wb") as f:
        f.write(listing.stdout)
    with tarfile.open(tar_path) as tar:
        tar.extractall(partial, filter="data")
    return _arrange(name, partial, target)


# keras-tuner 1.4.8 moved its modules under keras_tuner/src; the tests of the matching commit
# import them by their old paths (`keras_tuner.engine.x`, `from keras_tuner import protos`).
_KT_MODULES = (r"(engine|backend|tuners|distribute|applications|protos|utils|errors|config|oracles"
               r"|api_export)\b")
_KT_INTERNAL = re.compile(r"\bkeras_tuner\." + _KT_MODULES)
_KT_FROM_PACKAGE = re.compile(r"\bfrom keras_tuner import " + _KT_MODULES)


def _arrange(name, partial, target):
    if name == "keras-tuner":
        # keras_tuner/x/y_test.py -> kt_tests/x/y_test.py (tests and their helpers only), so
        # that `import keras_tuner` stays the installed package.
        source = os.path.join(partial, "keras_tuner")
        tests = os.path.join(partial, "kt_tests")
        for root, _, files in os.walk(source):
            for file in files:
                relative = os.path.relpath(os.path.join(root, file), source)
                if not (file.endswith("_test.py") or file == "conftest.py"
                        or relative.startswith("test_utils" + os.sep)):
                    continue
                os.makedirs(os.path.join(tests, os.path.dirname(relative)), exist_ok=True)
                shutil.copy(os.path.join(root, file), os.path.join(tests, relative))
        shutil.rmtree(source)
        for root, _, files in os.walk(tests):
            for file in files:
                path = os.path.join(root, file)
                with open(path) as f:
                    text = f.read()
                text = text.replace("keras_tuner.test_utils", "kt_tests.test_utils")
                text = _KT_INTERNAL.sub(r"keras_tuner.src.\1", text)
                text = _KT_FROM_PACKAGE.sub(r"from keras_tuner.src import \1", text)
                with open(path, "w") as f:
                    f.write(text)
    optional_tensorflow(partial)
    os.rename(partial, target)
    return target


# Module-level imports of TensorFlow, or of what imports it (TensorBoard's HParams API,
# imported by keras-tuner's tuner_test.py), made optional: `import line -> name bound to None`.
_TENSORFLOW_IMPORTS = {
    "import tensorflow as tf": "tf",
    "from tensorboard.plugins.hparams import api as hparams_api": "hparams_api",
}


def optional_tensorflow(folder):
    """The suites import TensorFlow at module level, some only to set its options; without
    TensorFlow installed (on both sides of the comparison) that import is made optional, so only
    the tests that really use TensorFlow fail."""
    for root, _, files in os.walk(folder):
        for file in files:
            if not file.endswith(".py"):
                continue
            path = os.path.join(root, file)
            with open(path) as f:
                text = f.read()
            patched = text
            for line, name in _TENSORFLOW_IMPORTS.items():
                patched = patched.replace(
                    f"\n{line}\n",
                    f"\ntry:\n    {line}\nexcept ImportError:  # ecosystem.py\n    {name} = None\n")
            patched = patched.replace(
                "\ntf.debugging.disable_traceback_filtering()",
                "\nif tf is not None:\n    tf.debugging.disable_traceback_filtering()")
            if patched != text:
                with open(path, "w") as f:
                    f.write(patched)


def test_files(name, tests_dir):
    pattern = SUITES[name]["pattern"]
    found = []
    for root, _, files in os.walk(tests_dir):
        for file in files:
            if fnmatch.fnmatch(file, pattern):
                found.append(os.path.relpath(os.path.join(root, file), tests_dir))
    return sorted(found)


def support_dir(workdir, mode):
    """A folder for PYTHONPATH: the outcome-recording plugin, and under neokeras the drop-in."""
    path = os.path.join(workdir, "support-" + mode)
    os.makedirs(path, exist_ok=True)
    with open(os.path.join(path, "ecosystem_outcomes.py"), "w") as f:
        f.write(PLUGIN)
    if mode == "neokeras":
        with open(os.path.join(path, "sitecustomize.py"), "w") as f:
            f.write("import neokeras\n\nneokeras.install_as_keras()\n")
    return path


def run_file(name, python, tests_dir, test_file, mode, workdir, test_timeout, file_timeout,
             extra_args):
    """Runs one test file; returns (per-test outcomes, status, seconds)."""
    logs = os.path.join(workdir, "logs", name, mode)
    os.makedirs(logs, exist_ok=True)
    stem = test_file.replace(os.sep, "__")
    outcome_log = os.path.join(logs, stem + ".jsonl")
    if os.path.exists(outcome_log):
        os.remove(outcome_log)
    env = dict(os.environ, KERAS_BACKEND="jax", PYTHONHASHSEED="0", ECOSYSTEM_LOG=outcome_log)
    env.pop("PYTHONPATH", None)
    paths = [support_dir(workdir, mode)]
    if mode == "neokeras":
        paths.append(os.path.join(REPO, "src"))
    env["PYTHONPATH"] = os.pathsep.join(paths)
    command = ["nice", "-n", "10", python, "-m", "pytest", "-q", "-p", "no:cacheprovider",
               "-p", "no:xdist", "-p", "ecosystem_outcomes", "-o", "addopts=",
               "-o", f"python_files={SUITES[name]['pattern']}", "--rootdir", tests_dir,
               "--import-mode=importlib", f"--timeout={test_timeout}", test_file, *extra_args]
    start = time.time()
    with open(os.path.join(logs, stem + ".out"), "w") as out:
        try:
            result = subprocess.run(command, cwd=tests_dir, env=env, stdout=out,
                                    stderr=subprocess.STDOUT, timeout=file_timeout)
            status = f"exit {result.returncode}"
        except subprocess.TimeoutExpired:
            status = f"stopped after {file_timeout} s"
    outcomes = {}
    if os.path.exists(outcome_log):
        with open(outcome_log) as f:
            for line in f:
                test_id, outcome = json.loads(line)
                previous = outcomes.get(test_id)
                if previous is None or OUTCOME_ORDER[outcome] > OUTCOME_ORDER[previous]:
                    outcomes[test_id] = outcome
    return outcomes, status, round(time.time() - start, 1)


def counts(outcomes):
    result = {k: 0 for k in ("passed", "failed", "error", "skipped")}
    for outcome in outcomes.values():
        result[outcome] += 1
    return result


def suite_outcomes(results, name, mode):
    merged = {}
    for record in results.get(name, {}).get(mode, {}).values():
        merged.update(record["tests"])
    return merged


def report(results, suites):
    print(f"\n{'suite':<12} {'mode':<9} {'files':>5} {'passed':>7} {'failed':>7} {'error':>6} "
          f"{'skipped':>8}")
    for name in suites:
        for mode in ("neokeras", "keras"):
            if mode not in results.get(name, {}):
                continue
            c = counts(suite_outcomes(results, name, mode))
            files = len(results[name][mode])
            print(f"{name:<12} {mode:<9} {files:>5} {c['passed']:>7} {c['failed']:>7} "
                  f"{c['error']:>6} {c['skipped']:>8}")
    for name in suites:
        both = results.get(name, {})
        if not {"neokeras", "keras"} <= set(both):
            continue
        done = set(both["neokeras"]) & set(both["keras"])
        neo = {t: o for f in done for t, o in both["neokeras"][f]["tests"].items()}
        ref = {t: o for f in done for t, o in both["keras"][f]["tests"].items()}
        regressions = sorted(t for t, o in ref.items() if o == "passed" and neo.get(t) != "passed")
        gains = sorted(t for t, o in neo.items() if o == "passed" and ref.get(t) != "passed")
        print(f"\n{name}: over {len(done)} files run on both, {len(regressions)} tests pass on "
              f"Keras but not on neokeras, {len(gains)} the other way")
        for test_id in regressions:
            print(f"    {neo.get(test_id, 'not run'):<8} {test_id}")
        for test_id in gains:
            print(f"    +{ref.get(test_id, 'not run'):<7} {test_id}")
        for mode in ("neokeras", "keras"):
            for file, record in sorted(both[mode].items()):
                if not record["status"].startswith("exit"):
                    print(f"    {mode}: {file}: {record['status']}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--workdir", default="/tmp/neokeras-ecosystem")
    parser.add_argument("--suite", action="append", choices=sorted(SUITES))
    parser.add_argument("--mode", action="append", choices=["neokeras", "keras"])
    parser.add_argument("--file", action="append", default=[],
                        help="only these test files (paths as listed in results.json)")
    parser.add_argument("--reuse-site-packages", help="site-packages holding jax, keras, sklearn")
    parser.add_argument("--sources", action="append", default=[],
                        help="NAME=PATH_OR_URL of the git repository holding a suite's tests")
    parser.add_argument("--jobs", type=int, default=2, help="test files run at the same time")
    parser.add_argument("--test-timeout", type=int, default=600, help="seconds per test")
    parser.add_argument("--file-timeout", type=int, default=5400, help="seconds per test file")
    parser.add_argument("--rerun", action="store_true",
                        help="run the selected files again even if results.json has them")
    parser.add_argument("--rerun-broken", action="store_true",
                        help="run again the files whose pytest did not finish with exit 0 or 1 "
                             "(collection or import errors, timeouts)")
    parser.add_argument("--report", action="store_true", help="only print the recorded results")
    parser.add_argument("pytest_args", nargs="*", help="extra pytest arguments (after --)")
    args = parser.parse_args()
    suites = args.suite or sorted(SUITES)
    modes = args.mode or ["neokeras", "keras"]
    sources = dict(item.split("=", 1) for item in args.sources)
    os.makedirs(args.workdir, exist_ok=True)
    results_path = os.path.join(args.workdir, "results.json")
    results = json.load(open(results_path)) if os.path.exists(results_path) else {}
    if args.report:
        report(results, suites)
        return
    python = make_venv(args.workdir, args.reuse_site_packages,
                       [SUITES[s]["requirement"] for s in suites])
    per_suite = []
    for name in suites:
        tests_dir = fetch_tests(name, args.workdir, python, sources.get(name))
        per_suite.append([])
        for test_file in test_files(name, tests_dir):
            if args.file and test_file not in args.file:
                continue
            for mode in modes:  # both modes of a file next to each other: comparable early
                record = results.get(name, {}).get(mode, {}).get(test_file)
                broken = record is not None and record["status"] not in ("exit 0", "exit 1")
                if args.rerun or record is None or (args.rerun_broken and broken):
                    per_suite[-1].append((name, tests_dir, test_file, mode))
    # The suites take turns, so that each has results early.
    jobs = [job for group in itertools.zip_longest(*per_suite) for job in group if job]
    lock = threading.Lock()

    def work(job):
        name, tests_dir, test_file, mode = job
        outcomes, status, seconds = run_file(name, python, tests_dir, test_file, mode,
                                             args.workdir, args.test_timeout, args.file_timeout,
                                             args.pytest_args)
        c = counts(outcomes)
        with lock:
            results.setdefault(name, {}).setdefault(mode, {})[test_file] = {
                "status": status, "seconds": seconds, "tests": outcomes}
            with open(results_path + ".tmp", "w") as f:
                json.dump(results, f, indent=1, sort_keys=True)
            os.replace(results_path + ".tmp", results_path)
            print(f"{name} {mode:<8} {test_file}: {c['passed']} passed, {c['failed']} failed, "
                  f"{c['error']} errors, {c['skipped']} skipped ({status}, {seconds} s)",
                  flush=True)

    with concurrent.futures.ThreadPoolExecutor(max(1, args.jobs)) as pool:
        for future in [pool.submit(work, job) for job in jobs]:
            future.result()
    report(results, suites)
    print(f"\nper-test outcomes: {results_path}")


if __name__ == "__main__":
    main()
