"""`ContrastLimitedAdaptiveHistogramEqualization` (CLAHE): local, clipped histogram
equalization."""

from neokeras import ops
from neokeras.api_export import keras_name
from neokeras.layers.preprocessing.image_preprocessing.base_image_preprocessing_layer import (
    BaseImagePreprocessingLayer)


@keras_name("keras.layers.ContrastLimitedAdaptiveHistogramEqualization")
class ContrastLimitedAdaptiveHistogramEqualization(BaseImagePreprocessingLayer):
    """Equalizes each tile of a `tile_grid_size` grid, in training and inference.

    Each channel's 256-bin histogram per tile is clipped at `clip_limit` times the mean bin
    count (the excess spread over all bins), turned into a lookup table by its cumulative sum,
    and every pixel maps through the bilinear blend of the tables of its four nearest tiles.
    Images whose size is not a multiple of the grid are padded symmetrically for the tables.

    Args:
        value_range: Range of the pixel values (default `(0, 255)`).
        clip_limit: Contrast limit; 0 or less means plain adaptive equalization.
        tile_grid_size: `(rows, columns)` of tiles (default `(8, 8)`).
        data_format: "channels_last" (default) or "channels_first".
    """

    def __init__(self, value_range=(0, 255), clip_limit=4.0, tile_grid_size=(8, 8),
                 data_format=None, **kwargs):
        super().__init__(data_format=data_format, **kwargs)
        if (not isinstance(tile_grid_size, (tuple, list)) or len(tile_grid_size) != 2
                or any(int(g) < 1 for g in tile_grid_size)):
            raise ValueError("ContrastLimitedAdaptiveHistogramEqualization: `tile_grid_size` "
                             "must be two positive ints. Received: "
                             f"tile_grid_size={tile_grid_size!r}")
        self.value_range = value_range
        self.clip_limit = clip_limit
        self.tile_grid_size = tile_grid_size

    def transform_images(self, images, transformation=None, training=True):
        dtype = images.dtype
        x = self._channels_last(images)
        x = self._transform_value_range(x, self.value_range, (0, 255))
        x = self._clahe(ops.cast(x, "float32"))
        x = self._transform_value_range(x, (0, 255), self.value_range)
        return self._restore_format(ops.cast(x, dtype))

    def _tables(self, padded, grid_h, grid_w, tile_h, tile_w):
        """Per tile and channel, the equalization table `(batch, gh, gw, c, 256)`."""
        batch, _, _, channels = padded.shape
        values = ops.clip(ops.cast(padded, "int32"), 0, 255)
        tiles = ops.reshape(values, (batch, grid_h, tile_h, grid_w, tile_w, channels))
        tiles = ops.transpose(tiles, (0, 1, 3, 5, 2, 4))
        tables = batch * grid_h * grid_w * channels
        offsets = ops.reshape(ops.arange(tables, dtype="int32") * 256,
                              (batch, grid_h, grid_w, channels, 1, 1))
        ids = ops.reshape(tiles + offsets, (-1,))
        counts = ops.segment_sum(ops.ones_like(ids, dtype="float32"), ids,
                                 num_segments=tables * 256)
        hist = ops.reshape(counts, (batch, grid_h, grid_w, channels, 256))
        pixels = tile_h * tile_w
        if self.clip_limit > 0:
            clipped = ops.minimum(hist, self.clip_limit * pixels / 256.0)
            hist = clipped + ops.sum(hist - clipped, axis=-1, keepdims=True) / 256.0
        cdf = ops.cumsum(hist, axis=-1)
        cdf_min = ops.min(cdf, axis=-1, keepdims=True)
        denominator = pixels - cdf_min
        denominator = ops.where(denominator == 0, ops.ones_like(denominator), denominator)
        return ops.clip((cdf - cdf_min) * 255.0 / denominator, 0, 255)

    def _clahe(self, images):
        single = len(images.shape) == 3
        if single:
            images = images[None]
        batch, height, width, channels = images.shape
        grid_h, grid_w = (int(g) for g in self.tile_grid_size)
        tile_h, tile_w = -(-height // grid_h), -(-width // grid_w)
        pad_h, pad_w = tile_h * grid_h - height, tile_w * grid_w - width
        padded = images
        if pad_h or pad_w:
            padded = ops.pad(images, [(0, 0), (0, pad_h), (0, pad_w), (0, 0)], mode="symmetric")
        tables = self._tables(padded, grid_h, grid_w, tile_h, tile_w)
        # Border tiles repeat outwards so every pixel has four neighbouring tables.
        tables = ops.concatenate([tables[:, :1], tables, tables[:, -1:]], axis=1)
        tables = ops.concatenate([tables[:, :, :1], tables, tables[:, :, -1:]], axis=2)

        def neighbours(size, tile, grid):
            # Tile-center coordinates of each pixel (tile k's center at k + 1).
            position = (ops.arange(size, dtype="float32") - tile / 2.0) / tile + 1.0
            low = ops.floor(position)
            weight = position - low
            low = ops.cast(ops.clip(low, 0, grid + 1), "int32")
            high = ops.cast(ops.clip(low + 1, 0, grid + 1), "int32")
            return low, high, weight

        y0, y1, wy = neighbours(tile_h * grid_h, tile_h, grid_h)
        x0, x1, wx = neighbours(tile_w * grid_w, tile_w, grid_w)
        values = ops.cast(ops.clip(padded, 0, 255), "int32")
        flat = ops.reshape(tables, (-1,))
        row_stride = (grid_w + 2) * channels * 256
        base = (ops.reshape(ops.arange(batch, dtype="int32"), (-1, 1, 1, 1))
                * (grid_h + 2) * row_stride
                + ops.arange(channels, dtype="int32") * 256 + values)

        def lookup(rows, cols):
            return ops.take(flat, base + rows[None, :, None, None] * row_stride
                            + cols[None, None, :, None] * channels * 256)

        wy, wx = wy[None, :, None, None], wx[None, None, :, None]
        top = lookup(y0, x0) * (1.0 - wx) + lookup(y0, x1) * wx
        bottom = lookup(y1, x0) * (1.0 - wx) + lookup(y1, x1) * wx
        out = (top * (1.0 - wy) + bottom * wy)[:, :height, :width, :]
        return out[0] if single else out

    def get_config(self):
        return {**super().get_config(), "value_range": self.value_range,
                "clip_limit": self.clip_limit, "tile_grid_size": self.tile_grid_size}
