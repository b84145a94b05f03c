#include "e2e/device_compare.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <sstream>

#include "profile/cortex_m.h"
#include "support/kiln_cli.h"

namespace kiln::test {

namespace fs = std::filesystem;

std::vector<std::string> host_scores(const fs::path& project, const std::vector<fs::path>& files) {
  std::vector<std::string> lines;
  for (std::size_t f = 0; f < files.size(); ++f) {
    const KilnRun r = run_kiln({"-C", project.string(), "--json", "classify", files[f].string()});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    if (r.exit_code != 0) return {};
    const nlohmann::json j = nlohmann::json::parse(r.out);  // kept: the loop must not outlive it
    int w = 0;
    for (const auto& window : j.at("windows")) {
      std::string line = std::to_string(f) + " " + std::to_string(w++);
      for (const auto& q : window.at("scores_q")) line += " " + std::to_string(q.get<int>());
      lines.push_back(line);
    }
  }
  return lines;
}

const char* const kDeviceWindowLoopBody = R"(
      kiln_result result;
      const int status = kiln_run_impulse(&signal, &result);
      if (status != KILN_OK) { printf("error %s\n", kiln_status_message(status)); return 1; }
      printf("%u %d", r, w++);
      for (int i = 0; i < KILN_OUTPUT_COUNT; ++i) printf(" %d", (int)result.scores_q[i]);
      printf("\n");
)";

std::vector<fs::path> library_sources(const fs::path& src_dir) {
  std::vector<fs::path> out;
  for (const auto& e : fs::recursive_directory_iterator(src_dir)) {
    if (e.path().extension() == ".cpp") out.push_back(e.path());
  }
  return out;
}

std::vector<std::string> run_on_m4f(const fs::path& lib, bool arduino, const fs::path& main_cpp,
                                    const fs::path& work) {
  kiln::profile::Program program;
  program.sources = library_sources(lib / "src");
  program.sources.push_back(main_cpp);
  program.include_dirs = arduino ? std::vector<fs::path>{lib / "src"}
                                 : std::vector<fs::path>{lib / "include", lib / "src", lib / "src/sdk"};
  const auto build = kiln::profile::build_for(kiln::profile::cortex_m4f(), program, work);
  const auto run = kiln::profile::run_on_qemu(kiln::profile::cortex_m4f(), build, {}, 600);
  EXPECT_EQ(run.exit_status, 0) << run.output << run.diagnostics;
  if (run.exit_status != 0) return {};
  return lines_of(run.output);
}

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream is(text);
  for (std::string line; std::getline(is, line);) out.push_back(line);
  return out;
}

}  // namespace kiln::test
