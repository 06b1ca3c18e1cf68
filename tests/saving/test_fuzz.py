"""Fuzzing the loaders: mutations of valid files (bytes flipped, truncated, sizes and integers
changed, members duplicated, JSON numbers changed) must each end in a loaded model or a clean
Python exception, in a child process limited to 1 GiB of data and 20 s per file: never a
crash, a hang, a MemoryError or a RecursionError.

The default run is short; `NEOKERAS_FUZZ_CASES=3000 pytest tests/saving/test_fuzz.py` runs a
long one (`NEOKERAS_FUZZ_SEED` picks another sequence). A failing case is left in the pytest
temporary directory and named in the assertion message.
"""

import collections
import json
import os
import random
import re
import struct
import zipfile

import numpy as np
import pytest

import hostile_files as hf
import neokeras as nk
from isolated import Worker

CASES = int(os.environ.get("NEOKERAS_FUZZ_CASES", "120"))
SEED = int(os.environ.get("NEOKERAS_FUZZ_SEED", "0"))
_BIG = [2**31 - 1, 2**32 - 1, 2**63 - 1, 2**64 - 1, 2**40, 0, 1]


def _bases(folder):
    model = hf.mlp()
    model.compile("adam", "mse")
    model.fit(np.ones((4, 3)), np.ones((4, 2)), verbose=0)
    model.save(folder / "base.keras")
    model.save(folder / "base.h5")
    model.save_weights(folder / "base.weights.h5")
    (folder / "base.json").write_text(model.to_json())
    arrays = {f"v{i}": np.asarray(w) for i, w in enumerate(hf.mlp().get_weights())}
    np.savez(folder / "base.npz", num_variables=np.asarray(4), epoch=np.asarray(1),
             shuffle_seed=np.asarray(0), **arrays)
    return {"keras": ("load_model", (folder / "base.keras").read_bytes()),
            "h5": ("load_model", (folder / "base.h5").read_bytes()),
            "weights.h5": ("load_weights", (folder / "base.weights.h5").read_bytes()),
            "json": ("model_from_json", (folder / "base.json").read_bytes()),
            "npz": ("restore_backup", (folder / "base.npz").read_bytes())}


def _flip(rng, data):
    data = bytearray(data)
    for _ in range(rng.randint(1, 8)):
        data[rng.randrange(len(data))] = rng.randrange(256)
    return bytes(data)


def _truncate(rng, data):
    return data[:rng.randrange(len(data))]


def _integer(rng, data):
    data = bytearray(data)
    width = rng.choice((2, 4, 8))
    at = rng.randrange(0, max(1, len(data) - width)) & ~(width - 1)
    value = rng.choice(_BIG) % (2 ** (8 * width))
    data[at:at + width] = value.to_bytes(width, "little")
    return bytes(data)


def _zip_members(rng, data):
    import io

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            members = [(n, zf.read(n)) for n in zf.namelist()]
    except (zipfile.BadZipFile, ValueError):
        return _flip(rng, data)
    choice = rng.randrange(3)
    if choice == 0:
        members.append(rng.choice(members))
    elif choice == 1:
        name, content = rng.choice(members)
        members.append((name, _flip(rng, content)))
    else:
        rng.shuffle(members)
    buffer = io.BytesIO()
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with zipfile.ZipFile(buffer, "w", rng.choice((zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED))) as zf:
            for name, content in members:
                zf.writestr(name, content)
    return _zip_sizes(rng, buffer.getvalue()) if rng.random() < 0.3 else buffer.getvalue()


def _zip_sizes(rng, data):
    """Changes a declared size or offset in a random zip header."""
    data = bytearray(data)
    spots = [m.start() for m in re.finditer(b"PK\x01\x02|PK\x03\x04", bytes(data))]
    if not spots:
        return bytes(data)
    at = rng.choice(spots)
    field = rng.choice((18, 22) if data[at + 2] == 3 else (20, 24, 42))
    if at + field + 4 <= len(data):
        struct.pack_into("<I", data, at + field, rng.choice(_BIG) % 2**32)
    return bytes(data)


def _json_numbers(rng, data):
    text = data.decode("utf-8", "replace")
    numbers = list(re.finditer(r"(?<![\w.])\d+(?![\w.])", text))
    if not numbers:
        return _flip(rng, data)
    for match in rng.sample(numbers, min(len(numbers), rng.randint(1, 3))):
        replacement = str(rng.choice([10**12, 2**30, -1, 0, 10**400 if rng.random() < 0.1 else 7]))
        text = text[:match.start()] + replacement.ljust(len(match.group())) + text[match.end():]
    return text.encode()


_MUTATIONS = {"keras": (_flip, _truncate, _integer, _zip_members, _zip_sizes),
              "h5": (_flip, _truncate, _integer), "weights.h5": (_flip, _truncate, _integer),
              "json": (_flip, _truncate, _json_numbers), "npz": (_flip, _truncate, _integer,
                                                                 _zip_members, _zip_sizes)}


def test_mutated_files_never_crash_hang_or_blow_up(tmp_path):
    rng = random.Random(SEED)
    bases = _bases(tmp_path)
    outcomes, failures = collections.Counter(), []
    worker = Worker()
    try:
        for case in range(CASES):
            kind = rng.choice(sorted(bases))
            loader, data = bases[kind]
            mutation = rng.choice(_MUTATIONS[kind])
            mutated = mutation(rng, data)
            path = tmp_path / f"case{case}.{kind}"
            path.write_bytes(mutated)
            if rng.random() < 0.15 and kind in ("keras", "h5", "weights.h5"):
                loader = "inspect"
            answer = worker.call(loader, path)
            label = answer.get("type", answer["outcome"])
            outcomes[f"{loader}: {label}"] += 1
            if answer["outcome"] in ("hang", "crash") or label in (
                    "MemoryError", "RecursionError", "SystemError"):
                failures.append((path.name, mutation.__name__, loader, answer))
            else:
                path.unlink()
    finally:
        worker.close()
    assert not failures, f"{len(failures)} bad outcomes (files kept in {tmp_path}): {failures[:5]}"
    assert sum(outcomes.values()) == CASES
    # Most mutations must be refused, but some leave a loadable file.
    assert any(key.endswith("ok") for key in outcomes), outcomes


def test_bases_load(tmp_path):
    bases = _bases(tmp_path)
    assert nk.models.load_model(tmp_path / "base.keras").count_params() == 26
    assert set(bases) == set(_MUTATIONS)
    assert json.loads((tmp_path / "base.json").read_text())["class_name"] == "Sequential"
