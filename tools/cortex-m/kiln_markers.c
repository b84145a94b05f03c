/* The `dsp` and `nn` region markers (see kiln_markers.h). */
#include "kiln_markers.h"

KILN_DEFINE_MARKERS(dsp)
KILN_DEFINE_MARKERS(nn)
