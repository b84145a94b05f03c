#include "generator/clips.h"

#include <cmath>
#include <string>

#include "core/error.h"
#include "generator/audio_file.h"
#include "generator/backgrounds.h"
#include "generator/label_checks.h"
#include "generator/mix.h"
#include "generator/real_confusers.h"
#include "generator/room.h"
#include "generator/temporal_three.h"

namespace kiln::firealarm {
namespace {

// Signal-to-noise ratios (the foreground's power while it sounds over the background's mean power) and how
// often there is no background at all; the same for alarms and confusers, so neither label is "the cleaner
// one".
constexpr double kMinSnrDb = 0;
constexpr double kMaxSnrDb = 30;
constexpr double kCleanChance = 0.15;

// Seconds of sound rendered before a clip so that its reverberation is already built up when the clip starts.
constexpr double kPrerollSeconds = 1.0;

// A background without alarm-length tones in the alarm band (a held note of music at 3.2 kHz would be one).
// Returns false when twenty tries all had one; `bg` then holds the last try.
bool clean_background(double seconds, Random& rng, SoundLibrary& library, Stem& bg) {
  for (int attempt = 0; attempt < 20; ++attempt) {
    bg = make_background(seconds, rng, library);
    if (!has_alarm_length_tone(bg.samples)) return true;
  }
  return false;
}

std::vector<float> mix(const std::vector<float>& foreground, const std::vector<float>& background,
                       double snr_db) {
  std::vector<float> out = foreground;
  if (out.empty()) out.assign(background.size(), 0.0f);
  double fg = active_power(foreground), bg = mean_power(background);
  double fg_gain = fg > 0 ? 1 / std::sqrt(fg) : 0;
  for (float& v : out) v = static_cast<float>(v * fg_gain);
  if (bg > 0 && !background.empty())
    add_scaled(out, background, std::pow(10.0, -snr_db / 20) / std::sqrt(bg));
  return out;
}

}  // namespace

Stem make_alarm_clip(double seconds, Random& rng, SoundLibrary& library) {
  TemporalThree alarm = random_temporal_three(rng);
  Room room = random_room(rng);
  std::vector<float> heard = apply_room(render_temporal_three(alarm, seconds, kPrerollSeconds, rng), room);
  heard.erase(heard.begin(),
              heard.begin() + static_cast<long>(heard.size() - std::lround(seconds * kSampleRate)));

  bool clean = rng.chance(kCleanChance);
  Stem bg;
  if (!clean)
    bg = make_background(seconds, rng, library);  // a stray tone in the alarm band does no harm here
  double snr_db = rng.uniform(kMinSnrDb, kMaxSnrDb);

  // Honest label: every 2 s window must hold the tone. A background loud enough to bury it somewhere gets
  // turned down 3 dB at a time until the tone shows through.
  Stem clip;
  double weakest = 0;
  for (int attempt = 0;; ++attempt) {
    clip.recipe = nlohmann::json::object();
    clip.samples = clean ? mix(heard, {}, 0) : mix(heard, bg.samples, snr_db);
    finish_clip(clip.samples, rng, clip.recipe);
    weakest = weakest_window_tone_seconds(clip.samples);
    if (weakest >= kMinWindowToneSeconds) break;
    // Without a background the pattern's timing alone guarantees the windows; failing then is a bug.
    if (clean || attempt == 20) {
      throw Error("internal error: could not make an alarm clip whose every window holds the tone");
    }
    snr_db += 3;
  }
  clip.recipe["label"] = "alarm";
  clip.recipe["kind"] = "temporal-three";
  clip.recipe["alarm"] = to_json(alarm);
  clip.recipe["room"] = to_json(room);
  clip.recipe["confuser"] = nlohmann::json();  // every entry has the same keys
  clip.recipe["background"] = clean ? nlohmann::json() : bg.recipe;
  clip.recipe["snr_db"] = clean ? nlohmann::json() : nlohmann::json(snr_db);
  clip.recipe["weakest_window_tone_s"] = weakest;
  return clip;
}

Stem make_noise_clip(double seconds, const NoisePlan& plan, Random& rng, SoundLibrary& library) {
  for (int attempt = 0; attempt < 50; ++attempt) {
    Stem fg;
    nlohmann::json room_json;
    if (plan.kind != NoiseKind::background) {
      if (plan.kind == NoiseKind::synthesized_confuser) {
        fg = synth_confuser(plan.synth, seconds, rng);
      } else {
        fg = real_confuser(plan.recorded, seconds, rng, library);
      }
      // Synthesized confusers are heard in rooms like the alarm; most recordings are already "somewhere".
      if (rng.chance(plan.kind == NoiseKind::synthesized_confuser ? 0.85 : 0.5)) {
        Room room = random_room(rng);
        fg.samples = apply_room(fg.samples, room);
        room_json = to_json(room);
      }
      fg.recipe["room"] = room_json;
      if (has_alarm_length_tone(fg.samples)) continue;
    }
    bool clean = plan.kind != NoiseKind::background && rng.chance(kCleanChance);
    Stem bg;
    if (!clean && !clean_background(seconds, rng, library, bg)) continue;
    double snr_db = rng.uniform(kMinSnrDb, kMaxSnrDb);

    Stem clip;
    clip.recipe = nlohmann::json::object();
    clip.samples = mix(fg.samples, bg.samples, plan.kind == NoiseKind::background ? 0 : snr_db);
    finish_clip(clip.samples, rng, clip.recipe);
    if (has_temporal_three_cadence(clip.samples)) continue;

    static const char* const kinds[] = {"background", "recorded-confuser", "synthesized-confuser"};
    clip.recipe["label"] = "noise";
    clip.recipe["kind"] = kinds[static_cast<int>(plan.kind)];
    clip.recipe["confuser"] = plan.kind == NoiseKind::background ? nlohmann::json() : fg.recipe;
    clip.recipe["background"] = clean ? nlohmann::json() : bg.recipe;
    clip.recipe["snr_db"] =
        plan.kind == NoiseKind::background || clean ? nlohmann::json() : nlohmann::json(snr_db);
    clip.recipe["attempts"] = attempt + 1;
    return clip;
  }
  throw Error("internal error: could not make a noise clip free of alarm-like tones in 50 attempts");
}

}  // namespace kiln::firealarm
