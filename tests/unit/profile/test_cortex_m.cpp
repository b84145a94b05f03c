// src/profile on real Cortex-M builds: arm-none-eabi-g++ + QEMU mps2-an386 (M4F) / mps2-an500 (M7). Exact
// instruction counts of marked regions, exit status, guest stdout, stack peak, map sizes of a known object,
// M0+ build-only, errors. Skips (saying why) when the Arm toolchain or QEMU is missing.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <string>

#include "core/error.h"
#include "profile/cortex_m.h"

namespace {

namespace fs = std::filesystem;
using kiln::profile::Build;
using kiln::profile::CortexM;
using kiln::profile::Program;
using QemuRun = kiln::profile::Run;

#define REQUIRE_ARM_TOOLCHAIN()                                                  \
  do {                                                                           \
    std::string why;                                                             \
    if (!kiln::profile::arm_toolchain_available(&why)) {                         \
      std::cout << "Cortex-M toolchain missing, skipping: " << why << std::endl; \
      GTEST_SKIP() << why;                                                       \
    }                                                                            \
  } while (0)

// SPIN(region, n): between the markers exactly `mov` + n x (subs, bne) + `bl end`; with the one-instruction
// begin body that is 2n + 3 instructions per pass.
const char* const kRegionsMain = R"(#include <cstdio>
#include "kiln_markers.h"

#if __ARM_ARCH_ISA_THUMB == 1 /* Cortex-M0+: GCC's inline asm is in divided syntax */
#define SUBS_R2 "sub r2, #1"
#else
#define SUBS_R2 "subs r2, r2, #1"
#endif
#define SPIN(region, n)                                                                                     \
  __asm volatile("bl kiln_mark_" #region "_begin\n\tmov r2, %0\n1:\n\t" SUBS_R2 "\n\tbne 1b\n\tbl kiln_mark_" #region \
                 "_end"                                                                                     \
                 :                                                                                          \
                 : "r"(n)                                                                                   \
                 : "r0", "r1", "r2", "r3", "r12", "lr", "cc", "memory")

__attribute__((noinline)) static int use_stack(unsigned seed) {
  volatile unsigned char buf[STACK_BYTES];
  for (unsigned i = 0; i < sizeof buf; ++i) buf[i] = (unsigned char)(seed + i);
  return buf[seed % sizeof buf];
}

int main() {
  unsigned dsp = DSP_N, nn1 = NN_N1, nn2 = NN_N2;
  SPIN(dsp, dsp);
  SPIN(nn, nn1);
  SPIN(nn, nn2);
  std::printf("guest: hello %d\n", 42);
  std::fprintf(stderr, "guest: to stderr\n");
  std::printf("stack byte %d\n", use_stack(3));
  return EXIT_STATUS;
}
)";
constexpr std::uint64_t kDspN = 1000, kNn1 = 100, kNn2 = 400;

// A model-like object: 1000 bytes of constants, 16 ints of initialized data, 300 bytes of zeroed RAM.
const char* const kModelObject = R"(extern const unsigned char kiln_model_weights[1000];
extern int kiln_model_scale[16];
extern unsigned char kiln_model_arena[300];
const unsigned char kiln_model_weights[1000] = {1, 2, 3};
int kiln_model_scale[16] = {5, 6, 7};
unsigned char kiln_model_arena[300];
)";
const char* const kModelMain = R"(extern const unsigned char kiln_model_weights[1000];
extern int kiln_model_scale[16];
extern unsigned char kiln_model_arena[300];
int main() {
  volatile unsigned i = 2;
  kiln_model_arena[i] = kiln_model_weights[i];
  return kiln_model_arena[i] + kiln_model_scale[i % 16];
}
)";

// One scratch directory per test process, removed at exit.
struct Scratch {
  fs::path dir = fs::temp_directory_path() / ("kiln-profile-test-" + std::to_string(getpid()));
  Scratch() { fs::create_directories(dir); }
  ~Scratch() {
    std::error_code ec;
    fs::remove_all(dir, ec);
  }
};
const fs::path& scratch() {
  static Scratch s;
  return s.dir;
}

fs::path write_source(const std::string& name, const std::string& text) {
  const fs::path path = scratch() / "src" / name;
  fs::create_directories(path.parent_path());
  std::ofstream(path) << text;
  return path;
}

Program regions_program(int stack_bytes) {
  Program p;
  p.sources = {write_source("regions/main.cpp", kRegionsMain)};
  p.defines = {"DSP_N=" + std::to_string(kDspN), "NN_N1=" + std::to_string(kNn1),
               "NN_N2=" + std::to_string(kNn2), "EXIT_STATUS=7",
               "STACK_BYTES=" + std::to_string(stack_bytes)};
  return p;
}

// Builds are cached per (cpu, key) within the process.
const Build& cached_build(const CortexM& cpu, const std::string& key, const Program& program) {
  static std::map<std::string, Build> builds;
  const std::string id = cpu.name + "-" + key;
  auto it = builds.find(id);
  if (it == builds.end())
    it = builds.emplace(id, kiln::profile::build_for(cpu, program, scratch() / id)).first;
  return it->second;
}

const Build& regions_build(const CortexM& cpu, int stack_bytes = 8192) {
  return cached_build(cpu, "regions-" + std::to_string(stack_bytes), regions_program(stack_bytes));
}

void expect_regions_run(const QemuRun& run) {
  EXPECT_EQ(run.exit_status, 7) << run.diagnostics;
  EXPECT_EQ(run.output, "guest: hello 42\nstack byte 6\n");
  EXPECT_EQ(run.diagnostics, "guest: to stderr\n");
  ASSERT_EQ(run.region_insns.size(), 2u);
  EXPECT_EQ(run.region_insns.at("dsp"), 2 * kDspN + 3);
  EXPECT_EQ(run.region_insns.at("nn"), (2 * kNn1 + 3) + (2 * kNn2 + 3));  // two passes add up
  EXPECT_GT(run.total_insns, run.region_insns.at("dsp") + run.region_insns.at("nn"));
}

TEST(CortexM, Cpus) {
  EXPECT_EQ(kiln::profile::cortex_m4f().qemu_machine, "mps2-an386");
  EXPECT_EQ(kiln::profile::cortex_m7().qemu_machine, "mps2-an500");
  EXPECT_EQ(kiln::profile::cortex_m0plus().qemu_machine, "");
  EXPECT_EQ(
      kiln::profile::cortex_m4f().cflags,
      (std::vector<std::string>{"-mcpu=cortex-m4", "-mthumb", "-mfloat-abi=hard", "-mfpu=fpv4-sp-d16"}));
}

TEST(CortexM, M4fExactRegionCountsExitStatusAndOutput) {
  REQUIRE_ARM_TOOLCHAIN();
  const Build& build = regions_build(kiln::profile::cortex_m4f());
  EXPECT_TRUE(fs::exists(build.elf));
  EXPECT_TRUE(fs::exists(build.map));
  const QemuRun run = kiln::profile::run_on_qemu(kiln::profile::cortex_m4f(), build, {"dsp", "nn"});
  expect_regions_run(run);

  // Repeatable to the instruction.
  const QemuRun again = kiln::profile::run_on_qemu(kiln::profile::cortex_m4f(), build, {"nn"});
  EXPECT_EQ(again.total_insns, run.total_insns);
  EXPECT_EQ(again.region_insns, (std::map<std::string, std::uint64_t>{{"nn", run.region_insns.at("nn")}}));
}

TEST(CortexM, M7RunsOnMps2An500) {
  REQUIRE_ARM_TOOLCHAIN();
  const Build& build = regions_build(kiln::profile::cortex_m7());
  expect_regions_run(kiln::profile::run_on_qemu(kiln::profile::cortex_m7(), build, {"dsp", "nn"}));
}

TEST(CortexM, StackPeak) {
  REQUIRE_ARM_TOOLCHAIN();
  const auto m4 = kiln::profile::cortex_m4f();
  const QemuRun small = kiln::profile::run_on_qemu(m4, regions_build(m4, 8192), {});
  const QemuRun large = kiln::profile::run_on_qemu(m4, regions_build(m4, 16384), {});
  // use_stack's frame is the buffer plus a few words; main, startup and printf add well under 4 KB.
  EXPECT_GE(small.stack_peak, 8192u);
  EXPECT_LT(small.stack_peak, 8192u + 4096u);
  EXPECT_EQ(large.stack_peak - small.stack_peak, 8192u);
  EXPECT_TRUE(small.region_insns.empty());
}

TEST(CortexM, MapSizesOfAKnownObject) {
  REQUIRE_ARM_TOOLCHAIN();
  Program p;
  p.sources = {write_source("model/main.cpp", kModelMain),
               write_source("model/kiln_model_blob.cpp", kModelObject)};
  const auto m4 = kiln::profile::cortex_m4f();
  const Build& build = cached_build(m4, "model", p);
  const kiln::profile::Sizes model = kiln::profile::map_sizes(build.map, R"(kiln_model[^/]*\.o$)");
  EXPECT_EQ(model.text, 0u);
  EXPECT_EQ(model.rodata, 1000u);
  EXPECT_EQ(model.data, 16u * 4u);
  EXPECT_EQ(model.bss, 300u);
  const kiln::profile::Sizes all = kiln::profile::map_sizes(build.map);
  EXPECT_GT(all.text, 1000u);  // startup, main, newlib
  EXPECT_GE(all.rodata, 1000u);
  EXPECT_GE(all.bss, 300u);
  const kiln::profile::Sizes startup = kiln::profile::map_sizes(build.map, R"(/startup\.o$)");
  EXPECT_GE(startup.text, (16u + 32u) * 4u);  // the vector table counts as code
  EXPECT_LT(startup.text + startup.rodata + startup.data + startup.bss, 1024u);
  const QemuRun run = kiln::profile::run_on_qemu(m4, build, {});
  EXPECT_EQ(run.exit_status, 3 + 7);  // weights[2] + scale[2]
}

TEST(CortexM, M0plusBuildsButHasNoBoard) {
  REQUIRE_ARM_TOOLCHAIN();
  const auto m0 = kiln::profile::cortex_m0plus();
  const Build& build = regions_build(m0);
  EXPECT_TRUE(fs::exists(build.elf));
  EXPECT_GT(kiln::profile::map_sizes(build.map).text, 0u);
  EXPECT_THROW(kiln::profile::run_on_qemu(m0, build, {"dsp"}), kiln::Error);
}

TEST(CortexM, FaultExitsWith99) {
  REQUIRE_ARM_TOOLCHAIN();
  Program p;
  p.sources = {write_source("fault/main.cpp", "int main() { __builtin_trap(); return 0; }\n")};
  const auto m4 = kiln::profile::cortex_m4f();
  const QemuRun run = kiln::profile::run_on_qemu(m4, cached_build(m4, "fault", p), {});
  EXPECT_EQ(run.exit_status, 99);
}

TEST(CortexM, TimeoutThrows) {
  REQUIRE_ARM_TOOLCHAIN();
  Program p;
  p.sources = {write_source("hang/main.cpp", "int main() { for (;;) __asm volatile(\"\"); }\n")};
  const auto m4 = kiln::profile::cortex_m4f();
  const Build& build = cached_build(m4, "hang", p);
  try {
    kiln::profile::run_on_qemu(m4, build, {}, 1);
    FAIL() << "no timeout";
  } catch (const kiln::Error& e) {
    EXPECT_NE(std::string(e.what()).find("within 1 s"), std::string::npos) << e.what();
  }
}

TEST(CortexM, Errors) {
  REQUIRE_ARM_TOOLCHAIN();
  const auto m4 = kiln::profile::cortex_m4f();
  // -Werror: a warning is a build failure, reported with the compiler's output.
  Program bad;
  bad.sources = {write_source("bad/main.cpp", "int main() { int unused_variable; return 0; }\n")};
  try {
    kiln::profile::build_for(m4, bad, scratch() / "bad");
    FAIL() << "built";
  } catch (const kiln::Error& e) {
    EXPECT_NE(std::string(e.what()).find("unused_variable"), std::string::npos) << e.what();
  }
  // A region whose markers are not in the ELF.
  EXPECT_THROW(kiln::profile::run_on_qemu(m4, regions_build(m4), {"nope"}), kiln::Error);
}

}  // namespace
