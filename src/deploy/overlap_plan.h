// Arena planning of the compiled engine: every activation buffer gets an offset fixed at export time, and an
// operator's output may overlap an input that dies at that operator when the kernel's access order makes it
// safe (overlap_distance). The planner places buffers greedily over several orders and keeps the best plan.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace kiln::nn {
struct KernelAccess;
}

namespace kiln::deploy {

// One activation buffer, live from step `first` to step `last` inclusive (steps are operator indices; model
// inputs start at -1, model outputs end after the last operator).
struct PlanBuffer {
  std::size_t size = 0;
  int first = 0;
  int last = 0;
};

// Buffer `output` (written by the operator at its first step) may share memory with buffer `input` (read
// for the last time by that operator) provided offset(output) <= offset(input) - distance.
struct PlanOverlap {
  int output = 0;
  int input = 0;
  std::int64_t distance = 0;
};

struct ArenaPlan {
  std::vector<std::size_t> offsets;
  std::size_t arena_bytes = 0;
};

// The smallest plan found; offsets are multiples of `alignment`.
ArenaPlan plan_arena(const std::vector<PlanBuffer>& buffers, const std::vector<PlanOverlap>& overlaps,
                     std::size_t alignment = 4);

// Empty when the plan is valid: every pair of buffers live at the same step is disjoint in memory, or is an
// allowed overlap that respects its distance. Otherwise a description of the first violation.
std::string check_plan(const std::vector<PlanBuffer>& buffers, const std::vector<PlanOverlap>& overlaps,
                       const ArenaPlan& plan);

// The smallest safe distance d (bytes) for writing the output of a kernel call over its input number
// `input_slot` (in binding order): placing the output at input offset - d never overwrites an input byte
// before the kernel's last read of it. Computed by replaying the kernel's loop order, as the kernel's
// KernelAccess describes it (sdk/nn/kernel_emit.h). nullopt when the kernel is not known to be overlap-safe
// (then the planner keeps the buffers disjoint).
std::optional<std::int64_t> overlap_distance(const nn::KernelAccess& access, int input_slot);

}  // namespace kiln::deploy
