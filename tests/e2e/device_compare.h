// What the deploy tests share to compare a deployed library on a Cortex-M4F (QEMU) with `kiln classify` on
// the host: both sides print one line per window, "file window q0 q1 ...", with the int8 scores.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

namespace kiln::test {

// The lines `kiln -C project --json classify FILE` gives for each file; empty (with a test failure) when a
// classify fails.
std::vector<std::string> host_scores(const std::filesystem::path& project,
                                     const std::vector<std::filesystem::path>& files);

// The C code that prints a device's lines: the body of a loop where `r` is the file, `w` the window counter
// and `signal` the window's kiln_signal.
extern const char* const kDeviceWindowLoopBody;

// Every .cpp of the library under `src_dir`.
std::vector<std::filesystem::path> library_sources(const std::filesystem::path& src_dir);

// The library in `lib` (cpp layout, or arduino: everything in src/) built with `main_cpp` for the Cortex-M4F
// in `work`, run under QEMU; its output lines. Throws when the build fails; a run that exits non-zero is a
// test failure and gives no lines.
std::vector<std::string> run_on_m4f(const std::filesystem::path& lib, bool arduino,
                                    const std::filesystem::path& main_cpp, const std::filesystem::path& work);

std::vector<std::string> lines_of(const std::string& text);

}  // namespace kiln::test
