"""`keras.preprocessing.image`: image files and arrays (Keras 2 home of these functions)."""

from neokeras.utils.image_utils import array_to_img  # noqa: F401
from neokeras.utils.image_utils import img_to_array  # noqa: F401
from neokeras.utils.image_utils import load_img  # noqa: F401
from neokeras.utils.image_utils import save_img  # noqa: F401
from neokeras.utils.image_utils import smart_resize  # noqa: F401
