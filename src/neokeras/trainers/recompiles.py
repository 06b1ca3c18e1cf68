"""Recompilation warnings: a compiled function traced again and again for new input shapes.

Each compiled function of a model (the inference forward shared by `predict`,
`predict_on_batch` and `model(x)`; the training forward of `model(x, training=True)`; the
`fit`/`train_on_batch` and `evaluate`/`test_on_batch` steps) keeps a `TraceLog`. The backend
calls it only when JAX traces the function, so calls that reuse a compiled program pay nothing.
Once a function has been traced for more than `RECOMPILE_WARNING_THRESHOLD` distinct input
signatures, it issues one `RecompileWarning` naming the input dimension that keeps changing and
the sizes it took. Sizes that are powers of two count as one: padding to powers of two (what
inference does with batch sizes) compiles at most log2(largest size) + 1 programs.
"""

import functools
import os
import sys
import warnings

# As TensorFlow's retracing warning: more distinct input signatures than this warn.
RECOMPILE_WARNING_THRESHOLD = 5

_SIZES_SHOWN = 8
_PRIORITY = {"the batch size": 0, "the number of samples": 1, "steps per compiled call": 3}


class RecompileWarning(UserWarning):
    """A compiled function of a model was compiled again for many new input shapes.

    Issued once per compiled function after more than five distinct input signatures (sizes
    that are powers of two count as one). Each new shape costs a trace and an XLA compilation;
    the message names the dimension that changed. To silence it:
    `warnings.simplefilter("ignore", neokeras.RecompileWarning)`.
    """


_WHAT = {
    "predict": "its inference forward (predict, predict_on_batch, model(x))",
    "forward": "its training forward (model(x, training=True))",
    "train": "its training step (fit, train_on_batch)",
    "test": "its evaluation step (evaluate, test_on_batch)",
}


class TraceLog:
    """The input shapes seen by the traces of one compiled function of `model`."""

    def __init__(self, model, kind):
        self.model = model
        self.kind = kind
        self.signatures = []  # one per trace: [(name, shape, dtype, axis_names), ...]
        self.keys = set()
        self.warned = False

    def traced(self, inputs):
        """Records one trace; `inputs` lists `(name, shape, dtype, axis_names)` of every input
        leaf (`axis_names` maps an axis to what it means, e.g. `{0: "the batch size"}`)."""
        model = self.model
        model._trace_counts[self.kind] = model._trace_counts.get(self.kind, 0) + 1
        signature = [(name, tuple(shape), str(dtype), axes) for name, shape, dtype, axes in inputs]
        self.signatures.append(signature)
        self.keys.add(tuple((name, tuple(_collapse(d) for d in shape), dtype)
                            for name, shape, dtype, _ in signature))
        if not self.warned and len(self.keys) > RECOMPILE_WARNING_THRESHOLD:
            self.warned = True
            warnings.warn(self.message(), RecompileWarning, stacklevel=_user_stacklevel())

    def message(self):
        count = len(self.signatures)
        head = (f"Model '{self.model.name}' compiled {_WHAT[self.kind]} {count} times, once "
                "for each new input shape.")
        changes = _changing_dimensions(self.signatures)
        if not changes:
            return (f"{head} The inputs' structure or dtypes changed between calls; pass "
                    "inputs of one structure and dtype.")
        parts, seen = [], []
        for name, axis, sizes, meaning in changes:
            if (sizes, meaning) in seen:  # `y` changing with `x`, say: named once
                continue
            seen.append((sizes, meaning))
            if len(parts) == 2:
                break
            shown = ", ".join(str(s) for s in sizes[:_SIZES_SHOWN])
            if len(sizes) > _SIZES_SHOWN:
                shown += ", ..."
            if not name:  # an internal input, named by what its axis means
                parts.append(f"{meaning} took values {shown}")
            else:
                what = f" ({meaning})" if meaning else ""
                parts.append(f"input '{name}' dimension {axis}{what} took sizes {shown}")
        advice = _advice(changes[0][3])
        return (f"{head} {'; '.join(parts)}. {advice} (Silence with "
                "warnings.simplefilter('ignore', neokeras.RecompileWarning).)")


def _collapse(size):
    """The size as it counts for the warning: powers of two are one bucket."""
    return "pow2" if isinstance(size, int) and size > 0 and size & (size - 1) == 0 else size


def input_leaves(name, structure, axis_names=None):
    """`[(path, shape, dtype, axis_names), ...]` of the arrays in a (nested) input, named by
    their path from `name` (`x`, `x[0]`, `x["tokens"]`), for `TraceLog.traced`."""
    if structure is None:
        return []
    if isinstance(structure, dict):
        return [leaf for key in sorted(structure, key=str)
                for leaf in input_leaves(f'{name}["{key}"]', structure[key], axis_names)]
    if isinstance(structure, (list, tuple)):
        return [leaf for i, item in enumerate(structure)
                for leaf in input_leaves(f"{name}[{i}]", item, axis_names)]
    return [(name, tuple(structure.shape), structure.dtype, axis_names or {})]


def _changing_dimensions(signatures):
    """`[(name, axis, sizes in first-seen order, meaning), ...]` of the axes whose size
    changed between traces of inputs of one rank."""
    sizes = {}
    for signature in signatures:
        for name, shape, _, axes in signature:
            for axis, size in enumerate(shape):
                entry = sizes.setdefault((name, len(shape), axis), ([], axes.get(axis)))
                if size not in entry[0]:
                    entry[0].append(size)
    changes = [(name, axis, seen, meaning)
               for (name, _, axis), (seen, meaning) in sizes.items() if len(seen) > 1]
    # The likely cause first: a changed batch size changes the steps per call too, and so
    # may a changed number of samples.
    return sorted(changes, key=lambda change: _PRIORITY.get(change[3], 2))


def _advice(meaning):
    if meaning == "the number of samples":
        return ("Each new number of samples of array data compiled the step again; batches "
                "from a keras.utils.PyDataset or a generator do not depend on it.")
    if meaning == "the batch size":
        return ("Use one batch size (predict(x, batch_size=...) and fit pad the last batch), "
                "or pad batches to a few sizes.")
    if meaning == "steps per compiled call":
        return "Pass data with the same number of batches, or set steps_per_execution."
    return ("Pad sequences to a few lengths (e.g. powers of two, or "
            "keras.utils.pad_sequences(..., maxlen=...)) so that few programs serve all calls.")


@functools.cache
def _internal_dirs():
    """neokeras, the array library's packages and the standard library: the frames of a trace
    between the user's call and `TraceLog.traced`."""
    dirs = [os.path.dirname(os.path.dirname(os.path.abspath(__file__))),
            os.path.dirname(os.path.abspath(functools.__file__))]
    for name in ("jax", "jaxlib"):
        module = sys.modules.get(name)
        if getattr(module, "__file__", None):
            dirs.append(os.path.dirname(os.path.abspath(module.__file__)))
    return tuple(d + os.sep for d in dirs)


def _user_stacklevel():
    """The `stacklevel` that points a warning issued during a trace at the user's call."""
    internal = _internal_dirs()
    frame, level = sys._getframe(1), 1
    while frame is not None and frame.f_code.co_filename.startswith(internal):
        frame, level = frame.f_back, level + 1
    return level
