// Start-up cost of the kiln binary: wall time and peak RSS of `kiln --version` and of `kiln dataset` on a
// project of 1,500 one-second samples, the commands that must feel instant (issue target: --version <= 20 ms
// and <= 20 MB, dataset <= 100 ms). A plain timing program, not Google Benchmark: what is measured is a
// child process, and its peak RSS comes from wait4(). Figures only; no pass/fail (machines are noisy).
//
//   bench_startup [--kiln PATH] [--runs N]
//
// The project is generated once (kiln init + kiln add of generated WAV files) and cached in
// <build>/bench/startup-project; delete that directory to regenerate it.
#include <fcntl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <random>
#include <string>
#include <vector>

namespace fs = std::filesystem;

namespace {

constexpr int kSamples = 1500;
constexpr int kLabels = 3;
constexpr int kRate = 16000;

struct Run {
  double ms = 0;
  double max_rss_mb = 0;
  int status = -1;
};

// Runs argv with stdout and stderr sent to /dev/null (or to `log` when given); wall time and peak RSS of the
// child.
Run run(const std::vector<std::string>& args, const char* log = "/dev/null") {
  std::vector<char*> argv;
  for (const std::string& a : args) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  const auto start = std::chrono::steady_clock::now();
  pid_t pid = ::fork();
  if (pid < 0) {
    std::perror("fork");
    std::exit(1);
  }
  if (pid == 0) {
    int out = ::open(log, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (out < 0) ::_exit(126);
    ::dup2(out, 1);
    ::dup2(out, 2);
    ::execv(argv[0], argv.data());
    ::_exit(127);
  }
  int status = 0;
  struct rusage usage {};
  while (::wait4(pid, &status, 0, &usage) < 0 && errno == EINTR) {
  }
  Run r;
  r.ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
  r.max_rss_mb = static_cast<double>(usage.ru_maxrss) / 1024.0;  // ru_maxrss is in KiB on Linux
  r.status = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  return r;
}

void put_u32(std::string& s, std::uint32_t v) {
  for (int i = 0; i < 4; ++i) s += static_cast<char>((v >> (8 * i)) & 0xff);
}
void put_u16(std::string& s, std::uint16_t v) {
  s += static_cast<char>(v & 0xff);
  s += static_cast<char>(v >> 8);
}

// A 1 s, 16 kHz, 16-bit mono WAV of noise; every file differs (kiln stores identical content once).
void write_wav(const fs::path& path, std::mt19937& rng) {
  std::uniform_int_distribution<int> pcm(-8000, 8000);
  std::string d;
  d += "RIFF";
  put_u32(d, 36 + kRate * 2);
  d += "WAVEfmt ";
  put_u32(d, 16);
  put_u16(d, 1);  // PCM
  put_u16(d, 1);  // mono
  put_u32(d, kRate);
  put_u32(d, kRate * 2);
  put_u16(d, 2);
  put_u16(d, 16);
  d += "data";
  put_u32(d, kRate * 2);
  for (int i = 0; i < kRate; ++i) put_u16(d, static_cast<std::uint16_t>(static_cast<std::int16_t>(pcm(rng))));
  std::ofstream(path, std::ios::binary).write(d.data(), static_cast<std::streamsize>(d.size()));
}

// The cached project, created on first use. A marker file says the `kiln add` finished.
fs::path project(const std::string& kiln) {
  const fs::path root = fs::path(KILN_BINARY_DIR) / "bench";
  const fs::path dir = root / "startup-project", done = dir / ".bench-complete";
  if (fs::exists(done)) return dir;
  std::printf("Generating %s (%d samples, once)...\n", dir.c_str(), kSamples);
  std::fflush(stdout);
  fs::remove_all(dir);
  const fs::path wavs = root / "startup-wavs";
  fs::remove_all(wavs);
  std::mt19937 rng(1);
  for (int i = 0; i < kSamples; ++i) {
    const fs::path label = wavs / ("label" + std::to_string(i % kLabels));
    fs::create_directories(label);
    write_wav(label / ("s" + std::to_string(i) + ".wav"), rng);
  }
  const std::string log = (root / "startup-setup.log").string();
  if (run({kiln, "init", dir.string()}, log.c_str()).status != 0 ||
      run({kiln, "-q", "-C", dir.string(), "add", wavs.string()}, log.c_str()).status != 0) {
    std::fprintf(stderr, "bench_startup: creating the project failed, see %s\n", log.c_str());
    std::exit(1);
  }
  fs::remove_all(wavs);
  std::ofstream(done) << "ok\n";
  return dir;
}

void measure(const char* name, const std::vector<std::string>& args, int runs) {
  run(args);  // warm the page cache
  std::vector<Run> rs;
  for (int i = 0; i < runs; ++i) {
    rs.push_back(run(args));
    if (rs.back().status != 0) {
      std::fprintf(stderr, "bench_startup: %s exited with status %d\n", name, rs.back().status);
      std::exit(1);
    }
  }
  std::vector<double> ms;
  double rss = 0;
  for (const Run& r : rs) {
    ms.push_back(r.ms);
    rss = std::max(rss, r.max_rss_mb);
  }
  std::sort(ms.begin(), ms.end());
  std::printf("%-28s  min %7.1f ms  median %7.1f ms  max %7.1f ms  max RSS %6.1f MB  (%d runs)\n", name,
              ms.front(), ms[ms.size() / 2], ms.back(), rss, runs);
}

}  // namespace

int main(int argc, char** argv) {
  std::string kiln = fs::path(KILN_BINARY_DIR) / "bin" / "kiln";
  int runs = 20;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    if (a == "--kiln" && i + 1 < argc) {
      kiln = argv[++i];
    } else if (a == "--runs" && i + 1 < argc) {
      runs = std::max(1, std::atoi(argv[++i]));
    } else {
      std::fprintf(stderr, "usage: bench_startup [--kiln PATH] [--runs N]\n");
      return 2;
    }
  }
  const fs::path dir = project(kiln);
  std::printf("kiln: %s\n", kiln.c_str());
  measure("kiln --version", {kiln, "--version"}, runs);
  measure("kiln --help", {kiln, "--help"}, runs);
  measure("kiln dataset (1,500 samples)", {kiln, "-C", dir.string(), "dataset"}, runs);
  measure("kiln dataset list", {kiln, "-C", dir.string(), "dataset", "list"}, runs);
  return 0;
}
