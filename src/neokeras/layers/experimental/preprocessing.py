"""`keras.layers.experimental.preprocessing` (Keras 2): the preprocessing layers by their
Keras 2.x import path; the classes are the `keras.layers` ones."""

from neokeras.layers.preprocessing.category_encoding import CategoryEncoding  # noqa: F401
from neokeras.layers.preprocessing.discretization import Discretization  # noqa: F401
from neokeras.layers.preprocessing.hashed_crossing import HashedCrossing  # noqa: F401
from neokeras.layers.preprocessing.hashing import Hashing  # noqa: F401
from neokeras.layers.preprocessing.image_preprocessing.center_crop import (  # noqa: F401
    CenterCrop)
from neokeras.layers.preprocessing.image_preprocessing.random_contrast import (  # noqa: F401
    RandomContrast)
from neokeras.layers.preprocessing.image_preprocessing.random_crop import (  # noqa: F401
    RandomCrop)
from neokeras.layers.preprocessing.image_preprocessing.random_flip import (  # noqa: F401
    RandomFlip)
from neokeras.layers.preprocessing.image_preprocessing.random_height_width import (  # noqa: F401
    RandomHeight, RandomWidth)
from neokeras.layers.preprocessing.image_preprocessing.random_rotation import (  # noqa: F401
    RandomRotation)
from neokeras.layers.preprocessing.image_preprocessing.random_translation import (  # noqa: F401
    RandomTranslation)
from neokeras.layers.preprocessing.image_preprocessing.random_zoom import (  # noqa: F401
    RandomZoom)
from neokeras.layers.preprocessing.image_preprocessing.resizing import Resizing  # noqa: F401
from neokeras.layers.preprocessing.integer_lookup import IntegerLookup  # noqa: F401
from neokeras.layers.preprocessing.normalization import Normalization  # noqa: F401
from neokeras.layers.preprocessing.preprocessing_layer import PreprocessingLayer  # noqa: F401
from neokeras.layers.preprocessing.rescaling import Rescaling  # noqa: F401
from neokeras.layers.preprocessing.string_lookup import StringLookup  # noqa: F401
from neokeras.layers.preprocessing.text_vectorization import TextVectorization  # noqa: F401
