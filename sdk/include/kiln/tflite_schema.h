// The parts of the TFLite FlatBuffer schema (tensorflow/lite/schema/schema.fbs, version 3) that Kiln reads
// and writes: the enums (builtin operators, tensor types, padding, fused activation, the BuiltinOptions
// union) and the field ids of the tables. One copy for the device reader (sdk/nn) and the host writer
// (src/tflite), so a number of the file format is written down once. Plain C++11 enums, no library.
//
// A table's field id is its position in the schema's table declaration; a union field takes two ids (its
// type, then its value), so the ids after a union skip one.
#ifndef KILN_TFLITE_SCHEMA_H
#define KILN_TFLITE_SCHEMA_H

namespace kiln {
namespace tflite {

// BuiltinOperator. The StableHLO operators (162 and up) are left out: TFLite has no kernels for most of them.
enum BuiltinOperator {
  kOpAdd = 0,
  kOpAveragePool2D = 1,
  kOpConcatenation = 2,
  kOpConv2D = 3,
  kOpDepthwiseConv2D = 4,
  kOpDepthToSpace = 5,
  kOpDequantize = 6,
  kOpEmbeddingLookup = 7,
  kOpFloor = 8,
  kOpFullyConnected = 9,
  kOpHashtableLookup = 10,
  kOpL2Normalization = 11,
  kOpL2Pool2D = 12,
  kOpLocalResponseNormalization = 13,
  kOpLogistic = 14,
  kOpLshProjection = 15,
  kOpLstm = 16,
  kOpMaxPool2D = 17,
  kOpMul = 18,
  kOpRelu = 19,
  kOpReluN1To1 = 20,
  kOpRelu6 = 21,
  kOpReshape = 22,
  kOpResizeBilinear = 23,
  kOpRnn = 24,
  kOpSoftmax = 25,
  kOpSpaceToDepth = 26,
  kOpSvdf = 27,
  kOpTanh = 28,
  kOpConcatEmbeddings = 29,
  kOpSkipGram = 30,
  kOpCall = 31,
  kOpCustom = 32,
  kOpEmbeddingLookupSparse = 33,
  kOpPad = 34,
  kOpUnidirectionalSequenceRnn = 35,
  kOpGather = 36,
  kOpBatchToSpaceNd = 37,
  kOpSpaceToBatchNd = 38,
  kOpTranspose = 39,
  kOpMean = 40,
  kOpSub = 41,
  kOpDiv = 42,
  kOpSqueeze = 43,
  kOpUnidirectionalSequenceLstm = 44,
  kOpStridedSlice = 45,
  kOpBidirectionalSequenceRnn = 46,
  kOpExp = 47,
  kOpTopkV2 = 48,
  kOpSplit = 49,
  kOpLogSoftmax = 50,
  kOpDelegate = 51,
  kOpBidirectionalSequenceLstm = 52,
  kOpCast = 53,
  kOpPrelu = 54,
  kOpMaximum = 55,
  kOpArgMax = 56,
  kOpMinimum = 57,
  kOpLess = 58,
  kOpNeg = 59,
  kOpPadV2 = 60,
  kOpGreater = 61,
  kOpGreaterEqual = 62,
  kOpLessEqual = 63,
  kOpSelect = 64,
  kOpSlice = 65,
  kOpSin = 66,
  kOpTransposeConv = 67,
  kOpSparseToDense = 68,
  kOpTile = 69,
  kOpExpandDims = 70,
  kOpEqual = 71,
  kOpNotEqual = 72,
  kOpLog = 73,
  kOpSum = 74,
  kOpSqrt = 75,
  kOpRsqrt = 76,
  kOpShape = 77,
  kOpPow = 78,
  kOpArgMin = 79,
  kOpFakeQuant = 80,
  kOpReduceProd = 81,
  kOpReduceMax = 82,
  kOpPack = 83,
  kOpLogicalOr = 84,
  kOpOneHot = 85,
  kOpLogicalAnd = 86,
  kOpLogicalNot = 87,
  kOpUnpack = 88,
  kOpReduceMin = 89,
  kOpFloorDiv = 90,
  kOpReduceAny = 91,
  kOpSquare = 92,
  kOpZerosLike = 93,
  kOpFill = 94,
  kOpFloorMod = 95,
  kOpRange = 96,
  kOpResizeNearestNeighbor = 97,
  kOpLeakyRelu = 98,
  kOpSquaredDifference = 99,
  kOpMirrorPad = 100,
  kOpAbs = 101,
  kOpSplitV = 102,
  kOpUnique = 103,
  kOpCeil = 104,
  kOpReverseV2 = 105,
  kOpAddN = 106,
  kOpGatherNd = 107,
  kOpCos = 108,
  kOpWhere = 109,
  kOpRank = 110,
  kOpElu = 111,
  kOpReverseSequence = 112,
  kOpMatrixDiag = 113,
  kOpQuantize = 114,
  kOpMatrixSetDiag = 115,
  kOpRound = 116,
  kOpHardSwish = 117,
  kOpIf = 118,
  kOpWhile = 119,
  kOpNonMaxSuppressionV4 = 120,
  kOpNonMaxSuppressionV5 = 121,
  kOpScatterNd = 122,
  kOpSelectV2 = 123,
  kOpDensify = 124,
  kOpSegmentSum = 125,
  kOpBatchMatmul = 126,
  kOpPlaceholderForGreaterOpCodes = 127,
  kOpCumsum = 128,
  kOpCallOnce = 129,
  kOpBroadcastTo = 130,
  kOpRfft2d = 131,
  kOpConv3D = 132,
  kOpImag = 133,
  kOpReal = 134,
  kOpComplexAbs = 135,
  kOpHashtable = 136,
  kOpHashtableFind = 137,
  kOpHashtableImport = 138,
  kOpHashtableSize = 139,
  kOpReduceAll = 140,
  kOpConv3DTranspose = 141,
  kOpVarHandle = 142,
  kOpReadVariable = 143,
  kOpAssignVariable = 144,
  kOpBroadcastArgs = 145,
  kOpRandomStandardNormal = 146,
  kOpBucketize = 147,
  kOpRandomUniform = 148,
  kOpMultinomial = 149,
  kOpGelu = 150,
  kOpDynamicUpdateSlice = 151,
  kOpRelu0To1 = 152,
  kOpUnsortedSegmentProd = 153,
  kOpUnsortedSegmentMax = 154,
  kOpUnsortedSegmentSum = 155,
  kOpAtan2 = 156,
  kOpUnsortedSegmentMin = 157,
  kOpSign = 158,
  kOpBitcast = 159,
  kOpBitwiseXor = 160,
  kOpRightShift = 161,
};

// TensorType.
enum TensorType {
  kTypeFloat32 = 0,
  kTypeFloat16 = 1,
  kTypeInt32 = 2,
  kTypeUInt8 = 3,
  kTypeInt64 = 4,
  kTypeString = 5,
  kTypeBool = 6,
  kTypeInt16 = 7,
  kTypeComplex64 = 8,
  kTypeInt8 = 9,
  kTypeFloat64 = 10,
  kTypeComplex128 = 11,
  kTypeUInt64 = 12,
  kTypeResource = 13,
  kTypeVariant = 14,
  kTypeUInt32 = 15,
  kTypeUInt16 = 16,
  kTypeInt4 = 17
};

// Padding.
enum Padding { kPaddingSame = 0, kPaddingValid = 1 };

// ActivationFunctionType (the fused activation of an operator's options).
enum ActivationFunctionType {
  kActNone = 0,
  kActRelu = 1,
  kActReluN1To1 = 2,
  kActRelu6 = 3,
  kActTanh = 4,
  kActSignBit = 5
};

// FullyConnectedOptionsWeightsFormat.
enum WeightsFormat { kWeightsDefault = 0, kWeightsShuffled4x16Int8 = 1 };

// The BuiltinOptions union: the type an operator stores in its fields::Operator::kBuiltinOptionsType.
enum BuiltinOptions {
  kOptionsNone = 0,
  kConv2DOptions = 1,
  kDepthwiseConv2DOptions = 2,
  kConcatEmbeddingsOptions = 3,
  kLSHProjectionOptions = 4,
  kPool2DOptions = 5,
  kSVDFOptions = 6,
  kRNNOptions = 7,
  kFullyConnectedOptions = 8,
  kSoftmaxOptions = 9,
  kConcatenationOptions = 10,
  kAddOptions = 11,
  kL2NormOptions = 12,
  kLocalResponseNormalizationOptions = 13,
  kLSTMOptions = 14,
  kResizeBilinearOptions = 15,
  kCallOptions = 16,
  kReshapeOptions = 17,
  kSkipGramOptions = 18,
  kSpaceToDepthOptions = 19,
  kEmbeddingLookupSparseOptions = 20,
  kMulOptions = 21,
  kPadOptions = 22,
  kGatherOptions = 23,
  kBatchToSpaceNDOptions = 24,
  kSpaceToBatchNDOptions = 25,
  kTransposeOptions = 26,
  kReducerOptions = 27,
  kSubOptions = 28,
  kDivOptions = 29,
  kSqueezeOptions = 30,
  kSequenceRNNOptions = 31,
  kStridedSliceOptions = 32,
  kExpOptions = 33,
  kTopKV2Options = 34,
  kSplitOptions = 35,
  kLogSoftmaxOptions = 36,
  kCastOptions = 37,
  kDequantizeOptions = 38,
  kMaximumMinimumOptions = 39,
  kArgMaxOptions = 40,
  kLessOptions = 41,
  kNegOptions = 42,
  kPadV2Options = 43,
  kGreaterOptions = 44,
  kGreaterEqualOptions = 45,
  kLessEqualOptions = 46,
  kSelectOptions = 47,
  kSliceOptions = 48,
  kTransposeConvOptions = 49,
  kSparseToDenseOptions = 50,
  kTileOptions = 51,
  kExpandDimsOptions = 52,
  kEqualOptions = 53,
  kNotEqualOptions = 54,
  kShapeOptions = 55,
  kPowOptions = 56,
  kArgMinOptions = 57,
  kFakeQuantOptions = 58,
  kPackOptions = 59,
  kLogicalOrOptions = 60,
  kOneHotOptions = 61,
  kLogicalAndOptions = 62,
  kLogicalNotOptions = 63,
  kUnpackOptions = 64,
  kFloorDivOptions = 65,
  kSquareOptions = 66,
  kZerosLikeOptions = 67,
  kFillOptions = 68,
  kBidirectionalSequenceLSTMOptions = 69,
  kBidirectionalSequenceRNNOptions = 70,
  kUnidirectionalSequenceLSTMOptions = 71,
  kFloorModOptions = 72,
  kRangeOptions = 73,
  kResizeNearestNeighborOptions = 74,
  kLeakyReluOptions = 75,
  kSquaredDifferenceOptions = 76,
  kMirrorPadOptions = 77,
  kAbsOptions = 78,
  kSplitVOptions = 79,
  kUniqueOptions = 80,
  kReverseV2Options = 81,
  kAddNOptions = 82,
  kGatherNdOptions = 83,
  kCosOptions = 84,
  kWhereOptions = 85,
  kRankOptions = 86,
  kReverseSequenceOptions = 87,
  kMatrixDiagOptions = 88,
  kQuantizeOptions = 89,
  kMatrixSetDiagOptions = 90,
  kHardSwishOptions = 91,
  kIfOptions = 92,
  kWhileOptions = 93,
  kDepthToSpaceOptions = 94,
  kNonMaxSuppressionV4Options = 95,
  kNonMaxSuppressionV5Options = 96,
  kScatterNdOptions = 97,
  kSelectV2Options = 98,
  kDensifyOptions = 99,
  kSegmentSumOptions = 100,
  kBatchMatMulOptions = 101,
  kCumsumOptions = 102,
  kCallOnceOptions = 103,
  kBroadcastToOptions = 104,
  kRfft2dOptions = 105,
  kConv3DOptions = 106,
  kHashtableOptions = 107,
  kHashtableFindOptions = 108,
  kHashtableImportOptions = 109,
  kHashtableSizeOptions = 110,
  kVarHandleOptions = 111,
  kReadVariableOptions = 112,
  kAssignVariableOptions = 113,
  kRandomOptions = 114,
  kBucketizeOptions = 115,
  kGeluOptions = 116,
  kDynamicUpdateSliceOptions = 117,
  kUnsortedSegmentProdOptions = 118,
  kUnsortedSegmentMaxOptions = 119,
  kUnsortedSegmentMinOptions = 120,
  kUnsortedSegmentSumOptions = 121,
  kATan2Options = 122,
  kSignOptions = 123,
  kBitcastOptions = 124,
  kBitwiseXorOptions = 125,
  kRightShiftOptions = 126,
};

// Field ids, per table (struct named as the schema's table), in their own namespace: Kiln's host code has
// its own tflite::Model, Tensor and Operator.
namespace fields {

// The structural tables.
struct Model {
  enum Field { kVersion = 0, kOperatorCodes = 1, kSubgraphs = 2, kDescription = 3, kBuffers = 4 };
};
struct OperatorCode {
  // deprecated_builtin_code is an int8 (codes below 127); builtin_code an int32 (the real code, when larger).
  enum Field { kDeprecatedBuiltinCode = 0, kCustomCode = 1, kVersion = 2, kBuiltinCode = 3 };
};
struct SubGraph {
  enum Field { kTensors = 0, kInputs = 1, kOutputs = 2, kOperators = 3, kName = 4 };
};
struct Tensor {
  enum Field { kShape = 0, kType = 1, kBuffer = 2, kName = 3, kQuantization = 4, kIsVariable = 5 };
};
struct QuantizationParameters {
  enum Field {
    kMin = 0,
    kMax = 1,
    kScale = 2,
    kZeroPoint = 3,
    kDetailsType = 4,
    kDetails = 5,
    kQuantizedDimension = 6
  };
};
struct Operator {
  enum Field { kOpcodeIndex = 0, kInputs = 1, kOutputs = 2, kBuiltinOptionsType = 3, kBuiltinOptions = 4 };
};
struct Buffer {
  // data is force_align 16; offset/size (uint64) locate data stored after the FlatBuffer (models > 2 GB).
  enum Field { kData = 0, kOffset = 1, kSize = 2 };
};

// The options tables Kiln reads or writes.
struct Conv2DOptions {
  enum Field {
    kPadding = 0,
    kStrideW = 1,
    kStrideH = 2,
    kFusedActivationFunction = 3,
    kDilationWFactor = 4,  // default 1
    kDilationHFactor = 5   // default 1
  };
};
struct DepthwiseConv2DOptions {
  enum Field {
    kPadding = 0,
    kStrideW = 1,
    kStrideH = 2,
    kDepthMultiplier = 3,
    kFusedActivationFunction = 4,
    kDilationWFactor = 5,  // default 1
    kDilationHFactor = 6   // default 1
  };
};
struct Pool2DOptions {
  enum Field {
    kPadding = 0,
    kStrideW = 1,
    kStrideH = 2,
    kFilterWidth = 3,
    kFilterHeight = 4,
    kFusedActivationFunction = 5
  };
};
struct FullyConnectedOptions {
  enum Field {
    kFusedActivationFunction = 0,
    kWeightsFormat = 1,
    kKeepNumDims = 2,
    kAsymmetricQuantizeInputs = 3
  };
};
struct SoftmaxOptions {
  enum Field { kBeta = 0 };
};
struct ConcatenationOptions {
  enum Field { kAxis = 0, kFusedActivationFunction = 1 };
};
struct AddOptions {
  enum Field { kFusedActivationFunction = 0, kPotScaleInt16 = 1 };
};
struct MulOptions {
  enum Field { kFusedActivationFunction = 0 };
};
struct ReshapeOptions {
  enum Field { kNewShape = 0 };
};
struct ReducerOptions {
  enum Field { kKeepDims = 0 };
};
struct SqueezeOptions {
  enum Field { kSqueezeDims = 0 };
};
struct LeakyReluOptions {
  enum Field { kAlpha = 0 };
};

}  // namespace fields

}  // namespace tflite
}  // namespace kiln

#endif  // KILN_TFLITE_SCHEMA_H
