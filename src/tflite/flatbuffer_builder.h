// A small FlatBuffer writer: enough to write a .tflite file (tables with scalar and offset fields, vectors of
// scalars, of tables and strings). Objects are described first, then laid out front to back by finish():
// every object is written after the one that refers to it, so every uoffset is positive as the format
// requires, and each vtable sits just before its table.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

namespace kiln::fb {

class Builder {
 public:
  using Ref = int;  // an object described to this builder

  Ref table();
  // Scalar fields; `id` is the field's position in the schema (0-based).
  void add_u8(Ref table, int id, std::uint8_t v) { add_scalar(table, id, &v, 1); }
  void add_i8(Ref table, int id, std::int8_t v) { add_scalar(table, id, &v, 1); }
  void add_bool(Ref table, int id, bool v) { add_u8(table, id, v ? 1 : 0); }
  void add_i32(Ref table, int id, std::int32_t v) { add_scalar(table, id, &v, 4); }
  void add_u32(Ref table, int id, std::uint32_t v) { add_scalar(table, id, &v, 4); }
  void add_f32(Ref table, int id, float v) { add_scalar(table, id, &v, 4); }
  void add_u64(Ref table, int id, std::uint64_t v) { add_scalar(table, id, &v, 8); }
  // An offset field to another object (table, vector or string). Each object is referred to once.
  void add_ref(Ref table, int id, Ref child);

  // Vectors of little-endian scalars; `align` >= the element size aligns element 0 further (TFLite buffers
  // are 16-byte aligned).
  Ref vector_bytes(const void* data, std::size_t count, std::size_t elem_size, std::size_t align = 0);
  Ref vector_i32(const std::vector<std::int32_t>& v) { return vector_bytes(v.data(), v.size(), 4); }
  Ref vector_f32(const std::vector<float>& v) { return vector_bytes(v.data(), v.size(), 4); }
  Ref vector_i64(const std::vector<std::int64_t>& v) { return vector_bytes(v.data(), v.size(), 8); }
  Ref vector_refs(const std::vector<Ref>& children);
  Ref string(std::string_view s);

  // The finished buffer: root offset, optional 4-byte file identifier, then every object reachable from
  // root.
  std::vector<std::uint8_t> finish(Ref root, const char* file_identifier);

 private:
  enum class Kind { table, scalars, refs, string };
  struct Field {
    int id = 0;
    int size = 0;  // bytes inline in the table (4 for offsets)
    std::uint64_t value = 0;
    Ref child = -1;
    std::size_t offset = 0;  // inside the table, set at layout
  };
  struct Node {
    Kind kind = Kind::table;
    std::vector<Field> fields;       // table
    std::vector<std::uint8_t> data;  // scalars, string
    std::size_t count = 0;           // scalars
    std::size_t align = 4;           // scalars: alignment of element 0
    std::vector<Ref> refs;           // refs
    bool used = false;
  };

  void add_scalar(Ref table, int id, const void* bytes, int size);
  Ref add_node(Node n);
  std::uint32_t write(Ref ref);
  std::uint32_t write_table(Node& n);
  void pad_to(std::size_t align, std::size_t ahead = 0);  // until (size + ahead) % align == 0
  void put(const void* bytes, std::size_t n);
  void patch_offset(std::size_t at, std::uint32_t target);

  std::vector<Node> nodes_;
  std::vector<std::uint8_t> out_;
};

}  // namespace kiln::fb
