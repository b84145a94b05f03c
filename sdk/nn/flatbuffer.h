// Bounds-checked reading of FlatBuffer tables, vectors and strings from untrusted bytes. Every accessor
// checks what it touches against the buffer and reports failure instead of reading out of bounds; positions
// are byte offsets from the start of the buffer.
#ifndef KILN_NN_FLATBUFFER_H
#define KILN_NN_FLATBUFFER_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

namespace kiln {
namespace nn {

class FlatBuffer {
 public:
  FlatBuffer() : data_(0), size_(0) {}
  FlatBuffer(const uint8_t* data, size_t size) : data_(data), size_(size) {}

  bool has(uint32_t pos, uint32_t bytes) const { return pos <= size_ && bytes <= size_ - pos; }
  uint32_t u32(uint32_t pos) const {
    uint32_t v;
    memcpy(&v, data_ + pos, 4);
    return v;
  }
  uint16_t u16(uint32_t pos) const {
    uint16_t v;
    memcpy(&v, data_ + pos, 2);
    return v;
  }
  const uint8_t* at(uint32_t pos) const { return data_ + pos; }
  size_t size() const { return size_; }

  // Follows the uoffset at pos; false when it leaves the buffer.
  bool deref(uint32_t pos, uint32_t* target) const {
    if (!has(pos, 4)) return false;
    const uint64_t t = static_cast<uint64_t>(pos) + u32(pos);
    if (t >= size_) return false;
    *target = static_cast<uint32_t>(t);
    return true;
  }

  // A table at pos: checks the table's vtable. Returns false when malformed.
  bool table(uint32_t pos, uint32_t* vtable, uint16_t* vtable_size) const {
    if (!has(pos, 4) || (pos & 3) != 0) return false;
    int32_t soff;
    memcpy(&soff, data_ + pos, 4);
    const int64_t vt = static_cast<int64_t>(pos) - soff;
    if (vt < 0 || vt > static_cast<int64_t>(size_) || (vt & 1) != 0) return false;
    if (!has(static_cast<uint32_t>(vt), 4)) return false;
    const uint16_t vsize = u16(static_cast<uint32_t>(vt));
    const uint16_t tsize = u16(static_cast<uint32_t>(vt) + 2);
    if (vsize < 4 || (vsize & 1) != 0 || !has(static_cast<uint32_t>(vt), vsize) || tsize < 4 ||
        !has(pos, tsize))
      return false;
    *vtable = static_cast<uint32_t>(vt);
    *vtable_size = vsize;
    return true;
  }

 private:
  const uint8_t* data_;
  size_t size_;
};

// A checked table: field(i, bytes) gives the position of field i if present and inside the table. It keeps
// its own copy of the buffer view, so it stays valid after the FlatBuffer it came from goes away.
class Table {
 public:
  Table() : fb_(), pos_(0), vtable_(0), vsize_(0), tsize_(0), valid_(false) {}

  bool init(const FlatBuffer& fb, uint32_t pos) {
    fb_ = fb;
    pos_ = pos;
    uint16_t vsize = 0;
    valid_ = false;
    if (!fb.table(pos, &vtable_, &vsize)) return false;
    vsize_ = vsize;
    tsize_ = fb.u16(vtable_ + 2);
    valid_ = true;
    return true;
  }
  bool valid() const { return valid_; }

  // 0 when absent; otherwise the absolute position. *bad is set when the field sticks out of the table.
  uint32_t field(int index, uint32_t bytes, bool* bad) const {
    const uint32_t entry = 4 + 2 * static_cast<uint32_t>(index);
    if (entry + 2 > vsize_) return 0;
    const uint16_t off = fb_.u16(vtable_ + entry);
    if (off == 0) return 0;
    if (static_cast<uint32_t>(off) + bytes > tsize_) {
      *bad = true;
      return 0;
    }
    return pos_ + off;
  }

  // Scalars with defaults.
  int32_t i32(int index, int32_t def, bool* bad) const {
    const uint32_t p = field(index, 4, bad);
    if (!p) return def;
    int32_t v;
    memcpy(&v, fb_.at(p), 4);
    return v;
  }
  uint32_t u32(int index, uint32_t def, bool* bad) const {
    const uint32_t p = field(index, 4, bad);
    return p ? fb_.u32(p) : def;
  }
  int32_t i8(int index, int32_t def, bool* bad) const {
    const uint32_t p = field(index, 1, bad);
    return p ? static_cast<int8_t>(*fb_.at(p)) : def;
  }
  uint32_t u8(int index, uint32_t def, bool* bad) const {
    const uint32_t p = field(index, 1, bad);
    return p ? *fb_.at(p) : def;
  }
  float f32(int index, float def, bool* bad) const {
    const uint32_t p = field(index, 4, bad);
    if (!p) return def;
    float v;
    memcpy(&v, fb_.at(p), 4);
    return v;
  }
  uint64_t u64(int index, uint64_t def, bool* bad) const {
    const uint32_t p = field(index, 8, bad);
    if (!p) return def;
    uint64_t v;
    memcpy(&v, fb_.at(p), 8);
    return v;
  }

  // Referenced vector: position of element 0 and length, elements of elem_size bytes all inside the buffer.
  // Returns false only when the vector is present but malformed (absent: *count = 0, true).
  bool vector(int index, uint32_t elem_size, uint32_t* elements, uint32_t* count) const {
    bool bad = false;
    *elements = 0;
    *count = 0;
    const uint32_t p = field(index, 4, &bad);
    if (bad) return false;
    if (!p) return true;
    uint32_t v;
    if (!fb_.deref(p, &v) || !fb_.has(v, 4) || (v & 3) != 0) return false;
    const uint32_t n = fb_.u32(v);
    if (elem_size && static_cast<uint64_t>(n) * elem_size > fb_.size()) return false;
    if (!fb_.has(v + 4, n * elem_size)) return false;
    *elements = v + 4;
    *count = n;
    return true;
  }

  // Referenced sub-table (false when present and malformed; absent gives an invalid *out and true).
  bool subtable(int index, Table* out) const {
    bool bad = false;
    const uint32_t p = field(index, 4, &bad);
    if (bad) return false;
    if (!p) {
      *out = Table();
      return true;
    }
    uint32_t t;
    if (!fb_.deref(p, &t)) return false;
    return out->init(fb_, t);
  }

 private:
  FlatBuffer fb_;
  uint32_t pos_;
  uint32_t vtable_;
  uint32_t vsize_;
  uint32_t tsize_;
  bool valid_;
};

// Element i of a vector of tables.
inline bool vector_table(const FlatBuffer& fb, uint32_t elements, uint32_t i, Table* out) {
  uint32_t t;
  if (!fb.deref(elements + 4 * i, &t)) return false;
  return out->init(fb, t);
}

}  // namespace nn
}  // namespace kiln

#endif  // KILN_NN_FLATBUFFER_H
