"""Runs loaders in a child process with a memory limit and a time limit per call.

`Worker` starts one Python process (RLIMIT_DATA set before neokeras is imported; RLIMIT_AS
cannot be used because XLA reserves virtual address space it never touches) and sends it
calls one at a time. A call that does not answer within its time limit, or a process that
dies (a crash, a signal, the kernel's OOM killer), is reported as such, and the next call
gets a fresh process.
"""

import json
import os
import select
import subprocess
import sys
import tempfile
import textwrap
from pathlib import Path

MEMORY_LIMIT = 2**30
TIME_LIMIT = 20.0
SRC = str(Path(__file__).resolve().parents[2] / "src")

_CHILD = textwrap.dedent('''
    import json, resource, sys, traceback
    resource.setrlimit(resource.RLIMIT_DATA, (MEMORY, MEMORY))
    import numpy as np
    import neokeras as nk
    from neokeras.callbacks.backup_and_restore import read_backup

    def mlp():
        return nk.Sequential([nk.Input((3,)), nk.layers.Dense(4), nk.layers.Dense(2)])

    def run(kind, path):
        if kind == "load_model":
            return nk.models.load_model(path)
        if kind == "load_weights":
            return mlp().load_weights(path)
        if kind == "model_from_json":
            with open(path, encoding="utf-8", errors="replace") as f:
                return nk.models.model_from_json(f.read())
        if kind == "inspect":
            return nk.saving.inspection.describe(path)
        if kind == "restore_backup":
            return read_backup(path, mlp().weights, path)
        raise ValueError("unknown kind " + kind)

    sys.stdout.write("ready\\n"); sys.stdout.flush()
    for line in sys.stdin:
        kind, path = json.loads(line)
        try:
            run(kind, path)
            answer = {"outcome": "ok"}
        except Exception as error:
            answer = {"outcome": "error", "type": type(error).__name__,
                      "message": str(error)[:2000],
                      "where": traceback.format_exc(limit=-3)[-1500:]}
        sys.stdout.write(json.dumps(answer) + "\\n"); sys.stdout.flush()
''')


class Worker:
    def __init__(self, memory=MEMORY_LIMIT):
        self.memory = memory
        self.process = None

    def _start(self):
        env = {**os.environ, "PYTHONPATH": SRC + os.pathsep + os.environ.get("PYTHONPATH", ""),
               "KERAS_BACKEND": "jax", "JAX_PLATFORMS": "cpu"}
        env.pop("NEOKERAS_MAX_LOAD_BYTES", None)
        self.errors = tempfile.TemporaryFile(mode="w+")
        self.process = subprocess.Popen(
            [sys.executable, "-c", _CHILD.replace("MEMORY", str(self.memory))],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=self.errors, text=True,
            env=env)
        if self._readline(120.0) != "ready":
            raise RuntimeError("the isolated worker did not start: " + self._stderr())

    def _readline(self, timeout):
        ready, _, _ = select.select([self.process.stdout], [], [], timeout)
        if not ready:
            return None
        return self.process.stdout.readline().strip()

    def _stderr(self):
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()
        self.errors.seek(0)
        text = self.errors.read()[-3000:]
        self.close()
        return text

    def call(self, kind, path, timeout=TIME_LIMIT):
        """`{"outcome": "ok"}`, `{"outcome": "error", "type", "message"}`, or
        `{"outcome": "hang"}` / `{"outcome": "crash", "returncode", "stderr"}`."""
        if self.process is None or self.process.poll() is not None:
            self.close()
            self._start()
        self.process.stdin.write(json.dumps([kind, os.fspath(path)]) + "\n")
        self.process.stdin.flush()
        line = self._readline(timeout)
        if line is None:
            self.close()
            self.process = None
            return {"outcome": "hang"}
        if not line:
            self.process.wait()
            answer = {"outcome": "crash", "returncode": self.process.returncode,
                      "stderr": self._stderr()}
            self.process = None
            return answer
        return json.loads(line)

    def close(self):
        if self.process is None:
            return
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()
        for stream in (self.process.stdin, self.process.stdout, getattr(self, "errors", None)):
            if stream is not None and not stream.closed:
                stream.close()
