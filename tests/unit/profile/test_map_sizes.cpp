// map_sizes on a hand-written GNU ld map: input sections on one line and wrapped onto the next, archive
// members, COMMON, fill, discarded sections and non-allocated output sections.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "core/error.h"
#include "profile/cortex_m.h"

namespace {

namespace fs = std::filesystem;

const char* const kMap = R"(Archive member included to satisfy reference by file (symbol)

/usr/lib/libc.a(lib_a-memcpy.o)  obj/main.o (memcpy)

Discarded input sections

 .text          0x00000000        0x0 obj/kiln_model.o
 .rodata.kiln_model_unused_weights
                0x00000000      0x400 obj/kiln_model.o
 .text.unused   0x00000000       0x10 obj/main.o

Memory Configuration

Name             Origin             Length             Attributes
FLASH            0x00000000         0x00400000         xr
RAM              0x20000000         0x00400000         rw
*default*        0x00000000         0xffffffff

Linker script and memory map

LOAD obj/startup.o
LOAD obj/main.o
LOAD obj/kiln_model.o
START GROUP
LOAD /usr/lib/libc.a
END GROUP
                0x00040000                __kiln_stack_size = 0x40000

.vectors        0x00000000       0xc0
 *(.kiln_vectors)
 .kiln_vectors  0x00000000       0xc0 obj/startup.o
                0x00000000                kiln_vector_table

.text           0x000000c0      0x1a4
 *(.text .text.*)
 .text          0x000000c0        0x0 obj/main.o
 .text.startup.main
                0x000000c0       0x30 obj/main.o
                0x000000c0                main
 .text.kiln_model_invoke
                0x000000f0       0x52 obj/kiln_model.o
 *fill*         0x00000142        0x2 
 .text          0x00000144      0x120 /usr/lib/libc.a(lib_a-memcpy.o)
                0x00000144                memcpy

.rodata         0x00000264      0x80c
 *(.rodata .rodata.*)
 .rodata.kiln_model_weights
                0x00000264      0x800 obj/kiln_model.o
                0x00000264                kiln_model_weights
 .rodata.str1.4
                0x00000a64        0xc obj/main.o

.ARM.exidx      0x00000a70        0x8
 .ARM.exidx     0x00000a70        0x8 /usr/lib/libc.a(lib_a-memcpy.o)

.data           0x20000000       0x14
 *(.data .data.*)
 .data.kiln_model_scale
                0x20000000       0x10 obj/kiln_model.o
 .data.g        0x20000010        0x4 obj/main.o

.bss            0x20000014      0x128
                0x20000014                __bss_start__ = .
 .bss.kiln_model_arena
                0x20000014      0x100 obj/kiln_model.o
 COMMON         0x20000114       0x28 obj/main.o
                0x20000114                scratch

.heap           0x20000140        0x0
                0x20000140                end = .

.ARM.attributes
                0x00000000       0x2e
 .ARM.attributes
                0x00000000       0x22 obj/startup.o
 .ARM.attributes
                0x00000022       0x2e obj/kiln_model.o

.comment        0x00000000       0x1f
 .comment       0x00000000       0x1f obj/main.o

.debug_info     0x00000000      0x900
 .debug_info    0x00000000      0x900 obj/kiln_model.o
OUTPUT(program.elf elf32-littlearm)
)";

class MapSizes : public ::testing::Test {
 protected:
  void SetUp() override {
    path_ = fs::temp_directory_path() /
            ("kiln-map-sizes-" + std::to_string(::testing::UnitTest::GetInstance()->random_seed()) + ".map");
    std::ofstream(path_) << kMap;
  }
  void TearDown() override { fs::remove(path_); }
  fs::path path_;
};

TEST_F(MapSizes, AllFiles) {
  const kiln::profile::Sizes s = kiln::profile::map_sizes(path_);
  EXPECT_EQ(s.text, 0xc0u + 0x30u + 0x52u + 0x120u);
  EXPECT_EQ(s.rodata, 0x800u + 0xcu + 0x8u);
  EXPECT_EQ(s.data, 0x14u);
  EXPECT_EQ(s.bss, 0x100u + 0x28u);
}

TEST_F(MapSizes, ModelObjectOnlyWithWrappedNamesAndNoDiscardedSections) {
  const kiln::profile::Sizes s = kiln::profile::map_sizes(path_, R"(kiln_model[^/]*\.o$)");
  EXPECT_EQ(s.text, 0x52u);
  EXPECT_EQ(s.rodata, 0x800u);  // the discarded 0x400 of unused weights is not counted
  EXPECT_EQ(s.data, 0x10u);
  EXPECT_EQ(s.bss, 0x100u);
}

TEST_F(MapSizes, ArchiveMembers) {
  const kiln::profile::Sizes s = kiln::profile::map_sizes(path_, R"(libc\.a\()");
  EXPECT_EQ(s.text, 0x120u);
  EXPECT_EQ(s.rodata, 0x8u);
  EXPECT_EQ(s.data + s.bss, 0u);
}

TEST_F(MapSizes, Errors) {
  EXPECT_THROW(kiln::profile::map_sizes(path_.string() + ".missing"), kiln::Error);
  EXPECT_THROW(kiln::profile::map_sizes(path_, "(unclosed"), kiln::Error);
  const fs::path not_a_map = path_.string() + ".txt";
  std::ofstream(not_a_map) << "hello\n";
  EXPECT_THROW(kiln::profile::map_sizes(not_a_map), kiln::Error);
  fs::remove(not_a_map);
}

}  // namespace
