"""The training state: the model's variables as lists, and the values compiled steps thread.

`fit` reads the values out of the variables once (`TrainingState`), hands them from one compiled
chunk to the next, and writes them back when Python needs them (callbacks that look at weights,
the end of an epoch, an exception). The model's own variable lists are cached by
`model_variables` until the structure of some layer changes.
"""

from neokeras.layers.layer import structure_version


def model_variables(model):
    """`(trainable_variables, non_trainable_variables)` of `model`, cached.

    The lists are walked again after any layer gains a variable, a sublayer or a seed
    generator, or is (un)frozen. Compiled functions close over the lists, so when the lists
    really changed they are dropped too (recompiled on their next use).
    """
    cache = model._functions.get("variables")
    version = structure_version()
    if cache is not None and cache[0] == version:
        return cache[1]
    lists = (model.trainable_variables, model.non_trainable_variables)
    if cache is not None and not _same_variables(cache[1], lists):
        model._functions.clear()
    model._functions["variables"] = (version, lists)
    return lists


def _same_variables(old, new):
    return all(len(a) == len(b) and all(x is y for x, y in zip(a, b)) for a, b in zip(old, new))


def read_values(variables):
    return [variable._value for variable in variables]


def write_values(variables, values):
    for variable, value in zip(variables, values):
        variable._value = value


class TrainingState:
    """The variables a compiled step reads and writes, grouped in lists, and their values.

    Args:
        variables: A tuple of variable lists: `(trainable, non_trainable, optimizer, metrics)`
            for training, `(trainable, non_trainable, metrics)` for evaluation.

    `written` tells whether the variables hold the values (nothing ran since the last `read`
    or `write`).
    """

    def __init__(self, variables):
        self.variables = tuple(list(group) for group in variables)
        self._values = None
        self.read()

    @property
    def values(self):
        return self._values

    @values.setter
    def values(self, values):
        self._values = values
        self.written = False

    def read(self):
        """Takes the current values from the variables."""
        self.values = tuple(read_values(group) for group in self.variables)
        self.written = True
        return self.values

    def write(self):
        """Puts the values into the variables."""
        for group, values in zip(self.variables, self.values):
            write_values(group, values)
        self.written = True
