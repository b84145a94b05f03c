#include "data/sample_hash.h"

#include <bit>
#include <cstdint>

#include "data/sha256.h"

namespace kiln {

// The bytes hashed are the in-memory representation; Kiln runs on little-endian hosts (x86-64, AArch64).
static_assert(std::endian::native == std::endian::little, "sample hashes assume a little-endian host");

std::string sample_content_hash(const SampleData& data) {
  Sha256 h;
  h.update(data.values.data(), data.values.size() * sizeof(float));
  const std::int32_t axes = data.axes;
  h.update(&axes, sizeof axes);
  const double frequency = data.frequency;
  h.update(&frequency, sizeof frequency);
  if (data.width > 0) {  // an image: its shape too (32 x 48 and 48 x 32 of the same pixels differ)
    const std::int32_t size[2] = {data.width, data.height};
    h.update(size, sizeof size);
  }
  return h.hex_digest();
}

}  // namespace kiln
