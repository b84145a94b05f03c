#include "core/file_read.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "core/error.h"
#include "core/quote.h"

namespace kiln {
namespace {

// "268435456 bytes (256 MiB)" for round sizes, else "1000 bytes".
std::string byte_count(std::uintmax_t n) {
  std::string s = std::to_string(n) + " bytes";
  if (n >= (std::uintmax_t{1} << 30) && n % (std::uintmax_t{1} << 30) == 0) {
    s += " (" + std::to_string(n >> 30) + " GiB)";
  } else if (n >= (std::uintmax_t{1} << 20) && n % (std::uintmax_t{1} << 20) == 0) {
    s += " (" + std::to_string(n >> 20) + " MiB)";
  }
  return s;
}

[[noreturn]] void too_big(const std::filesystem::path& path, std::uintmax_t size, std::uintmax_t max_bytes) {
  throw Error(display_path(path) + ": " + std::to_string(size) + " bytes, more than the " +
              byte_count(max_bytes) + " this reads (is it the right file?)");
}

// The checks shared by both functions, on what fstat/stat reported.
std::uintmax_t check(const std::filesystem::path& path, const struct stat& st, std::uintmax_t max_bytes) {
  if (S_ISDIR(st.st_mode)) throw Error(display_path(path) + ": is a directory");
  if (!S_ISREG(st.st_mode)) {
    throw Error(display_path(path) +
                ": not a regular file (a device, pipe or socket; Kiln reads files only)");
  }
  const std::uintmax_t size = static_cast<std::uintmax_t>(st.st_size);
  if (size > max_bytes) too_big(path, size, max_bytes);
  return size;
}

[[noreturn]] void cannot_open(const std::filesystem::path& path, int err) {
  if (err == ENOENT) throw Error(display_path(path) + ": no such file or directory");
  throw Error(display_path(path) + ": cannot open (" + std::strerror(err) + ")");
}

}  // namespace

std::uintmax_t checked_file_size(const std::filesystem::path& path, std::uintmax_t max_bytes) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) cannot_open(path, errno);
  return check(path, st, max_bytes);
}

std::string read_file(const std::filesystem::path& path, std::uintmax_t max_bytes) {
  // O_NONBLOCK: opening a FIFO without a writer would otherwise wait forever before fstat can refuse it.
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
  if (fd < 0) cannot_open(path, errno);
  struct Closer {
    int fd;
    ~Closer() { ::close(fd); }
  } closer{fd};
  struct stat st {};
  if (::fstat(fd, &st) != 0) cannot_open(path, errno);
  const std::uintmax_t size = check(path, st, max_bytes);

  std::string bytes(static_cast<std::size_t>(size), '\0');
  std::size_t done = 0;
  for (;;) {
    if (done == bytes.size()) {
      // At the expected end; a file that grew meanwhile may hold more, up to the limit.
      if (done > max_bytes) too_big(path, done, max_bytes);
      bytes.resize(done + std::min<std::uintmax_t>(65536, max_bytes + 1 - done));
    }
    const ssize_t n = ::read(fd, bytes.data() + done, bytes.size() - done);
    if (n < 0) {
      if (errno == EINTR) continue;
      throw Error(display_path(path) + ": read error (" + std::strerror(errno) + ")");
    }
    if (n == 0) break;
    done += static_cast<std::size_t>(n);
  }
  bytes.resize(done);
  return bytes;
}

}  // namespace kiln
