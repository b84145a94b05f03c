// A trained ClassifierModel as a float32 TFLite graph, the way Keras's converter expresses it:
//  - batch 1 in front of every shape; the input is [1, ...input_shape], the output [1, labels] (softmax);
//  - conv1d and the 1-D pools run as CONV_2D / MAX_POOL_2D / AVERAGE_POOL_2D on a [1, 1, T, C] image (the
//    kernel layout [filters, 1, k, in_c] of classifier.h), with RESHAPEs where the rank changes;
//  - relu/relu6 are fused into conv/dense; softmax is its own SOFTMAX operator (beta 1);
//  - dropout disappears; batch_norm is folded into the conv/dense right before it when that layer has no
//    activation, and otherwise becomes MUL and ADD by per-channel constants;
//  - flatten and reshape are RESHAPEs (with the target shape as an int32 constant input).
#pragma once

#include "tflite/tflite_model.h"
#include "train/classifier.h"

namespace kiln {

// Throws kiln::Error when the model is inconsistent (check_model).
tflite::Model classifier_graph(const ClassifierModel& model);

}  // namespace kiln
