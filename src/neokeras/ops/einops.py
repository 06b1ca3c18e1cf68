"""`rearrange`: einops-style reshaping/transposition by a pattern, written with `ops`."""

import re

__all__ = ["rearrange"]

_TOKEN = re.compile(r"\(([^()]*)\)|(\S+)")


def _parse(side, where):
    groups = []
    for group, single in _TOKEN.findall(side):
        names = group.split() if group else [single]
        for n in names:
            if not n.isidentifier():
                raise ValueError(f"ops.rearrange: invalid axis name {n!r} in the {where} of the "
                                 "pattern (use identifiers, parentheses for groups).")
        groups.append(names)
    return groups


def rearrange(tensor, pattern, **axes_lengths):
    """Rearranges axes by an einops pattern, e.g. `"b (h w) c -> b h w c"` with `h=4`.

    Args:
        tensor: Input tensor.
        pattern: `"<input axes> -> <output axes>"`; parentheses group axes that are merged
            (output) or split (input).
        **axes_lengths: Sizes of axes that cannot be inferred from the input.

    Returns:
        The rearranged tensor.
    """
    from neokeras import ops

    if "->" not in pattern:
        raise ValueError(f"ops.rearrange: the pattern must contain '->'. Received: {pattern!r}")
    left, right = (s.strip() for s in pattern.split("->"))
    inputs, outputs = _parse(left, "input"), _parse(right, "output")
    shape = ops.shape(tensor)
    if len(inputs) != len(shape):
        raise ValueError(f"ops.rearrange: the input pattern {left!r} has {len(inputs)} axes but "
                         f"the tensor has rank {len(shape)} (shape {tuple(shape)}).")
    sizes = dict(axes_lengths)
    for group, dim in zip(inputs, shape):
        unknown = [n for n in group if n not in sizes]
        known = 1
        for n in group:
            if n in sizes:
                known *= sizes[n]
        if len(unknown) > 1:
            raise ValueError(f"ops.rearrange: cannot infer the sizes of {unknown} in {group}; "
                             "pass them as keyword arguments.")
        if unknown:
            sizes[unknown[0]] = dim // known
    in_names = [n for g in inputs for n in g]
    out_names = [n for g in outputs for n in g]
    if sorted(in_names) != sorted(out_names):
        raise ValueError(f"ops.rearrange: the input axes {in_names} and output axes "
                         f"{out_names} must be the same names.")
    x = ops.reshape(tensor, [sizes[n] for n in in_names])
    x = ops.transpose(x, [in_names.index(n) for n in out_names])
    merged = []
    for group in outputs:
        size = 1
        for n in group:
            size *= sizes[n]
        merged.append(size)
    return ops.reshape(x, merged)
