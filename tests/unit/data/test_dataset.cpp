// The dataset: ingest (labels, dedup by content, deterministic split), the SQLite index, relabel/move/remove,
// and all-or-nothing ingest for every kind of bad input.
#include <gtest/gtest.h>
#include <sndfile.h>
#include <sqlite3.h>

#include <map>
#include <set>

#include "core/error.h"
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

TEST(Dataset, OpenCreatesTheIndexAndRequiresTheProjectDirectory) {
  fs::path dir = make_project("ds-open");
  Dataset ds = Dataset::open(dir);
  EXPECT_TRUE(fs::exists(dir / "data" / "kiln.db"));
  EXPECT_TRUE(fs::is_directory(dir / "data" / "samples"));
  EXPECT_TRUE(ds.list().empty());
  EXPECT_EQ(error_of([&] { Dataset::open(dir / "nope"); }),
            (dir / "nope").string() + ": no such project directory");
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

  Dataset ds = Dataset::open(dir);
  std::vector<std::pair<std::size_t, std::size_t>> calls;
  Dataset::AddResult r =
      ds.add({rec, dir.parent_path() / "other" / "door" / "d1.wav"}, {}, InputSettings{},
             [&](std::size_t done, std::size_t total) { calls.emplace_back(done, total); });
  EXPECT_EQ(r.added, 5);
  EXPECT_EQ(r.duplicates, 0);
  std::map<std::string, std::string> expected = {{"a1.wav", "alarm"},
                                                 {"a2.wav", "alarm"},
                                                 {"n1.flac", "noise"},
                                                 {"fan.01.wav", "fan"},
                                                 {"d1.wav", "door"}};
  EXPECT_EQ(labels_by_name(r.samples), expected);
  EXPECT_EQ(labels_by_name(ds.list()), expected);
  ASSERT_FALSE(calls.empty());
  EXPECT_EQ(calls.front(), (std::pair<std::size_t, std::size_t>{0, 5}));
  EXPECT_EQ(calls.back(), (std::pair<std::size_t, std::size_t>{5, 5}));

  Dataset::AddOptions opts;
  opts.label = "doorbell";
  opts.category = "test";
  r = ds.add({dir.parent_path() / "other" / "bell.wav"}, opts, InputSettings{});
  ASSERT_EQ(r.added, 1);
  EXPECT_EQ(r.samples[0].label, "doorbell");
  EXPECT_EQ(r.samples[0].category, "test");

  // Every record is complete and its content loads back as what the reader produced.
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
  Dataset ds = Dataset::open(dir);
  Dataset::AddResult r = ds.add({src / "x.wav", src / "x.flac"}, {}, InputSettings{});
  EXPECT_EQ(r.added, 1);
  EXPECT_EQ(r.duplicates, 1);
  r = ds.add({src}, {}, InputSettings{});  // again, plus the OGG
  EXPECT_EQ(r.added, 1);
  EXPECT_EQ(r.duplicates, 2);
  ASSERT_EQ(r.samples.size(), 1u);
  EXPECT_EQ(r.samples[0].name, "x.ogg");
  EXPECT_EQ(ds.list().size(), 2u);
  std::size_t files = 0;
  for (const auto& e : fs::directory_iterator(dir / "data" / "samples")) files += e.is_regular_file();
  EXPECT_EQ(files, 2u);
}

// About test_ratio of the samples go to test, decided by the hash alone.
TEST(Dataset, SplitIsDeterministicFromTheHash) {
  int test_count = 0;
  for (int i = 0; i < 1000; ++i) {
    const std::string hash = sha256_hex("sample " + std::to_string(i));
    const std::string category = split_category(hash, 0.1);
    EXPECT_EQ(split_category(hash, 0.1), category);
    test_count += category == "test";
    EXPECT_EQ(split_category(hash, 0.0), "train");
    EXPECT_EQ(split_category(hash, 1.0), "test");
    // A sample in test at 10% stays in test at 20%: the split is a threshold on one number.
    if (category == "test") {
      EXPECT_EQ(split_category(hash, 0.2), "test");
    }
  }
  // Binomial(1000, 0.1): mean 100, standard deviation 9.5.
  EXPECT_GE(test_count, 70);
  EXPECT_LE(test_count, 130);
  EXPECT_EQ(split_category("0000000000000000" + std::string(48, 'f'), 0.01), "test");
  // The threshold for 0.1 is the double 0.1 (0x3FB999999999999A) times 2^64 = 0x1999999999999A00.
  EXPECT_EQ(split_category("19999999999999ff" + std::string(48, 'f'), 0.1), "test");
  EXPECT_EQ(split_category("1999999999999a00" + std::string(48, '0'), 0.1), "train");
  EXPECT_EQ(split_category("ffffffffffffffff" + std::string(48, 'f'), 0.999), "train");
  EXPECT_NE(error_of([] { split_category("xyz", 0.1); }), "");
}

TEST(Dataset, SplitOnIngestMatchesTheHash) {
  fs::path dir = make_project("ds-split");
  fs::path src = dir.parent_path() / "src";
  for (int i = 0; i < 40; ++i) {
    test::write_audio(src / "s" / ("s" + std::to_string(i) + ".wav"), kWav16, 16000, 1,
                      test::int16_noise(160, i));
  }
  Dataset ds = Dataset::open(dir);
  Dataset::AddOptions opts;
  opts.test_ratio = 0.3;
  Dataset::AddResult r = ds.add({src}, opts, InputSettings{});
  ASSERT_EQ(r.added, 40);
  std::set<std::string> categories;
  for (const SampleRecord& s : ds.list()) {
    EXPECT_EQ(s.category, split_category(s.hash, 0.3)) << s.name;
    categories.insert(s.category);
  }
  EXPECT_EQ(categories, (std::set<std::string>{"test", "train"}));
}

TEST(Dataset, RelabelMoveRemove) {
  fs::path dir = make_project("ds-edit");
  fs::path src = dir.parent_path() / "src";
  for (int i = 0; i < 4; ++i) {
    test::write_audio(src / "a" / ("s" + std::to_string(i) + ".wav"), kWav16, 16000, 1,
                      test::int16_noise(160, i));
  }
  Dataset ds = Dataset::open(dir);
  Dataset::AddOptions train;
  train.category = "train";
  std::vector<std::int64_t> ids = ids_of(ds.add({src}, train, InputSettings{}).samples);
  ASSERT_EQ(ids.size(), 4u);
  const std::string hash0 = ds.content_hash();

  ds.relabel({ids[0], ids[2]}, "b");
  EXPECT_EQ(ds.list(std::string("b")).size(), 2u);
  EXPECT_EQ(ds.list(std::string("a")).size(), 2u);
  EXPECT_NE(ds.content_hash(), hash0);
  ds.move({ids[1]}, "test");
  EXPECT_EQ(ids_of(ds.list(std::nullopt, std::string("test"))), std::vector<std::int64_t>{ids[1]});
  EXPECT_EQ(ds.list(std::string("a"), std::string("train")).size(), 1u);

  // Unknown ids: an error naming the id, and nothing changes (not even the known ids before it).
  const auto before = ds.list();
  const auto files_before = snapshot(dir);
  EXPECT_EQ(error_of([&] {
              ds.relabel({ids[3], 999}, "c");
            }),
            "no sample with id 999 (see `kiln dataset list`)");
  EXPECT_EQ(error_of([&] {
              ds.move({ids[3], 998}, "test");
            }),
            "no sample with id 998 (see `kiln dataset list`)");
  EXPECT_EQ(error_of([&] { ds.remove({ids[3], 997}); }), "no sample with id 997 (see `kiln dataset list`)");
  EXPECT_NE(error_of([&] { ds.move({ids[3]}, "split"); }), "");
  EXPECT_NE(error_of([&] { ds.relabel({ids[3]}, ""); }), "");
  EXPECT_NE(error_of([&] { ds.remove({}); }), "");
  EXPECT_EQ(labels_by_name(ds.list()), labels_by_name(before));
  EXPECT_EQ(ids_of(ds.list(std::nullopt, std::string("test"))), std::vector<std::int64_t>{ids[1]});
  EXPECT_EQ(snapshot(dir), files_before);

  // Removing deletes the sample file; the ids of removed samples are not reused.
  const std::string removed_hash = ds.list()[0].hash;
  ds.remove({ids[0]});
  EXPECT_EQ(ds.list().size(), 3u);
  EXPECT_FALSE(fs::exists(dir / "data" / "samples" / (removed_hash + ".f32")));
  test::write_audio(src / "new.wav", kWav16, 16000, 1, test::int16_noise(160, 77));
  std::int64_t new_id = ds.add({src / "new.wav"}, {}, InputSettings{}).samples.at(0).id;
  EXPECT_GT(new_id, ids[3]);
  // Adding the removed content again works (it is no longer a duplicate).
  EXPECT_EQ(ds.add({src / "a" / "s0.wav"}, {}, InputSettings{}).added, 1);
}

TEST(Dataset, ContentHashIsIndependentOfOrderAndPersists) {
  fs::path a = make_project("ds-hash-a");
  fs::path b = make_project("ds-hash-b");
  fs::path src = a.parent_path() / "src";
  test::write_audio(src / "x" / "1.wav", kWav16, 16000, 1, test::int16_noise(160, 1));
  test::write_audio(src / "y" / "2.wav", kWav16, 16000, 1, test::int16_noise(160, 2));
  std::string hash_a;
  {
    Dataset ds = Dataset::open(a);
    ds.add({src / "x", src / "y"}, {}, InputSettings{});
    hash_a = ds.content_hash();
  }
  Dataset db = Dataset::open(b);
  db.add({src / "y"}, {}, InputSettings{});
  db.add({src / "x"}, {}, InputSettings{});
  EXPECT_EQ(db.content_hash(), hash_a);
  Dataset reopened = Dataset::open(a);
  EXPECT_EQ(reopened.content_hash(), hash_a);
  EXPECT_EQ(reopened.list().size(), 2u);
  EXPECT_NE(Dataset::open(make_project("ds-hash-empty")).content_hash(), hash_a);
}

TEST(Dataset, LoadChecksTheSampleFile) {
  fs::path dir = make_project("ds-load");
  test::write_audio(dir.parent_path() / "x.wav", kWav16, 16000, 1, test::int16_noise(160, 1));
  Dataset ds = Dataset::open(dir);
  SampleRecord s = ds.add({dir.parent_path() / "x.wav"}, {}, InputSettings{}).samples.at(0);
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
  Dataset::open(dir);
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open((dir / "data" / "kiln.db").c_str(), &db), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(db, "PRAGMA user_version = 99", nullptr, nullptr, nullptr), SQLITE_OK);
  sqlite3_close(db);
  EXPECT_NE(error_of([&] { Dataset::open(dir); }).find("version 99 was written by a newer Kiln"),
            std::string::npos);
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
  Dataset ds = Dataset::open(dir);
  ASSERT_EQ(ds.add({dir.parent_path() / "src"}, {}, motion).added, 2);
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

  Dataset ds = Dataset::open(dir);
  ASSERT_EQ(ds.add({src / "existing.wav"}, {}, InputSettings{}).added, 1);
  const auto rows_before = ds.list();
  const std::string hash_before = ds.content_hash();
  const auto files_before = snapshot(dir);
  ASSERT_EQ(files_before.size(), 3u);  // kiln.toml, kiln.db, one sample file

  for (const auto& [file, content, expected] : cases) {
    SCOPED_TRACE(file);
    fs::remove_all(bad);
    write_text(bad / file, content);
    const std::string msg = error_of([&] {
      ds.add({src / "good", src / "good.flac", bad / file, src / "existing.wav"}, {}, InputSettings{});
    });
    EXPECT_EQ(msg.rfind((bad / file).string() + ": ", 0), 0u) << msg;
    EXPECT_NE(msg.find(expected), std::string::npos) << msg;
    EXPECT_EQ(msg.find('\n'), std::string::npos) << msg;
    EXPECT_EQ(snapshot(dir), files_before);
    EXPECT_EQ(ds.content_hash(), hash_before);
    EXPECT_EQ(ds.list().size(), rows_before.size());
  }
  // A missing path and a folder without samples are found before anything is read.
  for (const fs::path& p : {bad / "missing.wav", bad}) {
    fs::remove_all(bad);
    fs::create_directories(bad);
    const std::string msg = error_of([&] { ds.add({src / "good", p}, {}, InputSettings{}); });
    EXPECT_EQ(msg.rfind(p.string() + ": ", 0), 0u) << msg;
    EXPECT_EQ(snapshot(dir), files_before);
  }
  // The same good files then go in fine.
  EXPECT_EQ(ds.add({src / "good", src / "good.flac"}, {}, InputSettings{}).added, 3);
}

}  // namespace
}  // namespace kiln
