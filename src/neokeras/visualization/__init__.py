"""`keras.visualization`: drawing boxes and masks on images, and image galleries."""

from neokeras.visualization.draw_bounding_boxes import draw_bounding_boxes  # noqa: F401
from neokeras.visualization.draw_segmentation_masks import draw_segmentation_masks  # noqa: F401
from neokeras.visualization.plot_bounding_box_gallery import (  # noqa: F401
    plot_bounding_box_gallery)
from neokeras.visualization.plot_image_gallery import plot_image_gallery  # noqa: F401
from neokeras.visualization.plot_segmentation_mask_gallery import (  # noqa: F401
    plot_segmentation_mask_gallery)
