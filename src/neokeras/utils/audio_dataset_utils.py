"""`audio_dataset_from_directory`: a labelled dataset of `.wav` files from class folders."""

import wave

import numpy as np

from neokeras.utils import dataset_utils
from neokeras.utils.batch_dataset import BatchDataset

_CALLER = "audio_dataset_from_directory"


def read_wav(path, output_sequence_length=None):
    """float32 `(samples, channels)` in [-1, 1] of a PCM `.wav` file, padded/truncated to
    `output_sequence_length` samples when given."""
    try:
        with wave.open(str(path), "rb") as f:
            width, channels, frames = f.getsampwidth(), f.getnchannels(), f.getnframes()
            raw = f.readframes(frames)
    except (wave.Error, EOFError, OSError) as e:
        raise ValueError(f"{_CALLER}: cannot decode the WAV file {str(path)!r} ({e}). Only PCM "
                         "WAV files are supported; remove or replace the file.") from None
    if width == 1:
        audio = (np.frombuffer(raw, "uint8").astype("float32") - 128.0) / 128.0
    elif width == 3:
        b = np.frombuffer(raw, "uint8").reshape(-1, 3).astype("int32")
        audio = ((b[:, 0] | (b[:, 1] << 8) | (b[:, 2] << 16)) << 8 >> 8) / float(1 << 23)
    else:
        dtype = {2: "<i2", 4: "<i4"}[width]
        audio = np.frombuffer(raw, dtype).astype("float32") / float(1 << (8 * width - 1))
    audio = audio.astype("float32").reshape(-1, channels)
    if output_sequence_length is not None:
        out = np.zeros((output_sequence_length, channels), "float32")
        n = min(output_sequence_length, len(audio))
        out[:n] = audio[:n]
        audio = out
    return audio


def _pad_batch(values):
    """Stacks arrays zero-padded to the largest size on every axis (Keras's `padded_batch`)."""
    shape = tuple(max(v.shape[a] for v in values) for a in range(values[0].ndim))
    out = np.zeros((len(values),) + shape, values[0].dtype)
    for i, v in enumerate(values):
        out[(i,) + tuple(slice(0, d) for d in v.shape)] = v
    return out


def _ragged_batch(values):
    out = np.empty(len(values), dtype=object)
    out[:] = list(values)
    return out


def audio_dataset_from_directory(directory, labels="inferred", label_mode="int",
                                 class_names=None, batch_size=32, sampling_rate=None,
                                 output_sequence_length=None, ragged=False, shuffle=True,
                                 seed=None, validation_split=None, subset=None,
                                 follow_links=False, verbose=True):
    """Builds a dataset of `(audio, labels)` batches from `.wav` files in subdirectories.

    Audio is float32 `(batch, samples, channels)`: padded with zeros to the longest clip of
    the batch, or to `output_sequence_length`; with `ragged=True` a batch is an object array
    of clips of their own lengths.

    Args:
        directory: Root directory (one subdirectory per class with inferred labels).
        labels: `"inferred"`, None, or one integer label per file.
        label_mode: `"int"`, `"categorical"`, `"binary"`, or None.
        class_names: With inferred labels, the subdirectories to use, in label order.
        batch_size: Samples per batch; None yields single samples.
        sampling_rate: Resampling is not supported (Keras needs tensorflow-io for it); must
            be None.
        output_sequence_length: Pad or truncate every clip to this many samples.
        ragged: Keep each clip's own length.
        shuffle: Shuffle the files (and each epoch's order).
        seed: Seed of the shuffles.
        validation_split: Fraction of the files kept for validation.
        subset: `"training"`, `"validation"` or `"both"`.
        follow_links: Follow symbolic links to subdirectories.
        verbose: Print how many files and classes were found.
    """
    dataset_utils.check_labels_args(labels, label_mode, class_names, _CALLER)
    if ragged and output_sequence_length is not None:
        raise ValueError(f"{_CALLER}: ragged and output_sequence_length cannot both be set.")
    if sampling_rate is not None:
        if (isinstance(sampling_rate, bool) or not isinstance(sampling_rate, int)
                or sampling_rate <= 0):
            raise ValueError(f"{_CALLER}: sampling_rate must be a positive int. "
                             f"Received: sampling_rate={sampling_rate!r}")
        raise ImportError(f"{_CALLER}: resampling (sampling_rate) needs tensorflow-io in Keras "
                          "and is not available here; resample the files beforehand.")
    if labels is None or label_mode is None:
        labels, label_mode = None, None
    dataset_utils.check_validation_split_arg(validation_split, subset, shuffle, seed, _CALLER)
    if seed is None:
        seed = np.random.randint(1e6)
    paths, labels, class_names = dataset_utils.index_directory(
        directory, labels, (".wav",), class_names, shuffle, seed, follow_links, verbose,
        caller=_CALLER)
    if label_mode == "binary" and len(class_names) != 2:
        raise ValueError(f"{_CALLER}: label_mode='binary' needs exactly 2 classes. "
                         f"Received: class_names={class_names}")
    num_classes = len(class_names) if class_names else 0
    audio_collate = _ragged_batch if ragged else _pad_batch

    def collate(values):
        return audio_collate(values) if values[0].dtype == np.float32 and values[0].ndim == 2 \
            else np.stack(values)

    datasets = []
    for part_paths, part_labels, training in dataset_utils.subsets(
            _CALLER, directory, paths, labels, validation_split, subset, "audio files"):
        def sample(i, part_paths=part_paths, part_labels=part_labels):
            audio = read_wav(part_paths[i], output_sequence_length)
            if label_mode is None:
                return audio
            return audio, dataset_utils.encode_label(part_labels[i], label_mode, num_classes)

        dataset = BatchDataset(len(part_paths), sample, batch_size, shuffle and training, seed,
                               collate=collate)
        dataset.class_names = class_names
        dataset.file_paths = list(part_paths)
        datasets.append(dataset)
    return datasets if subset == "both" else datasets[0]
