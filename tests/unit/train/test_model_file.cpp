// The model file (.kmodel): round trip, and rejection of corrupt, truncated or inconsistent files with a
// message naming the file.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "core/atomic_file.h"
#include "core/error.h"
#include "data/sha256.h"
#include "train/classifier.h"
#include "train_test_data.h"

namespace kiln {
namespace {

namespace fs = std::filesystem;

class ModelFile : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ =
        fs::temp_directory_path() /
        ("kiln-model-test-" + std::string(::testing::UnitTest::GetInstance()->current_test_info()->name()));
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  // A small trained model (batch norm included, so buffers are saved too).
  static const ClassifierModel& model() {
    static const ClassifierModel m = [] {
      TrainSettings s;
      s.epochs = 3;
      s.seed = 3;
      std::vector<LayerSpec> layers = default_audio_network();
      layers.insert(layers.begin() + 1, test::make_layer("batch_norm"));
      ClassifierModel trained =
          train_classifier(test::synthetic_features(60, 3, 1), test::labels_for(3), layers, s, nullptr);
      trained.metadata["dataset_hash"] = "abc";
      return trained;
    }();
    return m;
  }

  std::string load_error(const std::string& bytes) {
    fs::path p = dir_ / "model.kmodel";
    write_file_atomic(p, bytes);
    try {
      load_model(p);
    } catch (const Error& e) {
      std::string msg = e.what();
      EXPECT_EQ(msg.rfind(p.string() + ": ", 0), 0u) << "message does not start with the file: " << msg;
      return msg;
    }
    ADD_FAILURE() << "load_model accepted a bad file";
    return "";
  }

  // The saved bytes of model(), split into the magic line, the JSON header and the weight data.
  void saved_parts(std::string& magic, nlohmann::json& header, std::string& data) {
    fs::path p = dir_ / "good.kmodel";
    save_model(p, model());
    std::string bytes = read_file(p);
    size_t a = bytes.find('\n'), b = bytes.find('\n', a + 1);
    magic = bytes.substr(0, a + 1);
    header = nlohmann::json::parse(bytes.substr(a + 1, b - a - 1));
    data = bytes.substr(b + 1);
  }

  fs::path dir_;
};

TEST_F(ModelFile, RoundTripGivesIdenticalScores) {
  fs::path p = dir_ / "out" / "model.kmodel";
  save_model(p, model());
  ClassifierModel loaded = load_model(p);
  EXPECT_EQ(loaded.labels, model().labels);
  EXPECT_EQ(loaded.input_shape, model().input_shape);
  ASSERT_EQ(loaded.layers.size(), model().layers.size());
  for (size_t i = 0; i < loaded.layers.size(); ++i) {
    EXPECT_EQ(loaded.layers[i].type, model().layers[i].type);
    EXPECT_EQ(loaded.layers[i].filters, model().layers[i].filters);
    EXPECT_EQ(loaded.layers[i].padding, model().layers[i].padding);
    EXPECT_EQ(loaded.layers[i].strides, model().layers[i].strides);
  }
  ASSERT_EQ(loaded.weights.size(), model().weights.size());
  for (size_t i = 0; i < loaded.weights.size(); ++i) {
    EXPECT_EQ(loaded.weights[i].name, model().weights[i].name);
    EXPECT_EQ(loaded.weights[i].shape, model().weights[i].shape);
    EXPECT_EQ(loaded.weights[i].values, model().weights[i].values);
  }
  EXPECT_EQ(loaded.metadata, model().metadata);

  FeatureSet x = test::synthetic_features(20, 3, 9);
  std::vector<float> before = predict(model(), x.x.data(), x.count());
  std::vector<float> after = predict(loaded, x.x.data(), x.count());
  EXPECT_EQ(before, after);
  // Scores are probabilities.
  for (size_t i = 0; i < x.count(); ++i) {
    EXPECT_NEAR(before[i * 3] + before[i * 3 + 1] + before[i * 3 + 2], 1.0f, 1e-5f);
  }
  // Saving is deterministic: the same model gives the same bytes.
  save_model(dir_ / "again.kmodel", loaded);
  EXPECT_EQ(read_file(dir_ / "again.kmodel"), read_file(p));
}

TEST_F(ModelFile, HeaderIsReadable) {
  std::string magic, data;
  nlohmann::json header;
  saved_parts(magic, header, data);
  EXPECT_EQ(magic, "kiln-model 1\n");
  EXPECT_EQ(header.at("labels"), test::labels_for(3));
  EXPECT_EQ(header.at("layers")[0].at("type"), "conv1d");
  EXPECT_EQ(header.at("weights")[0].at("name"), "layer1.kernel");
  EXPECT_EQ(header.at("weights")[0].at("shape"), (std::vector<int>{8, 1, 3, 6}));
  EXPECT_EQ(header.at("data_bytes").get<size_t>(), data.size());
}

TEST_F(ModelFile, MissingFile) {
  fs::path p = dir_ / "nope.kmodel";
  try {
    load_model(p);
    FAIL();
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find(p.string()), std::string::npos) << e.what();
  }
}

TEST_F(ModelFile, EmptyOrForeignFile) {
  EXPECT_NE(load_error("").find("not a Kiln model file"), std::string::npos);
  EXPECT_NE(load_error("RIFF....WAVEfmt ").find("not a Kiln model file"), std::string::npos);
}

TEST_F(ModelFile, OtherVersion) {
  std::string magic, data;
  nlohmann::json header;
  saved_parts(magic, header, data);
  std::string e = load_error("kiln-model 2\n" + header.dump() + "\n" + data);
  EXPECT_NE(e.find("unsupported model format 'kiln-model 2'"), std::string::npos) << e;
}

TEST_F(ModelFile, TruncatedFiles) {
  fs::path p = dir_ / "good.kmodel";
  save_model(p, model());
  std::string bytes = read_file(p);
  std::string e = load_error(bytes.substr(0, bytes.size() - 1));
  EXPECT_NE(e.find("truncated model file"), std::string::npos) << e;
  e = load_error(bytes.substr(0, bytes.find('\n') + 40));  // inside the header
  EXPECT_NE(e.find("truncated model file (the header line does not end)"), std::string::npos) << e;
  e = load_error(bytes.substr(0, bytes.find('\n')));  // the magic line alone, no newline
  EXPECT_NE(e.find("unsupported model format"), std::string::npos) << e;
  e = load_error(bytes + "x");
  EXPECT_NE(e.find("unexpected bytes after the weights"), std::string::npos) << e;
}

TEST_F(ModelFile, CorruptWeights) {
  fs::path p = dir_ / "good.kmodel";
  save_model(p, model());
  std::string bytes = read_file(p);
  bytes[bytes.size() - 3] ^= 0x10;
  std::string e = load_error(bytes);
  EXPECT_NE(e.find("do not match their checksum"), std::string::npos) << e;
}

TEST_F(ModelFile, CorruptHeader) {
  std::string magic, data;
  nlohmann::json header;
  saved_parts(magic, header, data);
  std::string e = load_error(magic + "{\"labels\": [\n" + data);
  EXPECT_NE(e.find("corrupt model header"), std::string::npos) << e;
  e = load_error(magic + "[1, 2]\n" + data);
  EXPECT_NE(e.find("corrupt model header (not a JSON object)"), std::string::npos) << e;
  nlohmann::json h = header;
  h.erase("labels");
  e = load_error(magic + h.dump() + "\n" + data);
  EXPECT_NE(e.find("corrupt model header"), std::string::npos) << e;
  EXPECT_NE(e.find("labels"), std::string::npos) << e;
}

// Headers that parse and whose checksum is right but that do not describe a valid model (a hand-edited or
// wrongly produced file).
TEST_F(ModelFile, InconsistentHeader) {
  std::string magic, data;
  nlohmann::json header;
  saved_parts(magic, header, data);
  auto with = [&](const nlohmann::json& h) { return load_error(magic + h.dump() + "\n" + data); };

  nlohmann::json h = header;
  h["weights"][0]["shape"] = {8, 1, 3, 5};
  std::string e = with(h);
  EXPECT_NE(e.find("weights 'layer1.kernel' have shape [8, 1, 3, 5], the layer needs [8, 1, 3, 6]"),
            std::string::npos)
      << e;

  h = header;
  h["weights"][1]["offset"] = data.size();
  e = with(h);
  EXPECT_NE(e.find("weights 'layer1.bias' lie outside the data"), std::string::npos) << e;

  h = header;
  h["weights"][1]["offset"] = 2;
  EXPECT_NE(with(h).find("lie outside the data"), std::string::npos);

  h = header;
  h["weights"].erase(h["weights"].size() - 1);
  EXPECT_NE(with(h).find("has no weights 'layer9.bias'"), std::string::npos) << with(h);

  h = header;
  h["layers"][0]["type"] = "conv2d";
  EXPECT_NE(with(h).find("layer 1 (conv2d): expects a 3-D input"), std::string::npos) << with(h);

  h = header;
  h["layers"][0].erase("filters");
  EXPECT_NE(with(h).find("layer 1 (conv1d) has no 'filters'"), std::string::npos) << with(h);

  h = header;
  h["layers"][0]["filters"] = "eight";
  EXPECT_NE(with(h).find("corrupt model header"), std::string::npos) << with(h);

  h = header;
  h["labels"] = {"a", "a", "b"};
  EXPECT_NE(with(h).find("labels are not unique"), std::string::npos) << with(h);

  h = header;
  h["labels"] = {"a", "b"};
  EXPECT_NE(with(h).find("expected [2], got [3]"), std::string::npos) << with(h);

  h = header;
  h["input_shape"] = {16, 6, -1};
  EXPECT_NE(with(h).find("has a dimension < 1"), std::string::npos) << with(h);
}

TEST_F(ModelFile, NonFiniteWeightsAreRejected) {
  std::string magic, data;
  nlohmann::json header;
  saved_parts(magic, header, data);
  // A NaN in the first kernel value, with the checksum updated: written by a broken producer, not corrupted.
  const unsigned char nan_le[4] = {0x00, 0x00, 0xc0, 0x7f};
  data.replace(0, 4, reinterpret_cast<const char*>(nan_le), 4);
  header["data_sha256"] = sha256_hex(data);
  std::string e = load_error(magic + header.dump() + "\n" + data);
  EXPECT_NE(e.find("weights 'layer1.kernel' contain a NaN"), std::string::npos) << e;
}

TEST_F(ModelFile, SaveRefusesAnInconsistentModel) {
  ClassifierModel m = model();
  m.weights.pop_back();
  fs::path p = dir_ / "bad.kmodel";
  try {
    save_model(p, m);
    FAIL();
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find(p.string() + ": refusing to save"), std::string::npos) << e.what();
  }
  EXPECT_FALSE(fs::exists(p));
}

}  // namespace
}  // namespace kiln
