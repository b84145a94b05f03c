// The e2e "world": 6 minutes of generated recordings and one trained project, built once by the ctest fixture
// e2e.World.Build (tests/e2e/test_cli.cpp) and read-only afterwards for every test binary that requires it.
#pragma once

#include <filesystem>

namespace kiln::test {

struct World {
  std::filesystem::path root = KILN_E2E_WORLD;
  std::filesystem::path recordings = root / "recordings";
  std::filesystem::path project = root / "trained";
  std::filesystem::path complete = root / "complete";  // written last by World.Build
};

}  // namespace kiln::test
