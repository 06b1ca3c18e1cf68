"""`keras.preprocessing.image`: image files and arrays, and Keras 2's augmentation tools."""

from neokeras.preprocessing.image_data_generator import ImageDataGenerator  # noqa: F401
from neokeras.preprocessing.image_iterators import DataFrameIterator  # noqa: F401
from neokeras.preprocessing.image_iterators import DirectoryIterator  # noqa: F401
from neokeras.preprocessing.image_iterators import Iterator  # noqa: F401
from neokeras.preprocessing.image_iterators import NumpyArrayIterator  # noqa: F401
from neokeras.preprocessing.image_transforms import apply_affine_transform  # noqa: F401
from neokeras.preprocessing.image_transforms import apply_brightness_shift  # noqa: F401
from neokeras.preprocessing.image_transforms import apply_channel_shift  # noqa: F401
from neokeras.preprocessing.image_transforms import random_brightness  # noqa: F401
from neokeras.preprocessing.image_transforms import random_channel_shift  # noqa: F401
from neokeras.preprocessing.image_transforms import random_rotation  # noqa: F401
from neokeras.preprocessing.image_transforms import random_shear  # noqa: F401
from neokeras.preprocessing.image_transforms import random_shift  # noqa: F401
from neokeras.preprocessing.image_transforms import random_zoom  # noqa: F401
from neokeras.utils.image_utils import array_to_img  # noqa: F401
from neokeras.utils.image_utils import img_to_array  # noqa: F401
from neokeras.utils.image_utils import load_img  # noqa: F401
from neokeras.utils.image_utils import save_img  # noqa: F401
from neokeras.utils.image_utils import smart_resize  # noqa: F401
