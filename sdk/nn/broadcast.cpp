#include "nn/broadcast.h"

namespace kiln {
namespace nn {

bool make_broadcast_shape(int rank1, const int32_t* dims1, int rank2, const int32_t* dims2,
                          BroadcastShape* out) {
  if (rank1 > 4 || rank2 > 4 || rank1 < 0 || rank2 < 0) return false;
  int32_t d1[4], d2[4];
  for (int i = 0; i < 4; ++i) {
    const int j1 = i - (4 - rank1), j2 = i - (4 - rank2);
    d1[i] = j1 >= 0 ? dims1[j1] : 1;
    d2[i] = j2 >= 0 ? dims2[j2] : 1;
  }
  int32_t s1 = 1, s2 = 1;
  for (int i = 3; i >= 0; --i) {
    if (d1[i] != d2[i] && d1[i] != 1 && d2[i] != 1) return false;
    out->out[i] = d1[i] > d2[i] ? d1[i] : d2[i];
    out->stride1[i] = d1[i] == 1 ? 0 : s1;
    out->stride2[i] = d2[i] == 1 ? 0 : s2;
    s1 *= d1[i];
    s2 *= d2[i];
  }
  return true;
}

}  // namespace nn
}  // namespace kiln
