"""Linear algebra (`keras.ops.linalg`)."""

from neokeras import ops as _ops

__all__ = [
    "cholesky", "cholesky_inverse", "det", "eig", "eigh", "inv", "jvp", "lstsq", "lu_factor",
    "matrix_rank", "norm", "pinv", "qr", "solve", "solve_triangular", "svd"
]

for _name in __all__:
    globals()[_name] = getattr(_ops, _name)
del _name
