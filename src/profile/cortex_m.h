// Cortex-M builds and measurements for `kiln profile` and the device tests: cross-compile a program (a
// deployed library + a harness main) with arm-none-eabi-g++, run it on QEMU's mps2 boards with semihosting,
// and read back exit status, guest stdout, exact instruction counts per marked region, total instructions and
// the stack high-water mark; flash/RAM per object file from the linker map.
//
// The harness (startup code + vector table, linker script, region markers, the QEMU counting plugin) lives in
// tools/cortex-m/ and is compiled into kiln (profile/embedded_files.h); nothing outside the binary is needed
// besides the Arm toolchain, QEMU and a host C compiler (for the plugin, built once into the cache
// directory).
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

namespace kiln::profile {

struct CortexM {
  std::string name;                 // "cortex-m4f"
  std::vector<std::string> cflags;  // -mcpu/-mthumb/-mfloat-abi/-mfpu, for compiling and linking
  std::string qemu_machine;         // empty: compile/link only
};
CortexM cortex_m0plus();  // -mcpu=cortex-m0plus -mthumb -mfloat-abi=soft; no QEMU board: build only
CortexM cortex_m4f();     // mps2-an386, -mcpu=cortex-m4 -mthumb -mfloat-abi=hard -mfpu=fpv4-sp-d16
CortexM cortex_m7();      // mps2-an500, -mcpu=cortex-m7 -mthumb -mfloat-abi=hard -mfpu=fpv5-d16

// arm-none-eabi-gcc/g++/nm, qemu-system-arm and a host C compiler ($CC or cc) on PATH. When something is
// missing, returns false and says what in *why_not.
bool arm_toolchain_available(std::string* why_not = nullptr);

struct Program {
  std::vector<std::filesystem::path> sources;  // .c (C99) and .cpp/.cc/.cxx (C++11): the library + a main
  std::vector<std::filesystem::path> include_dirs;
  std::vector<std::string> defines;  // "NAME" or "NAME=VALUE"
  std::string opt = "-O2";
};

struct Build {
  std::filesystem::path elf, map;
};

// Compiles every source (-std=c++11 / -std=c99, -Wall -Wextra -Werror -ffunction-sections -fdata-sections,
// C++: -fno-exceptions -fno-rtti) into work_dir/obj/<source stem>.o (so weights compiled from kiln_model*.cpp
// are kiln_model*.o), adds the harness (startup.c, kiln_markers.c, written to work_dir/harness/, which is
// also on the include path: #include "kiln_markers.h"), links with mps2.ld, rdimon semihosting and
// --gc-sections into work_dir/program.elf + program.map. Throws kiln::Error with the compiler's output on
// failure.
Build build_for(const CortexM& cpu, const Program& program, const std::filesystem::path& work_dir);

struct Sizes {
  std::size_t text = 0;    // code: .text*, .init/.fini, veneers, the vector table
  std::size_t rodata = 0;  // constants in flash: .rodata*, .ARM.exidx/extab, init/fini arrays, .eh_frame
  std::size_t data = 0;    // initialized RAM (also stored in flash)
  std::size_t bss = 0;     // zeroed RAM: .bss*, COMMON
};
// Bytes of the sections kept by the link (GNU ld map, after --gc-sections), summed over the input files whose
// path matches `file_regex` (ECMAScript, searched anywhere in the path, e.g. "kiln_model[^/]*\\.o"; empty:
// all). Archive members appear as "lib.a(member.o)". Throws kiln::Error if the map cannot be read.
Sizes map_sizes(const std::filesystem::path& map, const std::string& file_regex = "");

struct Run {
  int exit_status = 0;      // main's return value or exit()'s argument (mod 256); 99 = fault
  std::string output;       // the guest's stdout (semihosting)
  std::string diagnostics;  // QEMU's stderr: the guest's stderr and QEMU messages (the stack report removed)
  std::map<std::string, std::uint64_t> region_insns;  // per region: kiln_mark_<r>_begin .. kiln_mark_<r>_end
  std::uint64_t total_insns = 0;                      // reset to exit
  std::size_t stack_peak = 0;  // bytes of stack ever used (0 when the guest faulted before exit)
};
// Runs build.elf on cpu.qemu_machine with semihosting and the counting plugin. A region r is counted between
// the symbols kiln_mark_<r>_begin and kiln_mark_<r>_end (tools/cortex-m/kiln_markers.h: from the first
// instruction of begin, inclusive, to the first instruction of end, exclusive; passes add up). Throws
// kiln::Error when the CPU has no QEMU board, a region's symbols are not in the ELF, QEMU cannot run, or the
// run takes longer than timeout_s seconds (QEMU is killed).
Run run_on_qemu(const CortexM& cpu, const Build& build, const std::vector<std::string>& regions,
                int timeout_s = 300);

// Writes the embedded tools/cortex-m files (startup.c, mps2.ld, kiln_markers.h/.c, kiln_count_plugin.c,
// README.md) into dir.
void write_harness_files(const std::filesystem::path& dir);

// The counting plugin, compiled on first use into $XDG_CACHE_HOME/kiln (or ~/.cache/kiln) under a name that
// carries a hash of its source. Throws kiln::Error if the host compiler fails.
std::filesystem::path count_plugin();

}  // namespace kiln::profile
