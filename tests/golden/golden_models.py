"""The small one-operator models of the golden set, one per operator and
parameter variant that qaccel's kernels treat differently. make_golden.py
builds, converts and runs them; this file only says what they are.

Each Spec's body maps a Keras input tensor to the output tensor. Weights
come from Keras' initializers under a seed derived from the name; biases are
random (Keras' default of zero would leave the bias path untested).
"""
from collections import namedtuple

import numpy as np
import tensorflow as tf

layers = tf.keras.layers

# shape: one sample without the batch axis; batch: the model's static batch
# (None: dynamic, which makes the converter write dilated convolutions as
# SPACE_TO_BATCH_ND + conv + BATCH_TO_SPACE_ND); patch: (op, option, value)
# set in the flatbuffer after conversion, for options the converter never
# writes itself.
Spec = namedtuple("Spec", "name shape body per_tensor batch patch notes",
                  defaults=(False, 1, None, ""))


def _bias():
    return tf.keras.initializers.RandomUniform(-0.5, 0.5)


def conv(*a, **k):
    return layers.Conv2D(*a, bias_initializer=_bias(), **k)


def dwconv(*a, **k):
    return layers.DepthwiseConv2D(*a, bias_initializer=_bias(), **k)


def dense(*a, **k):
    return layers.Dense(*a, bias_initializer=_bias(), **k)


def fn(f):
    """A TensorFlow function as a Keras layer."""
    return layers.Lambda(f)


def const(shape, lo, hi):
    n = int(np.prod(shape))
    return tf.constant(np.linspace(lo, hi, n, dtype=np.float32).reshape(shape))


def op_specs():
    c = layers
    return [
        Spec("conv_3x3_same", (8, 8, 4), lambda x: conv(6, 3, padding="same")(x)),
        Spec("conv_s2_valid", (9, 9, 3), lambda x: conv(5, 3, strides=2)(x)),
        Spec("conv_1x1", (6, 6, 8), lambda x: conv(8, 1)(x)),
        Spec("conv_odd_7x5", (7, 5, 3), lambda x: conv(4, (3, 2), padding="same")(x),
             notes="7x5x3 input, 3x2 kernel"),
        Spec("conv_relu", (8, 8, 4), lambda x: conv(6, 3, activation="relu")(x),
             notes="RELU fused into CONV_2D"),
        Spec("conv_relu6", (8, 8, 4), lambda x: c.ReLU(6.0)(conv(6, 3)(x)),
             notes="RELU6 fused into CONV_2D"),
        Spec("conv_nobias", (8, 8, 4), lambda x: c.Conv2D(6, 3, use_bias=False)(x),
             notes="use_bias=False; the converter still writes a zero bias"),
        Spec("conv_per_tensor", (8, 8, 4), lambda x: conv(6, 3, padding="same")(x),
             per_tensor=True, notes="per-tensor weight quantization"),
        Spec("dwconv_m1", (8, 8, 6), lambda x: dwconv(3, padding="same")(x)),
        Spec("dwconv_m2", (8, 8, 3), lambda x: dwconv(3, depth_multiplier=2)(x)),
        Spec("dwconv_s2", (9, 9, 4), lambda x: dwconv(3, strides=2, padding="same")(x)),
        Spec("dense", (32,), lambda x: dense(10)(x)),
        Spec("dense_nobias", (32,), lambda x: c.Dense(10, use_bias=False)(x),
             notes="FULLY_CONNECTED without a bias tensor (index -1)"),
        Spec("dense_flatten_relu", (4, 4, 3),
             lambda x: dense(12, activation="relu")(c.Flatten()(x)),
             notes="Flatten is a RESHAPE; RELU fused"),
        Spec("dense_batch3", (16,), lambda x: dense(5)(x), batch=3,
             notes="input [3,16]: one sample is a batch of 3 rows"),
        Spec("dense_keep_dims", (4, 16), lambda x: dense(5)(x),
             notes="3-D input, keep_num_dims true: output [1,4,5]"),
        Spec("add_same", (6, 6, 4), lambda x: c.Add()([conv(4, 1)(x), x])),
        Spec("add_relu6", (6, 6, 4), lambda x: c.ReLU(6.0)(c.Add()([conv(4, 1)(x), x])),
             notes="RELU6 fused into ADD"),
        Spec("add_broadcast_c", (6, 6, 4),
             lambda x: fn(lambda t: t + const((1, 1, 1, 4), -1, 1))(x),
             notes="constant [1,1,1,C] operand"),
        Spec("add_broadcast_hw", (6, 6, 4), lambda x: c.Add()([x, conv(1, 1)(x)]),
             notes="[1,H,W,1] operand from a convolution"),
        Spec("sub_same_relu", (6, 6, 4),
             lambda x: c.ReLU()(c.Subtract()([conv(4, 1)(x), x])),
             notes="RELU fused into SUB"),
        Spec("sub_broadcast_hw", (6, 6, 4),
             lambda x: fn(lambda t: t - const((1, 6, 6, 1), -2, 1))(x),
             notes="constant [1,H,W,1] operand"),
        Spec("mul_same_relu", (6, 6, 4),
             lambda x: c.ReLU()(c.Multiply()([conv(4, 1)(x), x])),
             notes="RELU fused into MUL"),
        Spec("mul_broadcast_c", (6, 6, 4),
             lambda x: fn(lambda t: t * const((1, 1, 1, 4), -1, 1))(x),
             notes="constant [1,1,1,C] operand"),
        Spec("mul_broadcast_hw", (6, 6, 4), lambda x: c.Multiply()([x, conv(1, 1)(x)]),
             notes="[1,H,W,1] operand from a convolution"),
        Spec("maxpool_same_s2", (9, 9, 4), lambda x: c.MaxPooling2D(3, 2, padding="same")(x)),
        Spec("maxpool_valid", (8, 8, 4), lambda x: c.MaxPooling2D(2)(x)),
        Spec("avgpool_same_s2", (9, 7, 4),
             lambda x: c.AveragePooling2D(3, 2, padding="same")(x)),
        Spec("avgpool_valid", (8, 8, 4), lambda x: c.AveragePooling2D(2)(x)),
        Spec("softmax", (20,), lambda x: c.Softmax()(dense(20)(x))),
        Spec("softmax_beta", (20,), lambda x: fn(lambda t: tf.nn.softmax(t * 0.5))(x),
             notes="softmax(0.5 x): the converter writes MUL then SOFTMAX beta 1"),
        Spec("softmax_beta05_patched", (20,), lambda x: c.Softmax()(dense(20)(x)),
             patch=("SOFTMAX", "beta", 0.5),
             notes="beta set to 0.5 in the flatbuffer after conversion (the "
                   "converter only writes beta 1); outputs are TFLite's"),
        Spec("logistic", (8, 8, 4), lambda x: fn(tf.sigmoid)(conv(4, 1)(x))),
        Spec("tanh", (8, 8, 4), lambda x: fn(tf.tanh)(conv(4, 1)(x))),
        Spec("hard_swish", (8, 8, 4),
             lambda x: fn(lambda t: t * tf.nn.relu6(t + 3.0) / 6.0)(conv(4, 1)(x))),
        Spec("relu", (8, 8, 4), lambda x: c.ReLU()(x)),
        Spec("relu6", (8, 8, 4), lambda x: c.ReLU(6.0)(x)),
        Spec("leaky_relu", (8, 8, 4), lambda x: c.LeakyReLU(0.2)(x)),
        Spec("concat_channels", (6, 6, 4),
             lambda x: c.Concatenate(axis=3)([conv(3, 1)(x), x])),
        Spec("concat_width", (6, 6, 4),
             lambda x: c.Concatenate(axis=2)([x, conv(4, 1)(x)])),
        Spec("quantize_requant", (6, 6, 4),
             lambda x: c.Concatenate(axis=3)([x, fn(tf.sigmoid)(x)]),
             notes="the LOGISTIC output's fixed scale is requantized to the "
                   "concatenation's by an int8->int8 QUANTIZE"),
        Spec("pad", (6, 6, 4),
             lambda x: fn(lambda t: tf.pad(t, [[0, 0], [1, 2], [2, 1], [0, 0]]))(x)),
        Spec("mean_gap", (7, 7, 8), lambda x: c.GlobalAveragePooling2D()(x),
             notes="GlobalAveragePooling2D: MEAN over H,W, keepdims false"),
        Spec("mean_keepdims", (7, 7, 8),
             lambda x: fn(lambda t: tf.reduce_mean(t, [1, 2], keepdims=True))(x),
             notes="MEAN over H,W, keepdims true"),
        Spec("reshape", (4, 4, 6), lambda x: c.Reshape((16, 6))(conv(6, 1)(x))),
        Spec("squeeze", (1, 1, 8),
             lambda x: fn(lambda t: tf.squeeze(t, [1, 2]))(conv(8, 1)(x)),
             notes="tf.squeeze: the converter writes RESHAPE"),
    ]


def dilated_specs():
    return [
        Spec("conv_dilation2", (10, 10, 3),
             lambda x: conv(4, 3, dilation_rate=2, padding="same")(x)),
        Spec("dwconv_dilation2", (10, 10, 4),
             lambda x: dwconv(3, dilation_rate=2)(x)),
        Spec("conv_dilation2_s2b", (10, 10, 3),
             lambda x: conv(4, 3, dilation_rate=2, padding="same")(x), batch=None,
             notes="dynamic batch: SPACE_TO_BATCH_ND, CONV_2D, "
                   "BATCH_TO_SPACE_ND (qaccel folds them back)"),
        Spec("dwconv_dilation2_s2b", (9, 9, 4),
             lambda x: dwconv(3, dilation_rate=2)(x), batch=None,
             notes="dynamic batch: SPACE_TO_BATCH_ND, DEPTHWISE_CONV_2D, "
                   "BATCH_TO_SPACE_ND (qaccel folds them back)"),
    ]
