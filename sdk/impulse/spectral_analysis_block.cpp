// The table entry of Spectral Analysis (sdk/dsp/spectral_analysis.h): Edge Impulse's Spectral Analysis v4
// parameter names. Studio writes input-decimation-ratio as a string ("3"); it is read as the number it holds.
#include "impulse/spectral_analysis_block.h"

#include "impulse/block_adapter.h"

namespace kiln {
namespace impulse {
namespace {

using dsp::SpectralAnalysisParams;

// In the order of the enums of sdk/dsp (kSpectralFilterNone..., kSpectralAnalysisFft..., kWaveletHaar...).
const char* const kFilterTypes[] = {"none", "low", "high"};
const char* const kAnalysisTypes[] = {"FFT", "Wavelet"};
const char* const kWavelets[] = {"haar", "db1",  "db2",  "db3",   "db4",   "db5",   "db6",  "db7",
                                 "db8",  "db9",  "db10", "sym2",  "sym3",  "sym4",  "sym5", "sym6",
                                 "sym7", "sym8", "sym9", "sym10", "coif1", "coif2", "coif3"};

// The choice fields are enums with an int underlying type: stored like an int.
static_assert(sizeof(dsp::SpectralFilterType) == sizeof(int), "choice fields are int-sized");
static_assert(sizeof(dsp::SpectralAnalysisType) == sizeof(int), "choice fields are int-sized");
static_assert(sizeof(dsp::Wavelet) == sizeof(int), "choice fields are int-sized");
static_assert(sizeof kWavelets / sizeof kWavelets[0] == dsp::kWaveletCount, "one name per wavelet");

const ParamSpec kParams[] = {
    {"scale-axes", kParamReal, offsetof(SpectralAnalysisParams, scale_axes), 0, 0,
     KILN_PARAM_HELP("every value is multiplied by this first")},
    {"input-decimation-ratio", kParamInt, offsetof(SpectralAnalysisParams, input_decimation_ratio), 0, 0,
     KILN_PARAM_HELP("1, 3, 10, 30, 100 or 1000: low-pass and keep every n-th sample first")},
    {"filter-type", kParamChoice, offsetof(SpectralAnalysisParams, filter_type), kFilterTypes, 3,
     KILN_PARAM_HELP("none, low or high: a Butterworth filter before the analysis")},
    {"filter-cutoff", kParamReal, offsetof(SpectralAnalysisParams, filter_cutoff), 0, 0,
     KILN_PARAM_HELP("filter cut-off in Hz")},
    {"filter-order", kParamInt, offsetof(SpectralAnalysisParams, filter_order), 0, 0,
     KILN_PARAM_HELP("filter order: 0 (masks FFT bins only), 2, 4, 6 or 8")},
    {"analysis-type", kParamChoice, offsetof(SpectralAnalysisParams, analysis_type), kAnalysisTypes, 2,
     KILN_PARAM_HELP("FFT or Wavelet")},
    {"fft-length", kParamInt, offsetof(SpectralAnalysisParams, fft_length), 0, 0,
     KILN_PARAM_HELP("FFT points, a power of two")},
    {"do-log", kParamBool, offsetof(SpectralAnalysisParams, do_log), 0, 0,
     KILN_PARAM_HELP("log10 of the spectrum")},
    {"do-fft-overlap", kParamBool, offsetof(SpectralAnalysisParams, do_fft_overlap), 0, 0,
     KILN_PARAM_HELP("FFT windows overlap by half")},
    {"extra-low-freq", kParamBool, offsetof(SpectralAnalysisParams, extra_low_freq), 0, 0,
     KILN_PARAM_HELP("add the features of each axis decimated by 10")},
    {"wavelet-level", kParamInt, offsetof(SpectralAnalysisParams, wavelet_level), 0, 0,
     KILN_PARAM_HELP("wavelet decomposition levels")},
    {"wavelet", kParamChoice, offsetof(SpectralAnalysisParams, wavelet), kWavelets,
     sizeof kWavelets / sizeof kWavelets[0], KILN_PARAM_HELP("haar, db1-db10, sym2-sym10, coif1-coif3")},
};

// Spectral Analysis v1's parameters, present in Studio's parameter sets and unused by v4.
const char* const kIgnored[] = {"spectral-peaks-count", "spectral-peaks-threshold", "spectral-power-edges"};

typedef BlockAdapter<SpectralAnalysisParams, dsp::spectral_analysis_default_params,
                     dsp::spectral_analysis_validate, dsp::spectral_analysis_output_shape,
                     dsp::spectral_analysis_scratch_bytes, dsp::spectral_analysis_run,
                     dsp::spectral_analysis_s8_scratch_bytes, dsp::spectral_analysis_run_s8>
    A;

const char* status_param(dsp::Status status) {
  switch (status) {
    case dsp::kBadScale:
      return "scale-axes";
    case dsp::kBadDecimationRatio:
      return "input-decimation-ratio";
    case dsp::kBadFilterType:
      return "filter-type";
    case dsp::kBadFilterCutoff:
      return "filter-cutoff";
    case dsp::kBadFilterOrder:
      return "filter-order";
    case dsp::kBadAnalysisType:
      return "analysis-type";
    case dsp::kBadFftLength:
      return "fft-length";
    case dsp::kBadWavelet:
      return "wavelet";
    case dsp::kBadWaveletLevel:
      return "wavelet-level";
    default:
      return 0;
  }
}

}  // namespace

const BlockSpec kSpectralAnalysisBlock =
    A::spec("spectral-analysis", "ei-4", kParams, kIgnored, status_param);

}  // namespace impulse
}  // namespace kiln
