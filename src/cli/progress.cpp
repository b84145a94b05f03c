#include "cli/progress.h"

#include <unistd.h>

#include <cstdio>

namespace kiln::cli {

Progress::Progress(std::string label, std::size_t total, bool quiet)
    : label_(std::move(label)), total_(total), quiet_(quiet), tty_(::isatty(STDERR_FILENO) != 0) {
  start_ = last_draw_ = std::chrono::steady_clock::now();
  draw();
}

Progress::~Progress() {
  finish();
}

void Progress::advance(std::size_t n) {
  set(done_ + n);
}

void Progress::set(std::size_t done) {
  done_ = done > total_ ? total_ : done;
  draw();
}

void Progress::set_total(std::size_t total) {
  total_ = total;
  if (done_ > total_) done_ = total_;
}

void Progress::finish() {
  if (finished_) return;
  done_ = total_;
  finishing_ = true;
  draw();
  finished_ = true;
  if (!quiet_ && tty_) std::fputc('\n', stderr);
}

void Progress::draw() {
  if (quiet_ || finished_) return;
  if (total_ == 0 && done_ == 0 && !finishing_) return;  // total not known yet
  auto now = std::chrono::steady_clock::now();
  double secs = std::chrono::duration<double>(now - start_).count();
  if (tty_) {
    // Redraw at most 20 times a second, and always at the end.
    if (done_ != total_ && done_ != 0 && now - last_draw_ < std::chrono::milliseconds(50)) return;
    last_draw_ = now;
    const int width = 30;
    int filled = total_ ? static_cast<int>(width * done_ / total_) : width;
    std::string bar(filled, '#');
    bar.append(width - filled, '-');
    std::fprintf(stderr, "\r%-12s [%s] %zu/%zu  %.1fs", label_.c_str(), bar.c_str(), done_, total_, secs);
    std::fflush(stderr);
  } else {
    int decile = total_ ? static_cast<int>(10 * done_ / total_) : 10;
    if (decile == last_decile_) return;
    last_decile_ = decile;
    std::fprintf(stderr, "%s: %zu/%zu (%d%%, %.1fs)\n", label_.c_str(), done_, total_, decile * 10, secs);
  }
}

}  // namespace kiln::cli
