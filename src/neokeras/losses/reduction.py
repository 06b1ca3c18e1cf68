"""`Reduction`: tf-keras's names for how a `Loss` reduces its per-sample values."""


class Reduction:
    """Loss reduction names (tf-keras's `tf.keras.losses.Reduction`).

    * `AUTO`: chosen by context; here, as in `fit`, `SUM_OVER_BATCH_SIZE`.
    * `NONE`: no reduction; the loss returns one value per sample.
    * `SUM`: the sum of the weighted values.
    * `SUM_OVER_BATCH_SIZE`: that sum divided by the number of values.

    Example:

    >>> loss = keras.losses.MeanSquaredError(reduction=keras.losses.Reduction.SUM)
    """

    AUTO = "auto"
    NONE = "none"
    SUM = "sum"
    SUM_OVER_BATCH_SIZE = "sum_over_batch_size"

    @classmethod
    def all(cls):
        """The four reduction names."""
        return (cls.AUTO, cls.NONE, cls.SUM, cls.SUM_OVER_BATCH_SIZE)

    @classmethod
    def validate(cls, key):
        """Raises a ValueError unless `key` is one of `all()`."""
        if key not in cls.all():
            raise ValueError(f'Invalid Reduction Key: {key}. Expected keys are "{cls.all()}"')
