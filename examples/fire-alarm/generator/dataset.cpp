#include "generator/dataset.h"

#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <exception>
#include <fstream>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/atomic_file.h"
#include "core/error.h"
#include "generator/audio_file.h"
#include "generator/clips.h"
#include "generator/label_checks.h"
#include "generator/random.h"
#include "generator/real_confusers.h"
#include "generator/sound_library.h"

namespace kiln::firealarm {
namespace {

namespace fs = std::filesystem;

constexpr const char* kGeneratorName = "kiln-firealarm-data";
constexpr double kAlarmMinSeconds = 2, kAlarmMaxSeconds = 8;
constexpr double kNoiseMinSeconds = 2, kNoiseMaxSeconds = 10;

struct PlannedClip {
  bool alarm = true;
  int index = 0;  // within its label, from 1
  std::size_t samples = 0;
  NoisePlan noise;
};

// Clip lengths until each label holds half the minutes. Noise clips cycle through their kinds (synthesized
// confuser, background only, recorded confuser) and the confusers through their types, so even a small
// dataset has some of each.
std::vector<PlannedClip> plan_clips(std::uint64_t seed, double minutes) {
  Random rng(stream_seed(seed, 0));
  std::vector<PlannedClip> plan;
  const double per_label = minutes * 60 / 2;
  double total = 0;
  for (int i = 1; total < per_label; ++i) {
    auto n =
        static_cast<std::size_t>(std::lround(rng.uniform(kAlarmMinSeconds, kAlarmMaxSeconds) * kSampleRate));
    plan.push_back({true, i, n, {}});
    total += static_cast<double>(n) / kSampleRate;
  }
  total = 0;
  int synthesized = 0, recorded = 0;
  for (int i = 1; total < per_label; ++i) {
    auto n =
        static_cast<std::size_t>(std::lround(rng.uniform(kNoiseMinSeconds, kNoiseMaxSeconds) * kSampleRate));
    NoisePlan noise;
    switch ((i - 1) % 3) {
      case 0:
        noise.kind = NoiseKind::synthesized_confuser;
        noise.synth = static_cast<SynthConfuser>(synthesized++ % kSynthConfuserCount);
        break;
      case 1:
        noise.kind = NoiseKind::background;
        break;
      default:
        noise.kind = NoiseKind::recorded_confuser;
        noise.recorded = kConfuserSets[recorded++ % std::size(kConfuserSets)];
        break;
    }
    plan.push_back({false, i, n, noise});
    total += static_cast<double>(n) / kSampleRate;
  }
  return plan;
}

std::string clip_name(const PlannedClip& c, const nlohmann::json& recipe) {
  char number[16];
  std::snprintf(number, sizeof number, "%04d", c.index);
  if (c.alarm) return std::string("alarm/alarm-") + number + ".wav";
  std::string what;
  if (c.noise.kind == NoiseKind::synthesized_confuser) {
    what = confuser_name(c.noise.synth);
  } else if (c.noise.kind == NoiseKind::recorded_confuser) {
    what = set_name(c.noise.recorded);
  } else {
    what = recipe["background"][0]["category"].get<std::string>();
  }
  for (char& ch : what) ch = ch == '_' ? '-' : ch;
  return std::string("noise/noise-") + number + "-" + what + ".wav";
}

// DIR holds exactly the dataset this seed, size and generator version make: the manifest says so and every
// file it lists is there with its size.
bool is_cached(const fs::path& out, std::uint64_t seed, double minutes) {
  std::error_code ec;
  if (!fs::exists(out / ".manifest.json", ec)) return false;
  try {
    nlohmann::json m = nlohmann::json::parse(read_file(out / ".manifest.json"));
    if (m.value("generator", "") != kGeneratorName || m.value("version", 0) != kGeneratorVersion ||
        m.value("seed", std::uint64_t{0}) != seed || m.value("minutes", -1.0) != minutes) {
      return false;
    }
    for (const auto& f : m.at("files")) {
      fs::path p = out / f.at("path").get<std::string>();
      if (!fs::is_regular_file(p, ec) || fs::file_size(p, ec) != f.at("bytes").get<std::uintmax_t>())
        return false;
    }
    return true;
  } catch (const std::exception&) {
    return false;
  }
}

bool is_our_dataset(const fs::path& out) {
  try {
    nlohmann::json m = nlohmann::json::parse(read_file(out / ".manifest.json"));
    return m.value("generator", "") == kGeneratorName;
  } catch (const std::exception&) {
    return false;
  }
}

// Leftovers of runs that were interrupted: DIR.partial-PID and DIR.old-PID whose process is gone.
void remove_stale_leftovers(const fs::path& out) {
  std::error_code ec;
  fs::path parent = out.parent_path().empty() ? fs::path(".") : out.parent_path();
  const std::string name = out.filename().string();
  for (const auto& entry : fs::directory_iterator(parent, ec)) {
    std::string other = entry.path().filename().string();
    for (const char* suffix : {".partial-", ".old-"}) {
      std::string prefix = name + suffix;
      if (other.rfind(prefix, 0) != 0) continue;
      long pid = std::strtol(other.c_str() + prefix.size(), nullptr, 10);
      if (pid > 0 && ::kill(static_cast<pid_t>(pid), 0) != 0 && errno == ESRCH)
        fs::remove_all(entry.path(), ec);
    }
  }
}

void write_bytes(const fs::path& path, const std::string& bytes) {
  std::ofstream f(path, std::ios::binary | std::ios::trunc);
  f.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  f.close();
  if (!f) throw Error(path.string() + ": cannot write (" + std::strerror(errno) + ")");
}

}  // namespace

GenerateResult generate_dataset(const GenerateOptions& options,
                                const std::function<void(int, int)>& progress) {
  if (!(options.minutes > 0) || options.minutes > 600) {
    throw Error("--minutes must be more than 0 and at most 600 (got " + std::to_string(options.minutes) +
                ")");
  }
  const fs::path out = fs::absolute(options.out).lexically_normal();
  if (out.filename().empty()) throw Error(options.out.string() + ": not a usable output directory");
  GenerateResult result;
  std::error_code ec;
  if (fs::exists(out, ec)) {
    if (!fs::is_directory(out, ec)) throw Error(out.string() + ": exists and is not a directory");
    if (!options.force && is_cached(out, options.seed, options.minutes)) {
      nlohmann::json m = nlohmann::json::parse(read_file(out / ".manifest.json"));
      result.cached = true;
      result.alarm_files = m["totals"]["alarm_files"].get<int>();
      result.noise_files = m["totals"]["noise_files"].get<int>();
      result.alarm_seconds = m["totals"]["alarm_s"].get<double>();
      result.noise_seconds = m["totals"]["noise_s"].get<double>();
      return result;
    }
    if (!fs::is_empty(out, ec) && !is_our_dataset(out)) {
      throw Error(out.string() + ": exists and is not a " + kGeneratorName +
                  " dataset (no .manifest.json of ours); refusing to replace it, choose another --out");
    }
  }

  SoundLibrary library(options.sources_root);  // throws, naming the packages, when recordings are missing

  fs::create_directories(out.parent_path(), ec);
  remove_stale_leftovers(out);
  const std::string pid = std::to_string(::getpid());
  fs::path tmp = out;
  tmp += ".partial-" + pid;
  fs::remove_all(tmp, ec);
  fs::create_directories(tmp / "alarm");
  fs::create_directories(tmp / "noise");

  std::vector<PlannedClip> plan = plan_clips(options.seed, options.minutes);
  std::vector<nlohmann::json> entries(plan.size());
  try {
    // Every clip has its own random stream, so clips can be made in any order, by any number of threads.
    std::atomic<std::size_t> next{0}, done{0};
    std::mutex progress_mutex;
    std::exception_ptr failure;
    auto worker = [&] {
      for (std::size_t i = next++; i < plan.size(); i = next++) {
        try {
          const PlannedClip& c = plan[i];
          Random rng(stream_seed(options.seed, (c.alarm ? 1'000'000ULL : 2'000'000ULL) + c.index));
          double seconds = static_cast<double>(c.samples) / kSampleRate;
          Stem clip = c.alarm ? make_alarm_clip(seconds, rng, library)
                              : make_noise_clip(seconds, c.noise, rng, library);
          clip.samples.resize(c.samples, 0.0f);
          std::string name = clip_name(c, clip.recipe);
          std::string bytes = wav_bytes(clip.samples);
          write_bytes(tmp / name, bytes);
          entries[i] = {{"path", name}, {"seconds", seconds}, {"bytes", bytes.size()}};
          entries[i].update(clip.recipe);
          std::lock_guard lock(progress_mutex);
          if (progress) progress(static_cast<int>(++done), static_cast<int>(plan.size()));
        } catch (...) {
          std::lock_guard lock(progress_mutex);
          if (!failure) failure = std::current_exception();
          next = plan.size();
        }
      }
    };
    int jobs = options.jobs > 0 ? options.jobs
                                : static_cast<int>(std::clamp(std::thread::hardware_concurrency(), 1U, 4U));
    std::vector<std::thread> threads;
    for (int j = 1; j < jobs; ++j) threads.emplace_back(worker);
    worker();
    for (auto& t : threads) t.join();
    if (failure) std::rethrow_exception(failure);

    nlohmann::json files = nlohmann::json::array();
    for (std::size_t i = 0; i < plan.size(); ++i) {
      (plan[i].alarm ? result.alarm_files : result.noise_files) += 1;
      (plan[i].alarm ? result.alarm_seconds : result.noise_seconds) +=
          static_cast<double>(plan[i].samples) / kSampleRate;
      files.push_back(std::move(entries[i]));
    }

    nlohmann::json manifest = {
        {"generator", kGeneratorName},
        {"version", kGeneratorVersion},
        {"seed", options.seed},
        {"minutes", options.minutes},
        {"sample_rate", kSampleRate},
        {"window_s", kWindowSeconds},
        {"window_stride_s", kWindowStrideSeconds},
        {"alarm_band_hz", {kAlarmBandLowHz, kAlarmBandHighHz}},
        {"labels", {"alarm", "noise"}},
        {"packages", SoundLibrary::packages()},
        {"totals",
         {{"alarm_files", result.alarm_files},
          {"noise_files", result.noise_files},
          {"alarm_s", result.alarm_seconds},
          {"noise_s", result.noise_seconds}}},
        {"files", files},
    };
    write_file_atomic(tmp / ".manifest.json", manifest.dump(1) + "\n");

    fs::path old = out;
    old += ".old-" + pid;
    bool had_old = fs::exists(out, ec);
    if (had_old) fs::rename(out, old);
    fs::rename(tmp, out);
    if (had_old) fs::remove_all(old, ec);
  } catch (...) {
    fs::remove_all(tmp, ec);
    throw;
  }
  return result;
}

}  // namespace kiln::firealarm
