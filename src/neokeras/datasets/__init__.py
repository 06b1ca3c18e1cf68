"""Small classic datasets, downloaded once into `~/.keras/datasets` as Keras does."""

from neokeras.datasets import boston_housing  # noqa: F401
from neokeras.datasets import california_housing  # noqa: F401
from neokeras.datasets import cifar10  # noqa: F401
from neokeras.datasets import cifar100  # noqa: F401
from neokeras.datasets import fashion_mnist  # noqa: F401
from neokeras.datasets import imdb  # noqa: F401
from neokeras.datasets import mnist  # noqa: F401
from neokeras.datasets import reuters  # noqa: F401
