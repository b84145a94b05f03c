// Progress for long work. On a terminal: one redrawn bar on stderr. Otherwise (pipes, CI, --json): a plain
// line on stderr every 10% so logs stay readable. Quiet mode prints nothing.
#pragma once

#include <chrono>
#include <cstddef>
#include <string>

namespace kiln::cli {

class Progress {
 public:
  Progress(std::string label, std::size_t total, bool quiet);
  ~Progress();
  void advance(std::size_t n = 1);
  void set(std::size_t done);
  void set_total(std::size_t total);  // when the amount of work is known only once it starts
  void finish();

 private:
  void draw();
  std::string label_;
  std::size_t total_;
  std::size_t done_ = 0;
  int last_decile_ = -1;
  bool quiet_;
  bool tty_;
  bool finished_ = false;
  bool finishing_ = false;
  std::chrono::steady_clock::time_point start_, last_draw_;
};

}  // namespace kiln::cli
