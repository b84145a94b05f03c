// Writes the audio fuzz target's seed corpus (tests/fuzz/seeds/audio_reader/): tiny files of each container
// and encoding Kiln meets, written with libsndfile, a few hundred bytes each (Vorbis needs about 4 KB of
// codebooks). Usage: make_audio_seeds DIR. The committed seeds were made with it; see README.md.
#include <sndfile.h>

#include <cmath>
#include <cstdio>
#include <string>
#include <vector>

namespace {

bool write(const std::string& path, int format, int rate, int channels, int frames) {
  SF_INFO info{};
  info.samplerate = rate;
  info.channels = channels;
  info.format = format;
  SNDFILE* f = sf_open(path.c_str(), SFM_WRITE, &info);
  if (!f) {
    std::fprintf(stderr, "%s: %s\n", path.c_str(), sf_strerror(nullptr));
    return false;
  }
  std::vector<float> v(static_cast<std::size_t>(frames) * channels);
  for (int i = 0; i < frames; ++i) {
    for (int c = 0; c < channels; ++c) {  // a tone, a different one per channel
      v[static_cast<std::size_t>(i) * channels + c] = static_cast<float>(0.5 * std::sin(0.3 * (c + 1) * i));
    }
  }
  sf_writef_float(f, v.data(), frames);
  sf_close(f);
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: %s DIR\n", argv[0]);
    return 2;
  }
  const std::string dir = argv[1];
  bool ok = true;
  ok &= write(dir + "/pcm16-8k-mono.wav", SF_FORMAT_WAV | SF_FORMAT_PCM_16, 8000, 1, 64);
  ok &= write(dir + "/pcm24-44k-stereo.wav", SF_FORMAT_WAV | SF_FORMAT_PCM_24, 44100, 2, 48);
  ok &= write(dir + "/float-16k-3ch.wav", SF_FORMAT_WAV | SF_FORMAT_FLOAT, 16000, 3, 16);
  ok &= write(dir + "/ulaw-8k.wav", SF_FORMAT_WAV | SF_FORMAT_ULAW, 8000, 1, 64);
  ok &= write(dir + "/pcm16-16k.flac", SF_FORMAT_FLAC | SF_FORMAT_PCM_16, 16000, 1, 64);
  ok &= write(dir + "/pcm16-22k.aiff", SF_FORMAT_AIFF | SF_FORMAT_PCM_16, 22050, 1, 32);
  ok &= write(dir + "/vorbis-16k.ogg", SF_FORMAT_OGG | SF_FORMAT_VORBIS, 16000, 1, 256);
  return ok ? 0 : 1;
}
