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
#include "nn/call_recorder.h"
#include "nn/tflite_reader.h"
#include "tflite/model_file.h"

namespace kiln::deploy {

namespace {

namespace nn = kiln::nn;

// One recorded kernel call with copies of its derived constants.
struct Call {
  int op = 0;
  int code = 0;
  nn::KernelCall k{};
  std::vector<std::int32_t> multiplier, shift;
};

class Recorder : public nn::CallRecorder {
 public:
  void* scratch(std::size_t bytes) override {
    buffer_.assign(bytes / 4 + 1, 0);
    return buffer_.data();
  }
  void record(const nn::KernelCall& k) override {
    call.k = k;
    call.multiplier.clear();
    call.shift.clear();
    if (k.kernel == nn::kRecConv2dS8 || k.kernel == nn::kRecDepthwiseConv2dS8 ||
        k.kernel == nn::kRecFullyConnectedS8) {
      call.multiplier.assign(k.quant.multiplier, k.quant.multiplier + k.quant.count);
      call.shift.assign(k.quant.shift, k.quant.shift + k.quant.count);
    }
    recorded = true;
  }
  Call call;
  bool recorded = false;

 private:
  std::vector<std::int32_t> buffer_;
};

// The builtin operators sdk/nn/operators.cpp implements (tflite_reader.h).
bool supported_code(std::int32_t code) {
  switch (code) {
    case nn::kOpAdd:
    case nn::kOpAveragePool2D:
    case nn::kOpConcatenation:
    case nn::kOpConv2D:
    case nn::kOpDepthwiseConv2D:
    case nn::kOpDequantize:
    case nn::kOpFullyConnected:
    case nn::kOpLogistic:
    case nn::kOpMaxPool2D:
    case nn::kOpMul:
    case nn::kOpRelu:
    case nn::kOpReluN1To1:
    case nn::kOpRelu6:
    case nn::kOpReshape:
    case nn::kOpSoftmax:
    case nn::kOpPad:
    case nn::kOpMean:
    case nn::kOpSqueeze:
    case nn::kOpPadV2:
    case nn::kOpExpandDims:
    case nn::kOpQuantize:
      return true;
    default:
      return false;
  }
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

std::string dims(const nn::Dims& d) {
  return "{" + std::to_string(d.n) + ", " + std::to_string(d.h) + ", " + std::to_string(d.w) + ", " +
         std::to_string(d.c) + "}";
}

template <typename T>
std::string list(const T* v, int n) {
  std::string s = "{";
  for (int i = 0; i < n; ++i) s += (i ? ", " : "") + i32(v[i]);
  return s + "}";
}

std::string ints(std::initializer_list<std::int32_t> v) {
  return list(v.begin(), static_cast<int>(v.size()));
}

std::string conv_params(const nn::ConvParams& p) {
  return ints({p.stride_h, p.stride_w, p.dilation_h, p.dilation_w, p.pad_h, p.pad_w});
}

std::string depthwise_params(const nn::DepthwiseParams& p) {
  return ints({p.stride_h, p.stride_w, p.dilation_h, p.dilation_w, p.pad_h, p.pad_w, p.depth_multiplier});
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
        if (nn::read_operator(model_, static_cast<std::int32_t>(op), &v) == nn::kOk &&
            !supported_code(v.code))
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
      Recorder r;
      const nn::Status s = nn::record_operator(model_, op, &r);
      if (s == nn::kUnsupportedOperator)
        fail("the compiled engine does not support " + op_label(model_, op) +
             " yet; use --engine interpreter");
      if (s != nn::kOk || !r.recorded)
        fail(op_label(model_, op) + ": " +
             (s != nn::kOk ? nn::status_message(s) : "no kernel call recorded"));
      r.call.op = op;
      r.call.code = nn::model_operator_code(model_, op);
      const nn::KernelCall& k = r.call.k;
      for (int i = 0; i < k.num_inputs; ++i)
        if (k.inputs[i] >= 0 && views_[k.inputs[i]].type == nn::kTypeInt16 && !views_[k.inputs[i]].data &&
            k.kernel != nn::kRecRequantizeS16S8)
          fail(op_label(model_, op) + ": int16 tensors are not supported by the compiled engine");
      if (k.kernel == nn::kRecReshape) root_[k.output] = root_[k.inputs[0]];
      result_.operators.push_back(nn::builtin_operator_name(r.call.code));
      calls_.push_back(std::move(r.call));
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
      for (int i = 0; i < c.k.num_inputs; ++i)
        if (c.k.inputs[i] >= 0 && !is_const(c.k.inputs[i])) touch(c.k.inputs[i], c.op, false);
      touch(c.k.output, c.op, true);
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
      if (c.k.kernel == nn::kRecReshape) continue;
      const int out = buffer_of_.at(root_[c.k.output]);
      std::map<int, std::optional<std::int64_t>> per_input;
      for (int i = 0; i < c.k.num_inputs; ++i) {
        const int t = c.k.inputs[i];
        if (t < 0 || is_const(t)) continue;
        const int in = buffer_of_.at(root_[t]);
        const std::optional<std::int64_t> d = overlap_distance(c.k, i);
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

  // Pointer expression for tensor t as `const T*` or `T*`.
  std::string ptr(int t, bool writable = false) {
    if (t < 0) return "nullptr";
    const int r = root_[t];
    const nn::TensorView& v = views_[t];
    if (views_[r].data) {
      if (writable) fail("internal error: writing constant tensor " + std::to_string(t));
      return constant(r, v.type);
    }
    return std::string("reinterpret_cast<") + (writable ? "" : "const ") + c_type(v.type) + "*>(arena + " +
           std::to_string(offset(t)) + ")";
  }

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

  std::string multipliers(const Call& c) {
    std::ostringstream os;
    const std::string m = "kMult" + std::to_string(c.op), s = "kShift" + std::to_string(c.op);
    std::vector<std::string> mi, si;
    for (std::int32_t v : c.multiplier) mi.push_back(i32(v));
    for (std::int32_t v : c.shift) si.push_back(i32(v));
    os << "// operator " << c.op << ": requantization multipliers and shifts (quantize_multiplier)\n";
    array(os, "int32_t", m, mi);
    array(os, "int32_t", s, si);
    constants_ += os.str();
    result_.weight_bytes += 8 * c.multiplier.size();
    return "{" + m + ", " + s + ", " + std::to_string(c.multiplier.size()) + "}";
  }

  void need(std::initializer_list<const char*> files) {
    for (const char* f : files) sdk_.insert(f);
  }

  std::string qact(const nn::QuantActivation& a) {
    return "{" + i32(a.input_offset) + ", " + i32(a.output_offset) + ", " + i32(a.act_min) + ", " +
           i32(a.act_max) + "}";
  }
  std::string fact(const nn::FloatActivation& a) {
    return "{" + flt(a.act_min) + ", " + flt(a.act_max) + "}";
  }

  void emit_call(std::ostringstream& os, const Call& c) {
    const nn::KernelCall& k = c.k;
    const std::string in0 = k.num_inputs > 0 ? ptr(k.inputs[0]) : "";
    auto out = [&]() { return ptr(k.output, true); };
    const std::string ns = "kiln::nn::";
    switch (k.kernel) {
      case nn::kRecConv2dS8:
      case nn::kRecDepthwiseConv2dS8: {
        const bool dw = k.kernel == nn::kRecDepthwiseConv2dS8;
        need(
            {dw ? "nn/depthwise_conv2d.h" : "nn/conv2d.h", dw ? "nn/depthwise_conv2d.cpp" : "nn/conv2d.cpp"});
        if (dw) {
          const nn::DepthwiseParams& p = k.depthwise;
          os << "    static const " << ns << "DepthwiseParams conv = "
             << ints({p.stride_h, p.stride_w, p.dilation_h, p.dilation_w, p.pad_h, p.pad_w,
                      p.depth_multiplier})
             << ";\n";
        } else {
          os << "    static const " << ns << "ConvParams conv = " << conv_params(k.conv) << ";\n";
        }
        os << "    static const " << ns << "QuantParams quant = " << multipliers(c) << ";\n";
        os << "    static const " << ns << "QuantActivation act = " << qact(k.quant_act) << ";\n";
        os << "    static const " << ns << "Dims in_dims = " << dims(k.input_dims)
           << ", filter_dims = " << dims(k.filter_dims) << ", out_dims = " << dims(k.output_dims) << ";\n";
        os << "    " << ns << (dw ? "depthwise_conv2d_s8" : "conv2d_s8") << "(conv, quant, act, in_dims, "
           << in0 << ", filter_dims, " << ptr(k.inputs[1]) << ", " << ptr(k.inputs[2]) << ", out_dims, "
           << out() << ");\n";
        break;
      }
      case nn::kRecConv2dF32:
      case nn::kRecDepthwiseConv2dF32: {
        const bool dw = k.kernel == nn::kRecDepthwiseConv2dF32;
        need(
            {dw ? "nn/depthwise_conv2d.h" : "nn/conv2d.h", dw ? "nn/depthwise_conv2d.cpp" : "nn/conv2d.cpp"});
        if (dw)
          os << "    static const " << ns << "DepthwiseParams conv = " << depthwise_params(k.depthwise)
             << ";\n";
        else
          os << "    static const " << ns << "ConvParams conv = " << conv_params(k.conv) << ";\n";
        os << "    static const " << ns << "FloatActivation act = " << fact(k.float_act) << ";\n";
        os << "    static const " << ns << "Dims in_dims = " << dims(k.input_dims)
           << ", filter_dims = " << dims(k.filter_dims) << ", out_dims = " << dims(k.output_dims) << ";\n";
        os << "    " << ns << (dw ? "depthwise_conv2d_f32" : "conv2d_f32") << "(conv, act, in_dims, " << in0
           << ", filter_dims, " << ptr(k.inputs[1]) << ", " << ptr(k.inputs[2]) << ", out_dims, " << out()
           << ");\n";
        break;
      }
      case nn::kRecFullyConnectedS8:
      case nn::kRecFullyConnectedF32: {
        need({"nn/fully_connected.h", "nn/fully_connected.cpp"});
        const nn::FullyConnectedDims& d = k.fully_connected;
        os << "    static const " << ns << "FullyConnectedDims dims = {" << d.batches << ", " << d.depth
           << ", " << d.units << "};\n";
        if (k.kernel == nn::kRecFullyConnectedS8) {
          os << "    static const " << ns << "QuantParams quant = " << multipliers(c) << ";\n";
          os << "    static const " << ns << "QuantActivation act = " << qact(k.quant_act) << ";\n";
          os << "    " << ns << "fully_connected_s8(dims, quant, act, " << i32(k.filter_offset) << ", " << in0
             << ", " << ptr(k.inputs[1]) << ", " << ptr(k.inputs[2]) << ", " << out() << ");\n";
        } else {
          os << "    static const " << ns << "FloatActivation act = " << fact(k.float_act) << ";\n";
          os << "    " << ns << "fully_connected_f32(dims, act, " << in0 << ", " << ptr(k.inputs[1]) << ", "
             << ptr(k.inputs[2]) << ", " << out() << ");\n";
        }
        break;
      }
      case nn::kRecAveragePool2dS8:
      case nn::kRecAveragePool2dF32:
      case nn::kRecMaxPool2dS8:
      case nn::kRecMaxPool2dF32: {
        const bool avg = k.kernel == nn::kRecAveragePool2dS8 || k.kernel == nn::kRecAveragePool2dF32;
        const bool s8 = k.kernel == nn::kRecAveragePool2dS8 || k.kernel == nn::kRecMaxPool2dS8;
        const std::string fn = avg ? "average_pool2d" : "max_pool2d";
        need({avg ? "nn/average_pool2d.h" : "nn/max_pool2d.h",
              avg ? "nn/average_pool2d.cpp" : "nn/max_pool2d.cpp"});
        os << "    static const " << ns << "PoolParams pool = "
           << ints({k.pool.stride_h, k.pool.stride_w, k.pool.filter_h, k.pool.filter_w, k.pool.pad_h,
                    k.pool.pad_w})
           << ";\n";
        os << "    static const " << ns << "Dims in_dims = " << dims(k.input_dims)
           << ", out_dims = " << dims(k.output_dims) << ";\n";
        if (s8) {
          os << "    " << ns << fn << "_s8(pool, " << i32(k.act_min) << ", " << i32(k.act_max)
             << ", in_dims, " << in0 << ", out_dims, " << out() << ");\n";
        } else {
          os << "    static const " << ns << "FloatActivation act = " << fact(k.float_act) << ";\n";
          os << "    " << ns << fn << "_f32(pool, act, in_dims, " << in0 << ", out_dims, " << out() << ");\n";
        }
        break;
      }
      case nn::kRecAddS8:
      case nn::kRecAddS8Broadcast:
      case nn::kRecAddF32:
      case nn::kRecAddF32Broadcast:
      case nn::kRecMulS8:
      case nn::kRecMulS8Broadcast:
      case nn::kRecMulF32:
      case nn::kRecMulF32Broadcast: {
        const bool add = k.kernel == nn::kRecAddS8 || k.kernel == nn::kRecAddS8Broadcast ||
                         k.kernel == nn::kRecAddF32 || k.kernel == nn::kRecAddF32Broadcast;
        const bool s8 = k.kernel == nn::kRecAddS8 || k.kernel == nn::kRecAddS8Broadcast ||
                        k.kernel == nn::kRecMulS8 || k.kernel == nn::kRecMulS8Broadcast;
        const bool bc = k.kernel == nn::kRecAddS8Broadcast || k.kernel == nn::kRecAddF32Broadcast ||
                        k.kernel == nn::kRecMulS8Broadcast || k.kernel == nn::kRecMulF32Broadcast;
        need({add ? "nn/add.h" : "nn/mul.h", add ? "nn/add.cpp" : "nn/mul.cpp", "nn/broadcast.h"});
        std::string params;
        if (s8 && add) {
          const nn::AddParams& p = k.add;
          os << "    static const " << ns << "AddParams params = "
             << ints({p.input1_offset, p.input2_offset, p.output_offset, p.left_shift, p.input1_multiplier,
                      p.input1_shift, p.input2_multiplier, p.input2_shift, p.output_multiplier,
                      p.output_shift, p.act_min, p.act_max})
             << ";\n";
          params = "params";
        } else if (s8) {
          os << "    static const " << ns << "MulParams params = "
             << ints({k.mul.input1_offset, k.mul.input2_offset, k.mul.output_offset, k.mul.output_multiplier,
                      k.mul.output_shift, k.mul.act_min, k.mul.act_max})
             << ";\n";
          params = "params";
        } else {
          os << "    static const " << ns << "FloatActivation act = " << fact(k.float_act) << ";\n";
          params = "act";
        }
        std::string size = std::to_string(k.count);
        if (bc) {
          const nn::BroadcastShape& b = k.broadcast;
          os << "    static const " << ns << "BroadcastShape shape = {" << list(b.out, 4) << ", "
             << list(b.stride1, 4) << ", " << list(b.stride2, 4) << "};\n";
          size = "shape";
        }
        os << "    " << ns << (add ? "add_" : "mul_") << (s8 ? "s8" : "f32") << (bc ? "_broadcast" : "")
           << "(" << params << ", " << size << ", " << in0 << ", " << ptr(k.inputs[1]) << ", " << out()
           << ");\n";
        break;
      }
      case nn::kRecSoftmaxS8:
        need({"nn/softmax.h", "nn/softmax.cpp"});
        os << "    static const " << ns << "SoftmaxParams params = "
           << ints({k.softmax.input_multiplier, k.softmax.input_left_shift, k.softmax.diff_min}) << ";\n";
        os << "    " << ns << "softmax_s8(params, " << k.rows << ", " << k.depth << ", " << in0 << ", "
           << out() << ");\n";
        break;
      case nn::kRecSoftmaxF32:
        need({"nn/softmax.h", "nn/softmax.cpp"});
        os << "    " << ns << "softmax_f32(" << flt(k.beta) << ", " << k.rows << ", " << k.depth << ", "
           << in0 << ", " << out() << ");\n";
        break;
      case nn::kRecLogisticS8:
        need({"nn/logistic.h", "nn/logistic.cpp"});
        os << "    static const " << ns << "LogisticParams params = "
           << ints({k.logistic.input_zero_point, k.logistic.input_range_radius, k.logistic.input_multiplier,
                    k.logistic.input_left_shift})
           << ";\n";
        os << "    " << ns << "logistic_s8(params, " << k.count << ", " << in0 << ", " << out() << ");\n";
        break;
      case nn::kRecLogisticF32:
        need({"nn/logistic.h", "nn/logistic.cpp"});
        os << "    " << ns << "logistic_f32(" << k.count << ", " << in0 << ", " << out() << ");\n";
        break;
      case nn::kRecActivationS8:
        need({"nn/activation.h", "nn/activation.cpp"});
        os << "    static const " << ns << "ActivationParams params = "
           << ints({k.activation_params.input_zero_point, k.activation_params.output_zero_point,
                    k.activation_params.multiplier, k.activation_params.shift, k.activation_params.act_min,
                    k.activation_params.act_max})
           << ";\n";
        os << "    " << ns << "activation_s8(params, " << k.count << ", " << in0 << ", " << out() << ");\n";
        break;
      case nn::kRecActivationF32:
        need({"nn/activation.h", "nn/activation.cpp"});
        os << "    " << ns << "activation_f32(static_cast<" << ns << "Activation>(" << int(k.activation)
           << "), " << k.count << ", " << in0 << ", " << out() << ");\n";
        break;
      case nn::kRecQuantizeF32S8:
        need({"nn/quantize.h", "nn/quantize.cpp"});
        os << "    " << ns << "quantize_f32_s8(" << flt(k.scale) << ", " << i32(k.zero_point) << ", "
           << k.count << ", " << in0 << ", " << out() << ");\n";
        break;
      case nn::kRecRequantizeS8S8:
      case nn::kRecRequantizeS16S8:
        need({"nn/quantize.h", "nn/quantize.cpp"});
        os << "    static const " << ns << "RequantizeParams params = "
           << ints({k.requantize.input_zero_point, k.requantize.output_zero_point, k.requantize.multiplier,
                    k.requantize.shift})
           << ";\n";
        os << "    " << ns << (k.kernel == nn::kRecRequantizeS8S8 ? "requantize_s8_s8" : "requantize_s16_s8")
           << "(params, " << k.count << ", " << in0 << ", " << out() << ");\n";
        break;
      case nn::kRecDequantizeS8F32:
        need({"nn/dequantize.h", "nn/dequantize.cpp"});
        os << "    " << ns << "dequantize_s8_f32(" << flt(k.scale) << ", " << i32(k.zero_point) << ", "
           << k.count << ", " << in0 << ", " << out() << ");\n";
        break;
      case nn::kRecMeanS8:
      case nn::kRecMeanF32: {
        need({"nn/mean.h", "nn/mean.cpp"});
        const nn::MeanParams& p = k.mean;
        os << "    static const " << ns << "MeanParams params = {" << list(p.input_dims, 4) << ", {";
        for (int i = 0; i < 4; ++i) os << (i ? ", " : "") << (p.reduce[i] ? "true" : "false");
        os << "}, " << i32(p.input_zero_point) << ", " << i32(p.output_zero_point) << ", "
           << i32(p.multiplier) << ", " << i32(p.shift) << "};\n";
        os << "    " << ns << (k.kernel == nn::kRecMeanS8 ? "mean_s8" : "mean_f32") << "(params, " << in0
           << ", " << out() << ");\n";
        break;
      }
      case nn::kRecPad: {
        need({"nn/pad.h", "nn/pad.cpp"});
        const nn::PadParams& p = k.pad;
        os << "    static const " << ns << "PadParams params = {" << list(p.input_dims, 4) << ", "
           << list(p.before, 4) << ", " << list(p.after, 4) << "};\n";
        if (k.element_size == 1)
          os << "    static const int8_t value = " << int(k.pad_s8) << ";\n";
        else
          os << "    static const float value = " << flt(k.pad_f32) << ";\n";
        os << "    " << ns << "pad(params, " << k.element_size << ", &value, " << in0 << ", " << out()
           << ");\n";
        break;
      }
      case nn::kRecConcatenation: {
        need({"nn/concatenation.h", "nn/concatenation.cpp"});
        os << "    const void* const inputs[" << k.num_inputs << "] = {";
        for (int i = 0; i < k.num_inputs; ++i) os << (i ? ", " : "") << ptr(k.inputs[i]);
        os << "};\n";
        os << "    static const int32_t axis_sizes[" << k.num_inputs
           << "] = " << list(k.axis_sizes, k.num_inputs) << ";\n";
        os << "    " << ns << "concatenation(" << k.num_inputs << ", inputs, axis_sizes, " << k.outer << ", "
           << k.inner << ", " << k.element_size << ", " << out() << ");\n";
        break;
      }
      case nn::kRecReshape:
        break;
    }
  }

  void emit() {
    std::ostringstream body;
    for (const Call& c : calls_) {
      const nn::KernelCall& k = c.k;
      body << "  // op " << c.op << " " << nn::builtin_operator_name(c.code) << ": ";
      bool first = true;
      for (int i = 0; i < k.num_inputs; ++i) {
        const int t = k.inputs[i];
        if (t < 0 || (is_const(t) && k.kernel != nn::kRecConcatenation && i > 0)) continue;
        body << (first ? "" : ", ") << shape_text(views_[t]);
        if (!is_const(t)) body << " @" << offset(t);
        first = false;
      }
      body << " -> " << shape_text(views_[k.output]);
      if (k.kernel == nn::kRecReshape) {
        body << " (alias, no code)\n";
        continue;
      }
      body << " @" << offset(k.output) << "\n  {\n";
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
