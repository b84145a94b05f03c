#include "project/impulse_toml.h"

#include <toml++/toml.h>
#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <set>
#include <sstream>

#include "core/closest_name.h"
#include "core/error.h"
#include "core/escape.h"
#include "core/names.h"
#include "core/number_text.h"
#include "core/quote.h"
#include "data/image_sample.h"
#include "dsp/image.h"
#include "impulse/dsp_block.h"

namespace kiln {
namespace {

// toml++ parses recursively, so a key of 100,000 dotted parts (a.a.a...) or arrays and inline tables nested
// 100,000 deep overflow the stack before it can report anything. No kiln.toml needs more than a few of
// either, so the text is checked first, with the line to blame.
//
// The same scan refuses non-ASCII text wherever toml++ 3.3 would ask whether it is whitespace: outside
// strings and comments, and after a backslash in a multi-line string. That question is undefined behaviour
// for U+00A1..U+0499 and U+FD06..U+FEFE (__builtin_unreachable; marzer/tomlplusplus issues 190 and 295). TOML
// allows non-ASCII text only in strings and comments anyway. For that the scan follows TOML's structure as
// toml++ reads it: a quote opens a string only where a string may start (after = [ { , or at a line start,
// and after a '.' in a key); a value that is not a string, array or inline table (a number, boolean or date)
// runs to the next whitespace , ] } or #, whatever it holds (toml++ reads 0{{'... as one bad value).
constexpr std::size_t kMaxTomlNesting = 16;
constexpr int kMaxTomlKeyParts = 16;

void prescan_toml(std::string_view text, const std::string& file) {
  if (text.size() > kMaxImpulseTomlBytes) {
    throw Error(file + ": " + std::to_string(text.size()) + " bytes, more than the " +
                std::to_string(kMaxImpulseTomlBytes) + " a kiln.toml may have (is it the right file?)");
  }
  int line = 1;
  int parts = 1;  // of the key being read: every '.' since the last = , [ ] { } or line end
  const auto fail = [&](const std::string& what) {
    throw Error(file + ":" + std::to_string(line) + ": " + what);
  };
  const auto non_ascii = [](char c) { return static_cast<unsigned char>(c) >= 0x80; };
  const auto ends_bare_value = [](char c) {
    return std::string_view(" \t\r\n,]}#").find(c) != std::string_view::npos;
  };

  char prev = '\n';  // the last character outside strings and comments that is not a space or tab
  std::string open;  // '[' and '{' still open, innermost last
  bool key = true;   // a key is being read: at a line start, in a table header, in an inline table before '='
  bool value = false;  // a value starts at the next character
  // A UTF-8 byte order mark (some editors write one) is allowed at the start.
  for (std::size_t i = text.substr(0, 3) == "\xEF\xBB\xBF" ? 3 : 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == ' ' || c == '\t' || c == '\r') continue;
    if (c == '#') {  // comments are transparent
      while (i + 1 < text.size() && text[i + 1] != '\n') ++i;
      continue;
    }
    const char before = prev;
    prev = c;
    const bool value_here = value;
    value = false;
    if (value_here && c != '\n' && c != '"' && c != '\'' && c != '[' && c != '{' && !ends_bare_value(c)) {
      for (; i < text.size() && !ends_bare_value(text[i]); ++i) {
        if (non_ascii(text[i])) fail("a non-ASCII character outside a string or comment");
      }
      --i;  // the character that ends the value is handled as usual
    } else if (c == '\n') {
      ++line;
      parts = 1;
      key = open.empty();
      value = value_here;  // a value may follow on the next line inside an array
    } else if ((c == '"' || c == '\'') &&
               (std::string_view("\n=[{,").find(before) != std::string_view::npos ||
                (before == '.' && key))) {
      const bool multiline = text.substr(i, 3) == std::string(3, c);
      const bool escapes = c == '"';
      i += multiline ? 3 : 1;
      for (; i < text.size(); ++i) {
        if (text[i] == '\n') {
          if (!multiline) break;  // unterminated: toml++ reports it; the line end is counted above
          ++line;
        } else if (escapes && text[i] == '\\') {
          // After a backslash toml++ asks about the next character, and in a multi-line string about the
          // first one after a line-ending backslash and its whitespace.
          std::size_t k = i + 1;
          while (multiline && k < text.size() &&
                 (text[k] == ' ' || text[k] == '\t' || text[k] == '\r' || text[k] == '\n')) {
            if (text[k] == '\n') ++line;
            ++k;
          }
          if (k < text.size() && non_ascii(text[k])) {
            fail(k == i + 1
                     ? "a backslash before a non-ASCII character (not a TOML escape)"
                     : "a line-ending backslash followed by a non-ASCII character, which the TOML library "
                       "misreads (put an ASCII character first on the line)");
          }
          if (k > i + 1) {
            i = k - 1;  // past the whitespace and line ends of a line-ending backslash
          } else if (k < text.size() && text[k] != '\n') {
            i = k;  // the escaped character; a line end is left to the branch above
          }
        } else if (text[i] == c && (!multiline || text.substr(i, 3) == std::string(3, c))) {
          if (multiline) i += 2;
          // A multi-line string may end with up to two more quotes ("""a"""" is a" + ").
          while (multiline && i + 1 < text.size() && text[i + 1] == c) ++i;
          break;
        }
      }
      if (i < text.size() && text[i] == '\n') --i;  // let the loop count it
    } else if (c == '[' || c == '{') {
      if (open.size() >= kMaxTomlNesting) {
        fail("arrays, inline tables and table headers nested more than " + std::to_string(kMaxTomlNesting) +
             " deep");
      }
      // A table header ([a] or [[a]] at a line start) is a key; an array holds values; an inline table starts
      // with a key.
      key = c == '{' || (key && (open.empty() || before == '['));
      value = c == '[' && !key;
      open += c;
      parts = 1;
    } else if (c == ']' || c == '}') {
      if (!open.empty()) open.pop_back();
      key = false;
      parts = 1;
    } else if (c == '=') {
      key = false;
      value = true;
      parts = 1;
    } else if (c == ',') {
      key = !open.empty() && open.back() == '{';
      value = !open.empty() && open.back() == '[';
      parts = 1;
    } else if (c == '.' && ++parts > kMaxTomlKeyParts) {
      fail("a key of more than " + std::to_string(kMaxTomlKeyParts) + " dotted parts");
    } else if (non_ascii(c)) {
      fail("a non-ASCII character outside a string or comment");
    }
  }
}

// A number node's value. toml++'s value<double>() is empty for integers beyond 2^53 (not exactly a double);
// the nearest double is what a range check needs.
double number_value(const toml::node& n) {
  if (const auto* i = n.as_integer()) return static_cast<double>(i->get());
  return n.value<double>().value_or(0.0);
}

// Reads one TOML table: typed getters mark keys as used; finish() rejects every key nobody asked for.
class TableReader {
 public:
  TableReader(const toml::table* table, std::string name, const std::string& file)
      : table_(table), name_(std::move(name)), file_(file) {}

  bool has(const std::string& key) const { return table_ && table_->contains(key); }

  void get(const std::string& key, double& out, double min, double max) {
    const toml::node* n = node(key);
    if (!n) return;
    if (!n->is_number()) fail(*n, key, "must be a number");
    double v = number_value(*n);
    if (!std::isfinite(v) || v < min || v > max) {
      std::ostringstream range;
      range << "must be between " << min << " and " << max << ", got " << v;
      fail(*n, key, range.str());
    }
    out = v;
  }
  void get(const std::string& key, int& out, int min, int max) {
    const toml::node* n = node(key);
    if (!n) return;
    if (!n->is_integer()) fail(*n, key, "must be a whole number");
    int64_t v = n->value<int64_t>().value();
    if (v < min || v > max) {
      fail(*n, key,
           "must be between " + std::to_string(min) + " and " + std::to_string(max) + ", got " +
               std::to_string(v));
    }
    out = static_cast<int>(v);
  }
  void get(const std::string& key, std::uint64_t& out) {
    const toml::node* n = node(key);
    if (!n) return;
    if (!n->is_integer() || n->value<int64_t>().value() < 0) fail(*n, key, "must be a whole number >= 0");
    out = static_cast<std::uint64_t>(n->value<int64_t>().value());
  }
  void get(const std::string& key, bool& out) {
    const toml::node* n = node(key);
    if (!n) return;
    if (!n->is_boolean()) fail(*n, key, "must be true or false");
    out = n->value<bool>().value();
  }
  void get(const std::string& key, std::string& out, const std::vector<std::string>& allowed) {
    const toml::node* n = node(key);
    if (!n) return;
    if (!n->is_string()) fail(*n, key, "must be a string");
    std::string v = n->value<std::string>().value();
    if (!allowed.empty() && std::find(allowed.begin(), allowed.end(), v) == allowed.end()) {
      std::string list;
      for (const auto& a : allowed) list += (list.empty() ? "" : ", ") + a;
      fail(*n, key, "is " + quote(v) + ", expected one of: " + list + did_you_mean(v, allowed));
    }
    out = v;
  }
  void get(const std::string& key, std::vector<int>& out) {
    const toml::node* n = node(key);
    if (!n) return;
    const toml::array* a = n->as_array();
    if (!a) fail(*n, key, "must be an array of whole numbers");
    out.clear();
    for (const auto& e : *a) {
      if (!e.is_integer()) fail(e, key, "must be an array of whole numbers");
      out.push_back(static_cast<int>(e.value<int64_t>().value()));
    }
  }

  // Every key of the table not read so far, for blocks whose parameters are checked elsewhere.
  std::vector<std::pair<std::string, const toml::node*>> rest() {
    std::vector<std::pair<std::string, const toml::node*>> out;
    if (!table_) return out;
    for (auto&& [k, v] : *table_) {
      if (!used_.count(std::string(k.str()))) {
        used_.insert(std::string(k.str()));
        out.emplace_back(std::string(k.str()), &v);
      }
    }
    return out;
  }

  // Fails on `key` when the table sets it.
  void refuse(const std::string& key, const std::string& what) const {
    if (const toml::node* n = table_ ? table_->get(key) : nullptr) fail(*n, key, what);
  }

  // Rejects unknown keys. `known` lists every valid key of this table, for the suggestion.
  void finish(const std::vector<std::string>& known) const {
    if (!table_) return;
    for (auto&& [k, v] : *table_) {
      std::string key(k.str());
      if (used_.count(key)) continue;
      if (std::find(known.begin(), known.end(), key) != known.end()) {
        fail(v, key, "is not used here");
      }
      throw Error(where(v) + "unknown key " + quote(key) + " in " + name_ + did_you_mean(key, known));
    }
  }

  [[noreturn]] void fail(const toml::node& n, const std::string& key, const std::string& what) const {
    throw Error(where(n) + name_ + "." + terminal_line(key, 60) + " " + what);
  }

 private:
  const toml::node* node(const std::string& key) {
    if (!table_) return nullptr;
    const toml::node* n = table_->get(key);
    if (n) used_.insert(key);
    return n;
  }
  std::string where(const toml::node& n) const {
    return file_ + ":" + std::to_string(n.source().begin.line) + ": ";
  }

  const toml::table* table_;
  std::string name_;
  const std::string& file_;
  std::set<std::string> used_;
};

const std::vector<std::string> kLayerTypes = {"dense",      "conv1d",     "conv2d",     "depthwise_conv2d",
                                              "max_pool1d", "max_pool2d", "avg_pool1d", "avg_pool2d",
                                              "dropout",    "batch_norm", "flatten",    "reshape"};

LayerSpec parse_layer(const toml::table* t, int index, const std::string& file) {
  TableReader r(t, "[[learn.layers]] #" + std::to_string(index + 1), file);
  LayerSpec l;
  if (!r.has("type")) {
    throw Error(file + ":" + std::to_string(t->source().begin.line) + ": [[learn.layers]] #" +
                std::to_string(index + 1) + " has no 'type' (one of dense, conv1d, conv2d, ...)");
  }
  r.get("type", l.type, kLayerTypes);
  bool pool = l.type.find("pool") != std::string::npos;
  if (pool) l.strides = 0;  // 0 = pool_size
  r.get("units", l.units, 1, 1 << 20);
  r.get("filters", l.filters, 1, 1 << 16);
  r.get("kernel_size", l.kernel_size, 1, 1024);
  r.get("strides", l.strides, pool ? 0 : 1, 1024);
  r.get("pool_size", l.pool_size, 1, 1024);
  r.get("depth_multiplier", l.depth_multiplier, 1, 1024);
  r.get("padding", l.padding, {"same", "valid"});
  r.get("activation", l.activation, {"none", "relu", "relu6", "softmax"});
  r.get("rate", l.rate, 0.0, 0.99);
  r.get("shape", l.shape);
  // Keys valid for some layer type but not this one are reported as "not used here".
  std::vector<std::string> keys = layer_keys(l.type);
  keys.push_back("type");
  std::vector<std::string> all = {"type",    "units",     "filters",         "kernel_size",
                                  "strides", "pool_size", "padding",         "activation",
                                  "rate",    "shape",     "depth_multiplier"};
  for (const auto& k : all) {
    if (std::find(keys.begin(), keys.end(), k) == keys.end() && t->contains(k)) {
      r.fail(
          *t->get(k), k, "does not apply to a " + l.type + " layer (it takes: " + [&] {
            std::string s;
            for (size_t i = 0; i + 1 < keys.size(); ++i) s += (i ? ", " : "") + keys[i];
            return s.empty() ? std::string("no parameters") : s;
          }() + ")");
    }
  }
  r.finish(all);
  if (l.type == "dense" && l.units == 0) {
    throw Error(file + ": [[learn.layers]] #" + std::to_string(index + 1) + " (dense) needs 'units'");
  }
  if ((l.type == "conv1d" || l.type == "conv2d") && l.filters == 0) {
    throw Error(file + ": [[learn.layers]] #" + std::to_string(index + 1) + " (" + l.type +
                ") needs 'filters'");
  }
  if (l.type == "reshape" && l.shape.empty()) {
    throw Error(file + ": [[learn.layers]] #" + std::to_string(index + 1) + " (reshape) needs 'shape'");
  }
  return l;
}

const toml::table* subtable(const toml::table& root, const std::string& key, const std::string& file) {
  const toml::node* n = root.get(key);
  if (!n) return nullptr;
  if (!n->is_table()) {
    throw Error(file + ":" + std::to_string(n->source().begin.line) + ": '" + key + "' must be a table ([" +
                key + "])");
  }
  return n->as_table();
}

}  // namespace

Impulse parse_impulse_toml(std::string_view text, const std::string& filename) {
  prescan_toml(text, filename);
  toml::table root;
  try {
    root = toml::parse(text, filename);
  } catch (const toml::parse_error& e) {
    throw Error(filename + ":" + std::to_string(e.source().begin.line) + ": " +
                terminal_line(e.description(), 200));
  }
  Impulse imp;
  // Top level: `name` and the sections; unknown top-level keys are rejected at the end.
  TableReader top(&root, "kiln.toml", filename);
  top.get("name", imp.name, {});

  TableReader in(subtable(root, "input", filename), "[input]", filename);
  in.get("type", imp.input.type, {"audio", "timeseries", "image"});
  if (imp.input.type == "image") {
    // One image is one window: the time-series keys have no meaning, and the size has no default.
    for (const char* key : {"frequency", "axes", "window_size_ms", "window_increase_ms", "zero_pad"}) {
      in.refuse(key, "does not apply to an image input (one image is one window; set width and height)");
    }
    if (!in.has("width") || !in.has("height")) {
      throw Error(filename + ": [input] type = \"image\" needs width and height (pixels), e.g. width = 32");
    }
    int width = 0, height = 0;
    std::string resize_mode = "squash";
    in.get("width", width, 1, dsp::kImageMaxSide);
    in.get("height", height, 1, dsp::kImageMaxSide);
    in.get("resize_mode", resize_mode, image_resize_modes());
    imp.input = InputSettings::image(width, height, resize_mode);
  } else {
    for (const char* key : {"width", "height", "resize_mode"}) {
      in.refuse(key, "applies to an image input only (type = \"image\")");
    }
  }
  in.get("frequency", imp.input.frequency, 0.001, 1e6);
  in.get("axes", imp.input.axes, 1, 64);
  in.get("window_size_ms", imp.input.window_size_ms, 1, 3600 * 1000);
  in.get("window_increase_ms", imp.input.window_increase_ms, 1, 3600 * 1000);
  in.get("zero_pad", imp.input.zero_pad);
  in.finish({"type", "frequency", "axes", "window_size_ms", "window_increase_ms", "zero_pad", "width",
             "height", "resize_mode"});
  if (imp.input.type == "audio" && imp.input.axes != 1) {
    throw Error(filename + ": [input].axes must be 1 for audio (got " + std::to_string(imp.input.axes) + ")");
  }

  TableReader ds(subtable(root, "dataset", filename), "[dataset]", filename);
  ds.get("test_ratio", imp.dataset.test_ratio, 0.0, 1.0);
  ds.get("group_by", imp.dataset.group_by, {"none", "folder", "prefix"});
  ds.get("group_separator", imp.dataset.group_separator, {});
  // It is looked for in file names: the rules of a name (no '/', no control characters, not empty) fit.
  if (auto problem = name_problem(imp.dataset.group_separator)) {
    throw Error(filename + ": [dataset].group_separator '" + terminal_line(imp.dataset.group_separator, 60) +
                "' " + *problem);
  }
  ds.finish({"test_ratio", "group_by", "group_separator"});

  TableReader dsp(subtable(root, "dsp", filename), "[dsp]", filename);
  dsp.get("block", imp.dsp.block, dsp_block_names());
  // Without a version, the block's newest implementation (each block has its own: mfe ei-4, flatten ei-1, ...).
  if (!dsp.has("version")) imp.dsp.version = dsp_block_versions(imp.dsp.block).back();
  dsp.get("version", imp.dsp.version, {});
  // Numbers, booleans, and strings for the parameters Edge Impulse writes as strings (filter-type = "low").
  for (auto& [key, node] : dsp.rest()) {
    std::string text;
    if (node->is_number()) {
      text = number_text(number_value(*node));
    } else if (const auto* b = node->as_boolean()) {
      text = b->get() ? "true" : "false";
    } else if (const auto* str = node->as_string()) {
      text = str->get();
    } else {
      dsp.fail(*node, key, "must be a number, true/false or a string");
    }
    try {
      imp.dsp.params[key] = parse_dsp_param(imp.dsp.block, key, text);
    } catch (const DspParamError& e) {
      dsp.fail(*node, key, std::string("is not valid: ") + e.what());
    }
  }

  TableReader learn(subtable(root, "learn", filename), "[learn]", filename);
  learn.get("block", imp.learn.block, {"classifier"});
  if (const toml::table* lt = subtable(root, "learn", filename); lt && lt->contains("layers")) {
    const toml::node* ln = lt->get("layers");
    const toml::array* arr = ln->as_array();
    if (!arr || !arr->is_array_of_tables())
      learn.fail(*ln, "layers", "must be an array of tables ([[learn.layers]])");
    for (size_t i = 0; i < arr->size(); ++i) {
      imp.learn.layers.push_back(parse_layer(arr->get(i)->as_table(), static_cast<int>(i), filename));
    }
    learn.rest();
  }
  learn.finish({"block", "layers"});

  TableReader tr(subtable(root, "train", filename), "[train]", filename);
  tr.get("epochs", imp.train.epochs, 1, 100000);
  tr.get("learning_rate", imp.train.learning_rate, 1e-9, 10.0);
  tr.get("batch_size", imp.train.batch_size, 1, 1 << 16);
  tr.get("validation_split", imp.train.validation_split, 0.0, 0.9);
  tr.get("seed", imp.train.seed);
  tr.get("threads", imp.train.threads, 1, 256);
  tr.get("class_weights", imp.train.class_weights, {"none", "balanced"});
  tr.finish(
      {"epochs", "learning_rate", "batch_size", "validation_split", "seed", "threads", "class_weights"});

  TableReader te(subtable(root, "test", filename), "[test]", filename);
  te.get("uncertain_threshold", imp.test.uncertain_threshold, 0.0, 1.0);
  te.finish({"uncertain_threshold"});

  std::vector<std::string> known = {"name", "input", "dataset", "dsp", "learn", "train", "test"};
  for (auto&& [k, v] : root) {
    std::string key(k.str());
    if (std::find(known.begin(), known.end(), key) == known.end()) {
      throw Error(filename + ":" + std::to_string(v.source().begin.line) + ": unknown " +
                  (v.is_table() ? "section [" + terminal_line(key, 60) + "]" : "key " + quote(key)) +
                  did_you_mean(key, known));
    }
  }
  return imp;
}

std::vector<std::string> layer_keys(const std::string& type) {
  if (type == "dense") return {"units", "activation"};
  if (type == "conv1d" || type == "conv2d")
    return {"filters", "kernel_size", "strides", "padding", "activation"};
  if (type == "depthwise_conv2d")
    return {"kernel_size", "depth_multiplier", "strides", "padding", "activation"};
  if (type.find("pool") != std::string::npos) return {"pool_size", "strides", "padding"};
  if (type == "dropout") return {"rate"};
  if (type == "reshape") return {"shape"};
  return {};
}

}  // namespace kiln

namespace kiln {
namespace {

// "key = value", then the comment starting in one column so a user can scan the file.
void line(std::ostringstream& o, const std::string& key, const std::string& value,
          const char* comment = nullptr) {
  std::string text = key + " = " + value;
  if (comment) {
    if (text.size() < 28) text.append(28 - text.size(), ' ');
    text += std::string(" # ") + comment;
  }
  o << text << "\n";
}

void write_layer(std::ostringstream& o, const LayerSpec& l) {
  o << "\n[[learn.layers]]\ntype = " << toml_string(l.type) << "\n";
  for (const auto& key : layer_keys(l.type)) {
    if (key == "units") o << "units = " << l.units << "\n";
    if (key == "filters") o << "filters = " << l.filters << "\n";
    if (key == "kernel_size") o << "kernel_size = " << l.kernel_size << "\n";
    if (key == "strides") o << "strides = " << l.strides << "\n";
    if (key == "pool_size") o << "pool_size = " << l.pool_size << "\n";
    if (key == "depth_multiplier") o << "depth_multiplier = " << l.depth_multiplier << "\n";
    if (key == "padding") o << "padding = " << toml_string(l.padding) << "\n";
    if (key == "activation") o << "activation = " << toml_string(l.activation) << "\n";
    if (key == "rate") o << "rate = " << number_text(l.rate) << "\n";
    if (key == "shape") {
      o << "shape = [";
      for (size_t i = 0; i < l.shape.size(); ++i) o << (i ? ", " : "") << l.shape[i];
      o << "]\n";
    }
  }
}

}  // namespace

std::string impulse_to_toml(const Impulse& imp) {
  std::ostringstream o;
  o << "# Kiln project: the impulse (input -> processing block -> learning block) and its training "
       "settings.\n"
       "# Every key is described in docs/kiln-toml.md. Unknown keys are an error, so typos do not go "
       "unnoticed.\n\n";
  line(o, "name", toml_string(imp.name));
  o << "\n[input]\n";
  line(o, "type", toml_string(imp.input.type), "audio | timeseries | image");
  if (imp.input.is_image()) {
    line(o, "width", std::to_string(imp.input.width), "pixels; one image is one window");
    line(o, "height", std::to_string(imp.input.height), "pixels");
    line(o, "resize_mode", toml_string(imp.input.resize_mode),
         "squash | fit-short | fit-long: how `kiln add` fits images of another size");
  } else {
    line(o, "frequency", number_text(imp.input.frequency), "Hz; samples are resampled to this on `kiln add`");
    line(o, "axes", std::to_string(imp.input.axes), "values per time step (1 for audio)");
    line(o, "window_size_ms", std::to_string(imp.input.window_size_ms),
         "length of one classification window");
    line(o, "window_increase_ms", std::to_string(imp.input.window_increase_ms),
         "stride between windows of a longer sample");
    line(o, "zero_pad", imp.input.zero_pad ? "true" : "false",
         "pad samples shorter than a window with zeros (false: refuse them)");
  }
  o << "\n[dataset]\n";
  line(o, "test_ratio", number_text(imp.dataset.test_ratio),
       "share of each label's samples `kiln add --category split` puts in the test set");
  line(o, "group_by", toml_string(imp.dataset.group_by),
       "none | folder | prefix: keep related samples in one split (docs/kiln-toml.md)");
  line(o, "group_separator", toml_string(imp.dataset.group_separator),
       "group_by = \"prefix\": the group is the file name up to this");
  o << "\n[dsp]\n";
  line(o, "block", toml_string(imp.dsp.block), "processing block (docs/kiln-toml.md lists them)");
  line(o, "version", toml_string(imp.dsp.version),
       "implementation version; ei-4 = Edge Impulse processing-blocks version 4");
  for (const auto& [k, v] : imp.dsp.params) {
    const std::string text = dsp_param_text(imp.dsp.block, k, v);
    const std::string help = dsp_param_help(imp.dsp.block, k);
    line(o, k, dsp_param_is_text(imp.dsp.block, k) ? toml_string(text) : text,
         help.empty() ? nullptr : help.c_str());
  }
  o << "\n[learn]\n";
  line(o, "block", toml_string(imp.learn.block), "learning block: classifier (neural network)");
  if (imp.learn.layers.empty() && imp.input.is_image()) {
    o << "# No [[learn.layers]]: the default image network, equivalent to\n"
         "#   Conv2D(8, 3, same, relu) -> MaxPool2D(2, same) -> Conv2D(16, 3, same, relu) -> MaxPool2D(2, "
         "same)\n"
         "#   -> Dropout(0.25) -> Flatten -> Dense(classes, softmax)\n"
         "# To change it, list every layer (the final Dense(classes, softmax) is added for you), e.g.\n"
         "#   [[learn.layers]]\n#   type = \"conv2d\"\n#   filters = 8\n#   kernel_size = 3\n#   activation "
         "= \"relu\"\n";
  } else if (imp.learn.layers.empty()) {
    o << "# No [[learn.layers]]: the default audio network, equivalent to\n"
         "#   Reshape(frames, filters) -> Conv1D(8, 3, same, relu) -> MaxPool1D(2, same) -> Dropout(0.25)\n"
         "#   -> Conv1D(16, 3, same, relu) -> MaxPool1D(2, same) -> Dropout(0.25) -> Flatten -> "
         "Dense(classes, softmax)\n"
         "# To change it, list every layer (the final Dense(classes, softmax) is added for you), e.g.\n"
         "#   [[learn.layers]]\n#   type = \"conv1d\"\n#   filters = 8\n#   kernel_size = 3\n#   activation "
         "= \"relu\"\n";
  }
  for (const auto& l : imp.learn.layers) write_layer(o, l);
  o << "\n[train]\n";
  line(o, "epochs", std::to_string(imp.train.epochs));
  line(o, "learning_rate", number_text(imp.train.learning_rate), "Adam");
  line(o, "batch_size", std::to_string(imp.train.batch_size));
  line(o, "validation_split", number_text(imp.train.validation_split),
       "share of the training set held out to pick the best epoch");
  line(o, "seed", std::to_string(imp.train.seed), "same data + config + seed = identical model");
  line(o, "threads", std::to_string(imp.train.threads), "CPU threads for training");
  line(o, "class_weights", toml_string(imp.train.class_weights),
       "none | balanced (weight the loss so rare labels count as much as common ones)");
  o << "\n[test]\n";
  line(o, "uncertain_threshold", number_text(imp.test.uncertain_threshold),
       "windows whose top score is below this are counted as uncertain");
  return o.str();
}

int impulse_toml_line(std::string_view text, const std::string& table, const std::string& key) {
  try {
    const toml::table root = toml::parse(text);
    const toml::node* node = table.empty() ? root[key].node() : root[table][key].node();
    return node ? static_cast<int>(node->source().begin.line) : 0;
  } catch (const toml::parse_error&) {
    return 0;
  }
}

}  // namespace kiln
