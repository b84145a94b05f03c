// `kiln add` and `kiln dataset` end to end: the built kiln binary (KILN_BINARY) on real WAV files in a
// project made by `kiln init`.
#include <gtest/gtest.h>
#include <sndfile.h>

#include <nlohmann/json.hpp>

#include "sample_files.h"
#include "support/kiln_cli.h"

namespace {

namespace fs = std::filesystem;
using kiln::test::KilnRun;
using kiln::test::run_kiln;
using kiln::test::snapshot;

constexpr int kWav16 = SF_FORMAT_WAV | SF_FORMAT_PCM_16;

// A new project next to rec/alarm (12 files, 44.1 kHz stereo, 0.5 s) and rec/noise (12 files, 16 kHz mono, 1
// s).
fs::path make_project(const std::string& name) {
  fs::path root = kiln::test::fresh_dir("cli-" + name);
  KilnRun r = run_kiln({"init", (root / "project").string()});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  for (int i = 0; i < 12; ++i) {
    kiln::test::write_tone(root / "rec" / "alarm" / ("a" + std::to_string(i) + ".wav"), kWav16, 44100, 2, 0.5,
                           3000 + 10 * i, 0.4);
    kiln::test::write_tone(root / "rec" / "noise" / ("n" + std::to_string(i) + ".wav"), kWav16, 16000, 1, 1.0,
                           0, 0, 0.1 + 0.01 * i, i + 1);
  }
  return root / "project";
}

nlohmann::json json_of(const KilnRun& r) {
  EXPECT_EQ(r.exit_code, 0) << r.err;
  return nlohmann::json::parse(
      r.out);  // throws (failing the test) unless stdout is exactly one JSON document
}

TEST(CliAddDataset, AddThenSummaryAndList) {
  fs::path project = make_project("add");
  const std::string p = project.string();
  const std::string rec = (project.parent_path() / "rec").string();

  KilnRun r = run_kiln({"-C", p, "-q", "add", rec});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("added 24 samples (0 duplicates)"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("alarm"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("noise"), std::string::npos) << r.out;
  EXPECT_EQ(r.err, "");  // -q

  nlohmann::json again = json_of(run_kiln({"-C", p, "--json", "-q", "add", rec}));
  EXPECT_EQ(again["added"], 0);
  EXPECT_EQ(again["duplicates"], 24);

  nlohmann::json summary = json_of(run_kiln({"-C", p, "--json", "dataset"}));
  ASSERT_EQ(summary["labels"].size(), 2u);
  EXPECT_EQ(summary["labels"][0]["label"], "alarm");
  EXPECT_EQ(summary["labels"][0]["total"]["samples"], 12);
  EXPECT_NEAR(summary["labels"][0]["total"]["seconds"].get<double>(), 6.0, 1e-9);
  EXPECT_NEAR(summary["labels"][1]["total"]["seconds"].get<double>(), 12.0, 1e-9);
  EXPECT_EQ(summary["total"]["samples"], 24);
  EXPECT_EQ(summary["train"]["samples"].get<int>() + summary["test"]["samples"].get<int>(), 24);
  EXPECT_EQ(summary["dataset_hash"].get<std::string>().size(), 64u);

  r = run_kiln({"-C", p, "dataset"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  for (const char* word :
       {"LABEL", "TRAIN", "TEST", "TOTAL", "alarm", "noise", "all", "24 samples in 2 labels"}) {
    EXPECT_NE(r.out.find(word), std::string::npos) << word << "\n" << r.out;
  }

  nlohmann::json alarms = json_of(run_kiln({"-C", p, "--json", "dataset", "list", "--label", "alarm"}));
  ASSERT_EQ(alarms.size(), 12u);
  for (const auto& s : alarms) {
    EXPECT_EQ(s["label"], "alarm");
    EXPECT_EQ(s["frequency"], 16000.0);
    EXPECT_EQ(s["length"], 8000);
  }
  r = run_kiln({"-C", p, "dataset", "list", "--category", "train"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("HASH"), std::string::npos) << r.out;
  EXPECT_EQ(r.out.find(" test "), std::string::npos) << r.out;
}

TEST(CliAddDataset, LabelAndCategoryOptions) {
  fs::path project = make_project("options");
  const std::string p = project.string();
  const fs::path rec = project.parent_path() / "rec";
  nlohmann::json added = json_of(run_kiln(
      {"-C", p, "--json", "add", "--label", "bell", "--category", "test", (rec / "alarm").string()}));
  EXPECT_EQ(added["added"], 12);
  EXPECT_EQ(added["labels"]["bell"]["test"], 12);
  EXPECT_EQ(added["labels"]["bell"]["train"], 0);
  KilnRun r = run_kiln({"-C", p, "add", "--category", "validation", (rec / "noise").string()});
  EXPECT_NE(r.exit_code, 0);  // a usage error from the option check
  EXPECT_NE(r.err.find("--category"), std::string::npos) << r.err;
}

TEST(CliAddDataset, RelabelMoveRemove) {
  fs::path project = make_project("edit");
  const std::string p = project.string();
  ASSERT_EQ(run_kiln({"-C", p, "-q", "add", "--category", "train", (project.parent_path() / "rec").string()})
                .exit_code,
            0);
  nlohmann::json all = json_of(run_kiln({"-C", p, "--json", "dataset", "list"}));
  ASSERT_EQ(all.size(), 24u);
  const std::string id0 = std::to_string(all[0]["id"].get<int>());
  const std::string id1 = std::to_string(all[1]["id"].get<int>());
  const std::string id2 = std::to_string(all[2]["id"].get<int>());

  KilnRun r = run_kiln({"-C", p, "dataset", "relabel", id0, id1, "--label", "siren"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("relabeled 2 samples as 'siren'"), std::string::npos) << r.out;
  EXPECT_EQ(json_of(run_kiln({"-C", p, "--json", "dataset", "list", "--label", "siren"})).size(), 2u);

  r = run_kiln({"-C", p, "dataset", "move", id2, "--category", "test"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  nlohmann::json test = json_of(run_kiln({"-C", p, "--json", "dataset", "list", "--category", "test"}));
  ASSERT_EQ(test.size(), 1u);
  EXPECT_EQ(std::to_string(test[0]["id"].get<int>()), id2);

  // Unknown ids: an error naming the id, nothing changed.
  auto before = snapshot(project);
  for (std::vector<std::string> args : {std::vector<std::string>{"relabel", id0, "4242", "--label", "x"},
                                        std::vector<std::string>{"move", id0, "4242", "--category", "test"},
                                        std::vector<std::string>{"remove", id0, "4242"}}) {
    args.insert(args.begin(), {"-C", p, "dataset"});
    r = run_kiln(args);
    EXPECT_EQ(r.exit_code, 1) << args[3];
    EXPECT_NE(r.err.find("kiln: error: no sample with id 4242"), std::string::npos) << r.err;
    EXPECT_EQ(snapshot(project), before) << args[3];
  }

  const std::string hash = all[0]["hash"];
  r = run_kiln({"-C", p, "--json", "dataset", "remove", id0});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(nlohmann::json::parse(r.out)["ids"][0].get<int>(), all[0]["id"].get<int>());
  EXPECT_EQ(json_of(run_kiln({"-C", p, "--json", "dataset", "list"})).size(), 23u);
  EXPECT_FALSE(fs::exists(project / "data" / "samples" / (hash + ".f32")));
}

// A bad file among good ones: one message naming it, exit status 1, and the project exactly as before.
TEST(CliAddDataset, BadFileAddsNothing) {
  fs::path project = make_project("bad");
  const std::string p = project.string();
  const fs::path rec = project.parent_path() / "rec";
  ASSERT_EQ(run_kiln({"-C", p, "-q", "add", (rec / "noise").string()}).exit_code, 0);
  const fs::path bad = project.parent_path() / "bad" / "notes.wav";
  kiln::test::write_text(bad, "not audio at all\n");
  auto before = snapshot(project);
  KilnRun r = run_kiln({"-C", p, "-q", "add", (rec / "alarm").string(), bad.string()});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(r.err, "kiln: error: " + bad.string() + ": not a readable audio file (Format not recognised.)\n");
  EXPECT_EQ(r.out, "");
  EXPECT_EQ(snapshot(project), before);

  r = run_kiln({"-C", p, "add", (rec / "alarm").string(), (rec / "missing.wav").string()});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find((rec / "missing.wav").string() + ": no such file or directory"), std::string::npos)
      << r.err;
  EXPECT_EQ(snapshot(project), before);
}

// The dataset commands never create data/ outside a project.
TEST(CliAddDataset, NotAProject) {
  fs::path dir = kiln::test::fresh_dir("cli-not-project");
  for (std::vector<std::string> args :
       {std::vector<std::string>{"dataset"}, std::vector<std::string>{"dataset", "list"},
        std::vector<std::string>{"add", dir.string()}}) {
    args.insert(args.begin(), {"-C", dir.string()});
    KilnRun r = run_kiln(args);
    EXPECT_EQ(r.exit_code, 1) << args[2];
    EXPECT_NE(r.err.find("not a Kiln project"), std::string::npos) << r.err;
  }
  EXPECT_FALSE(fs::exists(dir / "data"));
}

TEST(CliAddDataset, Help) {
  KilnRun r = run_kiln({"add", "--help"});
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_NE(r.out.find("--label"), std::string::npos);
  EXPECT_NE(r.out.find("first rule that applies"), std::string::npos);
  for (const char* sub : {"list", "relabel", "move", "remove"}) {
    r = run_kiln({"dataset", sub, "--help"});
    EXPECT_EQ(r.exit_code, 0) << sub;
    EXPECT_NE(r.out.find("Usage"), std::string::npos) << sub;
  }
}

}  // namespace
