// The shape of a processing block's output for one window: `frames` rows of `values` features, row-major.
// Blocks that give one flat vector (Spectral Analysis, Flatten, Raw, Image) have frames = 1.
#ifndef KILN_DSP_FEATURE_SHAPE_H
#define KILN_DSP_FEATURE_SHAPE_H

namespace kiln {
namespace dsp {

struct FeatureShape {
  int frames;
  int values;
};

}  // namespace dsp
}  // namespace kiln

#endif  // KILN_DSP_FEATURE_SHAPE_H
