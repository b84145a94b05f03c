// The train/test split of `kiln add --category split`: a function of the sample's content hash only, so the
// same recording lands in the same set on every machine and every run, whatever order files are added in.
#pragma once

#include <string>

namespace kiln {

// "test" when the first 8 bytes of `hash_hex` (a SHA-256 in hex), read as a big-endian integer u, satisfy
// u < test_ratio * 2^64 (computed exactly); "train" otherwise. test_ratio 0 puts everything in train, 1
// everything in test.
std::string split_category(const std::string& hash_hex, double test_ratio);

}  // namespace kiln
