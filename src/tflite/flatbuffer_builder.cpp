#include "tflite/flatbuffer_builder.h"

#include <algorithm>
#include <cstring>
#include <stdexcept>

namespace kiln::fb {

Builder::Ref Builder::add_node(Node n) {
  nodes_.push_back(std::move(n));
  return static_cast<Ref>(nodes_.size() - 1);
}

Builder::Ref Builder::table() {
  return add_node(Node{});
}

void Builder::add_scalar(Ref table, int id, const void* bytes, int size) {
  Field f;
  f.id = id;
  f.size = size;
  std::memcpy(&f.value, bytes, static_cast<std::size_t>(size));
  nodes_.at(static_cast<std::size_t>(table)).fields.push_back(f);
}

void Builder::add_ref(Ref table, int id, Ref child) {
  Field f;
  f.id = id;
  f.size = 4;
  f.child = child;
  nodes_.at(static_cast<std::size_t>(table)).fields.push_back(f);
}

Builder::Ref Builder::vector_bytes(const void* data, std::size_t count, std::size_t elem_size,
                                   std::size_t align) {
  Node n;
  n.kind = Kind::scalars;
  n.count = count;
  n.align = std::max<std::size_t>({4, elem_size, align});
  const auto* p = static_cast<const std::uint8_t*>(data);
  n.data.assign(p, p + count * elem_size);
  return add_node(std::move(n));
}

Builder::Ref Builder::vector_refs(const std::vector<Ref>& children) {
  Node n;
  n.kind = Kind::refs;
  n.refs = children;
  return add_node(std::move(n));
}

Builder::Ref Builder::string(std::string_view s) {
  Node n;
  n.kind = Kind::string;
  n.data.assign(s.begin(), s.end());
  return add_node(std::move(n));
}

void Builder::pad_to(std::size_t align, std::size_t ahead) {
  while ((out_.size() + ahead) % align != 0) out_.push_back(0);
}

void Builder::put(const void* bytes, std::size_t n) {
  const auto* p = static_cast<const std::uint8_t*>(bytes);
  out_.insert(out_.end(), p, p + n);
}

void Builder::patch_offset(std::size_t at, std::uint32_t target) {
  const std::uint32_t rel = target - static_cast<std::uint32_t>(at);
  std::memcpy(out_.data() + at, &rel, 4);
}

std::uint32_t Builder::write_table(Node& n) {
  // Inline layout: the vtable soffset, then fields by decreasing size so each is naturally aligned once the
  // table start is aligned to the largest.
  std::vector<Field*> order;
  int max_id = -1;
  std::size_t table_align = 4;
  for (Field& f : n.fields) {
    order.push_back(&f);
    max_id = std::max(max_id, f.id);
    table_align = std::max<std::size_t>(table_align, static_cast<std::size_t>(f.size));
  }
  std::stable_sort(order.begin(), order.end(),
                   [](const Field* a, const Field* b) { return a->size > b->size; });
  std::size_t size = 4;
  for (Field* f : order) {
    const auto s = static_cast<std::size_t>(f->size);
    size = (size + s - 1) / s * s;
    f->offset = size;
    size += s;
  }
  const std::size_t vtable_entries = static_cast<std::size_t>(max_id + 1);
  const std::size_t vtable_size = 4 + 2 * vtable_entries;
  if (size > 0xFFFF || vtable_size > 0xFFFF) throw std::length_error("flatbuffer table too large");

  pad_to(2);
  const std::size_t vtable_pos = out_.size();
  std::vector<std::uint16_t> vtable(2 + vtable_entries, 0);
  vtable[0] = static_cast<std::uint16_t>(vtable_size);
  vtable[1] = static_cast<std::uint16_t>(size);
  for (const Field& f : n.fields) {
    if (vtable[2 + static_cast<std::size_t>(f.id)] != 0) throw std::logic_error("flatbuffer field set twice");
    vtable[2 + static_cast<std::size_t>(f.id)] = static_cast<std::uint16_t>(f.offset);
  }
  put(vtable.data(), vtable.size() * 2);

  pad_to(table_align);
  const std::size_t table_pos = out_.size();
  out_.resize(table_pos + size, 0);
  const auto soffset = static_cast<std::int32_t>(table_pos - vtable_pos);
  std::memcpy(out_.data() + table_pos, &soffset, 4);
  for (const Field& f : n.fields) {
    if (f.child < 0)
      std::memcpy(out_.data() + table_pos + f.offset, &f.value, static_cast<std::size_t>(f.size));
  }
  // Children after the table (write() adds no nodes, so `n` stays valid while it recurses).
  std::vector<std::pair<std::size_t, Ref>> children;
  for (const Field& f : n.fields)
    if (f.child >= 0) children.emplace_back(table_pos + f.offset, f.child);
  for (const auto& [at, child] : children) patch_offset(at, write(child));
  return static_cast<std::uint32_t>(table_pos);
}

std::uint32_t Builder::write(Ref ref) {
  Node& n = nodes_.at(static_cast<std::size_t>(ref));
  if (n.used) throw std::logic_error("flatbuffer object referred to twice");
  n.used = true;
  switch (n.kind) {
    case Kind::table:
      return write_table(n);
    case Kind::scalars: {
      pad_to(n.align, 4);
      const auto pos = static_cast<std::uint32_t>(out_.size());
      const auto count = static_cast<std::uint32_t>(n.count);
      put(&count, 4);
      put(n.data.data(), n.data.size());
      return pos;
    }
    case Kind::string: {
      pad_to(4);
      const auto pos = static_cast<std::uint32_t>(out_.size());
      const auto len = static_cast<std::uint32_t>(n.data.size());
      put(&len, 4);
      put(n.data.data(), n.data.size());
      out_.push_back(0);
      return pos;
    }
    case Kind::refs: {
      pad_to(4);
      const auto pos = static_cast<std::uint32_t>(out_.size());
      const std::vector<Ref> refs = n.refs;
      const auto count = static_cast<std::uint32_t>(refs.size());
      put(&count, 4);
      out_.resize(out_.size() + 4 * refs.size(), 0);
      for (std::size_t i = 0; i < refs.size(); ++i) patch_offset(pos + 4 + 4 * i, write(refs[i]));
      return pos;
    }
  }
  return 0;
}

std::vector<std::uint8_t> Builder::finish(Ref root, const char* file_identifier) {
  out_.assign(8, 0);
  if (file_identifier) std::memcpy(out_.data() + 4, file_identifier, 4);
  patch_offset(0, write(root));
  pad_to(16);
  for (Node& n : nodes_) n.used = false;
  return std::move(out_);
}

}  // namespace kiln::fb
