// Bounded reads (core/file_read.h) and user content in messages (core/quote.h): what every reader of a
// user-supplied file relies on.
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <string>

#include "core/error.h"
#include "core/file_read.h"
#include "core/quote.h"
#include "sample_files.h"

namespace kiln {
namespace {

using test::fresh_dir;
using test::write_text;

std::string read_error(const std::filesystem::path& path, std::uintmax_t max_bytes) {
  try {
    read_file(path, max_bytes);
  } catch (const Error& e) {
    return e.what();
  }
  return "";
}

std::string size_error(const std::filesystem::path& path, std::uintmax_t max_bytes) {
  try {
    checked_file_size(path, max_bytes);
  } catch (const Error& e) {
    return e.what();
  }
  return "";
}

TEST(FileRead, ReadsUpToTheLimit) {
  auto dir = fresh_dir("read-limit");
  write_text(dir / "a.txt", "0123456789");
  EXPECT_EQ(read_file(dir / "a.txt", 10), "0123456789");
  EXPECT_EQ(read_file(dir / "a.txt", 1000), "0123456789");
  EXPECT_EQ(checked_file_size(dir / "a.txt", 10), 10u);
  write_text(dir / "empty", "");
  EXPECT_EQ(read_file(dir / "empty", 0), "");
}

TEST(FileRead, RefusesALargerFileBeforeReadingIt) {
  auto dir = fresh_dir("read-big");
  write_text(dir / "a.txt", std::string(3 << 20, 'x'));
  const std::string expected =
      (dir / "a.txt").string() +
      ": 3145728 bytes, more than the 2097152 bytes (2 MiB) this reads (is it the right file?)";
  EXPECT_EQ(read_error(dir / "a.txt", 2 << 20), expected);
  EXPECT_EQ(size_error(dir / "a.txt", 2 << 20), expected);
  EXPECT_EQ(read_error(dir / "a.txt", 1000),
            (dir / "a.txt").string() +
                ": 3145728 bytes, more than the 1000 bytes this reads (is it the right file?)");
}

// /dev/zero never ends: reading it "whole" used to run until the OOM killer came.
TEST(FileRead, RefusesDevicesPipesAndDirectories) {
  EXPECT_EQ(read_error("/dev/zero", 1 << 20),
            "/dev/zero: not a regular file (a device, pipe or socket; Kiln reads files only)");
  EXPECT_EQ(size_error("/dev/zero", 1 << 20), read_error("/dev/zero", 1 << 20));
  auto dir = fresh_dir("read-special");
  // A FIFO without a writer: opening it for reading must not wait for one.
  ASSERT_EQ(::mkfifo((dir / "fifo").c_str(), 0600), 0);
  EXPECT_NE(read_error(dir / "fifo", 1 << 20).find("fifo: not a regular file"), std::string::npos);
  EXPECT_EQ(read_error(dir, 1 << 20), dir.string() + ": is a directory");
  EXPECT_EQ(read_error(dir / "missing", 1 << 20), (dir / "missing").string() + ": no such file or directory");
  EXPECT_EQ(size_error(dir / "missing", 1 << 20), (dir / "missing").string() + ": no such file or directory");
  // Symbolic links are followed: to a device, refused; to a file, read.
  std::filesystem::create_symlink("/dev/zero", dir / "zero.wav");
  EXPECT_NE(read_error(dir / "zero.wav", 1 << 20).find("zero.wav: not a regular file"), std::string::npos);
  write_text(dir / "real.txt", "abc");
  std::filesystem::create_symlink(dir / "real.txt", dir / "link.txt");
  EXPECT_EQ(read_file(dir / "link.txt", 3), "abc");
}

TEST(FileRead, UnreadableFileNamesTheReason) {
  auto dir = fresh_dir("read-perm");
  write_text(dir / "secret", "x");
  ::chmod((dir / "secret").c_str(), 0);
  ::chmod(dir.c_str(), 0755);
  const auto check = [&] {
    return read_error(dir / "secret", 10).find("secret: cannot open (Permission denied)") !=
           std::string::npos;
  };
  if (::geteuid() != 0) {
    EXPECT_TRUE(check()) << read_error(dir / "secret", 10);
    return;
  }
  // Root reads any file: the check runs in a child that gives up root for "nobody".
  const pid_t child = ::fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    if (::setgid(65534) != 0 || ::setuid(65534) != 0) ::_exit(2);
    ::_exit(check() ? 0 : 1);
  }
  int status = 0;
  ::waitpid(child, &status, 0);
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 0) << "the message does not name the reason (2: could not drop root)";
}

TEST(Quote, EscapesAndCuts) {
  EXPECT_EQ(quote("accX"), "'accX'");
  EXPECT_EQ(quote("a\nb\tc"), "'a\\nb\\tc'");
  EXPECT_EQ(quote("Beschleunigung_\xE9"), "'Beschleunigung_\\xE9'");         // Latin-1 é
  EXPECT_EQ(quote("Beschleunigung_\xC3\xA9"), "'Beschleunigung_\xC3\xA9'");  // UTF-8 é
  const std::string wide = std::string(50000, 'a') + std::string(50000, 'z');
  EXPECT_EQ(quote(wide, 40), "'" + std::string(20, 'a') + " ... " + std::string(15, 'z') + "'");
  EXPECT_EQ(quote(wide).size(), 62u);
}

TEST(Quote, DisplayPathEscapesButNeverCuts) {
  const std::string long_name(3000, 'd');
  EXPECT_EQ(display_path("/tmp/" + long_name), "/tmp/" + long_name);
  EXPECT_EQ(display_path("/tmp/a\nb.wav"), "/tmp/a\\nb.wav");
  EXPECT_EQ(display_path("/tmp/\xE9t\xE9.wav"), "/tmp/\\xE9t\\xE9.wav");
}

TEST(Quote, ValidUtf8) {
  EXPECT_TRUE(is_valid_utf8(""));
  EXPECT_TRUE(is_valid_utf8("plain ascii"));
  EXPECT_TRUE(is_valid_utf8("\xC3\xA9\xE2\x82\xAC\xF0\x9F\x94\xA5"));  // é € 🔥
  EXPECT_FALSE(is_valid_utf8("\xE9t\xE9"));                            // Latin-1
  EXPECT_FALSE(is_valid_utf8("\xC3"));                                 // cut short
  EXPECT_FALSE(is_valid_utf8("\xC0\xAF"));                             // overlong '/'
  EXPECT_FALSE(is_valid_utf8("\xED\xA0\x80"));                         // a UTF-16 surrogate
  EXPECT_FALSE(is_valid_utf8("\xF4\x90\x80\x80"));                     // above U+10FFFF
  EXPECT_FALSE(is_valid_utf8("\xFF\xFE"));                             // a UTF-16 byte order mark
}

}  // namespace
}  // namespace kiln
