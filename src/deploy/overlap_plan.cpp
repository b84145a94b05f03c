#include "deploy/overlap_plan.h"

#include <algorithm>
#include <limits>
#include <numeric>
#include <random>
#include <sstream>

#include "nn/kernel_emit.h"

namespace kiln::deploy {

namespace {

// Replays a kernel as a sequence of steps. Every kernel below computes one output element per step: it
// reads input elements (all reads of a step happen before its write) and then writes that one element.
// Writing the output over the input is safe iff no write lands on an input byte that a later step still
// reads: out_offset + end_of_every_earlier_write <= in_offset + first_byte_read_later, i.e.
// out_offset <= in_offset - d with d = max over (write, later read) of (write end - read start).
class Replay {
 public:
  Replay(std::int64_t in_element, std::int64_t out_element) : in_es_(in_element), out_es_(out_element) {}
  // A step that reads input elements at index >= min_read (kNone: reads nothing) and writes output element
  // `out`.
  void step(std::int64_t min_read, std::int64_t out) {
    if (min_read != kNone && written_end_ > 0) d_ = std::max(d_, written_end_ - min_read * in_es_);
    written_end_ = std::max(written_end_, (out + 1) * out_es_);
  }
  // Conservative: never place the output above the input (d >= 0).
  std::int64_t distance() const { return d_; }
  static constexpr std::int64_t kNone = -1;

 private:
  std::int64_t in_es_, out_es_;
  std::int64_t written_end_ = 0;
  std::int64_t d_ = 0;
};

// First tap of a window that lies inside [0, size): origin + dilation * k for the smallest such k < taps,
// or -1 when every tap is padding.
std::int64_t first_valid(std::int64_t origin, std::int64_t dilation, std::int64_t taps, std::int64_t size) {
  for (std::int64_t k = 0; k < taps; ++k) {
    const std::int64_t v = origin + dilation * k;
    if (v >= 0 && v < size) return v;
  }
  return -1;
}

// Window kernels (conv2d.cpp, depthwise_conv2d.cpp, average_pool2d.cpp, max_pool2d.cpp, s8 and f32 alike):
// loops b, oy, ox, then the output channel in increasing order; each output element reads its window (ky, kx
// ascending, the input channels of its group) and is written once. Lowest address read: the first valid row
// and column of the window at the group's first channel. (A pool is a window of dilation 1 with one channel
// per group: its window clipped to the input starts at the first valid tap.)
std::int64_t window_distance(const nn::KernelAccess& a) {
  const nn::Dims& in = a.input;
  const nn::Dims& out = a.output;
  Replay r(a.in_bytes, a.out_bytes);
  std::int64_t o = 0;
  for (std::int32_t b = 0; b < out.n; ++b)
    for (std::int32_t oy = 0; oy < out.h; ++oy) {
      const std::int64_t iy =
          first_valid(std::int64_t(oy) * a.stride_h - a.pad_h, a.dilation_h, a.filter_h, in.h);
      for (std::int32_t ox = 0; ox < out.w; ++ox) {
        const std::int64_t ix =
            first_valid(std::int64_t(ox) * a.stride_w - a.pad_w, a.dilation_w, a.filter_w, in.w);
        for (std::int32_t oc = 0; oc < out.c; ++oc, ++o) {
          const std::int64_t c0 = std::int64_t(oc / a.out_per_group) * a.in_per_group;
          const std::int64_t read =
              iy < 0 || ix < 0 ? Replay::kNone : ((std::int64_t(b) * in.h + iy) * in.w + ix) * in.c + c0;
          r.step(read, o);
        }
      }
    }
  return r.distance();
}

// Flat elementwise kernels (add/mul flat, activation, logistic, quantize, requantize, dequantize, leaky
// relu): for i in order, output[i] = f(input[i]).
std::int64_t elementwise_distance(std::int32_t count, std::int64_t in_es, std::int64_t out_es) {
  Replay r(in_es, out_es);
  for (std::int64_t i = 0; i < count; ++i) r.step(i, i);
  return r.distance();
}

// add_*_broadcast / mul_*_broadcast (add.cpp, mul.cpp): loops i0..i3 over the output shape in order, each
// output element reads one element of each operand at its stride-weighted index.
std::int64_t broadcast_distance(const nn::BroadcastShape& s, int slot, std::int64_t es) {
  const std::int32_t* stride = slot == 0 ? s.stride1 : s.stride2;
  Replay r(es, es);
  std::int64_t o = 0;
  for (std::int32_t i0 = 0; i0 < s.out[0]; ++i0)
    for (std::int32_t i1 = 0; i1 < s.out[1]; ++i1)
      for (std::int32_t i2 = 0; i2 < s.out[2]; ++i2)
        for (std::int32_t i3 = 0; i3 < s.out[3]; ++i3, ++o)
          r.step(std::int64_t(i0) * stride[0] + std::int64_t(i1) * stride[1] + std::int64_t(i2) * stride[2] +
                     std::int64_t(i3) * stride[3],
                 o);
  return r.distance();
}

// FULLY_CONNECTED (fully_connected.cpp): loops b, u; output (b, u) reads the whole input row b.
std::int64_t matrix_distance(std::int32_t rows, std::int32_t depth, std::int32_t units, std::int64_t es) {
  Replay r(es, es);
  std::int64_t o = 0;
  for (std::int32_t b = 0; b < rows; ++b)
    for (std::int32_t u = 0; u < units; ++u, ++o)
      r.step(depth > 0 ? std::int64_t(b) * depth : Replay::kNone, o);
  return r.distance();
}

// SOFTMAX (softmax.cpp, s8 and f32): per row, two passes read the whole row before the first write, then the
// third pass reads in[c] and writes out[c] for c ascending.
std::int64_t softmax_distance(std::int32_t rows, std::int32_t depth, std::int64_t es) {
  Replay r(es, es);
  for (std::int64_t row = 0; row < rows; ++row)
    for (std::int64_t c = 0; c < depth; ++c) r.step(row * depth + c, row * depth + c);
  return r.distance();
}

}  // namespace

std::optional<std::int64_t> overlap_distance(const nn::KernelAccess& a, int slot) {
  // Only the data inputs can be overlapped: conv/FC weights and biases are constants, and kernels that copy
  // with memcpy (PAD, CONCATENATION) or accumulate into their output (MEAN) say kUnknown.
  if (slot < 0 || slot >= a.data_inputs) return std::nullopt;
  switch (a.pattern) {
    case nn::KernelAccess::kElementwise:
      return elementwise_distance(a.count, a.in_bytes, a.out_bytes);
    case nn::KernelAccess::kWindow:
      return window_distance(a);
    case nn::KernelAccess::kBroadcast:
      return broadcast_distance(a.broadcast, slot, a.in_bytes);
    case nn::KernelAccess::kRows:
      return softmax_distance(a.rows, a.depth, a.in_bytes);
    case nn::KernelAccess::kMatrix:
      return matrix_distance(a.rows, a.depth, a.units, a.in_bytes);
    case nn::KernelAccess::kUnknown:
      break;
  }
  return std::nullopt;
}

namespace {

bool live_together(const PlanBuffer& a, const PlanBuffer& b) {
  return a.first <= b.last && b.first <= a.last;
}

struct Planner {
  const std::vector<PlanBuffer>& buffers;
  std::size_t alignment;
  // overlap distance of (output, input) pairs, keyed by output * n + input
  std::vector<std::pair<std::int64_t, std::int64_t>> pairs;  // (key, distance), sorted
  std::vector<std::vector<int>> conflicts;                   // buffers live together with i

  std::optional<std::int64_t> distance(int output, int input) const {
    const std::int64_t key = std::int64_t(output) * std::int64_t(buffers.size()) + input;
    auto it = std::lower_bound(pairs.begin(), pairs.end(),
                               std::make_pair(key, std::numeric_limits<std::int64_t>::min()));
    if (it != pairs.end() && it->first == key) return it->second;
    return std::nullopt;
  }

  bool fits(int b, std::size_t x, int p, std::size_t px) const {
    const std::size_t bs = buffers[b].size, ps = buffers[p].size;
    if (x + bs <= px || px + ps <= x || bs == 0 || ps == 0) return true;
    if (auto d = distance(b, p)) return std::int64_t(x) <= std::int64_t(px) - *d;
    if (auto d = distance(p, b)) return std::int64_t(px) <= std::int64_t(x) - *d;
    return false;
  }

  std::size_t align_up(std::size_t v) const { return (v + alignment - 1) / alignment * alignment; }
  std::size_t align_down(std::size_t v) const { return v / alignment * alignment; }

  ArenaPlan place(const std::vector<int>& order) const {
    const std::size_t n = buffers.size();
    std::vector<std::size_t> offset(n, 0);
    std::vector<char> placed(n, 0);
    std::size_t peak = 0;
    std::vector<std::size_t> candidates;
    for (int b : order) {
      candidates.assign(1, 0);
      for (int p : conflicts[b]) {
        if (!placed[p]) continue;
        candidates.push_back(align_up(offset[p] + buffers[p].size));
        if (offset[p] >= buffers[b].size) candidates.push_back(align_down(offset[p] - buffers[b].size));
        if (auto d = distance(b, p); d && std::int64_t(offset[p]) - *d >= 0)
          candidates.push_back(align_down(std::size_t(std::int64_t(offset[p]) - *d)));
        if (auto d = distance(p, b)) candidates.push_back(align_up(offset[p] + std::size_t(*d)));
      }
      std::size_t best = std::numeric_limits<std::size_t>::max(), best_end = best;
      for (std::size_t x : candidates) {
        const std::size_t end = x + buffers[b].size;
        if (end > best_end || (end == best_end && x >= best)) continue;
        bool ok = true;
        for (int p : conflicts[b])
          if (placed[p] && !fits(b, x, p, offset[p])) {
            ok = false;
            break;
          }
        if (ok) {
          best = x;
          best_end = end;
        }
      }
      offset[b] = best;
      placed[b] = 1;
      peak = std::max(peak, best_end);
    }
    ArenaPlan plan;
    plan.offsets = std::move(offset);
    plan.arena_bytes = align_up(peak);
    return plan;
  }
};

}  // namespace

ArenaPlan plan_arena(const std::vector<PlanBuffer>& buffers, const std::vector<PlanOverlap>& overlaps,
                     std::size_t alignment) {
  const int n = static_cast<int>(buffers.size());
  Planner planner{buffers, alignment == 0 ? 1 : alignment, {}, std::vector<std::vector<int>>(n)};
  for (const PlanOverlap& o : overlaps) {
    // Only a pair whose lifetimes touch at exactly the operator that writes the output and reads the input
    // for the last time may overlap.
    if (buffers[o.output].first != buffers[o.input].last) continue;
    const std::int64_t key = std::int64_t(o.output) * n + o.input;
    planner.pairs.emplace_back(key, o.distance);
  }
  std::sort(planner.pairs.begin(), planner.pairs.end());
  // Same pair listed twice (an operator reading one tensor twice): keep the largest distance.
  std::vector<std::pair<std::int64_t, std::int64_t>> merged;
  for (const auto& p : planner.pairs) {
    if (!merged.empty() && merged.back().first == p.first)
      merged.back().second = std::max(merged.back().second, p.second);
    else
      merged.push_back(p);
  }
  planner.pairs = std::move(merged);
  for (int i = 0; i < n; ++i)
    for (int j = 0; j < n; ++j)
      if (i != j && live_together(buffers[i], buffers[j])) planner.conflicts[i].push_back(j);

  std::vector<std::vector<int>> orders;
  std::vector<int> base(n);
  std::iota(base.begin(), base.end(), 0);
  auto sorted = [&](auto less) {
    std::vector<int> o = base;
    std::stable_sort(o.begin(), o.end(), less);
    orders.push_back(o);
  };
  const auto& B = buffers;
  sorted([&](int a, int b) { return B[a].size > B[b].size; });
  sorted([&](int a, int b) { return B[a].first < B[b].first; });
  sorted([&](int a, int b) { return B[a].last > B[b].last; });
  sorted([&](int a, int b) {
    return B[a].size * std::size_t(B[a].last - B[a].first + 1) >
           B[b].size * std::size_t(B[b].last - B[b].first + 1);
  });
  sorted([&](int a, int b) { return B[a].first > B[b].first; });

  ArenaPlan best;
  best.arena_bytes = std::numeric_limits<std::size_t>::max();
  auto consider = [&](const std::vector<int>& order) {
    ArenaPlan p = planner.place(order);
    if (p.arena_bytes < best.arena_bytes) best = std::move(p);
  };
  for (const auto& o : orders) consider(o);
  // Random perturbations of the size order (fixed seed: the plan is deterministic), bounded in work.
  const double cost = std::max(1.0, double(n) * n * n);
  const int tries = static_cast<int>(std::min(300.0, 3e7 / cost));
  std::mt19937 rng(12345);
  std::vector<int> o = orders[0];
  for (int t = 0; t < tries; ++t) {
    std::vector<int> q = o;
    const int swaps = 1 + static_cast<int>(rng() % 3);
    for (int s = 0; s < swaps && n > 1; ++s) std::swap(q[rng() % n], q[rng() % n]);
    ArenaPlan p = planner.place(q);
    if (p.arena_bytes <= best.arena_bytes) {
      best = std::move(p);
      o = q;
    }
  }
  if (n == 0) best.arena_bytes = 0;
  return best;
}

std::string check_plan(const std::vector<PlanBuffer>& buffers, const std::vector<PlanOverlap>& overlaps,
                       const ArenaPlan& plan) {
  const std::size_t n = buffers.size();
  if (plan.offsets.size() != n) return "plan has the wrong number of offsets";
  for (std::size_t i = 0; i < n; ++i) {
    if (plan.offsets[i] + buffers[i].size > plan.arena_bytes)
      return "buffer " + std::to_string(i) + " ends past the arena";
    for (std::size_t j = i + 1; j < n; ++j) {
      if (!live_together(buffers[i], buffers[j])) continue;
      const std::size_t a = plan.offsets[i], b = plan.offsets[j];
      if (a + buffers[i].size <= b || b + buffers[j].size <= a || buffers[i].size == 0 ||
          buffers[j].size == 0)
        continue;
      // The largest distance listed for the pair applies (one tensor read twice by an operator).
      std::optional<std::int64_t> need_ij, need_ji;
      for (const PlanOverlap& o : overlaps) {
        if (o.output == int(i) && o.input == int(j) && buffers[i].first == buffers[j].last)
          need_ij = std::max(need_ij.value_or(o.distance), o.distance);
        if (o.output == int(j) && o.input == int(i) && buffers[j].first == buffers[i].last)
          need_ji = std::max(need_ji.value_or(o.distance), o.distance);
      }
      const bool ok = (need_ij && std::int64_t(a) <= std::int64_t(b) - *need_ij) ||
                      (need_ji && std::int64_t(b) <= std::int64_t(a) - *need_ji);
      if (!ok) {
        std::ostringstream os;
        os << "buffers " << i << " and " << j << " overlap (offsets " << a << ", " << b << ")";
        return os.str();
      }
    }
  }
  return "";
}

}  // namespace kiln::deploy
