// The dataset: ingest (labels, dedup by content, conflicts, the stratified grouped split), the SQLite index
// and its migration, relabel/move/remove, and all-or-nothing ingest for every kind of bad input. Every change
// goes through open_for_update in a generation under the write lock, as the commands do.
#include <gtest/gtest.h>
#include <sndfile.h>
#include <sqlite3.h>

#include <map>
#include <optional>
#include <set>
#include <type_traits>

#include "core/error.h"
#include "core/escape.h"
#include "core/generation.h"
#include "core/project_state.h"
#include "data/dataset.h"
#include "data/hash_split.h"
#include "data/sample_reader.h"
#include "data/sha256.h"
#include "sample_files.h"

namespace kiln {
namespace {

namespace fs = std::filesystem;
using test::fresh_dir;
using test::snapshot;
using test::write_text;
using test::write_tone;

constexpr int kWav16 = SF_FORMAT_WAV | SF_FORMAT_PCM_16;

// A project directory (the dataset does not read kiln.toml) with an empty dataset.
fs::path make_project(const std::string& name) {
  fs::path dir = fresh_dir(name) / "project";
  fs::create_directories(dir);
  write_text(dir / "kiln.toml", "[input]\nfrequency = 16000\n");
  return dir;
}

std::map<std::string, std::string> labels_by_name(const std::vector<SampleRecord>& samples) {
  std::map<std::string, std::string> out;
  for (const auto& s : samples) out[s.name] = s.label;
  return out;
}

std::vector<std::int64_t> ids_of(const std::vector<SampleRecord>& samples) {
  std::vector<std::int64_t> ids;
  for (const auto& s : samples) ids.push_back(s.id);
  return ids;
}

// Runs `f` on the dataset of `dir` opened for update, as a command does: under the write lock, staged in a
// generation that is published when `f` returns (and discarded when it throws). Returns what `f` returns.
template <typename F>
auto change(const fs::path& dir, F&& f) {
  WriteLock lock(dir, "test");
  Generation generation(dir);
  using Result = std::invoke_result_t<F, Dataset&>;
  if constexpr (std::is_void_v<Result>) {
    {
      Dataset ds = Dataset::open_for_update(dir, generation);
      f(ds);
    }
    generation.publish();
  } else {
    std::optional<Result> result;
    {
      Dataset ds = Dataset::open_for_update(dir, generation);
      result.emplace(f(ds));
    }
    generation.publish();
    return std::move(*result);
  }
}

Dataset::AddResult add(const fs::path& dir, const std::vector<fs::path>& paths,
                       const Dataset::AddOptions& opts = {}, const InputSettings& input = {}) {
  return change(dir, [&](Dataset& ds) { return ds.add(paths, opts, input); });
}

// The message of the Error `f` throws, "" when it does not throw.
template <typename F>
std::string error_of(F&& f) {
  try {
    f();
  } catch (const Error& e) {
    return e.what();
  }
  return "";
}

TEST(Dataset, OpenOnlyReadsAndRequiresTheProjectDirectory) {
  fs::path dir = make_project("ds-open");
  const auto before = snapshot(dir);
  Dataset ds = Dataset::open(dir);
  EXPECT_TRUE(ds.list().empty());
  EXPECT_EQ(snapshot(dir), before);  // no data/, no index
  EXPECT_FALSE(fs::exists(dir / "data"));
  EXPECT_EQ(error_of([&] { Dataset::open(dir / "nope"); }),
            (dir / "nope").string() + ": no such project directory");

  // The first change creates the index, when it is published.
  change(dir, [](Dataset& d) { EXPECT_TRUE(d.list().empty()); });
  EXPECT_TRUE(fs::exists(dir / "data" / "kiln.db"));
  EXPECT_TRUE(Dataset::open(dir).list().empty());
}

TEST(Dataset, AddsWithLabelsFromFoldersPrefixesAndTheFlag) {
  fs::path dir = make_project("ds-labels");
  fs::path rec = dir.parent_path() / "rec";
  write_tone(rec / "alarm" / "a1.wav", kWav16, 16000, 1, 0.25, 3000, 0.5);
  write_tone(rec / "alarm" / "a2.wav", kWav16, 44100, 2, 0.25, 3100, 0.5);
  write_tone(rec / "noise" / "n1.flac", SF_FORMAT_FLAC | SF_FORMAT_PCM_16, 16000, 1, 0.25, 0, 0, 0.3, 5);
  write_tone(rec / "fan.01.wav", kWav16, 16000, 1, 0.25, 200, 0.5);
  write_tone(dir.parent_path() / "other" / "door" / "d1.wav", kWav16, 8000, 1, 0.25, 500, 0.5);
  write_tone(dir.parent_path() / "other" / "bell.wav", kWav16, 16000, 1, 0.25, 900, 0.5);

  std::vector<std::pair<std::size_t, std::size_t>> calls;
  Dataset::AddResult r = change(dir, [&](Dataset& ds) {
    return ds.add({rec, dir.parent_path() / "other" / "door" / "d1.wav"}, {}, InputSettings{},
                  [&](std::size_t done, std::size_t total) { calls.emplace_back(done, total); });
  });
  EXPECT_EQ(r.added, 5);
  EXPECT_EQ(r.duplicates, 0);
  std::map<std::string, std::string> expected = {{"a1.wav", "alarm"},
                                                 {"a2.wav", "alarm"},
                                                 {"n1.flac", "noise"},
                                                 {"fan.01.wav", "fan"},
                                                 {"d1.wav", "door"}};
  EXPECT_EQ(labels_by_name(r.samples), expected);
  Dataset ds = Dataset::open(dir);
  EXPECT_EQ(labels_by_name(ds.list()), expected);
  ASSERT_FALSE(calls.empty());
  EXPECT_EQ(calls.front(), (std::pair<std::size_t, std::size_t>{0, 5}));
  EXPECT_EQ(calls.back(), (std::pair<std::size_t, std::size_t>{5, 5}));

  Dataset::AddOptions opts;
  opts.label = "doorbell";
  opts.category = "test";
  r = add(dir, {dir.parent_path() / "other" / "bell.wav"}, opts);
  ASSERT_EQ(r.added, 1);
  EXPECT_EQ(r.samples[0].label, "doorbell");
  EXPECT_EQ(r.samples[0].category, "test");

  // Every record is complete and its content loads back as what the reader produced.
  ds = Dataset::open(dir);
  for (const SampleRecord& s : ds.list()) {
    SCOPED_TRACE(s.name);
    EXPECT_EQ(s.axes, 1);
    EXPECT_EQ(s.frequency, 16000);
    EXPECT_EQ(s.length, 4000);
    EXPECT_DOUBLE_EQ(s.seconds(), 0.25);
    EXPECT_EQ(s.hash.size(), 64u);
    EXPECT_TRUE(fs::path(s.source_path).is_absolute());
    EXPECT_EQ(fs::path(s.source_path).filename(), s.name);
    EXPECT_EQ(s.axis_names, std::vector<std::string>{"audio"});
    EXPECT_EQ(s.added_at.size(), 20u);
    EXPECT_EQ(s.group_key, "");  // group_by = "none"
    EXPECT_TRUE(fs::exists(dir / "data" / "samples" / (s.hash + ".f32")));
    SampleData loaded = ds.load(s);
    EXPECT_EQ(loaded.values, read_sample_file(s.source_path, InputSettings{}).values);
  }
}

// The same content as WAV and FLAC (lossless) is one sample; OGG is lossy, so it is another.
TEST(Dataset, DeduplicatesByConvertedContent) {
  fs::path dir = make_project("ds-dedup");
  fs::path src = dir.parent_path() / "src";
  std::vector<float> v = test::int16_noise(22050 * 2, 3);  // 0.5 s of 44.1 kHz stereo
  test::write_audio(src / "x.wav", kWav16, 44100, 2, v);
  test::write_audio(src / "x.flac", SF_FORMAT_FLAC | SF_FORMAT_PCM_16, 44100, 2, v);
  test::write_audio(src / "x.ogg", SF_FORMAT_OGG | SF_FORMAT_VORBIS, 44100, 2, v);
  Dataset::AddResult r = add(dir, {src / "x.wav", src / "x.flac"});
  EXPECT_EQ(r.added, 1);
  EXPECT_EQ(r.duplicates, 1);
  r = add(dir, {src});  // again, plus the OGG
  EXPECT_EQ(r.added, 1);
  EXPECT_EQ(r.duplicates, 2);
  ASSERT_EQ(r.samples.size(), 1u);
  EXPECT_EQ(r.samples[0].name, "x.ogg");
  EXPECT_EQ(Dataset::open(dir).list().size(), 2u);
  std::size_t files = 0;
  for (const auto& e : fs::directory_iterator(dir / "data" / "samples")) files += e.is_regular_file();
  EXPECT_EQ(files, 2u);
}

// Content already in the dataset, or twice in one add, under another label: an error naming the file, the
// sample it clashes with and the way out; nothing added. The same content with the same label stays a
// harmless duplicate.
TEST(Dataset, SameContentWithAnotherLabelIsAConflict) {
  fs::path dir = make_project("ds-conflict");
  fs::path src = dir.parent_path() / "src";
  const std::vector<float> a = test::int16_noise(1600, 1), b = test::int16_noise(1600, 2);
  test::write_audio(src / "alarm.01.wav", kWav16, 16000, 1, a);
  test::write_audio(src / "other" / "x.wav", kWav16, 16000, 1, a);
  test::write_audio(src / "twice" / "noise.1.wav", kWav16, 16000, 1, b);
  test::write_audio(src / "twice" / "fan.1.wav", kWav16, 16000, 1, b);
  test::write_audio(src / "fresh.wav", kWav16, 16000, 1, test::int16_noise(1600, 3));
  const std::int64_t id = add(dir, {src / "alarm.01.wav"}).samples.at(0).id;
  const auto before = snapshot(dir);

  Dataset::AddOptions noise;
  noise.label = "noise";
  EXPECT_EQ(error_of([&] {
              add(dir, {src / "fresh.wav", src / "other" / "x.wav"}, noise);
            }),
            (src / "other" / "x.wav").string() + ": already in the dataset as 'alarm' (id " +
                std::to_string(id) + ", alarm.01.wav); relabel it with `kiln dataset relabel " +
                std::to_string(id) + " --label noise`, or leave it out");
  EXPECT_EQ(snapshot(dir), before);

  // Several conflicts: the first, and how many more. A label that needs quoting in a shell is quoted.
  Dataset::AddOptions spaced;
  spaced.label = "smoke alarm";
  EXPECT_EQ(error_of([&] {
              add(dir, {src / "alarm.01.wav", src / "other" / "x.wav"}, spaced);
            }),
            (src / "alarm.01.wav").string() + ": already in the dataset as 'alarm' (id " +
                std::to_string(id) + ", alarm.01.wav); relabel it with `kiln dataset relabel " +
                std::to_string(id) + " --label 'smoke alarm'`, or leave it out (and 1 more conflict)");
  EXPECT_EQ(snapshot(dir), before);

  // Twice in one add under two labels (from the names: fan.1.wav comes first).
  EXPECT_EQ(error_of([&] { add(dir, {src / "twice"}); }),
            (src / "twice" / "noise.1.wav").string() + ": the same content as " +
                (src / "twice" / "fan.1.wav").string() +
                ", which is labelled 'fan' in this add, not 'noise'; leave one of them out");
  EXPECT_EQ(snapshot(dir), before);

  // The same label: duplicates, nothing to do.
  Dataset::AddResult r =
      add(dir, {src / "alarm.01.wav", src / "other" / "x.wav"}, Dataset::AddOptions{"alarm"});
  EXPECT_EQ(r.added, 0);
  EXPECT_EQ(r.duplicates, 2);
  EXPECT_EQ(Dataset::open(dir).list().size(), 1u);
}

// About test_ratio of each label's samples go to test; groups stay whole; the result depends on the files,
// not their order.
TEST(Dataset, SplitIsStratifiedByLabel) {
  std::vector<SplitSample> samples;
  for (int i = 0; i < 40; ++i) samples.push_back({sha256_hex("a" + std::to_string(i)), "a", ""});
  for (int i = 0; i < 10; ++i) samples.push_back({sha256_hex("b" + std::to_string(i)), "b", ""});
  for (int i = 0; i < 4; ++i) samples.push_back({sha256_hex("c" + std::to_string(i)), "c", ""});
  const std::vector<std::string> split = assign_split(samples, {}, 0.1);
  std::map<std::string, int> test;
  for (std::size_t i = 0; i < samples.size(); ++i) test[samples[i].label] += split[i] == "test";
  // round(0.1 n): 4 of 40, 1 of 10, and none of 4 (0.4 rounds to 0).
  EXPECT_EQ(test, (std::map<std::string, int>{{"a", 4}, {"b", 1}, {"c", 0}}));

  // The order of the samples does not matter.
  std::vector<SplitSample> reversed(samples.rbegin(), samples.rend());
  const std::vector<std::string> split_reversed = assign_split(reversed, {}, 0.1);
  for (std::size_t i = 0; i < samples.size(); ++i) {
    EXPECT_EQ(split_reversed[samples.size() - 1 - i], split[i]) << i;
  }
  // 0 and 1 put everything in one set.
  for (const std::string& c : assign_split(samples, {}, 0.0)) EXPECT_EQ(c, "train");
  for (const std::string& c : assign_split(samples, {}, 1.0)) EXPECT_EQ(c, "test");
  // 0.5 rounds up: 5 samples at 0.1 give one test sample.
  EXPECT_EQ(assign_split({{sha256_hex("x"), "x", ""}}, {{{"x", 4}}, {}, {}}, 0.1),
            std::vector<std::string>{"test"});
}

// The targets count the samples already in the dataset: a later add tops each label up to its share.
TEST(Dataset, SplitCountsTheSamplesAlreadyThere) {
  SplitExisting existing;
  existing.samples = {{"a", 18}, {"b", 9}};
  existing.test = {{"a", 0}, {"b", 3}};
  std::vector<SplitSample> samples;
  for (int i = 0; i < 2; ++i) samples.push_back({sha256_hex("a" + std::to_string(i)), "a", ""});
  for (int i = 0; i < 3; ++i) samples.push_back({sha256_hex("b" + std::to_string(i)), "b", ""});
  const std::vector<std::string> split = assign_split(samples, existing, 0.1);
  // a: 20 samples, target 2, none in test yet: both new ones. b: 12, target 1, 3 already: none.
  EXPECT_EQ(split, (std::vector<std::string>{"test", "test", "train", "train", "train"}));
}

TEST(Dataset, SplitKeepsGroupsWhole) {
  // 10 speakers with 4 samples each of "yes": a group is one unit, 10% of 40 = 4 = one speaker.
  std::vector<SplitSample> samples;
  for (int speaker = 0; speaker < 10; ++speaker) {
    for (int i = 0; i < 4; ++i) {
      samples.push_back({sha256_hex(std::to_string(speaker) + "/" + std::to_string(i)), "yes",
                         "speaker" + std::to_string(speaker)});
    }
  }
  const std::vector<std::string> split = assign_split(samples, {}, 0.1);
  std::map<std::string, std::set<std::string>> categories;  // group -> categories
  int test = 0;
  for (std::size_t i = 0; i < samples.size(); ++i) {
    categories[samples[i].group_key].insert(split[i]);
    test += split[i] == "test";
  }
  for (const auto& [group, c] : categories) EXPECT_EQ(c.size(), 1u) << group;
  EXPECT_EQ(test, 4);

  // A new sample of a known group follows it, whatever the label's target says.
  SplitExisting existing;
  existing.samples = {{"yes", 40}};
  existing.test = {{"yes", 4}};
  existing.groups = {{"speaker3", {0, 4}}, {"speaker4", {4, 0}}};
  EXPECT_EQ(assign_split({{sha256_hex("n1"), "yes", "speaker3"}, {sha256_hex("n2"), "yes", "speaker4"}},
                         existing, 0.1),
            (std::vector<std::string>{"test", "train"}));

  // A group of several labels counts for each of them: here it would overshoot "b" by 3 to fill "a" by 1.
  std::vector<SplitSample> mixed = {{sha256_hex("m1"), "a", "g"},
                                    {sha256_hex("m2"), "b", "g"},
                                    {sha256_hex("m3"), "b", "g"},
                                    {sha256_hex("m4"), "b", "g"}};
  for (int i = 0; i < 5; ++i) mixed.push_back({sha256_hex("s" + std::to_string(i)), "a", ""});
  const std::vector<std::string> mixed_split = assign_split(mixed, {}, 0.2);
  EXPECT_EQ(mixed_split[0], "train");
  int a_test = 0;
  for (std::size_t i = 4; i < mixed.size(); ++i) a_test += mixed_split[i] == "test";
  EXPECT_EQ(a_test, 1);  // round(0.2 * 6)
}

// Through add: stratified, the same files in another order give the same split, and a sample never changes
// set on later adds.
TEST(Dataset, SplitOnIngest) {
  fs::path src = fresh_dir("ds-split-src");
  for (int i = 0; i < 30; ++i) {
    test::write_audio(src / "a" / ("s" + std::to_string(i) + ".wav"), kWav16, 16000, 1,
                      test::int16_noise(160, i));
  }
  for (int i = 0; i < 10; ++i) {
    test::write_audio(src / "b" / ("s" + std::to_string(i) + ".wav"), kWav16, 16000, 1,
                      test::int16_noise(160, 100 + i));
  }
  Dataset::AddOptions opts;
  opts.test_ratio = 0.3;
  fs::path one = make_project("ds-split-1"), two = make_project("ds-split-2");
  add(one, {src / "a", src / "b"}, opts);
  add(two, {src / "b", src / "a"}, opts);
  std::map<std::string, std::string> category_one, category_two;
  std::map<std::string, int> test;
  for (const SampleRecord& s : Dataset::open(one).list()) {
    category_one[s.hash] = s.category;
    test[s.label] += s.category == "test";
  }
  for (const SampleRecord& s : Dataset::open(two).list()) category_two[s.hash] = s.category;
  EXPECT_EQ(category_one, category_two);
  EXPECT_EQ(test, (std::map<std::string, int>{{"a", 9}, {"b", 3}}));

  // More samples later: the first ones keep their sets; the label is topped up to its share.
  for (int i = 30; i < 40; ++i) {
    test::write_audio(src / "a2" / ("s" + std::to_string(i) + ".wav"), kWav16, 16000, 1,
                      test::int16_noise(160, i));
  }
  Dataset::AddOptions a = opts;
  a.label = "a";
  add(one, {src / "a2"}, a);
  int a_test = 0;
  for (const SampleRecord& s : Dataset::open(one).list()) {
    if (category_one.count(s.hash)) {
      EXPECT_EQ(s.category, category_one[s.hash]) << s.name;
    }
    a_test += s.label == "a" && s.category == "test";
  }
  EXPECT_EQ(a_test, 12);  // round(0.3 * 40)
}

TEST(Dataset, GroupsByPrefixOrFolder) {
  fs::path dir = make_project("ds-groups");
  fs::path src = dir.parent_path() / "src";
  // Google Speech Commands' naming: <speaker>_nohash_<n>.wav, in a folder per word.
  int seed = 0;
  for (const char* word : {"yes", "no"}) {
    for (int speaker = 0; speaker < 10; ++speaker) {
      for (int n = 0; n < 2; ++n) {
        test::write_audio(
            src / word / ("spk" + std::to_string(speaker) + "_nohash_" + std::to_string(n) + ".wav"), kWav16,
            16000, 1, test::int16_noise(160, ++seed));
      }
    }
  }
  test::write_audio(src / "yes" / "loose.wav", kWav16, 16000, 1, test::int16_noise(160, ++seed));
  Dataset::AddOptions opts;
  opts.group_by = "prefix";
  opts.test_ratio = 0.2;
  add(dir, {src}, opts);
  std::map<std::string, std::set<std::string>> categories;
  for (const SampleRecord& s : Dataset::open(dir).list()) {
    if (s.name == "loose.wav") {
      EXPECT_EQ(s.group_key, "loose");  // no separator: a group of its own, named by the file
    } else {
      EXPECT_EQ(s.group_key, s.name.substr(0, s.name.find('_')));
    }
    categories[s.group_key].insert(s.category);
  }
  EXPECT_EQ(categories.size(), 11u);
  // A speaker's recordings of every word are in one set.
  for (const auto& [group, c] : categories) EXPECT_EQ(c.size(), 1u) << group;

  // A new recording of a known speaker joins that speaker's set.
  const std::string spk0 = *categories["spk0"].begin();
  test::write_audio(src / "later" / "spk0_nohash_9.wav", kWav16, 16000, 1, test::int16_noise(160, ++seed));
  opts.label = "yes";
  EXPECT_EQ(add(dir, {src / "later"}, opts).samples.at(0).category, spk0);

  // Another separator, and folders as groups.
  EXPECT_EQ(group_key("x/abc-def-1.wav", "prefix", "-"), "abc");
  EXPECT_EQ(group_key("x/_abc.wav", "prefix", "_"), "_abc");
  EXPECT_EQ(group_key("rec/day1/x.wav", "folder", "_"), (fs::current_path() / "rec" / "day1").string());
  EXPECT_EQ(group_key("rec/day1/x.wav", "none", "_"), "");
}

TEST(Dataset, RelabelMoveRemove) {
  fs::path dir = make_project("ds-edit");
  fs::path src = dir.parent_path() / "src";
  for (int i = 0; i < 4; ++i) {
    test::write_audio(src / "a" / ("s" + std::to_string(i) + ".wav"), kWav16, 16000, 1,
                      test::int16_noise(160, i));
  }
  Dataset::AddOptions train;
  train.category = "train";
  std::vector<std::int64_t> ids = ids_of(add(dir, {src}, train).samples);
  ASSERT_EQ(ids.size(), 4u);
  const std::string hash0 = Dataset::open(dir).content_hash();

  // relabel says how many samples it changed.
  EXPECT_EQ(change(dir, [&](Dataset& ds) { return ds.relabel({ids[0], ids[2]}, "b"); }), 2);
  EXPECT_EQ(change(dir, [&](Dataset& ds) { return ds.relabel({ids[0], ids[1]}, "b"); }), 1);
  EXPECT_EQ(change(dir, [&](Dataset& ds) { return ds.relabel({ids[1]}, "a"); }), 1);
  Dataset ds = Dataset::open(dir);
  EXPECT_EQ(ds.list(std::string("b")).size(), 2u);
  EXPECT_EQ(ds.list(std::string("a")).size(), 2u);
  EXPECT_NE(ds.content_hash(), hash0);
  change(dir, [&](Dataset& d) { d.move({ids[1]}, "test"); });
  ds = Dataset::open(dir);
  EXPECT_EQ(ids_of(ds.list(std::nullopt, std::string("test"))), std::vector<std::int64_t>{ids[1]});
  EXPECT_EQ(ds.list(std::string("a"), std::string("train")).size(), 1u);

  // Unknown ids: an error naming the id, and nothing changes (not even the known ids before it).
  const auto before = ds.list();
  const auto files_before = snapshot(dir);
  EXPECT_EQ(error_of([&] { change(dir, [&](Dataset& d) {
                             d.relabel({ids[3], 999}, "c");
                           }); }),
            "no sample with id 999 (see `kiln dataset list`)");
  EXPECT_EQ(error_of([&] { change(dir, [&](Dataset& d) {
                             d.move({ids[3], 998}, "test");
                           }); }),
            "no sample with id 998 (see `kiln dataset list`)");
  EXPECT_EQ(error_of([&] { change(dir, [&](Dataset& d) {
                             d.remove({ids[3], 997});
                           }); }),
            "no sample with id 997 (see `kiln dataset list`)");
  EXPECT_EQ(error_of([&] {
              change(dir, [&](Dataset& d) { d.relabel_by_rule({ids[3], 996}, LabelRule::kName); });
            }),
            "no sample with id 996 (see `kiln dataset list`)");
  EXPECT_NE(error_of([&] { change(dir, [&](Dataset& d) { d.move({ids[3]}, "split"); }); }), "");
  EXPECT_EQ(error_of([&] { change(dir, [&](Dataset& d) { d.relabel({ids[3]}, ""); }); }),
            "a label cannot be empty");
  EXPECT_EQ(error_of([&] { change(dir, [&](Dataset& d) { d.relabel({ids[3]}, "a/b"); }); }),
            "the label 'a/b' contains '/' (it must be usable as a folder name)");
  EXPECT_NE(error_of([&] { change(dir, [&](Dataset& d) { d.remove({}); }); }), "");
  ds = Dataset::open(dir);
  EXPECT_EQ(labels_by_name(ds.list()), labels_by_name(before));
  EXPECT_EQ(ids_of(ds.list(std::nullopt, std::string("test"))), std::vector<std::int64_t>{ids[1]});
  EXPECT_EQ(snapshot(dir), files_before);

  // Removing deletes the sample file; the ids of removed samples are not reused.
  const std::string removed_hash = ds.list()[0].hash;
  change(dir, [&](Dataset& d) { d.remove({ids[0]}); });
  EXPECT_EQ(Dataset::open(dir).list().size(), 3u);
  EXPECT_FALSE(fs::exists(dir / "data" / "samples" / (removed_hash + ".f32")));
  test::write_audio(src / "new.wav", kWav16, 16000, 1, test::int16_noise(160, 77));
  std::int64_t new_id = add(dir, {src / "new.wav"}).samples.at(0).id;
  EXPECT_GT(new_id, ids[3]);
  // Adding the removed content again works (it is no longer a duplicate).
  EXPECT_EQ(add(dir, {src / "a" / "s0.wav"}).added, 1);
}

// relabel --label-from and --match: the label rules of ingest on the stored names, all or nothing.
TEST(Dataset, RelabelByRuleAndMatch) {
  fs::path dir = make_project("ds-rule");
  fs::path src = dir.parent_path() / "src";
  test::write_audio(src / "alarm" / "siren.01.wav", kWav16, 16000, 1, test::int16_noise(160, 1));
  test::write_audio(src / "alarm" / "beep.02.wav", kWav16, 16000, 1, test::int16_noise(160, 2));
  test::write_audio(src / "noise" / "fan.wav", kWav16, 16000, 1, test::int16_noise(160, 3));
  test::write_audio(src / "caf\xE9" / "x.wav", kWav16, 16000, 1, test::int16_noise(160, 4));
  Dataset::AddOptions unsorted;
  unsorted.label = "unsorted";
  const std::vector<std::int64_t> ids =
      ids_of(add(dir, {src / "alarm", src / "noise", src / "caf\xE9"}, unsorted).samples);
  ASSERT_EQ(ids.size(), 4u);  // beep, siren, fan, x

  auto label_of = [&](std::int64_t id) {
    for (const SampleRecord& s : Dataset::open(dir).list()) {
      if (s.id == id) return s.label;
    }
    return std::string("?");
  };
  EXPECT_EQ(change(dir,
                   [&](Dataset& d) {
                     return d.relabel_by_rule({ids[0], ids[1], ids[2]}, LabelRule::kFolder);
                   }),
            3);
  EXPECT_EQ(label_of(ids[0]), "alarm");
  EXPECT_EQ(label_of(ids[2]), "noise");
  EXPECT_EQ(change(dir,
                   [&](Dataset& d) {
                     return d.relabel_by_rule({ids[0], ids[1]}, LabelRule::kPrefix);
                   }),
            2);
  EXPECT_EQ(label_of(ids[0]), "beep");
  EXPECT_EQ(label_of(ids[1]), "siren");
  EXPECT_EQ(change(dir, [&](Dataset& d) { return d.relabel_by_rule({ids[2]}, LabelRule::kName); }), 1);
  EXPECT_EQ(label_of(ids[2]), "fan");
  EXPECT_EQ(change(dir, [&](Dataset& d) { return d.relabel_by_rule({ids[2]}, LabelRule::kName); }), 0);

  // A label the rule cannot give: the first such sample is named, nothing changes.
  const auto before = snapshot(dir);
  const std::string x_path = terminal_line((src / "caf\xE9" / "x.wav").string());
  EXPECT_EQ(
      error_of([&] { change(dir, [&](Dataset& d) { d.relabel_by_rule(ids, LabelRule::kFolder); }); }),
      "sample " + std::to_string(ids[3]) + " (" + x_path +
          "): the label 'caf\\xE9' (from the folder name) is not valid UTF-8; give it one with --label");
  EXPECT_EQ(error_of([&] {
              change(dir, [&](Dataset& d) { d.relabel_by_rule({ids[1], ids[2]}, LabelRule::kPrefix); });
            }),
            "sample " + std::to_string(ids[2]) + " (" + (src / "noise" / "fan.wav").string() +
                "): the file name has no label before a dot (like alarm.01.wav)");
  EXPECT_EQ(snapshot(dir), before);

  // Globs match file names, in id order; matching nothing is an error.
  Dataset ds = Dataset::open(dir);
  EXPECT_EQ(ds.match("*.0?.wav"), (std::vector<std::int64_t>{ids[0], ids[1]}));
  EXPECT_EQ(ds.match("[fx]*"), (std::vector<std::int64_t>{ids[2], ids[3]}));
  EXPECT_EQ(ds.match("*"), ids);
  EXPECT_EQ(error_of([&] { ds.match("*.flac"); }),
            "no sample's file name matches '*.flac' (see `kiln dataset list`)");
}

TEST(Dataset, ContentHashIsIndependentOfOrderAndPersists) {
  fs::path a = make_project("ds-hash-a");
  fs::path b = make_project("ds-hash-b");
  fs::path src = a.parent_path() / "src";
  test::write_audio(src / "x" / "1.wav", kWav16, 16000, 1, test::int16_noise(160, 1));
  test::write_audio(src / "y" / "2.wav", kWav16, 16000, 1, test::int16_noise(160, 2));
  Dataset::AddOptions train;
  train.category = "train";
  add(a, {src / "x", src / "y"}, train);
  const std::string hash_a = Dataset::open(a).content_hash();
  add(b, {src / "y"}, train);
  add(b, {src / "x"}, train);
  EXPECT_EQ(Dataset::open(b).content_hash(), hash_a);
  Dataset reopened = Dataset::open(a);
  EXPECT_EQ(reopened.content_hash(), hash_a);
  EXPECT_EQ(reopened.list().size(), 2u);
  EXPECT_NE(Dataset::open(make_project("ds-hash-empty")).content_hash(), hash_a);
}

TEST(Dataset, LoadChecksTheSampleFile) {
  fs::path dir = make_project("ds-load");
  test::write_audio(dir.parent_path() / "x.wav", kWav16, 16000, 1, test::int16_noise(160, 1));
  SampleRecord s = add(dir, {dir.parent_path() / "x.wav"}).samples.at(0);
  Dataset ds = Dataset::open(dir);
  fs::path file = dir / "data" / "samples" / (s.hash + ".f32");
  fs::resize_file(file, 100);
  EXPECT_EQ(error_of([&] { ds.load(s); }),
            file.string() + ": sample file has 100 bytes, the index expects 640 (the dataset is damaged)");
  fs::remove(file);
  EXPECT_EQ(error_of([&] { ds.load(s); }).rfind(file.string() + ": sample file missing from the dataset", 0),
            0u);
}

TEST(Dataset, RefusesAnIndexFromANewerKiln) {
  fs::path dir = make_project("ds-version");
  change(dir, [](Dataset&) {});
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open((dir / "data" / "kiln.db").c_str(), &db), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(db, "PRAGMA user_version = 99", nullptr, nullptr, nullptr), SQLITE_OK);
  sqlite3_close(db);
  EXPECT_NE(error_of([&] { Dataset::open(dir); }).find("version 99 was written by a newer Kiln"),
            std::string::npos);
}

// An index of version 1 (no group_key, no image size) is read as it is, migrated in memory; the first change
// writes the current version, keeping every row.
TEST(Dataset, MigratesAVersion1Index) {
  fs::path dir = make_project("ds-migrate");
  fs::create_directories(dir / "data");
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open((dir / "data" / "kiln.db").c_str(), &db), SQLITE_OK);
  const char* v1 = R"(
CREATE TABLE samples (
  id INTEGER PRIMARY KEY AUTOINCREMENT, hash TEXT NOT NULL UNIQUE, name TEXT NOT NULL, source_path TEXT NOT NULL,
  label TEXT NOT NULL, category TEXT NOT NULL CHECK (category IN ('train', 'test')), axes INTEGER NOT NULL,
  frequency REAL NOT NULL, length INTEGER NOT NULL, axis_names TEXT NOT NULL, added_at TEXT NOT NULL);
CREATE INDEX samples_label ON samples (label);
INSERT INTO samples (hash, name, source_path, label, category, axes, frequency, length, axis_names, added_at)
  VALUES ('abc', 'x.wav', '/rec/x.wav', 'alarm', 'test', 1, 16000, 160, '["audio"]', '2024-01-01T00:00:00Z');
PRAGMA user_version = 1;
)";
  ASSERT_EQ(sqlite3_exec(db, v1, nullptr, nullptr, nullptr), SQLITE_OK);
  sqlite3_close(db);
  const auto before = snapshot(dir);

  auto check = [](const Dataset& ds) {
    const std::vector<SampleRecord> rows = ds.list();
    ASSERT_EQ(rows.size(), 1u);
    EXPECT_EQ(rows[0].label, "alarm");
    EXPECT_EQ(rows[0].category, "test");
    EXPECT_EQ(rows[0].group_key, "");
    EXPECT_FALSE(rows[0].is_image());
  };
  check(Dataset::open(dir));
  EXPECT_EQ(snapshot(dir), before);  // reading changes nothing

  change(dir, [&](Dataset& ds) { check(ds); });
  check(Dataset::open(dir));
  ASSERT_EQ(sqlite3_open((dir / "data" / "kiln.db").c_str(), &db), SQLITE_OK);
  sqlite3_stmt* q = nullptr;
  ASSERT_EQ(sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &q, nullptr), SQLITE_OK);
  ASSERT_EQ(sqlite3_step(q), SQLITE_ROW);
  EXPECT_EQ(sqlite3_column_int(q, 0), 3);
  sqlite3_finalize(q);
  sqlite3_close(db);
}

TEST(Dataset, SensorProject) {
  fs::path dir = make_project("ds-motion");
  InputSettings motion;
  motion.type = "timeseries";
  motion.frequency = 50;
  motion.axes = 2;
  write_text(dir.parent_path() / "src" / "wave.1.csv", "timestamp,x,y\n0,1,2\n20,3,4\n40,5,6\n");
  write_text(
      dir.parent_path() / "src" / "idle.1.json",
      R"({"payload": {"interval_ms": 20, "sensors": [{"name": "x", "units": "g"}, {"name": "y", "units": "g"}],
                 "values": [[0, 0], [0, 1]]}})");
  ASSERT_EQ(add(dir, {dir.parent_path() / "src"}, {}, motion).added, 2);
  Dataset ds = Dataset::open(dir);
  auto samples = ds.list();
  ASSERT_EQ(samples.size(), 2u);
  EXPECT_EQ(samples[0].label, "idle");
  EXPECT_EQ(samples[0].length, 2);
  EXPECT_EQ(samples[1].label, "wave");
  EXPECT_EQ(samples[1].axes, 2);
  EXPECT_EQ(samples[1].frequency, 50);
  EXPECT_EQ(samples[1].axis_names, (std::vector<std::string>{"x", "y"}));
  EXPECT_EQ(ds.load(samples[1]).values, (std::vector<float>{1, 2, 3, 4, 5, 6}));
}

// Every kind of bad input in an ingest of several files: one message naming the bad file, and the project
// (index rows and data/samples) exactly as before, although good files came before the bad one in the same
// call.
TEST(Dataset, BadInputLeavesTheProjectUnchanged) {
  fs::path dir = make_project("ds-bad");
  fs::path src = dir.parent_path() / "src";
  write_tone(src / "existing.wav", kWav16, 16000, 1, 0.25, 1000, 0.5);
  write_tone(src / "good" / "a.wav", kWav16, 16000, 1, 0.25, 1200, 0.5);
  write_tone(src / "good" / "b.wav", kWav16, 22050, 2, 0.25, 1400, 0.5);
  write_tone(src / "good.flac", SF_FORMAT_FLAC | SF_FORMAT_PCM_16, 16000, 1, 0.5, 1000, 0.5, 0.2, 9);
  const std::string wav = test::read_bytes(src / "existing.wav");
  const std::string flac = test::read_bytes(src / "good.flac");

  fs::path bad = dir.parent_path() / "bad";
  std::string damaged = flac;
  for (std::size_t i = flac.size() / 3; i < flac.size(); i += 11)
    damaged[i] = static_cast<char>(damaged[i] ^ 0x5A);
  std::string garbage = wav;
  for (std::size_t i = 12; i < 44; ++i) garbage[i] = static_cast<char>(0xA5);
  const std::vector<std::tuple<std::string, std::string, std::string>> cases = {
      // file, content, expected part of the message
      {"corrupt.flac", damaged, "corrupt audio"},
      {"corrupt.wav", garbage, "not a readable audio file"},
      {"empty.wav", "", "empty file"},
      {"truncated.wav", wav.substr(0, wav.size() - 1000), "truncated WAV file"},
      {"text.wav", "hello, I am text\n", "not a readable audio file"},
      {"nan.csv", "timestamp,v\n0,1\n0.0625,nan\n0.125,2\n", "line 3, column 2 (v): NaN"},
      {"text.csv", "timestamp,v\n0,1\n0.0625,loud\n0.125,2\n",
       "line 3, column 2 (v): 'loud' is not a number"},
      {"ragged.csv", "timestamp,v\n0,1\n0.0625,1,2\n0.125,2\n", "line 3 has 3 columns, the header has 2"},
      {"irregular.csv", "timestamp,v\n0,1\n0.0625,1\n0.2,2\n0.25,2\n", "irregular timestamps"},
      {"malformed.json", "{\"payload\": {\"interval_ms\": 0.0625, \"values\": [1, 2}}", "malformed JSON"},
      {"novalues.json", "{\"payload\": {\"interval_ms\": 0.0625}}", "missing payload.values"},
      {"three-axes.csv", "timestamp,x,y,z\n0,1,2,3\n0.0625,1,2,3\n", "audio project"},
      {"unknown.txt", "hello", "unknown file type"},
  };

  ASSERT_EQ(add(dir, {src / "existing.wav"}).added, 1);
  const auto rows_before = Dataset::open(dir).list();
  const std::string hash_before = Dataset::open(dir).content_hash();
  const auto files_before = snapshot(dir);
  // kiln.toml, kiln.db, one sample file, and the lock files of .kiln/
  ASSERT_EQ(files_before.size(), 5u);

  for (const auto& [file, content, expected] : cases) {
    SCOPED_TRACE(file);
    fs::remove_all(bad);
    write_text(bad / file, content);
    const std::string msg = error_of([&] {
      add(dir, {src / "good", src / "good.flac", bad / file, src / "existing.wav"});
    });
    EXPECT_EQ(msg.rfind((bad / file).string() + ": ", 0), 0u) << msg;
    EXPECT_NE(msg.find(expected), std::string::npos) << msg;
    EXPECT_EQ(msg.find('\n'), std::string::npos) << msg;
    EXPECT_EQ(snapshot(dir), files_before);
    EXPECT_EQ(Dataset::open(dir).content_hash(), hash_before);
    EXPECT_EQ(Dataset::open(dir).list().size(), rows_before.size());
  }
  // A missing path and a folder without samples are found before anything is read.
  for (const fs::path& p : {bad / "missing.wav", bad}) {
    fs::remove_all(bad);
    fs::create_directories(bad);
    const std::string msg = error_of([&] { add(dir, {src / "good", p}); });
    EXPECT_EQ(msg.rfind(p.string() + ": ", 0), 0u) << msg;
    EXPECT_EQ(snapshot(dir), files_before);
  }
  // The same good files then go in fine.
  EXPECT_EQ(add(dir, {src / "good", src / "good.flac"}).added, 3);
}

}  // namespace
}  // namespace kiln

namespace kiln {
namespace {

// An older Kiln killed during `kiln add` left sample files no row uses (and temporaries) in data/samples/;
// the next change of the dataset removes them, and keeps every file a row uses.
TEST(Dataset, StrayFilesInTheSampleFolderAreRemovedByTheNextChange) {
  const fs::path dir = make_project("ds-strays");
  write_tone(dir / "a.wav", kWav16, 16000, 1, 0.5, 440, 0.5);
  write_tone(dir / "b.wav", kWav16, 16000, 1, 0.5, 880, 0.5);
  const auto first = add(dir, {dir / "a.wav"}, {}, {}).samples;
  ASSERT_EQ(first.size(), 1u);
  const fs::path samples = dir / "data/samples";
  test::write_bytes(samples / "0123abcd.f32", "orphan of a killed add");
  test::write_bytes(samples / (first[0].hash + ".f32.tmp42-7"), "half-written");
  const SampleData b = read_sample_file(dir / "b.wav", {});
  std::string b_bytes(reinterpret_cast<const char*>(b.values.data()), b.values.size() * sizeof(float));
  const auto second = add(dir, {dir / "b.wav"}, {}, {}).samples;
  ASSERT_EQ(second.size(), 1u);
  std::set<std::string> names;
  for (const auto& e : fs::directory_iterator(samples)) names.insert(e.path().filename().string());
  EXPECT_EQ(names, (std::set<std::string>{first[0].hash + ".f32", second[0].hash + ".f32"}));
  EXPECT_EQ(test::read_bytes(samples / (second[0].hash + ".f32")), b_bytes);
}

// A stray that has a new sample's exact name and content is not removed under it.
TEST(Dataset, AStrayWithTheContentOfANewSampleBecomesItsFile) {
  const fs::path dir = make_project("ds-stray-reuse");
  write_tone(dir / "a.wav", kWav16, 16000, 1, 0.5, 440, 0.5);
  const SampleData a = read_sample_file(dir / "a.wav", {});
  const std::string bytes(reinterpret_cast<const char*>(a.values.data()), a.values.size() * sizeof(float));
  // Learn a's hash in another project, then leave its file as a stray here, as a killed add would.
  const fs::path other = make_project("ds-stray-reuse-other");
  const std::string hash = add(other, {dir / "a.wav"}, {}, {}).samples.at(0).hash;
  fs::create_directories(dir / "data/samples");
  test::write_bytes(dir / "data/samples" / (hash + ".f32"), bytes);
  const auto added = add(dir, {dir / "a.wav"}, {}, {}).samples;
  ASSERT_EQ(added.size(), 1u);
  EXPECT_EQ(test::read_bytes(dir / "data/samples" / (hash + ".f32")), bytes);
  EXPECT_EQ(change(dir, [](Dataset& ds) { return ds.load(ds.list().at(0)).values.size(); }), a.values.size());
}

}  // namespace
}  // namespace kiln
