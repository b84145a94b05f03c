// CSV time series: a header row, one timestamp column and one column per axis.
//
// The timestamp column is found by its name (case-insensitive; separators `_`, ` `, `(`, `[` etc. ignored):
//   timestamp, time, t                      -> milliseconds (Edge Impulse's CSV convention)
//   timestamp_ms, time (ms), ms, millis...  -> milliseconds
//   time_s, t [s], s, sec, seconds...       -> seconds
//   time_us, us, micros, microseconds...    -> microseconds
// Every other column is an axis, in file order. The separator is `,`, `;` or a tab (whichever the header
// uses). The frequency is inferred from the timestamps: (rows - 1) / (last - first). Timestamps must increase
// and be regular: every interval within 20% of the mean interval (enough for timestamps rounded to whole
// milliseconds, not enough to hide a dropped row).
#pragma once

#include <filesystem>

#include "data/sample_data.h"

namespace kiln {

// Parses the file. Throws kiln::Error naming the file, and the line and column for a bad cell (empty, text,
// NaN or infinite), a column name that is not UTF-8, a row with the wrong number of columns, a missing
// timestamp column, irregular or decreasing timestamps or ones that give no finite rate, an empty file or
// fewer than two data rows, UTF-16 text, and a file that is not a regular file or is larger than
// kMaxTextSampleBytes (data/sample_limits.h). Quoted cells and names are escaped and cut short.
SampleData read_csv_file(const std::filesystem::path& path);

}  // namespace kiln
