"""`keras.visualization.plot_image_gallery`: a grid of images with matplotlib."""

import math

import numpy as np

from neokeras.visualization import _common


def plot_image_gallery(images, y_true=None, y_pred=None, label_map=None, rows=None, cols=None,
                       value_range=(0, 255), scale=2, path=None, show=None, transparent=True,
                       dpi=60, legend_handles=None, data_format=None):
    """Shows (or saves to `path`) a `rows x cols` grid of the first images of a batch.

    Args:
        images: `(batch, height, width, channels)` images (or channels first).
        y_true, y_pred: Optional class ids, shown as titles through `label_map`.
        label_map: Dict from class id to name (required with `y_true` or `y_pred`).
        rows, cols: Grid size (default: about the square root of the batch size).
        value_range: Range of the pixel values.
        scale: Size of one image in inches.
        path: Save the figure there instead of showing it.
        show: Show the figure (default: when no `path` is given).
        transparent, dpi: Passed to `savefig`.
        legend_handles: Matplotlib handles of a legend below the grid.
        data_format: "channels_last" or "channels_first" (default: the global setting).
    """
    plt = _common.require("matplotlib.pyplot", "plot_image_gallery")
    if path is not None and show:
        raise ValueError("plot_image_gallery: pass either `path` (to save) or `show=True`, "
                         "not both.")
    if (y_true is not None or y_pred is not None) and label_map is None:
        raise ValueError("plot_image_gallery: `label_map` is required with `y_true` or "
                         "`y_pred`.")
    show = path is None if show is None else show
    shape = _common.batched_images("plot_image_gallery", images)
    batch = shape[0]
    rows = rows or int(math.ceil(math.sqrt(batch)))
    cols = cols or int(math.ceil(batch // rows))
    images = _common.to_channels_last(images, data_format)[:min(rows * cols, batch)]
    low, high = value_range
    images = (images.astype("float32") - low) / (high - low) * 255.0
    fig, axes = plt.subplots(nrows=rows, ncols=cols, figsize=(cols * scale, rows * scale),
                             frameon=False, layout="tight", squeeze=False, sharex="row",
                             sharey="col")
    fig.subplots_adjust(wspace=0, hspace=0)
    if legend_handles is not None:
        fig.legend(handles=legend_handles, loc="lower center")
    y_true = None if y_true is None else np.asarray(y_true)
    y_pred = None if y_pred is None else np.asarray(y_pred)
    for index in range(rows * cols):
        axis = axes[index // cols, index % cols]
        axis.imshow(images[index].astype("uint8"))
        axis.margins(x=0, y=0)
        axis.axis("off")
        title = []
        if y_true is not None and index < len(y_true):
            title.append(f"Label: {label_map.get(y_true[index], 'Unknown')}")
        if y_pred is not None and index < len(y_pred):
            title.append(f"Pred: {label_map.get(y_pred[index], 'Unknown')}")
        if title:
            axis.set_title("  ".join(title), fontsize=8)
    if path is not None:
        plt.savefig(fname=path, pad_inches=0, bbox_inches="tight", transparent=transparent,
                    dpi=dpi)
        plt.close()
    elif show:
        plt.show()
        plt.close()
