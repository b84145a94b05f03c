// Classifies a WAV file, or raw samples read from stdin, with the exported impulse: one line per window (its
// start time, the top label and the first 8 labels' scores).
//
//   kiln-impulse recording.wav      16-bit PCM or 32-bit float WAV at the impulse's sample rate, one channel
//                                   per axis; windows slide by KILN_WINDOW_INCREASE_MS over a longer file
//   kiln-impulse - < samples.txt    raw sample values (int16 scale for audio) separated by spaces, commas or
//                                   newlines, axes interleaved
//
// A recording shorter than one window is zero-padded at the end when the impulse says so (KILN_ZERO_PAD, from
// kiln.toml's [input] zero_pad), exactly as `kiln classify` pads it, and refused otherwise.
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <vector>

#include "kiln_impulse.h"

namespace {

int fail(const char* file, const char* problem) {
  fprintf(stderr, "%s: %s\n", file, problem);
  return 1;
}

// Messages that carry numbers are formatted here (one at a time is all we need).
char g_message[256];

uint32_t le32(const unsigned char* p) {
  return p[0] | (p[1] << 8) | (p[2] << 16) | (static_cast<uint32_t>(p[3]) << 24);
}
uint16_t le16(const unsigned char* p) {
  return static_cast<uint16_t>(p[0] | (p[1] << 8));
}

// Reads a RIFF/WAVE file into interleaved float samples (int16 PCM values keep their int16 scale; float WAV
// samples are scaled by 32768 to the same scale). Returns an error message, or null on success.
const char* read_wav(const char* path, std::vector<float>* samples) {
  FILE* f = fopen(path, "rb");
  if (!f) return "cannot open the file";
  std::vector<unsigned char> bytes;
  unsigned char buffer[65536];
  size_t n;
  while ((n = fread(buffer, 1, sizeof buffer, f)) > 0) bytes.insert(bytes.end(), buffer, buffer + n);
  fclose(f);
  if (bytes.size() < 12 || memcmp(&bytes[0], "RIFF", 4) != 0 || memcmp(&bytes[8], "WAVE", 4) != 0)
    return "not a WAV file (no RIFF/WAVE header)";
  int format = 0, channels = 0, bits = 0;
  uint32_t rate = 0;
  size_t pos = 12;
  while (pos + 8 <= bytes.size()) {
    const uint32_t size = le32(&bytes[pos + 4]);
    const size_t body = pos + 8;
    if (size > bytes.size() - body) return "truncated WAV chunk";
    if (memcmp(&bytes[pos], "fmt ", 4) == 0 && size >= 16) {
      format = le16(&bytes[body]);
      channels = le16(&bytes[body + 2]);
      rate = le32(&bytes[body + 4]);
      bits = le16(&bytes[body + 14]);
      if (format == 0xFFFE && size >= 26) format = le16(&bytes[body + 24]);  // WAVE_FORMAT_EXTENSIBLE
    } else if (memcmp(&bytes[pos], "data", 4) == 0) {
      if (!format) return "data chunk before the fmt chunk";
      if (channels != KILN_AXES) {
        snprintf(g_message, sizeof g_message, "%d channel%s, the impulse needs %d", channels,
                 channels == 1 ? "" : "s", KILN_AXES);
        return g_message;
      }
      if (rate != static_cast<uint32_t>(KILN_SAMPLE_RATE + 0.5)) {
        snprintf(g_message, sizeof g_message, "%lu Hz, the impulse needs %.10g Hz",
                 static_cast<unsigned long>(rate), static_cast<double>(KILN_SAMPLE_RATE));
        return g_message;
      }
      if (format == 1 && bits == 16) {
        for (size_t i = 0; i + 1 < size; i += 2)
          samples->push_back(static_cast<int16_t>(le16(&bytes[body + i])));
      } else if (format == 3 && bits == 32) {
        for (size_t i = 0; i + 3 < size; i += 4) {
          const uint32_t u = le32(&bytes[body + i]);
          float v;
          memcpy(&v, &u, 4);
          samples->push_back(v * 32768.0f);
        }
      } else {
        snprintf(g_message, sizeof g_message, "%d-bit %s samples; use 16-bit PCM or 32-bit float", bits,
                 format == 1   ? "PCM"
                 : format == 3 ? "float"
                               : "non-PCM");
        return g_message;
      }
      return 0;
    }
    pos = body + size + (size & 1);
  }
  return "no data chunk";
}

const char* read_text(FILE* in, std::vector<float>* samples) {
  char token[64];
  size_t len = 0;
  int c;
  do {
    c = fgetc(in);
    if (c == EOF || c == ' ' || c == ',' || c == '\n' || c == '\r' || c == '\t') {
      if (len > 0) {
        token[len] = 0;
        char* end = 0;
        const double v = strtod(token, &end);
        if (*end != 0) return "not a number in the input";
        samples->push_back(static_cast<float>(v));
        len = 0;
      }
    } else if (len + 1 < sizeof token) {
      token[len++] = static_cast<char>(c);
    } else {
      return "a value longer than 63 characters in the input";
    }
  } while (c != EOF);
  return 0;
}

void usage(FILE* to, const char* program) {
  fprintf(to,
          "usage: %s FILE.wav\n"
          "       %s - < samples.txt\n"
          "Classifies a recording with the exported impulse, one line per window of %d ms (every %d ms):\n"
          "its start, the top label and the scores of the first 8 labels.\n"
          "  FILE.wav  16-bit PCM or 32-bit float WAV, %.10g Hz, %d channel%s\n"
          "  -         sample values from stdin, separated by spaces, commas or newlines%s\n"
          "A recording shorter than one window is %s.\n",
          program, program, KILN_WINDOW_MS, KILN_WINDOW_INCREASE_MS, static_cast<double>(KILN_SAMPLE_RATE),
          KILN_AXES, KILN_AXES == 1 ? "" : "s", KILN_AXES == 1 ? "" : ", axes interleaved",
          KILN_ZERO_PAD ? "zero-padded at the end" : "refused");
}

}  // namespace

int main(int argc, char** argv) {
  const char* program = argc > 0 ? argv[0] : "kiln-impulse";
  if (argc == 2 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)) {
    usage(stdout, program);
    return 0;
  }
  // "--" ends the options, for a file whose name starts with '-'.
  const char* input = argc == 2 ? argv[1] : argc == 3 && strcmp(argv[1], "--") == 0 ? argv[2] : 0;
  if (!input) {
    usage(stderr, program);
    return 2;
  }
  const bool from_stdin = argc == 2 && strcmp(input, "-") == 0;
  if (argc == 2 && input[0] == '-' && !from_stdin) {
    fprintf(stderr, "%s: unknown option %s\n", program, input);
    usage(stderr, program);
    return 2;
  }
  std::vector<float> samples;
  const char* problem = from_stdin ? read_text(stdin, &samples) : read_wav(input, &samples);
  const char* name = from_stdin ? "stdin" : input;
  if (problem) return fail(name, problem);

  // Shorter than one window: `kiln classify` zero-pads it at the end into one window, or refuses it.
  bool padded = false;
  if (samples.size() < static_cast<size_t>(KILN_SIGNAL_LENGTH)) {
    const size_t frames = samples.size() / KILN_AXES;
    if (frames == 0) return fail(name, "no samples");
#if KILN_ZERO_PAD
    samples.resize(KILN_SIGNAL_LENGTH, 0.0f);
    padded = true;
#else
    snprintf(g_message, sizeof g_message,
             "%lu samples, shorter than one window of %lu (%d ms); the impulse does not zero-pad "
             "(zero_pad = false)",
             static_cast<unsigned long>(frames), static_cast<unsigned long>(KILN_SIGNAL_LENGTH / KILN_AXES),
             KILN_WINDOW_MS);
    return fail(name, g_message);
#endif
  }

  const size_t step =
      static_cast<size_t>(KILN_SAMPLE_RATE * KILN_WINDOW_INCREASE_MS / 1000.0 + 0.5) * KILN_AXES;
  printf("%8s  %-14s", "time", "top");
  for (int i = 0; i < KILN_OUTPUT_COUNT && i < 8; ++i) printf("  %10.10s", kiln_label(i));
  printf("  %8s %8s\n", "dsp_us", "nn_us");
  for (size_t start = 0; start + KILN_SIGNAL_LENGTH <= samples.size(); start += step) {
    kiln_float_array window = {&samples[start], static_cast<size_t>(KILN_SIGNAL_LENGTH)};
    kiln_signal signal = kiln_signal_from_array(&window);
    kiln_result result;
    const int status = kiln_run_impulse(&signal, &result);
    if (status != KILN_OK) return fail(name, kiln_status_message(status));
    // An image impulse (KILN_SAMPLE_RATE 0) has one window, at 0 s.
    const double seconds =
        KILN_SAMPLE_RATE > 0 ? static_cast<double>(start / KILN_AXES) / KILN_SAMPLE_RATE : 0.0;
    printf("%7.2fs  %-14s", seconds, result.top_label);
    for (int i = 0; i < KILN_OUTPUT_COUNT && i < 8; ++i) printf("  %10.4f", result.scores[i]);
    printf("  %8u %8u\n", static_cast<unsigned>(result.timing.dsp_us),
           static_cast<unsigned>(result.timing.nn_us));
    if (step == 0) break;
  }
  if (padded) printf("(the recording is shorter than one window and was zero-padded)\n");
  return 0;
}
