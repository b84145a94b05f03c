// libtorch lives in the module libkiln_torch.so, loaded only to train or predict (train/torch_module.h): the
// kiln binary does not link it, the loader finds the module or says clearly why not, and no exception
// crosses the boundary.
#include <dlfcn.h>
#include <elf.h>
#include <gtest/gtest.h>

#include <cmath>
#include <cstdlib>
#include <fstream>
#include <numbers>
#include <stdexcept>
#include <string>
#include <vector>

#include "support/error_of.h"
#include "support/kiln_cli.h"
#include "train/classifier.h"
#include "train/torch_module.h"
#include "train_test_data.h"

namespace kiln {
namespace {

using test::error_of;
namespace fs = std::filesystem;

// The DT_NEEDED entries of a 64-bit ELF file (what the dynamic loader loads with it), read from its
// dynamic section and that section's string table.
std::vector<std::string> needed_libraries(const fs::path& path) {
  std::ifstream f(path, std::ios::binary);
  const auto read_at = [&](std::uint64_t offset, void* out, std::size_t size) {
    f.seekg(static_cast<std::streamoff>(offset));
    f.read(static_cast<char*>(out), static_cast<std::streamsize>(size));
    if (!f) throw std::runtime_error(path.string() + ": truncated ELF file");
  };
  Elf64_Ehdr eh;
  read_at(0, &eh, sizeof eh);
  if (std::string(reinterpret_cast<const char*>(eh.e_ident), SELFMAG) != ELFMAG ||
      eh.e_ident[EI_CLASS] != ELFCLASS64) {
    throw std::runtime_error(path.string() + ": not a 64-bit ELF file");
  }
  std::vector<Elf64_Shdr> sections(eh.e_shnum);
  for (std::size_t i = 0; i < sections.size(); ++i) {
    read_at(eh.e_shoff + i * eh.e_shentsize, &sections[i], sizeof(Elf64_Shdr));
  }
  std::vector<std::string> needed;
  for (const Elf64_Shdr& s : sections) {
    if (s.sh_type != SHT_DYNAMIC) continue;
    const Elf64_Shdr& strtab = sections.at(s.sh_link);
    std::string strings(strtab.sh_size, '\0');
    read_at(strtab.sh_offset, strings.data(), strings.size());
    std::vector<Elf64_Dyn> dyn(s.sh_size / sizeof(Elf64_Dyn));
    read_at(s.sh_offset, dyn.data(), dyn.size() * sizeof(Elf64_Dyn));
    for (const Elf64_Dyn& d : dyn) {
      if (d.d_tag == DT_NEEDED) needed.push_back(strings.c_str() + d.d_un.d_val);
    }
  }
  return needed;
}

bool is_torch_library(const std::string& name) {
  for (const char* prefix : {"libtorch", "libc10", "libcaffe2", "libkiln_torch"}) {
    if (name.rfind(prefix, 0) == 0) return true;
  }
  return false;
}

TEST(TorchModule, KilnDoesNotLinkLibtorch) {
  const std::vector<std::string> kiln = needed_libraries(KILN_BINARY);
  ASSERT_FALSE(kiln.empty());
  for (const std::string& lib : kiln) EXPECT_FALSE(is_torch_library(lib)) << KILN_BINARY << " needs " << lib;
  // The reader sees libtorch where it is linked.
  bool module_needs_torch = false;
  for (const std::string& lib : needed_libraries(KILN_TORCH_MODULE_FILE))
    module_needs_torch |= is_torch_library(lib);
  EXPECT_TRUE(module_needs_torch);
}

// Sets or unsets KILN_TORCH_MODULE for one scope.
class ModuleEnv {
 public:
  explicit ModuleEnv(const char* value) {
    if (const char* old = std::getenv("KILN_TORCH_MODULE")) saved_ = old, had_ = true;
    if (value) {
      ::setenv("KILN_TORCH_MODULE", value, 1);
    } else {
      ::unsetenv("KILN_TORCH_MODULE");
    }
  }
  ~ModuleEnv() {
    if (had_) {
      ::setenv("KILN_TORCH_MODULE", saved_.c_str(), 1);
    } else {
      ::unsetenv("KILN_TORCH_MODULE");
    }
  }
  ModuleEnv(const ModuleEnv&) = delete;
  ModuleEnv& operator=(const ModuleEnv&) = delete;

 private:
  std::string saved_;
  bool had_ = false;
};

TEST(TorchModule, FoundFromTheExecutablesDirectory) {
  ModuleEnv env(nullptr);
  // This test binary sits in <build>/bin like kiln; the module in <build>/lib/kiln.
  EXPECT_EQ(fs::canonical(find_torch_module()), fs::canonical(KILN_TORCH_MODULE_FILE));
  EXPECT_EQ(running_executable().parent_path(), fs::path(KILN_BINARY).parent_path());

  // An installed layout, and the module beside the executable.
  test::TempDir dir;
  fs::create_directories(dir / "bin");
  fs::create_directories(dir / "lib" / "kiln");
  test::write_bytes(dir / "bin" / kTorchModuleFile, "x");
  EXPECT_EQ(find_torch_module(dir / "bin" / "kiln"), dir / "bin" / kTorchModuleFile);
  test::write_bytes(dir / "lib" / "kiln" / kTorchModuleFile, "x");
  EXPECT_EQ(find_torch_module(dir / "bin" / "kiln"), dir / "lib" / "kiln" / kTorchModuleFile);
}

TEST(TorchModule, MissingModuleNamesWhereItLooked) {
  ModuleEnv env(nullptr);
  EXPECT_EQ(error_of([] { find_torch_module("/nowhere/bin/kiln"); }),
            "libkiln_torch.so: not found next to kiln (looked in /nowhere/lib/kiln and /nowhere/bin; "
            "KILN_TORCH_MODULE is unset); `kiln train` needs it");
}

TEST(TorchModule, EnvironmentOverride) {
  {
    ModuleEnv env("/nowhere/libkiln_torch.so");
    EXPECT_EQ(
        error_of([] { find_torch_module(); }),
        "/nowhere/libkiln_torch.so: no such file (KILN_TORCH_MODULE); `kiln train` needs libkiln_torch.so");
  }
  {
    ModuleEnv env(KILN_TORCH_MODULE_FILE);
    EXPECT_EQ(find_torch_module("/nowhere/bin/kiln"), fs::path(KILN_TORCH_MODULE_FILE));
  }
  // A relative path is taken from the current directory (dlopen alone would search the library path).
  const fs::path cwd = fs::current_path();
  fs::current_path(fs::path(KILN_TORCH_MODULE_FILE).parent_path());
  {
    ModuleEnv env(kTorchModuleFile);
    EXPECT_EQ(find_torch_module("/nowhere/bin/kiln"), fs::path(KILN_TORCH_MODULE_FILE));
  }
  fs::current_path(cwd);
}

TEST(TorchModule, BrokenModulesAreErrorsNotCrashes) {
  test::TempDir dir;
  test::write_bytes(dir / kTorchModuleFile, std::string(4096, 'x'));
  EXPECT_EQ(error_of([&] { load_torch_module(dir / kTorchModuleFile); }),
            (dir / kTorchModuleFile).string() + ": cannot load the training module (invalid ELF header)");

  // A real shared library that is not the module: the C library this test runs on.
  Dl_info info{};
  ASSERT_NE(::dladdr(reinterpret_cast<void*>(&::getenv), &info), 0);
  EXPECT_EQ(error_of([&] { load_torch_module(info.dli_fname); }),
            std::string(info.dli_fname) + ": not a kiln training module (it has no kiln_torch_api)");
}

TEST(TorchModule, InterfaceVersionIsChecked) {
  void* handle = ::dlopen(KILN_TORCH_MODULE_FILE, RTLD_NOW | RTLD_LOCAL);
  ASSERT_NE(handle, nullptr) << ::dlerror();
  using Entry = const TorchModuleApi* (*)(int);
  auto entry = reinterpret_cast<Entry>(::dlsym(handle, kTorchModuleEntry));
  ASSERT_NE(entry, nullptr);
  EXPECT_EQ(entry(kTorchModuleAbi + 1), nullptr);  // another kiln's table is never handed out
  const TorchModuleApi* api = entry(kTorchModuleAbi);
  ASSERT_NE(api, nullptr);
  EXPECT_EQ(api->abi, kTorchModuleAbi);
  EXPECT_EQ(api->layout, torch_module_layout());
  EXPECT_STREQ(api->kiln_version, KILN_VERSION);
  EXPECT_EQ(&load_torch_module(KILN_TORCH_MODULE_FILE), api);
}

TEST(TorchModule, ExceptionsCrossAsTheyWereThrown) {
  const FeatureSet train = test::synthetic_features(40, 2, 1);
  TrainSettings s;
  s.epochs = 5;
  // The caller's own exception comes back as itself and stops training where it was thrown.
  int epochs = 0;
  struct Interrupted {};
  EXPECT_THROW(train_classifier(train, test::labels_for(2), default_audio_network(), s,
                                [&](const EpochStats& e) {
                                  ++epochs;
                                  if (e.epoch == 2) throw Interrupted{};
                                }),
               Interrupted);
  EXPECT_EQ(epochs, 2);
  // A kiln::Error from the module is a kiln::Error here, with its message.
  s.epochs = 0;
  EXPECT_EQ(
      error_of([&] { train_classifier(train, test::labels_for(2), default_audio_network(), s, nullptr); }),
      "[train] epochs must be >= 1, got 0");
}

// A 1 s, 16 kHz mono 16-bit WAV of a tone.
std::string wav(double hz) {
  std::string d;
  const auto u32 = [&](std::uint32_t v) {
    for (int i = 0; i < 4; ++i) d += static_cast<char>((v >> (8 * i)) & 0xff);
  };
  const auto u16 = [&](std::uint16_t v) {
    d += static_cast<char>(v & 0xff);
    d += static_cast<char>(v >> 8);
  };
  d += "RIFF";
  u32(36 + 32000);
  d += "WAVEfmt ";
  u32(16);
  u16(1);
  u16(1);
  u32(16000);
  u32(32000);
  u16(2);
  u16(16);
  d += "data";
  u32(32000);
  for (int i = 0; i < 16000; ++i) {
    u16(static_cast<std::uint16_t>(
        static_cast<std::int16_t>(8000 * std::sin(2 * std::numbers::pi * hz * i / 16000))));
  }
  return d;
}

TEST(TorchModule, CliRunsWithoutTheModuleUntilItTrains) {
  test::TempDir dir;
  const std::string project = (dir / "p").string();
  ModuleEnv env("/nowhere/libkiln_torch.so");
  EXPECT_EQ(test::run_kiln({"--version"}).exit_code, 0);
  ASSERT_EQ(test::run_kiln({"init", project}).exit_code, 0);
  fs::create_directories(dir / "rec" / "low");
  fs::create_directories(dir / "rec" / "high");
  for (int i = 0; i < 2; ++i) {
    test::write_bytes(dir / "rec" / "low" / (std::to_string(i) + ".wav"), wav(300 + 10 * i));
    test::write_bytes(dir / "rec" / "high" / (std::to_string(i) + ".wav"), wav(3000 + 10 * i));
  }
  ASSERT_EQ(
      test::run_kiln({"-q", "-C", project, "add", "--category", "train", (dir / "rec").string()}).exit_code,
      0);
  EXPECT_EQ(test::run_kiln({"-C", project, "dataset"}).exit_code, 0);

  const test::KilnRun r = test::run_kiln({"-q", "-C", project, "train"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(r.err,
            "kiln: error: /nowhere/libkiln_torch.so: no such file (KILN_TORCH_MODULE); `kiln train` needs "
            "libkiln_torch.so\n");
  EXPECT_FALSE(fs::exists(fs::path(project) / "out" / "model.kmodel"));
}

}  // namespace
}  // namespace kiln
