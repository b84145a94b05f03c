#include "generator/backgrounds.h"

#include <cmath>
#include <string>

#include "generator/audio_file.h"
#include "generator/mix.h"

namespace kiln::firealarm {
namespace {

enum class Fill {
  continuous,  // excerpts joined with 30 ms crossfades: ambiences, machines, music, long speech
  events,      // short recordings one after another with pauses: words, household noises, animals
  typing,      // key presses and releases at typing speed
};

struct Category {
  const char* name;
  SoundSet set;
  Fill fill;
  double weight;
  double min_gap, max_gap;  // events: pause between two sounds (s)
};

const std::vector<Category>& categories() {
  static const std::vector<Category> list = {
      {"machinery", SoundSet::machinery, Fill::continuous, 1.2, 0, 0},
      {"traffic", SoundSet::traffic, Fill::continuous, 1.2, 0, 0},
      {"water", SoundSet::water, Fill::continuous, 0.8, 0, 0},
      {"ambience", SoundSet::ambience, Fill::continuous, 1.0, 0, 0},
      {"speech", SoundSet::speech, Fill::continuous, 0.9, 0, 0},
      {"speech-words", SoundSet::speech_words, Fill::events, 0.6, 0.05, 0.5},
      {"music", SoundSet::music, Fill::continuous, 1.5, 0, 0},
      {"typing", SoundSet::typing, Fill::typing, 0.8, 0, 0},
      {"household", SoundSet::household, Fill::events, 0.9, 0.0, 1.0},
      {"animals", SoundSet::animals, Fill::events, 0.5, 0.2, 1.5},
  };
  return list;
}

constexpr double kCrossfade = 0.03;

std::vector<float> silence(double seconds) {
  return std::vector<float>(static_cast<std::size_t>(std::lround(seconds * kSampleRate)), 0.0f);
}

nlohmann::json fill_continuous(std::vector<float>& out, const Category& c, Random& rng,
                               SoundLibrary& library) {
  const double seconds = static_cast<double>(out.size()) / kSampleRate;
  nlohmann::json pieces = nlohmann::json::array();
  double t = -kCrossfade;
  for (int guard = 0; t < seconds && guard < 1000; ++guard) {
    const SoundFile& file = library.pick_file(c.set, rng);
    double length = library.seconds(file);
    if (length < 0.3) continue;
    double take = std::min(length, seconds - t + kCrossfade);
    double from = length > take ? rng.uniform(0, length - take) : 0;
    std::vector<float> part = library.excerpt(file, from, take);
    if (part.size() < static_cast<std::size_t>(0.3 * kSampleRate)) continue;
    normalise_power(part);
    fade_edges(part, kCrossfade);
    add_at(out, part, t, 1.0);
    pieces.push_back({{"file", file.path.string()},
                      {"package", file.package},
                      {"from_s", from},
                      {"at_s", t},
                      {"seconds", static_cast<double>(part.size()) / kSampleRate}});
    t += static_cast<double>(part.size()) / kSampleRate - kCrossfade;
  }
  return pieces;
}

nlohmann::json fill_events(std::vector<float>& out, const Category& c, Random& rng, SoundLibrary& library) {
  const double seconds = static_cast<double>(out.size()) / kSampleRate;
  nlohmann::json pieces = nlohmann::json::array();
  double t = rng.uniform(-0.5, 0.3);
  for (int guard = 0; t < seconds && guard < 1000; ++guard) {
    const SoundFile& file = library.pick_file(c.set, rng);
    std::vector<float> part = library.excerpt(file, 0, 4.0);
    if (part.empty()) continue;
    normalise_power(part);
    fade_edges(part, 0.005);
    double gain_db = rng.uniform(-6, 0);
    add_at(out, part, t, std::pow(10.0, gain_db / 20));
    pieces.push_back(
        {{"file", file.path.string()}, {"package", file.package}, {"at_s", t}, {"gain_db", gain_db}});
    t += static_cast<double>(part.size()) / kSampleRate + rng.uniform(c.min_gap, c.max_gap);
  }
  return pieces;
}

// bucklespring's files are key presses "NN-0.wav" with their releases beside them as "NN-1.wav".
nlohmann::json fill_typing(std::vector<float>& out, const Category& c, Random& rng, SoundLibrary& library) {
  const double seconds = static_cast<double>(out.size()) / kSampleRate;
  double t = rng.uniform(-0.2, 0.2);
  double words_per_minute = rng.uniform(20, 80);  // about five keys a word
  double mean_interval = 60 / (words_per_minute * 5);
  int keys = 0;
  std::string package;
  for (; t < seconds; ++keys) {
    const SoundFile& press = library.pick_file(c.set, rng);
    package = press.package;
    double gain = std::pow(10.0, rng.uniform(-4, 0) / 20);
    add_at(out, library.excerpt(press, 0, 1.0), t, gain);
    std::string release_name = press.path.filename().string();
    release_name.replace(release_name.size() - 6, 6, "-1.wav");
    SoundFile release{press.path.parent_path() / release_name, press.package};
    std::error_code ec;
    if (std::filesystem::exists(release.path, ec)) {
      add_at(out, library.excerpt(release, 0, 1.0), t + rng.uniform(0.06, 0.15), gain * rng.uniform(0.5, 1));
    }
    t += rng.chance(0.08) ? rng.uniform(0.4, 1.5) : mean_interval * rng.uniform(0.5, 1.5);
  }
  return {{"package", package}, {"keys", keys}, {"words_per_minute", words_per_minute}};
}

nlohmann::json fill(std::vector<float>& out, const Category& c, Random& rng, SoundLibrary& library) {
  switch (c.fill) {
    case Fill::continuous:
      return fill_continuous(out, c, rng, library);
    case Fill::events:
      return fill_events(out, c, rng, library);
    case Fill::typing:
      return fill_typing(out, c, rng, library);
  }
  return {};
}

}  // namespace

Stem make_background(double seconds, Random& rng, SoundLibrary& library) {
  const auto& cats = categories();
  std::vector<double> weights;
  for (const Category& c : cats) weights.push_back(c.weight);

  Stem s{silence(seconds), nlohmann::json::array()};
  std::size_t first = rng.weighted(weights);
  int layers = rng.chance(0.3) ? 2 : 1;
  std::size_t previous = cats.size();
  for (int layer = 0; layer < layers; ++layer) {
    std::size_t i = layer == 0 ? first : rng.weighted(weights);
    if (i == previous) i = (i + 1) % cats.size();  // a second layer of another kind
    previous = i;
    std::vector<float> part = silence(seconds);
    nlohmann::json pieces = fill(part, cats[i], rng, library);
    normalise_power(part);
    double gain_db = layer == 0 ? 0 : rng.uniform(-12, -3);
    add_scaled(s.samples, part, std::pow(10.0, gain_db / 20));
    s.recipe.push_back({{"category", cats[i].name}, {"gain_db", gain_db}, {"sources", pieces}});
  }
  return s;
}

}  // namespace kiln::firealarm
