// kiln.toml parsing: round trip of every setting, and one clear error (file, line, key) per kind of mistake.
#include <gtest/gtest.h>
#include <sys/resource.h>

#include <algorithm>
#include <filesystem>
#include <fstream>

#include "core/atomic_file.h"
#include "core/error.h"
#include "impulse/dsp_block.h"
#include "project/impulse_toml.h"
#include "project/project.h"

using namespace kiln;

namespace {

std::string error_of(const std::string& text) {
  try {
    parse_impulse_toml(text, "kiln.toml");
  } catch (const Error& e) {
    return e.what();
  }
  return "";
}

std::filesystem::path temp_dir(const std::string& name) {
  auto p =
      std::filesystem::temp_directory_path() / ("kiln-test-project-" + name + std::to_string(::getpid()));
  std::filesystem::remove_all(p);
  return p;
}

}  // namespace

TEST(ImpulseToml, DefaultsRoundTrip) {
  Impulse a;
  a.dsp.params = dsp_default_params("mfe");
  Impulse b = parse_impulse_toml(impulse_to_toml(a), "kiln.toml");
  EXPECT_EQ(b.name, a.name);
  EXPECT_EQ(b.input.frequency, a.input.frequency);
  EXPECT_EQ(b.input.window_size_ms, a.input.window_size_ms);
  EXPECT_EQ(b.input.window_increase_ms, a.input.window_increase_ms);
  EXPECT_EQ(b.input.zero_pad, a.input.zero_pad);
  EXPECT_EQ(b.dsp.params, a.dsp.params);
  EXPECT_EQ(b.train.epochs, 100);
  EXPECT_DOUBLE_EQ(b.train.learning_rate, 0.005);
  EXPECT_EQ(b.train.batch_size, 32);
  EXPECT_DOUBLE_EQ(b.train.validation_split, 0.2);
  EXPECT_DOUBLE_EQ(b.dataset.test_ratio, 0.1);
  EXPECT_TRUE(b.learn.layers.empty());
}

TEST(ImpulseToml, LayersRoundTrip) {
  Impulse a;
  a.dsp.params = dsp_default_params("mfe");
  LayerSpec conv;
  conv.type = "conv2d";
  conv.filters = 12;
  conv.kernel_size = 5;
  conv.activation = "relu6";
  conv.padding = "valid";
  LayerSpec reshape;
  reshape.type = "reshape";
  reshape.shape = {99, 40, 1};
  LayerSpec drop;
  drop.type = "dropout";
  drop.rate = 0.4;
  a.learn.layers = {reshape, conv, drop};
  Impulse b = parse_impulse_toml(impulse_to_toml(a), "kiln.toml");
  ASSERT_EQ(b.learn.layers.size(), 3u);
  EXPECT_EQ(b.learn.layers[0].shape, (std::vector<int>{99, 40, 1}));
  EXPECT_EQ(b.learn.layers[1].filters, 12);
  EXPECT_EQ(b.learn.layers[1].kernel_size, 5);
  EXPECT_EQ(b.learn.layers[1].activation, "relu6");
  EXPECT_EQ(b.learn.layers[1].padding, "valid");
  EXPECT_DOUBLE_EQ(b.learn.layers[2].rate, 0.4);
}

TEST(ImpulseToml, UnknownKeyNamesLineAndSuggests) {
  std::string e = error_of("[input]\nfrequency = 16000\nwindow_sise_ms = 1000\n");
  EXPECT_NE(e.find("kiln.toml:3"), std::string::npos) << e;
  EXPECT_NE(e.find("unknown key 'window_sise_ms'"), std::string::npos) << e;
  EXPECT_NE(e.find("did you mean 'window_size_ms'"), std::string::npos) << e;
}

TEST(ImpulseToml, UnknownSection) {
  std::string e = error_of("[trian]\nepochs = 3\n");
  EXPECT_NE(e.find("unknown section [trian]"), std::string::npos) << e;
  EXPECT_NE(e.find("did you mean 'train'"), std::string::npos) << e;
}

TEST(ImpulseToml, WrongTypesAndRanges) {
  EXPECT_NE(error_of("[input]\nfrequency = \"fast\"\n").find("[input].frequency must be a number"),
            std::string::npos);
  EXPECT_NE(error_of("[train]\nepochs = 2.5\n").find("[train].epochs must be a whole number"),
            std::string::npos);
  EXPECT_NE(error_of("[train]\nepochs = 0\n").find("must be between 1 and"), std::string::npos);
  EXPECT_NE(error_of("[input]\nzero_pad = 1\n").find("must be true or false"), std::string::npos);
  EXPECT_NE(error_of("[input]\ntype = \"audoi\"\n").find("did you mean 'audio'"), std::string::npos);
  EXPECT_NE(error_of("[train]\nvalidation_split = 1.5\n").find("validation_split"), std::string::npos);
  EXPECT_NE(error_of("[input]\naxes = 3\n").find("axes must be 1 for audio"), std::string::npos);
}

TEST(ImpulseToml, SyntaxErrorNamesLine) {
  std::string e = error_of("[input]\nfrequency = = 3\n");
  EXPECT_NE(e.find("kiln.toml:2"), std::string::npos) << e;
}

TEST(ImpulseToml, LayerMistakes) {
  EXPECT_NE(error_of("[[learn.layers]]\nunits = 3\n").find("has no 'type'"), std::string::npos);
  EXPECT_NE(error_of("[[learn.layers]]\ntype = \"dense\"\n").find("needs 'units'"), std::string::npos);
  std::string e = error_of("[[learn.layers]]\ntype = \"dense\"\nunits = 4\nfilters = 8\n");
  EXPECT_NE(e.find("filters does not apply to a dense layer"), std::string::npos) << e;
  e = error_of("[[learn.layers]]\ntype = \"conv1d\"\nfilters = 4\nkernal_size = 3\n");
  EXPECT_NE(e.find("did you mean 'kernel_size'"), std::string::npos) << e;
  e = error_of("[[learn.layers]]\ntype = \"convd1\"\n");
  EXPECT_NE(e.find("did you mean 'conv1d'"), std::string::npos) << e;
}

TEST(Project, DspParametersCheckedOnLoad) {
  auto dir = temp_dir("dsp");
  std::filesystem::create_directories(dir);
  write_file_atomic(dir / "kiln.toml", "[dsp]\nnum_filter = 40\n");
  try {
    load_impulse(dir);
    FAIL() << "expected an error";
  } catch (const Error& e) {
    std::string m = e.what();
    EXPECT_NE(m.find("kiln.toml"), std::string::npos) << m;
    EXPECT_NE(m.find("num_filter"), std::string::npos) << m;
    EXPECT_NE(m.find("num_filters"), std::string::npos) << m;  // the suggestion
  }
  write_file_atomic(dir / "kiln.toml", "[dsp]\nfft_length = 300\n");
  EXPECT_THROW(load_impulse(dir), Error);
  write_file_atomic(dir / "kiln.toml", "[dsp]\nfft_length = 512\n");
  Impulse imp = load_impulse(dir);
  EXPECT_EQ(imp.dsp.params.at("fft_length"), 512);
  EXPECT_EQ(imp.dsp.params.at("num_filters"), 40);  // default filled in
  std::filesystem::remove_all(dir);
}

TEST(Project, NotAProject) {
  auto dir = temp_dir("none");
  std::filesystem::create_directories(dir);
  try {
    load_impulse(dir);
    FAIL();
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("not a Kiln project"), std::string::npos);
  }
  std::filesystem::remove_all(dir);
}

TEST(Project, InitRefusesExistingAndBadSettings) {
  auto dir = temp_dir("init");
  Impulse imp;
  imp.dsp.params = dsp_default_params("mfe");
  init_project(dir, imp);
  EXPECT_TRUE(std::filesystem::exists(dir / "kiln.toml"));
  EXPECT_TRUE(std::filesystem::is_directory(dir / "data"));
  std::string before = read_file(dir / "kiln.toml");
  EXPECT_THROW(init_project(dir, imp), Error);
  EXPECT_EQ(read_file(dir / "kiln.toml"), before);
  std::filesystem::remove_all(dir);

  // An impossible setting is refused before anything is created.
  imp.dsp.params["fft_length"] = 100;
  EXPECT_THROW(init_project(dir, imp), Error);
  EXPECT_FALSE(std::filesystem::exists(dir));
}

// toml++ recurses per dotted-key part and per nesting level: a 100,000-part key used to overflow the stack
// (exit 139). The text is checked before toml++ sees it, with the line to blame.
TEST(ImpulseToml, DeepKeysAndNestingAreRefusedWithTheLine) {
  std::string dotted = "a";
  for (int i = 0; i < 100000; ++i) dotted += ".a";
  EXPECT_EQ(error_of("name = \"x\"\n\n" + dotted + " = 1\n"),
            "kiln.toml:3: a key of more than 16 dotted parts");
  EXPECT_EQ(error_of("[" + dotted + "]\n"), "kiln.toml:1: a key of more than 16 dotted parts");
  EXPECT_EQ(error_of("[input]\nx = {" + dotted + " = 1}\n"),
            "kiln.toml:2: a key of more than 16 dotted parts");
  const std::string deep = "arrays, inline tables and table headers nested more than 16 deep";
  EXPECT_EQ(error_of("[dsp]\nx = " + std::string(100000, '[') + std::string(100000, ']') + "\n"),
            "kiln.toml:2: " + deep);
  std::string tables = "x = ";
  for (int i = 0; i < 100000; ++i) tables += "{a = ";
  EXPECT_EQ(error_of(tables + "1"), "kiln.toml:1: " + deep);
  // Nesting across lines counts the lines.
  EXPECT_EQ(error_of("x = [\n" + std::string(20, '[') + "\n"), "kiln.toml:2: " + deep);
  // Just within the limits, toml++ gets the text (and rejects the keys as unknown).
  std::string sixteen = "a";
  for (int i = 0; i < 15; ++i) sixteen += ".a";
  EXPECT_EQ(error_of(sixteen + " = 1\n"), "kiln.toml:1: unknown section [a]");
  EXPECT_NE(error_of("x = " + std::string(16, '[') + std::string(16, ']') + "\n").find("unknown key 'x'"),
            std::string::npos);
}

// Dots and brackets inside strings and comments are not structure; line numbers stay right after multi-line
// strings.
TEST(ImpulseToml, PrescanSkipsStringsAndComments) {
  const std::string dots(200, '.');
  const std::string brackets(200, '[');
  EXPECT_EQ(error_of("name = \"" + dots + brackets + "\"\n# " + dots + brackets + "\n"), "");
  EXPECT_EQ(error_of("name = '" + dots + brackets + "'\n"), "");
  EXPECT_EQ(error_of("name = \"\"\"\n" + dots + "\n" + brackets + "\\\"\"\"\n\"\"\"\"\n"), "");
  EXPECT_EQ(error_of("name = '''\n" + dots + "'\n" + brackets + "''''\n"), "");
  EXPECT_EQ(error_of("name = \"a\\\"" + dots + "\"\n"), "");  // an escaped quote does not end the string
  // The error after a three-line string is on line 5.
  std::string e = error_of("name = \"\"\"\na\nb\"\"\"\n\n[input]\nfrequency = = 3\n");
  EXPECT_EQ(e.rfind("kiln.toml:6: ", 0), 0u) << e;
  e = error_of("name = \"\"\"\na\nb\"\"\"\nx = " + std::string(17, '{'));
  EXPECT_EQ(e, "kiln.toml:4: arrays, inline tables and table headers nested more than 16 deep");
  // An unterminated string ends at its line: what follows is still checked (and toml++ reports the string).
  e = error_of("name = \"abc\n" + std::string(20, '[') + "\n");
  EXPECT_EQ(e, "kiln.toml:2: arrays, inline tables and table headers nested more than 16 deep");
  // Floats, dates and dotted keys within the limit are fine.
  Impulse imp = parse_impulse_toml("input.frequency = 8000.5\n[dsp]\nframe_length = 0.025\n", "kiln.toml");
  EXPECT_EQ(imp.input.frequency, 8000.5);
  EXPECT_EQ(imp.dsp.params.at("frame_length"), 0.025);
}

TEST(ImpulseToml, SizeLimit) {
  std::string big = "name = \"x\"\n" + std::string(kMaxImpulseTomlBytes, '#') + "\n";
  EXPECT_EQ(error_of(big), "kiln.toml: " + std::to_string(big.size()) +
                               " bytes, more than the 1048576 a kiln.toml may have (is it the right file?)");
}

// toml++ gives no double for an integer beyond 2^53 (it is not exact): reading it used to throw
// std::bad_optional_access, an internal error.
TEST(ImpulseToml, HugeIntegersWhereNumbersGo) {
  EXPECT_NE(error_of("[input]\nfrequency = 9007199254740993\n")
                .find("kiln.toml:2: [input].frequency must be between 0.001 and 1e+06, got 9.0072e+15"),
            std::string::npos)
      << error_of("[input]\nfrequency = 9007199254740993\n");
  Impulse imp = parse_impulse_toml("[dsp]\nfft_length = 9223372036854775807\n", "kiln.toml");
  EXPECT_EQ(imp.dsp.params.at("fft_length"), 9223372036854775807.0);
}

// User content in messages is escaped and cut: keys, values, toml++'s own excerpts.
TEST(ImpulseToml, MessagesQuoteContentOnOneShortLine) {
  const std::string long_key(100000, 'k');
  std::string e = error_of("[input]\n" + long_key + " = 1\n");
  EXPECT_EQ(e.rfind("kiln.toml:2: unknown key 'kkkk", 0), 0u) << e.substr(0, 200);
  EXPECT_NE(e.find("kkk ... kkk"), std::string::npos) << e.substr(0, 200);
  EXPECT_NE(e.find("kkk' in [input]"), std::string::npos) << e.substr(0, 200);
  EXPECT_LT(e.size(), 200u);
  e = error_of("\"a\\nb\\u001b[2J\" = 1\n");
  EXPECT_EQ(e, "kiln.toml:1: unknown key 'a\\nb\\x1B[2J'");
  e = error_of("[input]\ntype = \"" + std::string(5000, 'v') + "\"\n");
  EXPECT_LT(e.size(), 300u) << e;
  EXPECT_NE(e.find("[input].type is 'vvvv"), std::string::npos) << e;
  e = error_of(long_key + "\n");  // toml++: a key without a value
  EXPECT_EQ(e.rfind("kiln.toml:1: ", 0), 0u) << e.substr(0, 200);
  EXPECT_LT(e.size(), 300u) << e.substr(0, 300);
  EXPECT_EQ(e.find('\n'), std::string::npos);
}

TEST(Project, DspMessagesQuoteNamesShortly) {
  auto dir = temp_dir("dsp-quote");
  std::filesystem::create_directories(dir);
  write_file_atomic(dir / "kiln.toml", "[dsp]\n" + std::string(100000, 'p') + " = 1\n");
  try {
    load_impulse(dir);
    FAIL() << "expected an error";
  } catch (const Error& e) {
    EXPECT_LT(std::string(e.what()).size(), dir.string().size() + 300)
        << std::string(e.what()).substr(0, 300);
    EXPECT_NE(std::string(e.what()).find("mfe: unknown parameter 'pppp"), std::string::npos);
  }
  write_file_atomic(dir / "kiln.toml", "[dsp]\nversion = \"" + std::string(100000, 'v') + "\"\n");
  try {
    load_impulse(dir);
    FAIL() << "expected an error";
  } catch (const Error& e) {
    EXPECT_LT(std::string(e.what()).size(), dir.string().size() + 300)
        << std::string(e.what()).substr(0, 300);
  }
  std::filesystem::remove_all(dir);
}

// kiln.toml is read with a limit: a device or an oversized file is refused by name. (An unbounded read of
// /dev/zero runs until memory runs out; the address-space cap makes that a quick failure, not a stuck test.)
TEST(Project, KilnTomlIsReadBounded) {
  auto dir = temp_dir("bounded");
  std::filesystem::create_directories(dir);
  std::filesystem::create_symlink("/dev/zero", dir / "kiln.toml");
  rlimit old{};
  ASSERT_EQ(::getrlimit(RLIMIT_AS, &old), 0);
  rlimit capped = old;
  capped.rlim_cur = std::min<rlim_t>(old.rlim_cur, rlim_t{4} << 30);
  ASSERT_EQ(::setrlimit(RLIMIT_AS, &capped), 0);
  struct Restore {
    rlimit limit;
    ~Restore() { ::setrlimit(RLIMIT_AS, &limit); }
  } restore{old};
  try {
    load_impulse(dir);
    FAIL() << "expected an error";
  } catch (const Error& e) {
    EXPECT_EQ(std::string(e.what()),
              (dir / "kiln.toml").string() +
                  ": not a regular file (a device, pipe or socket; Kiln reads files only)");
  }
  std::filesystem::remove(dir / "kiln.toml");
  write_file_atomic(dir / "kiln.toml", std::string(kMaxImpulseTomlBytes + 1, '#'));
  try {
    load_impulse(dir);
    FAIL() << "expected an error";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find(
                  "kiln.toml: 1048577 bytes, more than the 1048576 bytes (1 MiB) this reads"),
              std::string::npos)
        << e.what();
  }
  std::filesystem::remove_all(dir);
}

// The writer escapes control characters in strings: TOML forbids them raw, so impulse_to_toml used to write a
// file that does not parse (found by fuzz_kiln_toml: a multi-line `name` read back and written again).
TEST(ImpulseToml, WrittenStringsWithControlCharactersReadBack) {
  Impulse a;
  a.dsp.params = dsp_default_params("mfe");
  a.dsp.version = "ei-4\nline two\t\x01\x1f\x7f \"quoted\" \\back";
  const std::string text = impulse_to_toml(a);
  EXPECT_NE(text.find(R"(version = "ei-4\u000Aline two\u0009\u0001\u001F\u007F \"quoted\" \\back")"),
            std::string::npos)
      << text;
  EXPECT_EQ(parse_impulse_toml(text, "kiln.toml").dsp.version, a.dsp.version);
}

// toml++ 3.3 reaches undefined behaviour (__builtin_unreachable) when it asks whether U+00A1..U+0499 is
// whitespace, which it does outside strings and after a backslash in multi-line strings (found by
// fuzz_kiln_toml; marzer/tomlplusplus issues 190 and 295). Those spots are refused first; non-ASCII text in
// strings and comments is fine.
TEST(ImpulseToml, NonAsciiWhereTomlxxMisreadsIt) {
  EXPECT_EQ(error_of("name = \"x\"\n\xC9\x8F = 2\n"),
            "kiln.toml:2: a non-ASCII character outside a string or comment");
  EXPECT_EQ(error_of("[input]\nfrequency = 16000\xC2\xA7\n"),
            "kiln.toml:2: a non-ASCII character outside a string or comment");
  EXPECT_EQ(error_of("name = \"\"\"\\\n\n  \xC2\xA7\"\"\"\n"),
            "kiln.toml:3: a line-ending backslash followed by a non-ASCII character, which the TOML library "
            "misreads (put an ASCII character first on the line)");
  EXPECT_EQ(error_of("name = \"\"\"a\\\xC3\xA9\"\"\"\n"),
            "kiln.toml:1: a backslash before a non-ASCII character (not a TOML escape)");
  EXPECT_EQ(error_of("name = \"a\\\xC3\xA9\"\n"),
            "kiln.toml:1: a backslash before a non-ASCII character (not a TOML escape)");
  // A quote opens a string only where TOML allows one; elsewhere toml++ reads on as a bare value.
  EXPECT_EQ(error_of("\"\"=5\"\xEF\xBA\xBF"),
            "kiln.toml:1: a non-ASCII character outside a string or comment");
  EXPECT_EQ(error_of("x = [1, 2\"\xC3\xA9\"]"),
            "kiln.toml:1: a non-ASCII character outside a string or comment");
  EXPECT_EQ(error_of("x = \"a\" \"\xC3\xA9\""),
            "kiln.toml:1: a non-ASCII character outside a string or comment");
  // ... and after a '.' only in a key: in a value, 8p."..." is one bare (bad) value to toml++.
  const std::string outside = "a non-ASCII character outside a string or comment";
  EXPECT_EQ(error_of("ny = 8p.\"\xEF\xB3\xBF\""), "kiln.toml:1: " + outside);
  EXPECT_EQ(error_of("x = [\n  8p.\"\xEF\xB3\xBF\"]"), "kiln.toml:2: " + outside);
  EXPECT_EQ(error_of("x = {a = 8p.\"\xEF\xB3\xBF\"}"), "kiln.toml:1: " + outside);
  // A bare value runs to whitespace , ] } or #, brackets and quotes included: toml++ reads 0{{'... as one
  // value.
  EXPECT_EQ(error_of("# lc\nhigh_freq= 0{{{{{{{{'{{{{\xEF\xBA\xBF{4qin "), "kiln.toml:2: " + outside);
  EXPECT_EQ(error_of("x = true\xC2\xA7\n"), "kiln.toml:1: " + outside);
  EXPECT_EQ(error_of("x = [1, 2[\"\xC2\xA7\"]]\n"), "kiln.toml:1: " + outside);
  EXPECT_EQ(error_of("x = [\n  1,\n  2{'\xC2\xA7'}]\n"), "kiln.toml:3: " + outside);
  // A bare value's dots and brackets are not structure.
  EXPECT_EQ(error_of("x = 1" + std::string(100, '.') + "\n").rfind("kiln.toml:1: ", 0), 0u);
  EXPECT_EQ(error_of("x = 1" + std::string(100, '.') + "\n").find("dotted"), std::string::npos);
  // Fine: in strings, after an ASCII character, and in comments.
  Impulse imp =
      parse_impulse_toml("# \xC3\xBCnicode \xC2\xA7\nname = \"caf\xC3\xA9 \xC2\xA7\"\n", "kiln.toml");
  EXPECT_EQ(imp.name, "caf\xC3\xA9 \xC2\xA7");
  EXPECT_EQ(parse_impulse_toml("[\"input\"]\ntype = \"audio\" # \xC3\xA9\n", "kiln.toml").input.type,
            "audio");
  EXPECT_EQ(parse_impulse_toml("input.\"type\" = \"audio\"\n", "kiln.toml").input.type, "audio");
  EXPECT_EQ(error_of("input = {\"type\" = \"timeseries\", x.\"\xC3\xA9\" = 1}\n"),
            "kiln.toml:1: unknown key 'x' in [input]");  // toml++ read it
  EXPECT_EQ(error_of("[[\"learn\".\"l\xC3\xA9yers\"]]\n").rfind("kiln.toml:1: unknown key", 0), 0u);
  EXPECT_EQ(parse_impulse_toml("input = {type = 'timeseries', axes = 3}\n", "kiln.toml").input.axes, 3);
  EXPECT_EQ(error_of("[[learn.layers]]\ntype = \"reshape\"\nshape = [\n  # \xC3\xA9\n  1,\n  2]\n"), "");
  imp = parse_impulse_toml("name = \"\"\"\\\n  x\xC2\xA7\\\"\"\"\"\n", "kiln.toml");
  EXPECT_EQ(imp.name, "x\xC2\xA7\"");
  imp = parse_impulse_toml("\xEF\xBB\xBFname = \"bom\"\n", "kiln.toml");  // a byte order mark
  EXPECT_EQ(imp.name, "bom");
  imp = parse_impulse_toml("name = 'a\\\xC3\xA9'\n", "kiln.toml");  // no escapes in literal strings
  EXPECT_EQ(imp.name, "a\\\xC3\xA9");
}

// Parameters Edge Impulse writes as strings (choices) and booleans: read, written back as they were written,
// and refused with the line and the accepted values.
TEST(ImpulseToml, ChoiceAndBooleanParametersRoundTrip) {
  const std::string head =
      "[input]\ntype = \"timeseries\"\nfrequency = 62.5\naxes = 3\n[dsp]\nblock = \"spectral-analysis\"\n"
      "version = \"ei-4\"\n";
  const Impulse a = parse_impulse_toml(
      head + "filter-type = \"low\"\ndo-log = false\ninput-decimation-ratio = \"3\"\nwavelet = \"sym8\"\n",
      "kiln.toml");
  EXPECT_EQ(a.dsp.params.at("filter-type"), 1);  // none, low, high
  EXPECT_EQ(a.dsp.params.at("do-log"), 0);
  EXPECT_EQ(a.dsp.params.at("input-decimation-ratio"), 3);
  EXPECT_EQ(dsp_param_text("spectral-analysis", "wavelet", a.dsp.params.at("wavelet")), "sym8");
  const std::string written = impulse_to_toml(a);
  for (const char* line : {"filter-type = \"low\"", "do-log = false", "input-decimation-ratio = 3",
                           "wavelet = \"sym8\""}) {
    EXPECT_NE(written.find(line), std::string::npos) << line << "\n" << written;
  }
  const Impulse b = parse_impulse_toml(written, "kiln.toml");
  EXPECT_EQ(b.dsp.params, a.dsp.params);

  std::string m = error_of(head + "filter-type = \"lo\"\n");
  EXPECT_NE(m.find("kiln.toml:8"), std::string::npos) << m;
  EXPECT_NE(m.find("none, low, high"), std::string::npos) << m;
  EXPECT_NE(m.find("did you mean 'low'"), std::string::npos) << m;
  m = error_of(head + "do-log = \"yes\"\n");
  EXPECT_NE(m.find("do-log"), std::string::npos) << m;
  EXPECT_NE(m.find("true or false"), std::string::npos) << m;
  m = error_of(head + "filter-type = 1\n");
  EXPECT_NE(m.find("must be one of none, low, high"), std::string::npos) << m;
  m = error_of(head + "fft-length = [16]\n");
  EXPECT_NE(m.find("fft-length"), std::string::npos) << m;
  m = error_of("[dsp]\nblock = \"spectral\"\n");
  EXPECT_NE(m.find("spectral-analysis"), std::string::npos) << m;  // the list of blocks, or the suggestion
}

// A value the block itself refuses is reported at its own line by load_impulse.
TEST(Project, BlockRefusalNamesTheParametersLine) {
  auto dir = temp_dir("spectral");
  std::filesystem::create_directories(dir);
  write_file_atomic(dir / "kiln.toml",
                    "[input]\ntype = \"timeseries\"\nfrequency = 62.5\naxes = 3\n[dsp]\nblock = "
                    "\"spectral-analysis\"\nversion = \"ei-4\"\nfilter-type = \"high\"\nfilter-cutoff = 40\n");
  try {
    load_impulse(dir);
    FAIL() << "expected an error";
  } catch (const Error& e) {
    const std::string m = e.what();
    EXPECT_NE(m.find("kiln.toml:9"), std::string::npos) << m;
    EXPECT_NE(m.find("filter-cutoff"), std::string::npos) << m;
    EXPECT_NE(m.find("got 40"), std::string::npos) << m;
  }
  std::filesystem::remove_all(dir);
}

// Without `version`, a block gets its own newest implementation; a version the block lacks is still refused.
TEST(ImpulseToml, MissingVersionIsTheBlocksNewest) {
  EXPECT_EQ(parse_impulse_toml("[dsp]\nblock = \"flatten\"\n", "kiln.toml").dsp.version, "ei-1");
  EXPECT_EQ(parse_impulse_toml("[dsp]\nblock = \"mfcc\"\n", "kiln.toml").dsp.version, "ei-4");
  EXPECT_EQ(parse_impulse_toml("[dsp]\n", "kiln.toml").dsp.version, "ei-4");
  auto dir = temp_dir("version");
  std::filesystem::create_directories(dir);
  write_file_atomic(dir / "kiln.toml",
                    "[input]\ntype = \"timeseries\"\nfrequency = 62.5\naxes = 3\n[dsp]\nblock = \"flatten\"\n"
                    "version = \"ei-4\"\n");
  try {
    load_impulse(dir);
    FAIL() << "expected an error";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("unknown version 'ei-4'"), std::string::npos) << e.what();
  }
  std::filesystem::remove_all(dir);
}
