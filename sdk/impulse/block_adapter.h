// The adapters every table entry needs, for a block that keeps the contract of sdk/dsp (functions taking
// (const Params&, sampling_frequency, axes, ...)): each casts the entry's `const void*` back to the block's
// struct and calls the block. An entry is then its parameter table plus
//   typedef BlockAdapter<FlattenParams, flatten_default_params, flatten_validate, ...> A;
//   const BlockSpec kFlattenBlock = A::spec("flatten", "ei-1", kParams, status_param);
// (constexpr, so the entry is a constant in flash, not initialized at start-up).
#ifndef KILN_IMPULSE_BLOCK_ADAPTER_H
#define KILN_IMPULSE_BLOCK_ADAPTER_H

#include <stddef.h>
#include <stdint.h>

#include "dsp/feature_shape.h"
#include "dsp/status.h"
#include "impulse/block.h"
#include "kiln/signal.h"

namespace kiln {
namespace impulse {

template <typename P, P (*Defaults)(), dsp::Status (*Validate)(const P&, double, int),
          dsp::Status (*Shape)(const P&, double, int, size_t, dsp::FeatureShape*),
          size_t (*Scratch)(const P&, double, int, size_t),
          dsp::Status (*Run)(const P&, double, int, const kiln_signal&, void*, size_t, float*, size_t),
          size_t (*ScratchS8)(const P&, double, int, size_t),
          dsp::Status (*RunS8)(const P&, double, int, const kiln_signal&, void*, size_t, float, int32_t,
                               int8_t*, size_t)>
struct BlockAdapter {
  static const P& of(const void* params) { return *static_cast<const P*>(params); }
  static void set_defaults(void* params) { *static_cast<P*>(params) = Defaults(); }
  static dsp::Status validate(const void* params, double frequency, int axes) {
    return Validate(of(params), frequency, axes);
  }
  static dsp::Status output_shape(const void* params, double frequency, int axes, size_t samples,
                                  dsp::FeatureShape* shape) {
    const dsp::Status status = Validate(of(params), frequency, axes);
    return status != dsp::kOk ? status : Shape(of(params), frequency, axes, samples, shape);
  }
  static size_t scratch_bytes(const void* params, double frequency, int axes, size_t samples) {
    return Scratch(of(params), frequency, axes, samples);
  }
  static dsp::Status run(const void* params, double frequency, int axes, const kiln_signal& signal,
                         void* scratch, size_t bytes, float* out, size_t capacity) {
    return Run(of(params), frequency, axes, signal, scratch, bytes, out, capacity);
  }
  static size_t scratch_bytes_s8(const void* params, double frequency, int axes, size_t samples) {
    return ScratchS8(of(params), frequency, axes, samples);
  }
  static dsp::Status run_s8(const void* params, double frequency, int axes, const kiln_signal& signal,
                            void* scratch, size_t bytes, float scale, int32_t zero_point, int8_t* out,
                            size_t capacity) {
    return RunS8(of(params), frequency, axes, signal, scratch, bytes, scale, zero_point, out, capacity);
  }
  // The entry, without and with names of an older version to accept and ignore.
  template <size_t N>
  static constexpr BlockSpec spec(const char* name, const char* version, const ParamSpec (&params)[N],
                                  const char* (*status_param)(dsp::Status)) {
    return BlockSpec{name,
                     version,
                     params,
                     static_cast<int>(N),
                     0,
                     0,
                     sizeof(P),
                     set_defaults,
                     validate,
                     output_shape,
                     scratch_bytes,
                     run,
                     scratch_bytes_s8,
                     run_s8,
                     status_param};
  }
  template <size_t N, size_t M>
  static constexpr BlockSpec spec(const char* name, const char* version, const ParamSpec (&params)[N],
                                  const char* const (&ignored)[M], const char* (*status_param)(dsp::Status)) {
    return BlockSpec{
        name,         version,  params,       static_cast<int>(N), ignored, static_cast<int>(M), sizeof(P),
        set_defaults, validate, output_shape, scratch_bytes,       run,     scratch_bytes_s8,    run_s8,
        status_param};
  }
};

}  // namespace impulse
}  // namespace kiln

#endif  // KILN_IMPULSE_BLOCK_ADAPTER_H
