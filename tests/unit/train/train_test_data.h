// Test data for the classifier tests: a small, learnable synthetic problem and hand-built models.
#pragma once

#include <cmath>
#include <random>
#include <string>
#include <vector>

#include "train/classifier.h"

namespace kiln::test {

// `classes` (<= bands / 2) classes of [frames, bands] "spectrograms": Gaussian noise, plus a burst of 4
// frames at a random time in the two bands that belong to the class. Learnable only by looking at the right
// bands, wherever the burst is.
inline FeatureSet synthetic_features(int count, int classes, unsigned seed, int frames = 16, int bands = 6) {
  std::mt19937 rng(seed);
  std::normal_distribution<float> noise(0.0f, 0.5f);
  std::uniform_int_distribution<int> start(0, frames - 4);
  FeatureSet fs;
  fs.shape = {frames, bands};
  for (int i = 0; i < count; ++i) {
    int c = i % classes;
    std::vector<float> row(static_cast<size_t>(frames * bands));
    for (float& v : row) v = noise(rng);
    int t0 = start(rng);
    for (int t = t0; t < t0 + 4; ++t) {
      row[t * bands + 2 * c] += 2.0f;
      row[t * bands + 2 * c + 1] += 2.0f;
    }
    fs.x.insert(fs.x.end(), row.begin(), row.end());
    fs.y.push_back(c);
  }
  return fs;
}

inline std::vector<std::string> labels_for(int classes) {
  std::vector<std::string> labels;
  for (int c = 0; c < classes; ++c) labels.push_back("class" + std::to_string(c));
  return labels;
}

// Share of windows whose top score is their label.
inline double accuracy(const ClassifierModel& model, const FeatureSet& fs) {
  std::vector<float> scores = predict(model, fs.x.data(), fs.count());
  size_t classes = model.labels.size(), correct = 0;
  for (size_t i = 0; i < fs.count(); ++i) {
    size_t top = 0;
    for (size_t c = 1; c < classes; ++c) {
      if (scores[i * classes + c] > scores[i * classes + top]) top = c;
    }
    correct += top == static_cast<size_t>(fs.y[i]);
  }
  return static_cast<double>(correct) / static_cast<double>(fs.count());
}

inline LayerSpec make_layer(const std::string& type) {
  LayerSpec l;
  l.type = type;
  return l;
}

// Identity weights for a final dense(n, softmax) layer at 0-based position `index`.
inline std::vector<LayerWeights> identity_output(size_t index, int n) {
  std::vector<float> kernel(static_cast<size_t>(n * n), 0.0f);
  for (int i = 0; i < n; ++i) kernel[static_cast<size_t>(i * n + i)] = 1.0f;
  std::string prefix = "layer" + std::to_string(index + 1) + ".";
  return {{prefix + "kernel", {n, n}, kernel},
          {prefix + "bias", {n}, std::vector<float>(static_cast<size_t>(n))}};
}

// log(p_c / p_0) for every class c of the first window: the logits of the output layer minus logit 0.
inline std::vector<double> logit_differences(const std::vector<float>& scores, size_t classes) {
  std::vector<double> d;
  for (size_t c = 0; c < classes; ++c) d.push_back(std::log(double(scores[c])) - std::log(double(scores[0])));
  return d;
}

}  // namespace kiln::test
