#include "deploy/compiled_model.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <map>
#include <optional>
#include <set>
#include <sstream>

#include "core/error.h"
#include "core/escape.h"
#include "deploy/overlap_plan.h"
#include "deploy/resources.h"
#include "kiln/nn.h"
#include "nn/kernel_emit.h"
#include "nn/op_table.h"
#include "nn/tflite_reader.h"
#include "tflite/model_file.h"

namespace kiln::deploy {

namespace {

namespace nn = kiln::nn;

// One operator as sdk/nn prepares it: the kernel, its call struct (in memory, with the arrays it points to)
// and the tensors it binds.
struct Call {
  int op = 0;
  int code = 0;
  nn::PreparedCall prepared{};
  std::vector<std::uint64_t> memory;  // the call struct and its arrays; heap storage, so moving Call keeps it
  std::vector<int> inputs() const {
    return std::vector<int>(prepared.inputs, prepared.inputs + prepared.num_inputs);
  }
  int output() const { return prepared.outputs[0]; }
  bool alias() const { return prepared.op->alias; }
  const nn::KernelEmit& emit() const { return prepared.kernel->emit; }
};

// Prepares operator op exactly as the interpreter does: once counting the bytes, then into memory of that
// size.
nn::Status prepare(const nn::Model& m, int op, Call* call) {
  nn::PrepareMemory counter = {nullptr, 0, 0};
  nn::Status s = nn::prepare_operator(m, op, &counter, &call->prepared);
  if (s != nn::kOk) return s;
  call->memory.assign(counter.used / 8 + 1, 0);
  nn::PrepareMemory memory = {reinterpret_cast<std::uint8_t*>(call->memory.data()), call->memory.size() * 8,
                              0};
  return nn::prepare_operator(m, op, &memory, &call->prepared);
}

std::string op_label(const nn::Model& m, int op) {
  nn::OperatorView v;
  if (op < 0 || nn::read_operator(m, op, &v) != nn::kOk) return "operator " + std::to_string(op);
  return "operator " + std::to_string(op) + " (" + nn::builtin_operator_name(v.code) + ")";
}

const char* c_type(nn::TensorType t) {
  switch (t) {
    case nn::kTypeFloat32:
      return "float";
    case nn::kTypeInt8:
      return "int8_t";
    case nn::kTypeInt16:
      return "int16_t";
    case nn::kTypeInt32:
      return "int32_t";
    default:
      return "uint8_t";  // emitted as raw bytes
  }
}

// A float literal that reads back as exactly the same float (9 significant digits round-trip).
std::string flt(float v) {
  if (std::isinf(v)) return v > 0 ? "HUGE_VALF" : "-HUGE_VALF";
  if (std::isnan(v)) return "NAN";
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.9g", static_cast<double>(v));
  std::string s = buf;
  if (s.find_first_of(".e") == std::string::npos) s += ".0";
  return s + "f";
}

// A tensor name for a comment, at most 100 bytes of it.
std::string comment_text(const char* p, std::size_t n) {
  return c_comment(std::string_view(p, std::min<std::size_t>(n, 100))) + (n > 100 ? "..." : "");
}

std::string i32(std::int64_t v) {
  if (v == -2147483648LL) return "(-2147483647 - 1)";
  return std::to_string(v);
}

std::string shape_text(const nn::TensorView& v) {
  std::string s;
  for (int i = 0; i < v.rank; ++i) s += (i ? "x" : "") + std::to_string(v.dims[i]);
  if (v.rank == 0) s = "scalar";
  return s + " " + tflite::tensor_type_name(v.type);
}

class Generator {
 public:
  Generator(const std::vector<std::uint8_t>& bytes, const std::string& name) : bytes_(bytes), name_(name) {}

  CompiledModel run() {
    load();
    record();
    plan();
    emit();
    return std::move(result_);
  }

 private:
  [[noreturn]] void fail(const std::string& what) const { throw Error(name_ + ": " + what); }

  void load() {
    if (bytes_.empty()) fail("empty model file");
    const nn::Status s = nn::model_load(&model_, bytes_.data(), bytes_.size());
    if (s != nn::kOk) {
      // Name the first operator sdk/nn has no kernel for, even when loading failed earlier (e.g. on an LSTM's
      // variable tensor): that is what the user needs to know.
      for (std::uint32_t op = 0; op < model_.num_operators; ++op) {
        nn::OperatorView v;
        if (nn::read_operator(model_, static_cast<std::int32_t>(op), &v) == nn::kOk && !nn::find_op(v.code))
          fail("the compiled engine does not support " + op_label(model_, static_cast<int>(op)) +
               " yet; use --engine interpreter");
      }
    }
    if (s == nn::kUnsupportedOperator && model_.error_operator >= 0)
      fail("the compiled engine does not support " + op_label(model_, model_.error_operator) +
           " yet; use --engine interpreter");
    if (s != nn::kOk) {
      std::string where;
      if (model_.error_operator >= 0) where += ", " + op_label(model_, model_.error_operator);
      if (model_.error_tensor >= 0) where += ", tensor " + std::to_string(model_.error_tensor);
      fail(std::string("not a model the compiled engine can build: ") + nn::status_message(s) + where);
    }
    if (nn::model_input_count(model_) != 1 || nn::model_output_count(model_) != 1)
      fail("the compiled engine supports models with one input and one output (this one has " +
           std::to_string(nn::model_input_count(model_)) + " and " +
           std::to_string(nn::model_output_count(model_)) + "); use --engine interpreter");
    const int n = nn::model_tensor_count(model_);
    views_.resize(n);
    for (int t = 0; t < n; ++t)
      if (nn::read_tensor(model_, t, &views_[t]) != nn::kOk)
        fail("tensor " + std::to_string(t) + " is invalid");
    root_.resize(n);
    for (int t = 0; t < n; ++t) root_[t] = t;
  }

  void record() {
    const int ops = nn::model_operator_count(model_);
    for (int op = 0; op < ops; ++op) {
      Call call;
      const nn::Status s = prepare(model_, op, &call);
      if (s == nn::kUnsupportedOperator)
        fail("the compiled engine does not support " + op_label(model_, op) +
             " yet; use --engine interpreter");
      if (s != nn::kOk) fail(op_label(model_, op) + ": " + nn::status_message(s));
      call.op = op;
      call.code = nn::model_operator_code(model_, op);
      // int16 activations only as QUANTIZE's input: the other kernels that accept any type (reshapes,
      // CONCATENATION) were never tried with them here.
      for (int t : call.inputs())
        if (t >= 0 && views_[t].type == nn::kTypeInt16 && !views_[t].data &&
            std::strcmp(call.emit().eval, "eval_requantize_s16_s8") != 0)
          fail(op_label(model_, op) + ": int16 tensors are not supported by the compiled engine");
      if (call.alias()) root_[call.output()] = root_[call.prepared.inputs[0]];
      result_.operators.push_back(nn::builtin_operator_name(call.code));
      calls_.push_back(std::move(call));
    }
  }

  bool is_const(int t) const { return views_[root_[t]].data != nullptr; }

  void plan() {
    const int ops = static_cast<int>(calls_.size());
    input_ = nn::model_input_tensor(model_, 0);
    output_ = nn::model_output_tensor(model_, 0);
    if (is_const(output_)) fail("the model output is a constant");
    // Buffers: one per non-constant alias root that the graph touches.
    std::map<int, PlanBuffer> live;
    auto touch = [&](int t, int step, bool def) {
      const int r = root_[t];
      auto [it, fresh] = live.try_emplace(r, PlanBuffer{views_[r].bytes, step, step});
      if (!fresh) {
        it->second.first = std::min(it->second.first, step);
        it->second.last = std::max(it->second.last, step);
      }
      (void)def;
    };
    touch(input_, -1, true);
    for (const Call& c : calls_) {
      for (int t : c.inputs())
        if (t >= 0 && !is_const(t)) touch(t, c.op, false);
      touch(c.output(), c.op, true);
    }
    touch(output_, ops, false);
    std::vector<PlanBuffer> buffers;
    for (auto& [root, b] : live) {
      buffer_of_[root] = static_cast<int>(buffers.size());
      buffers.push_back(b);
    }
    // Allowed overlaps: an operator's output over an input that dies there, when every slot through which the
    // kernel reads that input is overlap-safe (largest distance of those slots).
    std::vector<PlanOverlap> overlaps;
    for (const Call& c : calls_) {
      if (c.alias()) continue;
      const int out = buffer_of_.at(root_[c.output()]);
      nn::KernelAccess access{};
      if (c.emit().access) c.emit().access(c.prepared.call, &access);
      std::map<int, std::optional<std::int64_t>> per_input;
      for (int i = 0; i < c.prepared.num_inputs; ++i) {
        const int t = c.prepared.inputs[i];
        if (t < 0 || is_const(t)) continue;
        const int in = buffer_of_.at(root_[t]);
        const std::optional<std::int64_t> d = overlap_distance(access, i);
        auto [it, fresh] = per_input.try_emplace(in, d);
        if (!fresh) it->second = (it->second && d) ? std::optional(std::max(*it->second, *d)) : std::nullopt;
      }
      for (const auto& [in, d] : per_input)
        if (d && in != out) overlaps.push_back({out, in, *d});
    }
    arena_ = plan_arena(buffers, overlaps, 4);
    const std::string bad = check_plan(buffers, overlaps, arena_);
    if (!bad.empty()) fail("internal error: invalid arena plan: " + bad);
    result_.arena_bytes = arena_.arena_bytes;
    result_.input_offset = offset(input_);
  }

  std::size_t offset(int t) const { return arena_.offsets[buffer_of_.at(root_[t])]; }

  // Emits (once) the const array of constant tensor r; returns its name, cast when used as another type.
  std::string constant(int r, nn::TensorType as) {
    const nn::TensorView& v = views_[r];
    const std::string name = "kT" + std::to_string(r);
    if (emitted_.insert(r).second) {
      std::ostringstream os;
      os << "// tensor " << r << " \""
         << comment_text(reinterpret_cast<const char*>(bytes_.data()) + v.name, v.name_length) << "\" "
         << shape_text(v) << "\n";
      std::vector<std::string> items;
      const std::uint8_t* p = v.data;
      std::size_t count = v.bytes;
      if (v.type == nn::kTypeInt8) {
        for (std::size_t i = 0; i < count; ++i)
          items.push_back(std::to_string(static_cast<std::int8_t>(p[i])));
      } else if (v.type == nn::kTypeInt16) {
        count /= 2;
        for (std::size_t i = 0; i < count; ++i) {
          std::int16_t x;
          std::memcpy(&x, p + 2 * i, 2);
          items.push_back(std::to_string(x));
        }
      } else if (v.type == nn::kTypeInt32) {
        count /= 4;
        for (std::size_t i = 0; i < count; ++i) {
          std::int32_t x;
          std::memcpy(&x, p + 4 * i, 4);
          items.push_back(i32(x));
        }
      } else if (v.type == nn::kTypeFloat32) {
        count /= 4;
        for (std::size_t i = 0; i < count; ++i) {
          float x;
          std::memcpy(&x, p + 4 * i, 4);
          items.push_back(flt(x));
        }
      } else {
        for (std::size_t i = 0; i < count; ++i) items.push_back(std::to_string(p[i]));
      }
      array(os, c_type(v.type), name, items);
      constants_ += os.str();
      result_.weight_bytes += v.bytes;
    }
    if (std::strcmp(c_type(v.type), c_type(as)) != 0)
      return std::string("reinterpret_cast<const ") + c_type(as) + "*>(" + name + ")";
    return name;
  }

  void array(std::ostringstream& os, const char* type, const std::string& name,
             const std::vector<std::string>& items) {
    if (items.empty()) {
      os << "alignas(16) static const " << type << " " << name << "[1] = {0};\n\n";
      return;
    }
    os << "alignas(16) static const " << type << " " << name << "[" << items.size() << "] = {\n";
    std::string line = "   ";
    for (std::size_t i = 0; i < items.size(); ++i) {
      const std::string item = " " + items[i] + (i + 1 < items.size() ? "," : "");
      if (line.size() + item.size() > 110) {
        os << line << "\n";
        line = "   ";
      }
      line += item;
    }
    os << line << "\n};\n\n";
  }

  // The const array behind a pointer member of operator op's call struct; returns its name.
  template <typename T>
  std::string call_array(int op, int index, const char* type, const T* v, std::int32_t count,
                         const char* what) {
    const std::string name = "kOp" + std::to_string(op) + "_" + std::to_string(index);
    std::vector<std::string> items;
    for (std::int32_t i = 0; i < count; ++i) items.push_back(i32(v[i]));
    std::ostringstream os;
    os << "// operator " << op << ": " << c_comment(what) << "\n";
    array(os, type, name, items);
    constants_ += os.str();
    result_.weight_bytes += sizeof(T) * static_cast<std::size_t>(count);
    return name;
  }

  // Prints a call struct's initializer (sdk/nn/kernel_emit.h), its pointer members as const arrays.
  class Initializer : public nn::CallWriter {
   public:
    Initializer(Generator& g, int op) : g_(g), op_(op) {}
    void begin() override {
      item("{");
      open_.push_back(true);
    }
    void end() override {
      text_ += "}";
      open_.pop_back();
    }
    void i32(std::int32_t v) override { item(deploy::i32(v)); }
    void f32(float v) override { item(flt(v)); }
    void boolean(bool v) override { item(v ? "true" : "false"); }
    void i32_array(const std::int32_t* v, std::int32_t n, const char* what) override {
      item(v ? g_.call_array(op_, arrays_++, "int32_t", v, n, what) : "nullptr");
    }
    void i8_array(const std::int8_t* v, std::int32_t n, const char* what) override {
      item(v ? g_.call_array(op_, arrays_++, "int8_t", v, n, what) : "nullptr");
    }
    const std::string& text() const { return text_; }

   private:
    void item(const std::string& s) {
      if (!open_.empty() && !open_.back()) text_ += ", ";
      if (!open_.empty()) open_.back() = false;
      text_ += s;
    }
    Generator& g_;
    int op_;
    int arrays_ = 0;
    std::string text_;
    std::vector<bool> open_;  // per open brace: no item yet
  };

  void need(std::initializer_list<const char*> files) {
    for (const char* f : files) sdk_.insert(f);
  }

  // One kernel call: the call struct as a constant, the operands' addresses, the kernel's eval.
  void emit_call(std::ostringstream& os, const Call& c) {
    const nn::KernelEmit& e = c.emit();
    need({e.header});
    Initializer init(*this, c.op);
    e.print(c.prepared.call, init);
    os << "    static const kiln::nn::" << e.call_type << " call = " << init.text() << ";\n";
    os << "    const void* const in[] = {";
    for (int i = 0; i < c.prepared.num_inputs; ++i) os << (i ? ", " : "") << address(c.prepared.inputs[i]);
    os << "};\n    void* const out[] = {";
    for (int i = 0; i < c.prepared.num_outputs; ++i) os << (i ? ", " : "") << address(c.prepared.outputs[i]);
    os << "};\n    kiln::nn::" << e.eval << "(&call, in, out);\n";
  }

  // The memory of tensor t: its const array or its place in the arena.
  std::string address(int t) {
    if (t < 0) return "nullptr";
    const int r = root_[t];
    if (views_[r].data) return constant(r, views_[r].type);
    return "arena + " + std::to_string(offset(t));
  }

  void emit() {
    std::ostringstream body;
    for (const Call& c : calls_) {
      body << "  // op " << c.op << " " << nn::builtin_operator_name(c.code) << ": ";
      bool first = true;
      for (int i = 0; i < c.prepared.num_inputs; ++i) {
        const int t = c.prepared.inputs[i];
        if (t < 0 || (is_const(t) && i > 0)) continue;  // weights and biases are not worth a mention
        body << (first ? "" : ", ") << shape_text(views_[t]);
        if (!is_const(t)) body << " @" << offset(t);
        first = false;
      }
      body << " -> " << shape_text(views_[c.output()]);
      if (c.alias()) {
        body << " (alias, no code)\n";
        continue;
      }
      body << " @" << offset(c.output()) << "\n  {\n";
      emit_call(body, c);
      body << "  }\n";
    }
    need({"nn/kernel_types.h", "nn/quant_math.h", "nn/quant_math.cpp"});

    std::ostringstream os;
    os << "// kiln_model.cpp: the compiled engine of `kiln deploy`, generated from "
       << c_comment(std::filesystem::path(name_).filename().string()) << ". Do not edit.\n"
       << "// " << calls_.size()
       << " operators as straight-line calls into the sdk/nn kernels; every parameter was\n"
       << "// derived at export time by the sdk's own code. Activations use " << arena_.arena_bytes
       << " bytes of arena at planned offsets\n"
       << "// (an operator's output may overlap an input it has finished reading).\n"
       << "#include \"kiln_model.h\"\n\n#include <math.h>\n\n";
    for (const std::string& f : sdk_)
      if (f.size() > 2 && f.compare(f.size() - 2, 2, ".h") == 0 && f != "nn/quant_math.h")
        os << "#include \"" << f << "\"\n";
    os << "\nnamespace {\n\n" << constants_ << "}  // namespace\n\n";
    os << "size_t kiln_model_arena_bytes(void) {\n  return " << arena_.arena_bytes << ";\n}\n\n";
    os << "int kiln_model_init(uint8_t* arena) {\n  return arena ? 0 : -1;\n}\n\n";
    os << "void* kiln_model_input(uint8_t* arena) {\n  return arena + " << offset(input_) << ";  // "
       << shape_text(views_[input_]) << "\n}\n\n";
    os << "const void* kiln_model_output(uint8_t* arena) {\n  return arena + " << offset(output_) << ";  // "
       << shape_text(views_[output_]) << "\n}\n\n";
    os << "int kiln_model_invoke(uint8_t* arena) {\n" << body.str() << "  return 0;\n}\n";
    result_.source = os.str();
    // Whatever the kernels include in turn (shared helpers), from the sdk compiled into kiln.
    const std::set<std::string> all = sdk_closure(std::vector<std::string>(sdk_.begin(), sdk_.end()));
    result_.sdk_files.assign(all.begin(), all.end());
  }

  const std::vector<std::uint8_t>& bytes_;
  std::string name_;
  nn::Model model_{};
  std::vector<nn::TensorView> views_;
  std::vector<int> root_;
  std::vector<Call> calls_;
  std::map<int, int> buffer_of_;
  ArenaPlan arena_;
  int input_ = -1, output_ = -1;
  std::set<int> emitted_;
  std::set<std::string> sdk_;
  std::string constants_;
  CompiledModel result_;
};

}  // namespace

CompiledModel compile_model(const std::vector<std::uint8_t>& tflite, const std::string& name) {
  return Generator(tflite, name).run();
}

}  // namespace kiln::deploy
