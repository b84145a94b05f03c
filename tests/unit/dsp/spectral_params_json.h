// Test helper: Edge Impulse's Spectral Analysis parameters (case.json "params", Studio names and JSON types)
// onto the SDK's struct. The host's real mapping lives elsewhere; this one is only for the tests.
#pragma once

#include <algorithm>
#include <cmath>
#include <nlohmann/json.hpp>
#include <stdexcept>
#include <string>
#include <vector>

#include "dsp/spectral_analysis.h"

namespace kiln::test {

inline dsp::SpectralAnalysisParams spectral_params_of(const nlohmann::json& j) {
  dsp::SpectralAnalysisParams p = dsp::spectral_analysis_default_params();
  p.scale_axes = j.at("scale-axes").get<double>();
  const auto& ratio = j.at("input-decimation-ratio");
  p.input_decimation_ratio = ratio.is_string() ? std::stoi(ratio.get<std::string>()) : ratio.get<int>();
  const std::string type = j.at("filter-type").get<std::string>();
  p.filter_type = type == "low"    ? dsp::kSpectralFilterLow
                  : type == "high" ? dsp::kSpectralFilterHigh
                                   : dsp::kSpectralFilterNone;
  p.filter_cutoff = j.at("filter-cutoff").get<double>();
  p.filter_order = j.at("filter-order").get<int>();
  p.analysis_type = j.at("analysis-type").get<std::string>() == "Wavelet" ? dsp::kSpectralAnalysisWavelet
                                                                          : dsp::kSpectralAnalysisFft;
  p.fft_length = j.at("fft-length").get<int>();
  p.do_log = j.at("do-log").get<bool>();
  p.do_fft_overlap = j.at("do-fft-overlap").get<bool>();
  p.extra_low_freq = j.at("extra-low-freq").get<bool>();
  p.wavelet_level = j.at("wavelet-level").get<int>();
  if (!dsp::wavelet_from_name(j.at("wavelet").get<std::string>().c_str(), &p.wavelet))
    throw std::runtime_error("unknown wavelet " + j.at("wavelet").get<std::string>());
  return p;
}

// The README's tolerance for Spectral Analysis v4: |out - ref| <= 1e-3 |ref| + 1e-3, except the wavelet
// Lk-mean features (numerically zero): |out - ref| <= max(1e-3, 1e-5 * ref(Lk-rms)). `label` is the
// per-axis label of the value, `rms_ref` the reference Lk-rms of the same array (used for Lk-mean only).
inline double spectral_allowed_error(const std::string& label, double ref, double rms_ref) {
  const std::string suffix = "-mean";
  if (label.size() > suffix.size() &&
      label.compare(label.size() - suffix.size(), suffix.size(), suffix) == 0 && label[0] == 'L') {
    return std::max(1e-3, 1e-5 * std::abs(rms_ref));
  }
  return 1e-3 * std::abs(ref) + 1e-3;
}

}  // namespace kiln::test

namespace kiln::test {

struct SpectralComparison {
  double max_abs = 0;      // max |out - ref|
  double max_rel = 0;      // max |out - ref| / |ref| over |ref| > 1e-6
  double worst_ratio = 0;  // max |out - ref| / allowed: <= 1 passes
  int failures = 0;
  std::string first_failure;
  std::string worst;  // label and axis of the value with the worst err/allowed
};

// Compares a whole output with the reference under spectral_allowed_error, labelling each value through
// spectral_analysis_feature_label (so the layout [all axes main][all axes LF] is what is checked).
inline SpectralComparison compare_spectral(const dsp::SpectralAnalysisParams& p, double fs, int axes,
                                           const std::vector<float>& out, const std::vector<double>& ref,
                                           const std::vector<std::string>& labels) {
  SpectralComparison c;
  for (std::size_t i = 0; i < out.size() && i < ref.size(); ++i) {
    int axis = -1, label = -1;
    if (dsp::spectral_analysis_feature_label(p, fs, axes, static_cast<int>(i), &axis, &label) != dsp::kOk ||
        label < 0 || static_cast<std::size_t>(label) >= labels.size()) {
      ++c.failures;
      continue;
    }
    // The Lk-rms of the same array is 3 values after Lk-mean (entropy .. mean, std, var, rms).
    const double rms_ref = i + 3 < ref.size() ? ref[i + 3] : 0.0;
    const double err = std::abs(static_cast<double>(out[i]) - ref[i]);
    const double allowed = spectral_allowed_error(labels[static_cast<std::size_t>(label)], ref[i], rms_ref);
    c.max_abs = std::max(c.max_abs, err);
    if (std::abs(ref[i]) > 1e-6) c.max_rel = std::max(c.max_rel, err / std::abs(ref[i]));
    if (err / allowed > c.worst_ratio) {
      c.worst = labels[static_cast<std::size_t>(label)] + " of axis " + std::to_string(axis);
    }
    c.worst_ratio = std::max(c.worst_ratio, err / allowed);
    if (!(err <= allowed)) {
      if (c.failures++ == 0) {
        c.first_failure = "value " + std::to_string(i) + " (axis " + std::to_string(axis) + ", " +
                          labels[static_cast<std::size_t>(label)] + "): got " + std::to_string(out[i]) +
                          ", expected " + std::to_string(ref[i]);
      }
    }
  }
  return c;
}

}  // namespace kiln::test
