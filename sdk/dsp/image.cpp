#include "dsp/no_fp_contract.h"  // first: it must precede every function

#include "dsp/image.h"

#include <limits.h>

#include "nn/quantize.h"

namespace kiln {
namespace dsp {
namespace {

const size_t kChunkPixels = 64;  // pixels read per get_data call (on the stack: 256 bytes)

// A scaling as (multiplier * v - offset) / divisor for a channel value v in 0..255: exact integers, so one
// float division gives the nearest float to the exact value.
struct ScaleTerms {
  int32_t multiplier, offset, divisor;
};

ScaleTerms scale_terms(ImageScaling scaling) {
  switch (scaling) {
    case kImageScale0To255:
      return {1, 0, 1};
    case kImageScaleMinus128To127:
      return {1, 128, 1};
    case kImageScaleMinus1To1:
      return {2, 255, 255};  // v / 127.5 - 1
    case kImageScale0To1:
      break;
  }
  return {1, 0, 255};
}

float channel_value(const ScaleTerms& t, int32_t v) {
  return static_cast<float>(t.multiplier * v - t.offset) / static_cast<float>(t.divisor);
}

bool known_scaling(ImageScaling scaling) {
  return scaling == kImageScale0To1 || scaling == kImageScale0To255 || scaling == kImageScaleMinus1To1 ||
         scaling == kImageScaleMinus128To127;
}

// The packed value of a pixel float: its integer part clamped to [0, 0xFFFFFF] (negative and NaN as 0).
uint32_t packed_pixel(float v) {
  if (!(v > 0.0f)) return 0;
  if (v >= 16777215.0f) return 0xFFFFFFu;
  return static_cast<uint32_t>(v);
}

// Validation, the shape and the output room for a run over `signal`.
Status check_run(const ImageParams& p, double fs, int axes, const kiln_signal& signal, size_t out_capacity,
                 FeatureShape* shape) {
  if (!signal.get_data) return kNullArgument;
  Status status = image_output_shape(p, fs, axes, signal.total_length, shape);
  if (status != kOk) return status;
  if (static_cast<size_t>(shape->frames) * static_cast<size_t>(shape->values) > out_capacity) {
    return kOutputTooSmall;
  }
  return kOk;
}

// Calls emit(values, count) for each pixel of the signal in order.
template <typename Emit>
Status for_each_pixel(ImageChannels channels, ImageScaling scaling, const kiln_signal& signal, Emit emit) {
  float chunk[kChunkPixels];
  float values[3];
  for (size_t offset = 0; offset < signal.total_length; offset += kChunkPixels) {
    const size_t left = signal.total_length - offset;
    const size_t n = left < kChunkPixels ? left : kChunkPixels;
    if (signal.get_data(signal.ctx, offset, n, chunk) != 0) return kSignalReadFailed;
    for (size_t i = 0; i < n; ++i) {
      emit(values, image_pixel_values(channels, scaling, packed_pixel(chunk[i]), values));
    }
  }
  return kOk;
}

int buffer_get_data(void* ctx, size_t offset, size_t length, float* out) {
  const ImageBuffer* b = static_cast<const ImageBuffer*>(ctx);
  if (!b || !b->pixels || b->width < 1 || b->height < 1 || (b->channels != 1 && b->channels != 3)) return -1;
  const size_t pixels = static_cast<size_t>(b->width) * static_cast<size_t>(b->height);
  if (offset > pixels || length > pixels - offset) return -1;
  const uint8_t* p = b->pixels + offset * static_cast<size_t>(b->channels);
  for (size_t i = 0; i < length; ++i) {
    uint32_t rgb;
    if (b->channels == 3) {
      rgb = (static_cast<uint32_t>(p[0]) << 16) | (static_cast<uint32_t>(p[1]) << 8) | p[2];
      p += 3;
    } else {
      rgb = static_cast<uint32_t>(*p++) * 0x010101u;
    }
    out[i] = static_cast<float>(rgb);  // below 2^24: exact
  }
  return 0;
}

}  // namespace

ImageParams image_default_params(int width, int height) {
  ImageParams p;
  p.channels = kImageRgb;
  p.scaling = kImageScale0To1;
  p.width = width;
  p.height = height;
  return p;
}

int image_values_per_pixel(ImageChannels channels) {
  switch (channels) {
    case kImageRgb:
      return 3;
    case kImageGrayscale:
      return 1;
  }
  return 0;
}

Status image_validate(const ImageParams& p, double, int axes) {
  if (image_values_per_pixel(p.channels) == 0) return kBadImageChannels;
  if (!known_scaling(p.scaling)) return kBadImageScaling;
  if (p.width < 1 || p.width > kImageMaxSide || p.height < 1 || p.height > kImageMaxSide)
    return kBadImageSize;
  if (axes != 1) return kBadAxes;
  return kOk;
}

Status image_output_shape(const ImageParams& p, double fs, int axes, size_t samples_per_axis,
                          FeatureShape* shape) {
  if (!shape) return kNullArgument;
  Status status = image_validate(p, fs, axes);
  if (status != kOk) return status;
  if (samples_per_axis == 0) return kSignalTooShort;
  const size_t pixels = static_cast<size_t>(p.width) * static_cast<size_t>(p.height);
  if (samples_per_axis % pixels != 0) return kSignalLengthMismatch;
  const size_t values = pixels * static_cast<size_t>(image_values_per_pixel(p.channels));
  const size_t frames = samples_per_axis / pixels;
  if (values > static_cast<size_t>(INT_MAX) || frames > static_cast<size_t>(INT_MAX) / values) {
    return kSignalTooLong;
  }
  shape->frames = static_cast<int>(frames);
  shape->values = static_cast<int>(values);
  return kOk;
}

size_t image_scratch_bytes(const ImageParams&, double, int, size_t) {
  return 0;
}

int image_pixel_values(ImageChannels channels, ImageScaling scaling, uint32_t rgb, float* values) {
  const ScaleTerms t = scale_terms(scaling);
  const int32_t r = static_cast<int32_t>((rgb >> 16) & 0xFFu), g = static_cast<int32_t>((rgb >> 8) & 0xFFu),
                b = static_cast<int32_t>(rgb & 0xFFu);
  if (channels == kImageGrayscale) {
    // 0.299 R + 0.587 G + 0.114 B as the exact integer 1000 x luma (at most 255000), scaled like a channel
    // value with everything times 1000: one exact numerator, one division.
    const int32_t luma1000 = 299 * r + 587 * g + 114 * b;
    values[0] =
        static_cast<float>(t.multiplier * luma1000 - 1000 * t.offset) / static_cast<float>(1000 * t.divisor);
    return 1;
  }
  values[0] = channel_value(t, r);
  values[1] = channel_value(t, g);
  values[2] = channel_value(t, b);
  return 3;
}

Status image_run(const ImageParams& p, double fs, int axes, const kiln_signal& signal, void*, size_t,
                 float* out, size_t out_capacity) {
  if (!out) return kNullArgument;
  FeatureShape shape;
  Status status = check_run(p, fs, axes, signal, out_capacity, &shape);
  if (status != kOk) return status;
  return for_each_pixel(p.channels, p.scaling, signal, [&](const float* values, int count) {
    for (int i = 0; i < count; ++i) *out++ = values[i];
  });
}

Status image_run_s8(const ImageParams& p, double fs, int axes, const kiln_signal& signal, void*, size_t,
                    float scale, int32_t zero_point, int8_t* out, size_t out_capacity) {
  if (!out) return kNullArgument;
  FeatureShape shape;
  Status status = check_run(p, fs, axes, signal, out_capacity, &shape);
  if (status != kOk) return status;
  // The 256 possible channel values quantize to 256 int8 values: a table makes each pixel three lookups
  // instead of three float divisions and roundings (RGB). Grayscale has 255001 possible lumas: no table.
  if (p.channels == kImageRgb) {
    const ScaleTerms terms = scale_terms(p.scaling);
    int8_t table[256];
    for (int v = 0; v < 256; ++v) table[v] = nn::quantize_s8(channel_value(terms, v), scale, zero_point);
    float chunk[kChunkPixels];
    for (size_t offset = 0; offset < signal.total_length; offset += kChunkPixels) {
      const size_t left = signal.total_length - offset;
      const size_t n = left < kChunkPixels ? left : kChunkPixels;
      if (signal.get_data(signal.ctx, offset, n, chunk) != 0) return kSignalReadFailed;
      for (size_t i = 0; i < n; ++i) {
        const uint32_t rgb = packed_pixel(chunk[i]);
        *out++ = table[(rgb >> 16) & 0xFFu];
        *out++ = table[(rgb >> 8) & 0xFFu];
        *out++ = table[rgb & 0xFFu];
      }
    }
    return kOk;
  }
  return for_each_pixel(p.channels, p.scaling, signal, [&](const float* values, int count) {
    for (int i = 0; i < count; ++i) *out++ = nn::quantize_s8(values[i], scale, zero_point);
  });
}

kiln_signal image_buffer_signal(const ImageBuffer* buffer) {
  kiln_signal s;
  s.total_length = buffer && buffer->width > 0 && buffer->height > 0
                       ? static_cast<size_t>(buffer->width) * static_cast<size_t>(buffer->height)
                       : 0;
  s.get_data = buffer_get_data;
  s.ctx = const_cast<ImageBuffer*>(buffer);
  return s;
}

}  // namespace dsp
}  // namespace kiln
