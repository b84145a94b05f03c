// kiln-firealarm-data: builds the fire-alarm example's recordings. See ../README.md.
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <string>

#include <CLI/CLI.hpp>

#include "core/error.h"
#include "generator/dataset.h"
#include "generator/sound_library.h"

int main(int argc, char** argv) {
  kiln::firealarm::GenerateOptions options;
  if (const char* root = std::getenv("KILN_SOUNDS_ROOT")) options.sources_root = root;
  bool quiet = false;

  CLI::App app(
      "Builds the fire-alarm example's dataset: a synthesized temporal-three smoke alarm (ISO 8201 / NFPA "
      "72) and\n"
      "confusable sounds, mixed over real recordings from Debian packages, as 16 kHz mono 16-bit WAV files "
      "in\n"
      "DIR/alarm/ and DIR/noise/ (the folder is the label) with DIR/.manifest.json describing every file.\n"
      "The same seed gives the same files; a second run with the same seed and size does nothing.",
      "kiln-firealarm-data");
  std::string out;
  app.add_option("--out", out, "Output directory")->required();
  app.add_option("--seed", options.seed, "Random seed")->capture_default_str();
  app.add_option("--minutes", options.minutes, "Minutes of audio in all, half per label")
      ->capture_default_str()
      ->check(CLI::Range(0.01, 600.0));
  app.add_option("--sources-root", options.sources_root,
                 "Directory under which the Debian packages' sounds are found (usr/share/...); default /, or "
                 "$KILN_SOUNDS_ROOT");
  app.add_option("-j,--jobs", options.jobs, "Worker threads (default: one per core, at most 4); same output")
      ->check(CLI::Range(0, 64));
  app.add_flag("--force", options.force, "Regenerate even when DIR already holds this dataset");
  app.add_flag("-q,--quiet", quiet, "Print only errors");
  std::string packages;
  for (const auto& p : kiln::firealarm::SoundLibrary::packages()) packages += " " + p;
  app.footer("\nRecordings come from the Debian packages:" + packages +
             "\n(scripts/bootstrap installs them).");
  CLI11_PARSE(app, argc, argv);
  options.out = out;

  try {
    auto t0 = std::chrono::steady_clock::now();
    int last_tenth = 0;
    auto progress = [&](int done, int total) {
      int tenth = done * 10 / total;
      if (!quiet && tenth > last_tenth) {
        std::printf("kiln-firealarm-data: %d%% (%d of %d clips)\n", tenth * 10, done, total);
        std::fflush(stdout);
        last_tenth = tenth;
      }
    };
    kiln::firealarm::GenerateResult r = kiln::firealarm::generate_dataset(options, progress);
    double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    if (!quiet) {
      std::printf("kiln-firealarm-data: %s %s: %d alarm clips (%.1f min), %d noise clips (%.1f min)",
                  out.c_str(), r.cached ? "is cached (same seed, minutes and generator version)" : "written",
                  r.alarm_files, r.alarm_seconds / 60, r.noise_files, r.noise_seconds / 60);
      if (r.cached) {
        std::printf("\n");
      } else {
        std::printf(" in %.1f s\n", seconds);
      }
    }
    return 0;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "kiln-firealarm-data: error: %s\n", e.what());
    return 1;
  }
}
