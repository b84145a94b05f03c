// libFuzzer target: every input is a project's kiln.toml, loaded with load_impulse: the bounded read, the
// pre-scan, toml++ (header-only here, so its parser is instrumented too), the strict key and range checks,
// and the DSP block's parameter validation (sdk/dsp). An accepted file must also survive the writer:
// impulse_to_toml of the result parses back to the same text (impulse_toml.h promises parse(write(x)) == x).
// See README.md.
#include <cstddef>
#include <cstdint>

#include "fuzz_support.h"
#include "project/impulse_toml.h"
#include "project/project.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace kiln;
  const std::filesystem::path path = fuzz::write_input("kiln.toml", data, size);
  fuzz::expect_only_kiln_errors(path, [&] {
    const Impulse imp = load_impulse(fuzz::work_dir());
    const std::string text = impulse_to_toml(imp);
    try {
      if (impulse_to_toml(parse_impulse_toml(text, "written.toml")) != text) {
        fuzz::fail("impulse_to_toml does not round-trip:\n" + text);
      }
    } catch (const Error& e) {
      fuzz::fail(std::string("impulse_to_toml wrote a file that does not parse: ") + e.what() + "\n" + text);
    }
  });
  return 0;
}
