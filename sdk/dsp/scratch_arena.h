// Carves typed arrays out of one block of caller-provided memory: the SDK never allocates. A
// *_scratch_bytes() query adds ScratchArena::bytes_for<T>(count) for every array its function later takes,
// which covers the worst case alignment padding whatever the alignment of the caller's block.
#ifndef KILN_DSP_SCRATCH_ARENA_H
#define KILN_DSP_SCRATCH_ARENA_H

#include <stddef.h>
#include <stdint.h>

namespace kiln {
namespace dsp {

class ScratchArena {
 public:
  ScratchArena(void* memory, size_t bytes)
      : next_(static_cast<unsigned char*>(memory)), left_(memory ? bytes : 0) {}

  template <typename T>
  static size_t bytes_for(size_t count) {
    return count * sizeof(T) + alignof(T) - 1;
  }

  // Returns null when the request does not fit; the arena is then unchanged.
  template <typename T>
  T* take(size_t count) {
    size_t pad = (alignof(T) - reinterpret_cast<uintptr_t>(next_) % alignof(T)) % alignof(T);
    size_t need = count * sizeof(T);
    if (pad > left_ || need > left_ - pad) return 0;
    T* out = reinterpret_cast<T*>(next_ + pad);
    next_ += pad + need;
    left_ -= pad + need;
    return out;
  }

 private:
  unsigned char* next_;
  size_t left_;
};

}  // namespace dsp
}  // namespace kiln

#endif  // KILN_DSP_SCRATCH_ARENA_H
