#include "data/sample_reader.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstring>
#include <fstream>

#include "core/error.h"
#include "core/escape.h"
#include "core/quote.h"
#include "data/audio_reader.h"
#include "data/csv_reader.h"
#include "data/ei_json_reader.h"
#include "data/image_sample.h"
#include "data/resample.h"

namespace kiln {
namespace {

struct Extension {
  const char* ext;
  SampleFormat format;
};

constexpr Extension kExtensions[] = {
    {".wav", SampleFormat::kAudio},  {".wave", SampleFormat::kAudio}, {".flac", SampleFormat::kAudio},
    {".ogg", SampleFormat::kAudio},  {".oga", SampleFormat::kAudio},  {".opus", SampleFormat::kAudio},
    {".mp3", SampleFormat::kAudio},  {".aif", SampleFormat::kAudio},  {".aiff", SampleFormat::kAudio},
    {".aifc", SampleFormat::kAudio}, {".au", SampleFormat::kAudio},   {".caf", SampleFormat::kAudio},
    {".w64", SampleFormat::kAudio},  {".csv", SampleFormat::kCsv},    {".json", SampleFormat::kEiJson},
    {".png", SampleFormat::kImage},  {".jpg", SampleFormat::kImage},  {".jpeg", SampleFormat::kImage},
    {".bmp", SampleFormat::kImage},
};

// For a file whose name says nothing: audio container or image magic numbers, or a JSON object.
bool sniff_format(const std::filesystem::path& path, SampleFormat* format) {
  std::ifstream in(path, std::ios::binary);
  char head[16] = {};
  in.read(head, sizeof head);
  const std::size_t n = static_cast<std::size_t>(in.gcount());
  auto starts = [&](const char* magic) {
    return n >= std::strlen(magic) && std::memcmp(head, magic, std::strlen(magic)) == 0;
  };
  if (starts("RIFF") || starts("RIFX") || starts("RF64") || starts("FORM") || starts("fLaC") ||
      starts("OggS") || starts("ID3") || starts(".snd") || starts("caff")) {
    *format = SampleFormat::kAudio;
    return true;
  }
  if (starts("\x89PNG") || starts("\xFF\xD8\xFF") || starts("BM")) {
    *format = SampleFormat::kImage;
    return true;
  }
  for (std::size_t i = 0; i < n; ++i) {
    if (head[i] == '{') {
      *format = SampleFormat::kEiJson;
      return true;
    }
    if (!std::isspace(static_cast<unsigned char>(head[i]))) break;
  }
  return false;
}

// "accX, accY, accZ" for messages; names escaped and shortened, at most 8 of them (a CSV may have 100,000
// columns).
std::string axis_list(const SampleData& d) {
  const std::size_t shown = std::min<std::size_t>(d.axis_names.size(), 8);
  std::string s;
  for (std::size_t i = 0; i < shown; ++i) s += (i ? ", " : "") + terminal_line(d.axis_names[i], 40);
  if (shown < d.axis_names.size()) s += ", ... " + std::to_string(d.axis_names.size() - shown) + " more";
  return s;
}

}  // namespace

bool sample_format_from_extension(const std::filesystem::path& path, SampleFormat* format) {
  std::string ext = path.extension().string();
  std::transform(ext.begin(), ext.end(), ext.begin(), [](unsigned char c) { return std::tolower(c); });
  for (const Extension& e : kExtensions) {
    if (ext == e.ext) {
      *format = e.format;
      return true;
    }
  }
  return false;
}

std::string accepted_extensions() {
  std::string s;
  for (const Extension& e : kExtensions) s += (s.empty() ? "" : " ") + std::string(e.ext);
  return s;
}

SampleData read_sample_file(const std::filesystem::path& path, const InputSettings& input) {
  const std::string name = display_path(path);
  std::error_code ec;
  auto status = std::filesystem::status(path, ec);
  if (!std::filesystem::exists(status)) throw Error(name + ": no such file or directory");
  if (std::filesystem::is_directory(status)) throw Error(name + ": is a directory, not a sample file");
  if (!std::filesystem::is_regular_file(status)) throw Error(name + ": not a regular file");
  if (std::filesystem::file_size(path, ec) == 0) throw Error(name + ": empty file");

  SampleFormat format;
  if (!sample_format_from_extension(path, &format) && !sniff_format(path, &format)) {
    throw Error(name + ": unknown file type (Kiln reads " + accepted_extensions() + ")");
  }

  // Images go only into image projects, and an image project takes only images.
  if (format == SampleFormat::kImage) {
    if (!input.is_image()) {
      throw Error(name + ": an image, but this is " +
                  (input.type == "audio" ? "an audio" : "a " + input.type) +
                  " project (an image project has [input] type = \"image\" in kiln.toml)");
    }
    return read_image_sample(path, input);
  }
  if (input.is_image()) {
    const char* what = format == SampleFormat::kAudio ? "audio"
                       : format == SampleFormat::kCsv ? "CSV"
                                                      : "JSON";
    throw Error(name + ": " + what + ", but this is an image project (it takes PNG, JPEG and BMP images)");
  }

  if (format == SampleFormat::kAudio) {
    if (input.axes != 1) {
      throw Error(name + ": an audio file gives 1 axis, but the impulse expects " +
                  std::to_string(input.axes) + " ([input] axes in kiln.toml)");
    }
    return read_audio_file(path, input.frequency);
  }

  SampleData data = format == SampleFormat::kCsv ? read_csv_file(path) : read_ei_json_file(path);
  if (input.type == "audio" && data.axes != 1) {
    throw Error(name + ": " + std::to_string(data.axes) + " axes (" + axis_list(data) +
                "), but this is an audio project (1 axis)");
  }
  if (data.axes != input.axes) {
    throw Error(name + ": " + std::to_string(data.axes) + " axes (" + axis_list(data) +
                "), but the impulse expects " + std::to_string(input.axes) + " ([input] axes in kiln.toml)");
  }
  if (std::abs(data.frequency - input.frequency) > 0.01 * input.frequency) {
    data.values = resample(data.values, data.axes, data.frequency, input.frequency, name);
  }
  data.frequency = input.frequency;
  return data;
}

}  // namespace kiln
