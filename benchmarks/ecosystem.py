"""Runs the test suites of libraries built on Keras (scikeras, keras-tuner) on neokeras, through
the drop-in, and on real Keras 3 (JAX backend), and prints their pass counts side by side.

    python benchmarks/ecosystem.py --workdir /tmp/neokeras-ecosystem
    python benchmarks/ecosystem.py --suite scikeras --reuse-site-packages .venv/lib/python3.11/site-packages

What it does, in `--workdir` (a throwaway folder):
1. makes a virtual environment and installs the pinned libraries (`scikeras==0.13.0`,
   `keras-tuner==1.4.8`) with pytest; with `--reuse-site-packages DIR` it puts DIR (holding jax,
   keras 3.15.1, scikit-learn) on the venv's path instead of installing those again;
2. gets each library's tests: from its published source distribution (`pip download
   --no-binary :all:`) when that holds them, else from the project's git repository at the
   matching tag (`--sources NAME=PATH_OR_URL` points at a local clone or another URL); only the
   tests are copied, into the work dir, nothing of them is kept in this repository;
3. runs each suite twice with pytest: once with `import keras` mapped to neokeras by a
   `sitecustomize.py` that calls `neokeras.install_as_keras()`, once on real Keras
   (`KERAS_BACKEND=jax`), and writes `results.json` (per-test outcomes) and a summary table.

Network access is needed for the installs and downloads unless everything is already there.
It is long (minutes per suite): it is not part of `make test`.
"""

import argparse
import json
import os
import shutil
import subprocess
import sys
import tarfile
import xml.etree.ElementTree as ElementTree

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

SUITES = {
    "scikeras": {
        "requirement": "scikeras==0.13.0",
        "git": "https://github.com/adriangb/scikeras",
        "tag": "v0.13.0",
        "tests": ["tests"],  # paths inside the repository
        "args": ["tests"],
    },
    "keras-tuner": {
        "requirement": "keras-tuner==1.4.8",
        "git": "https://github.com/keras-team/keras-tuner",
        # The repository has no 1.4.8 tag; its newest commit (after the 1.4.7 release) holds
        # the tests of the 1.4.8 code.
        "tag": "HEAD",
        "tests": ["keras_tuner"],
        # The tests live next to the code (`keras_tuner/**/*_test.py`); they are copied under
        # `kt_tests/` so that `import keras_tuner` stays the installed package.
        "args": ["kt_tests"],
        "pattern": "*_test.py",
    },
}


def run(command, **kwargs):
    print("+", " ".join(command), flush=True)
    return subprocess.run(command, check=True, **kwargs)


def make_venv(workdir, reuse_site_packages):
    venv = os.path.join(workdir, "venv")
    python = os.path.join(venv, "bin", "python")
    if not os.path.exists(python):
        run([sys.executable, "-m", "venv", venv])
    if reuse_site_packages:
        site = subprocess.run([python, "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"],
                              check=True, capture_output=True, text=True).stdout.strip()
        with open(os.path.join(site, "_neokeras_ecosystem_base.pth"), "w") as f:
            f.write(os.path.abspath(reuse_site_packages) + "\n")
    else:
        run([python, "-m", "pip", "install", "-q", "keras==3.15.1", "jax", "scikit-learn",
             "pytest"])
    return python


def fetch_tests(name, workdir, python, source):
    """Copies the suite's tests into `workdir/name/`; returns that folder."""
    spec = SUITES[name]
    target = os.path.join(workdir, name)
    if os.path.isdir(target):
        shutil.rmtree(target)
    os.makedirs(target)
    sdists = os.path.join(workdir, "sdists")
    run([python, "-m", "pip", "download", "-q", "--no-binary", ":all:", "--no-deps",
         spec["requirement"], "-d", sdists])
    archive = next(os.path.join(sdists, f) for f in sorted(os.listdir(sdists))
                   if f.lower().startswith(spec["requirement"].split("==")[0].replace("-", "_")))
    with tarfile.open(archive) as tar:
        members = [m for m in tar.getmembers()
                   if "/" in m.name and m.name.split("/", 1)[1].startswith(tuple(spec["tests"]))
                   and ("pattern" not in spec or m.name.endswith("_test.py"))]
        if members:
            for member in members:
                member.name = member.name.split("/", 1)[1]
            tar.extractall(target, members=members, filter="data")
            return _arrange(name, target)
    # The source distribution has no tests: take them from the git repository at the tag.
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
        members = [m for m in tar.getmembers()
                   if "pattern" not in spec or m.isdir() or m.name.endswith("_test.py")
                   or m.name.endswith("conftest.py")]
        tar.extractall(target, members=members, filter="data")
    return _arrange(name, target)


def _arrange(name, target):
    optional_tensorflow(target)
    if name == "keras-tuner":
        # keras_tuner/x/y_test.py -> kt_tests/x/y_test.py, importable without shadowing the
        # installed keras_tuner package.
        os.rename(os.path.join(target, "keras_tuner"), os.path.join(target, "kt_tests"))
    return target


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
            patched = text.replace(
                "\nimport tensorflow as tf\n",
                "\ntry:\n    import tensorflow as tf\nexcept ImportError:  # ecosystem.py\n"
                "    tf = None\n").replace(
                "\ntf.debugging.disable_traceback_filtering()",
                "\nif tf is not None:\n    tf.debugging.disable_traceback_filtering()")
            if patched != text:
                with open(path, "w") as f:
                    f.write(patched)


def drop_in_dir(workdir):
    path = os.path.join(workdir, "dropin")
    os.makedirs(path, exist_ok=True)
    with open(os.path.join(path, "sitecustomize.py"), "w") as f:
        f.write("import neokeras\n\nneokeras.install_as_keras()\n")
    return path


def run_suite(name, python, tests_dir, mode, workdir, timeout, extra_args):
    report = os.path.join(workdir, f"{name}-{mode}.xml")
    env = dict(os.environ, KERAS_BACKEND="jax", PYTHONHASHSEED="0")
    env.pop("PYTHONPATH", None)
    if mode == "neokeras":
        env["PYTHONPATH"] = os.pathsep.join([drop_in_dir(workdir), os.path.join(REPO, "src")])
    command = [python, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-o", "addopts=",
               "--continue-on-collection-errors",
               "--rootdir", tests_dir, "--import-mode=importlib", f"--junitxml={report}",
               *SUITES[name]["args"], *extra_args]
    if "pattern" in SUITES[name]:
        command += ["-o", f"python_files={SUITES[name]['pattern']}"]
    print("+", f"({mode})", " ".join(command), flush=True)
    try:
        subprocess.run(command, cwd=tests_dir, env=env, timeout=timeout)
    except subprocess.TimeoutExpired:
        print(f"{name} on {mode}: stopped after {timeout} s", flush=True)
    return parse_junit(report)


def parse_junit(path):
    """{test id: 'passed' | 'failed' | 'error' | 'skipped'} from a pytest JUnit XML report."""
    if not os.path.exists(path):
        return {}
    outcomes = {}
    for case in ElementTree.parse(path).iter("testcase"):
        test_id = f"{case.get('classname')}::{case.get('name')}"
        tags = {child.tag for child in case}
        outcome = ("failed" if "failure" in tags else "error" if "error" in tags
                   else "skipped" if "skipped" in tags else "passed")
        outcomes[test_id] = outcome
    return outcomes


def counts(outcomes):
    result = {k: 0 for k in ("passed", "failed", "error", "skipped")}
    for outcome in outcomes.values():
        result[outcome] += 1
    return result


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--workdir", default="/tmp/neokeras-ecosystem")
    parser.add_argument("--suite", action="append", choices=sorted(SUITES))
    parser.add_argument("--mode", action="append", choices=["neokeras", "keras"])
    parser.add_argument("--reuse-site-packages", help="site-packages holding jax, keras, sklearn")
    parser.add_argument("--sources", action="append", default=[],
                        help="NAME=PATH_OR_URL of the git repository holding a suite's tests")
    parser.add_argument("--timeout", type=int, default=3600, help="seconds per suite and mode")
    parser.add_argument("pytest_args", nargs="*", help="extra pytest arguments (after --)")
    args = parser.parse_args()
    suites = args.suite or sorted(SUITES)
    modes = args.mode or ["neokeras", "keras"]
    sources = dict(item.split("=", 1) for item in args.sources)
    os.makedirs(args.workdir, exist_ok=True)
    python = make_venv(args.workdir, args.reuse_site_packages)
    run([python, "-m", "pip", "install", "-q", *(SUITES[s]["requirement"] for s in suites)])
    results_path = os.path.join(args.workdir, "results.json")
    results = json.load(open(results_path)) if os.path.exists(results_path) else {}
    for name in suites:
        tests_dir = fetch_tests(name, args.workdir, python, sources.get(name))
        for mode in modes:
            results.setdefault(name, {})[mode] = run_suite(
                name, python, tests_dir, mode, args.workdir, args.timeout, args.pytest_args)
            with open(results_path, "w") as f:
                json.dump(results, f, indent=1, sort_keys=True)
    print(f"\n{'suite':<12} {'mode':<9} {'passed':>7} {'failed':>7} {'error':>6} {'skipped':>8}")
    for name in suites:
        for mode, outcomes in results.get(name, {}).items():
            c = counts(outcomes)
            print(f"{name:<12} {mode:<9} {c['passed']:>7} {c['failed']:>7} {c['error']:>6} "
                  f"{c['skipped']:>8}")
        both = results.get(name, {})
        if {"neokeras", "keras"} <= set(both):
            regressions = sorted(t for t, o in both["keras"].items()
                                 if o == "passed" and both["neokeras"].get(t) != "passed")
            print(f"{name}: {len(regressions)} tests pass on Keras but not on neokeras")
            for test_id in regressions:
                print("   ", test_id)
    print(f"\nper-test outcomes: {results_path}")


if __name__ == "__main__":
    main()
