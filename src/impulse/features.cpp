#include "impulse/features.h"

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <cstring>
#include <exception>
#include <mutex>
#include <numeric>
#include <optional>
#include <sstream>
#include <thread>

#include "core/atomic_file.h"
#include "core/error.h"
#include "core/generation.h"
#include "data/sha256.h"
#include "impulse/dsp_block.h"
#include "impulse/impulse_runner.h"
#include "impulse/windowing.h"

namespace kiln {
namespace {

constexpr char kCacheMagic[8] = {'K', 'F', 'E', 'A', 'T', '0', '0', '1'};

// One sample's windows, as stored in a cache file: magic, window count, row size, starts (u64), values (f32).
struct SampleFeatures {
  std::vector<std::size_t> starts;
  std::vector<float> values;
  bool padded = false;
};

std::string cache_key(const SampleRecord& s, const Impulse& imp) {
  std::ostringstream k;
  k.precision(17);
  k << "kiln-features-1|" << s.hash << "|" << imp.dsp.block << "|" << imp.dsp.version << "|"
    << imp.input.frequency << "|" << imp.input.axes << "|" << imp.input.window_size_ms << "|"
    << imp.input.window_increase_ms << "|" << imp.input.zero_pad;
  if (imp.input.is_image()) {
    k << "|image|" << imp.input.width << "x" << imp.input.height << "|" << imp.input.resize_mode;
  }
  for (const auto& [name, v] : imp.dsp.params) k << "|" << name << "=" << v;
  return sha256_hex(k.str());
}

SampleFeatures compute_sample(const std::vector<float>& data, const Impulse& imp) {
  const int axes = imp.input.axes;
  WindowPlan plan = plan_windows(data.size() / static_cast<std::size_t>(axes), imp.input);
  SampleFeatures out;
  out.starts = plan.starts;
  out.padded = plan.padded;
  std::vector<float> window(plan.window_samples * static_cast<std::size_t>(axes));
  if (plan.starts.empty()) return out;
  ImpulseRunner dsp(imp.dsp.block, imp.dsp.version, block_params(imp.input, imp.dsp), imp.input.frequency,
                    axes, plan.window_samples);
  for (std::size_t start : plan.starts) {
    extract_window(data, axes, start, plan.window_samples, window.data());
    const std::vector<float> f = dsp.features(window);
    out.values.insert(out.values.end(), f.begin(), f.end());
  }
  return out;
}

// Samples are converted to the impulse's input (frequency and axis count, or image size) when they are
// added, so a kiln.toml changed since then would silently reinterpret them.
bool stored_fits(const SampleRecord& s, const InputSettings& in) {
  if (in.is_image()) {
    return s.is_image() && s.width == in.width && s.height == in.height &&
           (s.resize_mode.empty() || s.resize_mode == in.resize_mode);
  }
  return !s.is_image() && s.frequency == in.frequency && s.axes == in.axes;
}

std::string stored_as(const SampleRecord& s) {
  std::ostringstream m;
  if (s.is_image()) {
    m << "as " << s.width << " x " << s.height << " images";
    if (!s.resize_mode.empty()) m << " (resized with " << s.resize_mode << ")";
  } else {
    m << "at " << s.frequency << " Hz with " << s.axes << " ax" << (s.axes == 1 ? "is" : "es");
  }
  return m.str();
}

std::string input_now(const InputSettings& in) {
  std::ostringstream m;
  if (in.is_image()) {
    m << "image " << in.width << " x " << in.height << " (resize_mode " << in.resize_mode << ")";
  } else {
    m << in.frequency << " Hz with " << in.axes << (in.axes == 1 ? " axis" : " axes");
  }
  return m.str();
}

void check_stored_format(const Dataset& dataset, const std::vector<SampleRecord>& samples,
                         const Impulse& imp) {
  std::size_t other = 0;
  const SampleRecord* first = nullptr;
  for (const SampleRecord& s : samples) {
    if (!stored_fits(s, imp.input)) {
      if (!first) first = &s;
      ++other;
    }
  }
  if (!first) return;
  std::ostringstream m;
  m << dataset.index_path().string() << ": " << other << " sample" << (other == 1 ? " was" : "s were")
    << " added " << stored_as(*first) << " (e.g. id " << first->id << ", " << first->name
    << "), but kiln.toml's [input] now says " << input_now(imp.input) << "; set [input] back, or add the "
    << (first->is_image() ? "images" : "recordings") << " again to a project with the new settings";
  throw Error(m.str());
}

std::string serialize(const SampleFeatures& f, std::size_t row) {
  std::string bytes(kCacheMagic, sizeof kCacheMagic);
  auto put_u64 = [&](std::uint64_t v) { bytes.append(reinterpret_cast<const char*>(&v), sizeof v); };
  put_u64(f.starts.size());
  put_u64(row);
  put_u64(f.padded ? 1 : 0);
  for (std::size_t s : f.starts) put_u64(s);
  bytes.append(reinterpret_cast<const char*>(f.values.data()), f.values.size() * sizeof(float));
  return bytes;
}

// Returns false when the file is missing or not a valid cache entry for this row size (then it is
// recomputed).
bool deserialize(const std::filesystem::path& path, std::size_t row, SampleFeatures* f) {
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) return false;
  std::string bytes;
  try {
    bytes = read_file(path);
  } catch (const Error&) {
    return false;
  }
  const std::size_t header = sizeof kCacheMagic + 3 * sizeof(std::uint64_t);
  if (bytes.size() < header || std::memcmp(bytes.data(), kCacheMagic, sizeof kCacheMagic) != 0) return false;
  std::uint64_t n, stored_row, padded;
  std::memcpy(&n, bytes.data() + 8, 8);
  std::memcpy(&stored_row, bytes.data() + 16, 8);
  std::memcpy(&padded, bytes.data() + 24, 8);
  if (stored_row != row || n > bytes.size()) return false;
  if (bytes.size() != header + n * 8 + n * row * sizeof(float)) return false;
  f->starts.resize(n);
  f->padded = padded != 0;
  for (std::size_t i = 0; i < n; ++i) {
    std::uint64_t s;
    std::memcpy(&s, bytes.data() + header + i * 8, 8);
    f->starts[i] = s;
  }
  f->values.resize(n * row);
  std::memcpy(f->values.data(), bytes.data() + header + n * 8, f->values.size() * sizeof(float));
  return true;
}

}  // namespace

std::size_t FeatureTable::row_size() const {
  return std::accumulate(shape.begin(), shape.end(), std::size_t{1},
                         [](std::size_t a, int b) { return a * static_cast<std::size_t>(b); });
}

bool input_takes_features(const std::vector<int>& model_input, const std::vector<int>& features) {
  auto squeezed = [](std::vector<int> d, bool batch) {
    if (batch && d.size() >= 2 && d[0] == 1) d.erase(d.begin());
    d.erase(std::remove(d.begin(), d.end(), 1), d.end());
    return d;
  };
  const std::vector<int> in = squeezed(model_input, true), f = squeezed(features, false);
  auto count = [](const std::vector<int>& d) {
    return std::accumulate(d.begin(), d.end(), std::int64_t{1},
                           [](std::int64_t a, int b) { return a * static_cast<std::int64_t>(b); });
  };
  return in.size() <= 1 ? count(in) == count(f) : in == f;
}

std::string shape_text(const std::vector<int>& shape) {
  std::string s;
  for (const int d : shape) s += (s.empty() ? "" : " x ") + std::to_string(d);
  return s;
}

std::vector<int> window_feature_shape(const Impulse& imp) {
  DspShape s = dsp_output_shape(imp.dsp.block, block_params(imp.input, imp.dsp), imp.input.frequency,
                                imp.input.axes, window_samples(imp.input));
  return feature_tensor_shape(imp.input, s.frames, s.values);
}

std::vector<WindowInfo> for_each_signal_window(const std::vector<float>& interleaved, const Impulse& imp,
                                               const std::string& name,
                                               const std::function<void(std::span<const float>)>& visit) {
  const int axes = imp.input.axes;
  const std::size_t length = interleaved.size() / static_cast<std::size_t>(axes);
  const WindowPlan plan = plan_windows(length, imp.input);
  if (plan.starts.empty()) {
    throw Error(name + ": " + std::to_string(length * 1000.0 / imp.input.frequency).substr(0, 8) +
                " ms is shorter than one window (" + std::to_string(imp.input.window_size_ms) +
                " ms) and zero_pad is off in kiln.toml");
  }
  std::vector<float> window(plan.window_samples * static_cast<std::size_t>(axes));
  std::vector<WindowInfo> windows;
  for (std::size_t start : plan.starts) {
    extract_window(interleaved, axes, start, plan.window_samples, window.data());
    visit(window);
    WindowInfo w;
    w.sample_name = name;
    w.start_s = window_start_seconds(start, imp.input);
    w.padded = plan.padded;
    windows.push_back(w);
  }
  return windows;
}

FeatureTable signal_features(const std::vector<float>& interleaved, const Impulse& imp,
                             const std::string& name) {
  FeatureTable t;
  t.shape = window_feature_shape(imp);
  std::optional<ImpulseRunner> dsp;  // prepared for the window length on the first window
  t.windows = for_each_signal_window(interleaved, imp, name, [&](std::span<const float> window) {
    if (!dsp) {
      dsp.emplace(imp.dsp.block, imp.dsp.version, block_params(imp.input, imp.dsp), imp.input.frequency,
                  imp.input.axes, window.size() / static_cast<std::size_t>(imp.input.axes));
    }
    const std::vector<float> f = dsp->features(window);
    t.values.insert(t.values.end(), f.begin(), f.end());
  });
  return t;
}

FeatureTable dataset_features(const Dataset& dataset, const std::vector<SampleRecord>& samples,
                              const Impulse& imp, const std::filesystem::path& cache_dir,
                              Generation* generation, int threads,
                              const std::function<void(std::size_t, std::size_t)>& progress,
                              FeatureStats* stats) {
  check_stored_format(dataset, samples, imp);
  FeatureTable table;
  table.shape = window_feature_shape(imp);
  const std::size_t row = table.row_size();
  std::vector<SampleFeatures> results(samples.size());
  std::vector<char> from_cache(samples.size(), 0);

  std::atomic<std::size_t> next{0};
  std::atomic<std::size_t> done{0};
  std::mutex mu;
  std::condition_variable cv;
  std::exception_ptr failure;
  auto worker = [&] {
    for (;;) {
      std::size_t i = next++;
      if (i >= samples.size()) break;
      try {
        const std::filesystem::path path = cache_dir / (cache_key(samples[i], imp) + ".feat");
        if (deserialize(generation ? generation->current(path) : path, row, &results[i])) {
          from_cache[i] = 1;
        } else {
          SampleData data = dataset.load(samples[i]);
          results[i] = compute_sample(data.values, imp);
          if (generation) generation->write(path, serialize(results[i], row));
        }
      } catch (...) {
        std::lock_guard<std::mutex> lock(mu);
        if (!failure) failure = std::current_exception();
        next = samples.size();
      }
      ++done;
      cv.notify_one();
    }
  };
  const int n_threads = std::max(1, std::min<int>(threads, static_cast<int>(samples.size())));
  std::vector<std::thread> pool;
  for (int t = 0; n_threads > 1 && t < n_threads; ++t) pool.emplace_back(worker);
  if (pool.empty()) {
    worker();  // one worker: this thread (everything the command writes then comes from one thread)
  } else {
    std::unique_lock<std::mutex> lock(mu);
    while (done < samples.size() && !failure) {
      cv.wait_for(lock, std::chrono::milliseconds(100));
      if (progress) progress(done, samples.size());
    }
  }
  for (auto& t : pool) t.join();
  if (failure) std::rethrow_exception(failure);
  if (progress) progress(samples.size(), samples.size());

  FeatureStats st;
  st.samples = samples.size();
  for (std::size_t i = 0; i < samples.size(); ++i) {
    const SampleFeatures& f = results[i];
    if (f.starts.empty()) ++st.skipped;
    (from_cache[i] ? st.cached : st.computed)++;
    for (std::size_t w = 0; w < f.starts.size(); ++w) {
      WindowInfo info;
      info.sample_id = samples[i].id;
      info.sample_name = samples[i].name;
      info.label = samples[i].label;
      info.category = samples[i].category;
      info.start_s = window_start_seconds(f.starts[w], imp.input);
      info.padded = f.padded;
      table.windows.push_back(std::move(info));
    }
    table.values.insert(table.values.end(), f.values.begin(), f.values.end());
  }
  if (stats) *stats = st;
  return table;
}

}  // namespace kiln
