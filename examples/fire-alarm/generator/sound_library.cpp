#include "generator/sound_library.h"

#include <fnmatch.h>

#include <algorithm>
#include <set>

#include "core/error.h"
#include "generator/audio_file.h"

namespace kiln::firealarm {
namespace {

namespace fs = std::filesystem;

// Where a set's files come from: files in `dir` (directly in it, or at any depth) whose name matches one of
// the globs and none of the exclusions.
struct Source {
  SoundSet set;
  const char* package;
  const char* dir;
  bool any_depth;
  std::vector<const char*> globs;
  std::vector<const char*> excludes;
};

constexpr const char* kLincity = "usr/share/games/lincity-ng/sounds";
constexpr const char* kSonicPi = "usr/share/sonic-pi/samples";
constexpr const char* kAllison = "usr/share/asterisk/sounds/en_US_f_Allison";
constexpr const char* kTuxpaint = "usr/share/tuxpaint/stamps";

const std::vector<Source>& sources() {
  static const std::vector<Source> table = {
      {SoundSet::machinery,
       "lincity-ng-data",
       kLincity,
       false,
       {"IndustryHigh*.wav", "IndustryLight*.wav", "CoalMine*.wav", "OreMine*.wav", "Mill*.wav",
        "PowerCoal*.wav", "Recycle*.wav", "Blacksmith*.wav", "MonumentConstruction*.wav",
        "Substation[0-9].wav", "WindMill*.wav", "Rocket[0-9].wav", "RocketTakeoff*.wav", "Build*.wav",
        "Pottery*.wav", "Tip*.wav"},
       {}},
      {SoundSet::machinery, "sonic-pi-samples", kSonicPi, false, {"loop_3d_printer.flac"}, {}},
      {SoundSet::traffic,
       "lincity-ng-data",
       kLincity,
       false,
       {"Trafic*.wav", "RailTrain*.wav", "DirtTrack*.wav", "ParklandPlane*.wav", "Harbor*.wav"},
       {}},
      {SoundSet::water, "lincity-ng-data", kLincity, false, {"Water*.wav", "ParklandLake*.wav"}, {}},
      {SoundSet::ambience,
       "lincity-ng-data",
       kLincity,
       false,
       {"Farm*.wav", "OrganicFarm*.wav", "Green*.wav", "Fire[0-9].wav", "FireWasteland*.wav",
        "Residential*.wav", "Market*.wav", "SportsCroud*.wav", "School*.wav", "University*.wav",
        "Shanty*.wav", "Commune*.wav", "Health*.wav", "Monument[0-9].wav"},
       {}},
      {SoundSet::ambience,
       "sonic-pi-samples",
       kSonicPi,
       false,
       {"ambi_drone.flac", "ambi_haunted_hum.flac", "ambi_sauna.flac", "ambi_lunar_land.flac",
        "ambi_dark_woosh.flac", "vinyl_hiss.flac"},
       {}},
      {SoundSet::speech,
       "asterisk-core-sounds-en-wav",
       kAllison,
       false,
       {"*.wav"},
       {"beep*", "*tone*", "tt-monkeys*"}},
      {SoundSet::speech, "codec2-examples", "usr/share/codec2/wav", false, {"*.wav"}, {}},
      {SoundSet::speech_words, "tuxpaint-stamps-default", kTuxpaint, true, {"*_desc*.ogg"}, {}},
      {SoundSet::music, "lincity-ng-data", "usr/share/games/lincity-ng/music", true, {"*.ogg"}, {}},
      {SoundSet::music, "asterisk-moh-opsound-wav", "usr/share/asterisk/moh", false, {"*.wav"}, {}},
      {SoundSet::music,
       "sonic-pi-samples",
       kSonicPi,
       false,
       {"loop_amen_full.flac", "loop_breakbeat.flac", "loop_garzul.flac", "loop_mika.flac",
        "loop_safari.flac", "loop_tabla.flac", "loop_compus.flac", "loop_weirdo.flac", "loop_drone_g_97.flac",
        "guit_em9.flac", "guit_e_fifths.flac", "guit_e_slide.flac", "ambi_piano.flac", "ambi_choir.flac",
        "drum_roll.flac"},
       {}},
      {SoundSet::music,
       "tuxpaint-stamps-default",
       "usr/share/tuxpaint/stamps/hobbies/music",
       true,
       {"*.ogg"},
       {"*_desc*"}},
      {SoundSet::typing, "bucklespring-data", "usr/share/buckle/wav", false, {"*-0.wav"}, {}},
      {SoundSet::household,
       "tuxpaint-stamps-default",
       "usr/share/tuxpaint/stamps/household",
       true,
       {"*.ogg"},
       {"*_desc*"}},
      {SoundSet::household, "sonic-pi-samples", kSonicPi, false, {"perc_door.flac"}, {}},
      {SoundSet::household, "lincity-ng-data", kLincity, false, {"WindowOpen.wav", "WindowClose.wav"}, {}},
      {SoundSet::animals,
       "tuxpaint-stamps-default",
       "usr/share/tuxpaint/stamps/animals",
       true,
       {"*.ogg"},
       {"*_desc*"}},
      {SoundSet::ui_sounds,
       "sound-theme-freedesktop",
       "usr/share/sounds/freedesktop/stereo",
       false,
       {"*.oga"},
       {"audio-channel-*"}},
      {SoundSet::ringtones, "lomiri-sounds", "usr/share/sounds/lomiri/ringtones", false, {"*.ogg"}, {}},
      {SoundSet::notifications,
       "lomiri-sounds",
       "usr/share/sounds/lomiri/notifications",
       false,
       {"*.ogg"},
       {}},
      {SoundSet::bells_beeps,
       "sonic-pi-samples",
       kSonicPi,
       false,
       {"elec_beep.flac", "elec_bell.flac", "elec_chime.flac", "elec_ping.flac", "elec_blip*.flac",
        "elec_plip.flac", "elec_twip.flac", "elec_triangle.flac", "perc_bell*.flac", "perc_till.flac",
        "mehackit_phone*.flac", "drum_cowbell.flac"},
       {}},
      {SoundSet::bells_beeps,
       "asterisk-core-sounds-en-wav",
       kAllison,
       false,
       {"beep.wav", "beeperr.wav"},
       {}},
      {SoundSet::bells_beeps,
       "tuxpaint-stamps-default",
       "usr/share/tuxpaint/stamps/vehicles/emergency",
       false,
       {"firetruck.ogg"},
       {}},
  };
  return table;
}

bool matches_any(const std::vector<const char*>& globs, const std::string& name) {
  return std::any_of(globs.begin(), globs.end(),
                     [&](const char* g) { return fnmatch(g, name.c_str(), 0) == 0; });
}

std::vector<fs::path> find_files(const fs::path& dir, const Source& source) {
  std::vector<fs::path> found;
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) return found;
  auto consider = [&](const fs::directory_entry& entry) {
    if (!entry.is_regular_file(ec)) return;
    std::string name = entry.path().filename().string();
    if (matches_any(source.globs, name) && !matches_any(source.excludes, name)) found.push_back(entry.path());
  };
  if (source.any_depth) {
    for (auto it = fs::recursive_directory_iterator(dir, ec); !ec && it != fs::recursive_directory_iterator();
         it.increment(ec)) {
      consider(*it);
    }
  } else {
    for (auto it = fs::directory_iterator(dir, ec); !ec && it != fs::directory_iterator(); it.increment(ec)) {
      consider(*it);
    }
  }
  return found;
}

// Decoded files are kept up to this many samples in all (about 200 MB of floats).
constexpr std::size_t kCacheSamples = 50'000'000;
constexpr double kCacheMaxSeconds = 40;

}  // namespace

const char* set_name(SoundSet set) {
  static const char* const names[kSoundSetCount] = {
      "machinery", "traffic",   "water",   "ambience",  "speech",    "speech_words",  "music",
      "typing",    "household", "animals", "ui_sounds", "ringtones", "notifications", "bells_beeps"};
  return names[static_cast<int>(set)];
}

std::vector<std::string> SoundLibrary::packages() {
  std::vector<std::string> out;
  for (const Source& s : sources()) {
    if (std::find(out.begin(), out.end(), s.package) == out.end()) out.push_back(s.package);
  }
  return out;
}

SoundLibrary::SoundLibrary(const fs::path& root) {
  // package -> the directories where its files were expected but not found
  std::map<std::string, std::set<std::string>> missing;
  for (const Source& source : sources()) {
    fs::path dir = root / source.dir;
    std::vector<fs::path> found = find_files(dir, source);
    if (found.empty()) missing[source.package].insert(dir.string());
    for (auto& p : found) files_[static_cast<int>(source.set)].push_back({std::move(p), source.package});
  }
  if (!missing.empty()) {
    std::string msg = "the real recordings the fire-alarm data is mixed from are missing:";
    std::string install;
    for (const auto& [package, dirs] : missing) {
      msg += "\n  Debian package " + package + ": nothing usable in";
      for (const auto& d : dirs) msg += " " + d;
      install += " " + package;
    }
    msg += "\ninstall them with: sudo apt-get install" + install + "  (or run scripts/bootstrap)";
    throw Error(msg);
  }
  // Directory order is the file system's; sort so that the same seed picks the same files everywhere.
  for (auto& list : files_) {
    std::sort(list.begin(), list.end(),
              [](const SoundFile& a, const SoundFile& b) { return a.path < b.path; });
  }
}

double SoundLibrary::seconds(const SoundFile& file) {
  {
    std::lock_guard lock(mutex_);
    auto it = seconds_.find(file.path.string());
    if (it != seconds_.end()) return it->second;
  }
  double s = probe_audio(file.path).seconds;
  std::lock_guard lock(mutex_);
  seconds_[file.path.string()] = s;
  return s;
}

std::vector<float> SoundLibrary::excerpt(const SoundFile& file, double start_seconds, double max_seconds) {
  double total = seconds(file);
  if (total > kCacheMaxSeconds) return read_audio_16k(file.path, start_seconds, max_seconds);

  auto slice = [&](const std::vector<float>& whole) {
    auto from = std::min(whole.size(), static_cast<std::size_t>(std::max(0.0, start_seconds) * kSampleRate));
    auto count =
        std::min(whole.size() - from, static_cast<std::size_t>(std::max(0.0, max_seconds) * kSampleRate));
    return std::vector<float>(whole.begin() + static_cast<std::ptrdiff_t>(from),
                              whole.begin() + static_cast<std::ptrdiff_t>(from + count));
  };
  {
    std::lock_guard lock(mutex_);
    auto it = decoded_.find(file.path.string());
    if (it != decoded_.end()) return slice(it->second);
  }
  // Decoded outside the lock so that threads decode in parallel; two threads may decode the same file once
  // each.
  std::vector<float> whole = read_audio_16k(file.path);
  std::vector<float> part = slice(whole);
  std::lock_guard lock(mutex_);
  if (decoded_samples_ + whole.size() <= kCacheSamples && !decoded_.count(file.path.string())) {
    decoded_samples_ += whole.size();
    decoded_[file.path.string()] = std::move(whole);
  }
  return part;
}

}  // namespace kiln::firealarm
