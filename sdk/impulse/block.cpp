#include "impulse/block.h"

#include <string.h>

namespace kiln {
namespace impulse {

// memcpy, not a typed pointer: the struct is only known to the entry, and this keeps the access well defined.
double param_value(const ParamSpec& spec, const void* params) {
  const unsigned char* field = static_cast<const unsigned char*>(params) + spec.offset;
  switch (spec.kind) {
    case kParamReal: {
      double v;
      memcpy(&v, field, sizeof v);
      return v;
    }
    case kParamInt:
    case kParamChoice:
    case kParamInput: {
      int v;
      memcpy(&v, field, sizeof v);
      return v;
    }
    case kParamBool: {
      bool v;
      memcpy(&v, field, sizeof v);
      return v ? 1.0 : 0.0;
    }
  }
  return 0;
}

void set_param_value(const ParamSpec& spec, void* params, double value) {
  unsigned char* field = static_cast<unsigned char*>(params) + spec.offset;
  switch (spec.kind) {
    case kParamReal:
      memcpy(field, &value, sizeof value);
      return;
    case kParamInt:
    case kParamChoice:
    case kParamInput: {
      // The host checks ranges first; this only keeps the conversion defined for any double.
      const int v = value > 1e9 ? 1000000000 : value < -1e9 ? -1000000000 : static_cast<int>(value);
      memcpy(field, &v, sizeof v);
      return;
    }
    case kParamBool: {
      const bool v = value != 0;
      memcpy(field, &v, sizeof v);
      return;
    }
  }
}

}  // namespace impulse
}  // namespace kiln
