// The message of the kiln::Error that `f` throws ("" when it does not throw): lets a test assert on the words
// a user will read.
#pragma once

#include <string>

#include "core/error.h"

namespace kiln::test {

template <typename F>
std::string error_of(F f) {
  try {
    f();
  } catch (const Error& e) {
    return e.what();
  }
  return "";
}

}  // namespace kiln::test
