"""`neokeras.layers`: the building blocks of models."""

from neokeras.layers.core.activation import Activation  # noqa: F401
from neokeras.layers.activations import (  # noqa: F401
    ELU, LeakyReLU, PReLU, ReLU, Softmax, ThresholdedReLU)
from neokeras.layers.core.dense import Dense  # noqa: F401
from neokeras.layers.core.einsum_dense import EinsumDense  # noqa: F401
from neokeras.layers.core.identity import Identity  # noqa: F401
from neokeras.layers.core.jax_layer import FlaxLayer, JaxLayer  # noqa: F401
from neokeras.layers.core.reversible_embedding import ReversibleEmbedding  # noqa: F401
from neokeras.layers.core.wrapper import Wrapper  # noqa: F401
from neokeras.layers.serialization import deserialize, serialize  # noqa: F401
from neokeras.layers.core.input_layer import Input, InputLayer  # noqa: F401
from neokeras.layers.input_spec import InputSpec  # noqa: F401
from neokeras.layers.layer import Layer  # noqa: F401
from neokeras.layers.regularization.alpha_dropout import AlphaDropout  # noqa: F401
from neokeras.layers.regularization.dropout import Dropout  # noqa: F401
from neokeras.layers.reshaping.flatten import Flatten  # noqa: F401
from neokeras.layers.reshaping.reshape import Reshape  # noqa: F401
from neokeras.layers.convolutional import (  # noqa: F401
    Conv1D, Conv1DTranspose, Conv2D, Conv2DTranspose, Conv3D, Conv3DTranspose, Convolution1D,
    Convolution1DTranspose, Convolution2D, Convolution2DTranspose, Convolution3D,
    Convolution3DTranspose, DepthwiseConv1D, DepthwiseConv2D, SeparableConv1D, SeparableConv2D,
    SeparableConvolution1D, SeparableConvolution2D)
from neokeras.layers.pooling import (  # noqa: F401
    AdaptiveAveragePooling1D, AdaptiveAveragePooling2D, AdaptiveAveragePooling3D,
    AdaptiveMaxPooling1D, AdaptiveMaxPooling2D, AdaptiveMaxPooling3D,
    AveragePooling1D, AveragePooling2D, AveragePooling3D, AvgPool1D, AvgPool2D, AvgPool3D,
    GlobalAveragePooling1D, GlobalAveragePooling2D, GlobalAveragePooling3D, GlobalAvgPool1D,
    GlobalAvgPool2D, GlobalAvgPool3D, GlobalMaxPool1D, GlobalMaxPool2D, GlobalMaxPool3D,
    GlobalMaxPooling1D, GlobalMaxPooling2D, GlobalMaxPooling3D, MaxPool1D, MaxPool2D, MaxPool3D,
    MaxPooling1D, MaxPooling2D, MaxPooling3D)
from neokeras.layers.core.embedding import Embedding  # noqa: F401
from neokeras.layers.masking.masking import Masking  # noqa: F401
from neokeras.layers.rnn.bidirectional import Bidirectional  # noqa: F401
from neokeras.layers.rnn.gru import GRU, GRUCell  # noqa: F401
from neokeras.layers.rnn.lstm import LSTM, LSTMCell  # noqa: F401
from neokeras.layers.rnn.abstract_rnn_cell import AbstractRNNCell  # noqa: F401
from neokeras.layers.rnn.conv_lstm import ConvLSTM1D, ConvLSTM2D, ConvLSTM3D  # noqa: F401
from neokeras.layers.rnn.rnn import RNN  # noqa: F401
from neokeras.layers.rnn.stacked_rnn_cells import StackedRNNCells  # noqa: F401
from neokeras.layers.rnn.simple_rnn import SimpleRNN, SimpleRNNCell  # noqa: F401
from neokeras.layers.rnn.time_distributed import TimeDistributed  # noqa: F401
from neokeras.layers.core.lambda_layer import Lambda  # noqa: F401
from neokeras.layers.locally_connected import (  # noqa: F401
    LocallyConnected1D, LocallyConnected2D)
from neokeras.layers.merging.concatenate import Concatenate, concatenate  # noqa: F401
from neokeras.layers.merging.dot import Dot, dot  # noqa: F401
from neokeras.layers.merging.elementwise import (  # noqa: F401
    Add, Average, Maximum, Minimum, Multiply, Subtract, add, average, maximum, minimum,
    multiply, subtract)
from neokeras.layers.preprocessing.normalization import Normalization  # noqa: F401
from neokeras.layers.preprocessing.rescaling import Rescaling  # noqa: F401
from neokeras.layers.normalization import (  # noqa: F401
    BatchNormalization, GroupNormalization, LayerNormalization, RMSNormalization,
    SpectralNormalization, UnitNormalization)
from neokeras.layers.attention.additive_attention import AdditiveAttention  # noqa: F401
from neokeras.layers.attention.attention import Attention  # noqa: F401
from neokeras.layers.attention.grouped_query_attention import GroupQueryAttention  # noqa: F401
from neokeras.layers.attention.multi_head_attention import MultiHeadAttention  # noqa: F401
from neokeras.layers.reshaping.cropping import Cropping1D, Cropping2D, Cropping3D  # noqa: F401
from neokeras.layers.reshaping.permute import Permute  # noqa: F401
from neokeras.layers.reshaping.repeat_vector import RepeatVector  # noqa: F401
from neokeras.layers.reshaping.up_sampling import (  # noqa: F401
    UpSampling1D, UpSampling2D, UpSampling3D)
from neokeras.layers.reshaping.zero_padding import (  # noqa: F401
    ZeroPadding1D, ZeroPadding2D, ZeroPadding3D)
from neokeras.layers.regularization.activity_regularization import (  # noqa: F401
    ActivityRegularization)
from neokeras.layers.regularization.gaussian_noise import (  # noqa: F401
    GaussianDropout, GaussianNoise)
from neokeras.layers.regularization.spatial_dropout import (  # noqa: F401
    SpatialDropout1D, SpatialDropout2D, SpatialDropout3D)
from neokeras.layers.preprocessing.category_encoding import CategoryEncoding  # noqa: F401
from neokeras.layers.preprocessing.discretization import Discretization  # noqa: F401
from neokeras.layers.preprocessing.hashed_crossing import HashedCrossing  # noqa: F401
from neokeras.layers.preprocessing.hashing import Hashing  # noqa: F401
from neokeras.layers.preprocessing.integer_lookup import IntegerLookup  # noqa: F401
from neokeras.layers.preprocessing.string_lookup import StringLookup  # noqa: F401
from neokeras.layers.preprocessing.text_vectorization import TextVectorization  # noqa: F401
from neokeras.layers.preprocessing.image_preprocessing.center_crop import CenterCrop  # noqa: F401
from neokeras.layers.preprocessing.image_preprocessing.random_brightness import (  # noqa: F401
    RandomBrightness)
from neokeras.layers.preprocessing.image_preprocessing.random_contrast import (  # noqa: F401
    RandomContrast)
from neokeras.layers.preprocessing.image_preprocessing.random_crop import RandomCrop  # noqa: F401
from neokeras.layers.preprocessing.image_preprocessing.random_flip import RandomFlip  # noqa: F401
from neokeras.layers.preprocessing.image_preprocessing.random_rotation import (  # noqa: F401
    RandomRotation)
from neokeras.layers.preprocessing.image_preprocessing.random_translation import (  # noqa: F401
    RandomTranslation)
from neokeras.layers.preprocessing.image_preprocessing.random_zoom import RandomZoom  # noqa: F401
from neokeras.layers.preprocessing.image_preprocessing.resizing import Resizing  # noqa: F401
from neokeras.layers.preprocessing.image_preprocessing.auto_contrast import (  # noqa: F401
    AutoContrast)
from neokeras.layers.preprocessing.image_preprocessing.random_color_degeneration import (  # noqa: F401,E501
    RandomColorDegeneration)
from neokeras.layers.preprocessing.image_preprocessing.random_grayscale import (  # noqa: F401
    RandomGrayscale)
from neokeras.layers.preprocessing.image_preprocessing.random_hue import RandomHue  # noqa: F401
from neokeras.layers.preprocessing.image_preprocessing.random_invert import (  # noqa: F401
    RandomInvert)
from neokeras.layers.preprocessing.image_preprocessing.random_posterization import (  # noqa: F401
    RandomPosterization)
from neokeras.layers.preprocessing.image_preprocessing.random_saturation import (  # noqa: F401
    RandomSaturation)
from neokeras.layers.preprocessing.image_preprocessing.random_sharpness import (  # noqa: F401
    RandomSharpness)
from neokeras.layers.preprocessing.image_preprocessing.solarization import (  # noqa: F401
    Solarization)
from neokeras.layers.preprocessing.image_preprocessing.cut_mix import CutMix  # noqa: F401
from neokeras.layers.preprocessing.image_preprocessing.equalization import (  # noqa: F401
    Equalization)
from neokeras.layers.preprocessing.image_preprocessing.clahe import (  # noqa: F401
    ContrastLimitedAdaptiveHistogramEqualization)
from neokeras.layers.preprocessing.image_preprocessing.max_num_bounding_boxes import (  # noqa: F401
    MaxNumBoundingBoxes)
from neokeras.layers.preprocessing.image_preprocessing.random_elastic_transform import (  # noqa: F401
    RandomElasticTransform)
from neokeras.layers.preprocessing.image_preprocessing.mix_up import MixUp  # noqa: F401
from neokeras.layers.preprocessing.image_preprocessing.random_color_jitter import (  # noqa: F401
    RandomColorJitter)
from neokeras.layers.preprocessing.image_preprocessing.random_shear import (  # noqa: F401
    RandomShear)
from neokeras.layers.preprocessing.pipeline import Pipeline  # noqa: F401
from neokeras.layers.preprocessing.mel_spectrogram import MelSpectrogram  # noqa: F401
from neokeras.layers.preprocessing.stft_spectrogram import STFTSpectrogram  # noqa: F401
from neokeras.layers.preprocessing.image_preprocessing.random_height_width import (  # noqa: F401
    RandomHeight, RandomWidth)
from neokeras.layers import experimental  # noqa: F401,E402
from neokeras.layers.preprocessing.image_preprocessing.random_erasing import (  # noqa: F401
    RandomErasing)
from neokeras.layers.preprocessing.image_preprocessing.random_gaussian_blur import (  # noqa: F401
    RandomGaussianBlur)
from neokeras.layers.preprocessing.image_preprocessing.rand_augment import RandAugment  # noqa: F401,E501
from neokeras.layers.preprocessing.image_preprocessing.random_perspective import RandomPerspective  # noqa: F401,E501
from neokeras.layers.preprocessing.image_preprocessing.aug_mix import AugMix  # noqa: F401
