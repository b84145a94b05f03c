#include "deploy/footprint.h"

#include <cinttypes>
#include <cstdio>
#include <fstream>

#include "core/error.h"
#include "profile/cortex_m.h"

namespace kiln::deploy {

namespace fs = std::filesystem;

namespace {

// The device program: one warm-up inference (the engine initializes on first use), then one counted
// inference on a fixed window — a 1 kHz tone with a little pseudo-random noise at half scale, so every
// DSP path does real work.
const char* const kProfileMain = R"(#include <stdio.h>
#include "kiln_impulse.h"
#include "kiln_markers.h"

static float sample_at(size_t i) {
  uint32_t x = (uint32_t)i * 2654435761u;
  x ^= x >> 13;
  const float noise = (float)(int32_t)(x & 0x3FF) - 512.0f;
  const size_t phase = i % 16;
  const float tone = phase < 8 ? 12000.0f : -12000.0f;
  return tone + noise;
}

static int read_signal(void* ctx, size_t offset, size_t length, float* out) {
  (void)ctx;
  for (size_t k = 0; k < length; ++k) out[k] = sample_at(offset + k);
  return 0;
}

int main(void) {
  kiln_signal signal = {KILN_SIGNAL_LENGTH, read_signal, 0};
  kiln_result result;
  if (kiln_run_impulse(&signal, &result) != KILN_OK) return 3;
  KILN_MARK_BEGIN(dsp);
  const int dsp = kiln_run_dsp(&signal);
  KILN_MARK_END(dsp);
  KILN_MARK_BEGIN(nn);
  const int nn = kiln_run_network(&result);
  KILN_MARK_END(nn);
  if (dsp != KILN_OK || nn != KILN_OK) return 4;
  printf("top %d\n", result.top);
  return 0;
}
)";

bool starts_with(const std::string& s, const std::string& prefix) {
  return s.rfind(prefix, 0) == 0;
}

std::string kb(std::size_t bytes) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f KB", static_cast<double>(bytes) / 1024.0);
  return buf;
}

std::string count(std::uint64_t n) {
  std::string s = std::to_string(n);
  for (int at = static_cast<int>(s.size()) - 3; at > 0; at -= 3) s.insert(static_cast<std::size_t>(at), ",");
  return s;
}

}  // namespace

Footprint measure_footprint(const Library& library, const fs::path& work_dir) {
  Footprint fp;
  const profile::CortexM cpu = profile::cortex_m4f();
  if (!profile::arm_toolchain_available(&fp.why_not)) return fp;

  const fs::path lib_dir = work_dir / "lib";
  fs::remove_all(lib_dir);
  profile::Program program;
  for (const auto& [rel, text] : library.files) {
    const fs::path p = lib_dir / rel;
    fs::create_directories(p.parent_path());
    std::ofstream(p, std::ios::binary) << text;
    if (starts_with(rel, "src/") && p.extension() == ".cpp") program.sources.push_back(p);
  }
  const fs::path main = work_dir / "profile_main.c";
  std::ofstream(main) << kProfileMain;
  program.sources.push_back(main);
  for (const char* dir : {"include", "src", "src/sdk"}) {
    if (fs::exists(lib_dir / dir)) program.include_dirs.push_back(lib_dir / dir);
  }

  const profile::Build build = profile::build_for(cpu, program, work_dir / "build");
  const profile::Run run = profile::run_on_qemu(cpu, build, {"dsp", "nn"});
  if (run.exit_status != 0) {
    throw Error("the exported library failed on the Cortex-M4F (QEMU exit status " +
                std::to_string(run.exit_status) + ")\n" + run.output);
  }
  // build_for names objects after their sources: the library's are every object but the harness and our
  // main; the model's are kiln_model*.o.
  const profile::Sizes all =
      profile::map_sizes(build.map, "/obj/(?!profile_main|startup|kiln_markers)[^/]*\\.o");
  const profile::Sizes model = profile::map_sizes(build.map, "/obj/kiln_model[^/]*\\.o");
  fp.measured = true;
  fp.code = all.text - model.text;
  fp.model = model.rodata + model.data;
  fp.code += model.text;  // the generated model's straight-line code is code, its arrays are the model
  fp.const_data = all.rodata - model.rodata;
  fp.static_ram = all.data + all.bss;
  fp.stack_peak = run.stack_peak;
  fp.dsp_insns = run.region_insns.count("dsp") ? run.region_insns.at("dsp") : 0;
  fp.nn_insns = run.region_insns.count("nn") ? run.region_insns.at("nn") : 0;
  return fp;
}

std::string footprint_table(const std::vector<const Library*>& libraries,
                            const std::vector<Footprint>& prints) {
  std::string out;
  auto row = [&](const std::string& name, auto cell) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "  %-30s", name.c_str());
    out += buf;
    for (std::size_t i = 0; i < libraries.size(); ++i) {
      std::snprintf(buf, sizeof buf, " %16s", cell(*libraries[i], prints[i]).c_str());
      out += buf;
    }
    out += "\n";
  };
  row("", [](const Library& l, const Footprint&) { return std::string(engine_name(l.facts.engine)); });
  row("RAM arena (network + DSP)",
      [](const Library& l, const Footprint&) { return kb(l.facts.arena_bytes); });
  row("  network tensors", [](const Library& l, const Footprint&) { return kb(l.facts.model_arena_bytes); });
  row("  DSP scratch (shared)",
      [](const Library& l, const Footprint&) { return kb(l.facts.dsp_scratch_bytes); });
  const bool measured = !prints.empty() && prints[0].measured;
  if (measured) {
    row("RAM static total (.data+.bss)", [](const Library&, const Footprint& f) { return kb(f.static_ram); });
    row("RAM peak stack",
        [](const Library&, const Footprint& f) { return std::to_string(f.stack_peak) + " B"; });
    row("flash code", [](const Library&, const Footprint& f) { return kb(f.code); });
    row("flash model (weights/.tflite)", [](const Library&, const Footprint& f) { return kb(f.model); });
    row("flash other constants", [](const Library&, const Footprint& f) { return kb(f.const_data); });
    row("flash total",
        [](const Library&, const Footprint& f) { return kb(f.code + f.model + f.const_data); });
    row("M4F instructions: DSP", [](const Library&, const Footprint& f) { return count(f.dsp_insns); });
    row("M4F instructions: network", [](const Library&, const Footprint& f) { return count(f.nn_insns); });
  } else {
    row("model bytes", [](const Library& l, const Footprint&) { return kb(l.facts.model_bytes); });
    const std::string why = prints.empty() ? std::string("not measured") : prints[0].why_not;
    if (why == "--no-measure") {
      out += "  (flash, stack and instructions not measured: --no-measure; `kiln profile` measures them)\n";
    } else {
      out += "  (flash, stack and instruction counts need the Arm toolchain and QEMU: " + why +
             "; scripts/bootstrap installs them)\n";
    }
  }
  return out;
}

}  // namespace kiln::deploy
