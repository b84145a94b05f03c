// confusion_table() of evaluate/metrics.h: the confusion matrix as aligned terminal text.
#include <algorithm>
#include <cstdio>
#include <string>
#include <vector>

#include "evaluate/metrics.h"

namespace kiln {
namespace {

// Terminal columns of a UTF-8 string, counted as code points: right for the Latin, Greek, Cyrillic labels
// people use; wide CJK glyphs would need a width table, which is not worth it here.
std::size_t text_width(const std::string& s) {
  std::size_t n = 0;
  for (unsigned char ch : s) n += (ch & 0xC0) != 0x80;
  return n;
}

std::string pad_left(const std::string& s, std::size_t width) {
  std::size_t w = text_width(s);
  return w >= width ? s : std::string(width - w, ' ') + s;
}

std::string pad_right(const std::string& s, std::size_t width) {
  std::size_t w = text_width(s);
  return w >= width ? s : s + std::string(width - w, ' ');
}

std::string format(const char* fmt, double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, fmt, v);
  return buf;
}

// Colour is added after padding, so escape codes never shift a column.
std::string paint(const std::string& text, const char* code, bool color) {
  return color ? std::string("\033[") + code + "m" + text + "\033[0m" : text;
}

constexpr const char* kGreen = "32";
constexpr const char* kRed = "31";
constexpr const char* kYellow = "33";
constexpr const char* kDim = "2";
constexpr const char* kBold = "1";

}  // namespace

std::string confusion_table(const Metrics& m, bool color) {
  const std::size_t n = m.labels.size();
  const std::string corner = "true \\ predicted";
  const std::string uncertain_header = "uncertain";
  const std::string gap = "  ";

  // Cell = "row% (count)", with percentages and counts each right-aligned to a table-wide width.
  std::size_t count_width = 1;
  for (std::size_t t = 0; t < n; ++t) {
    for (int c : m.confusion[t]) count_width = std::max(count_width, std::to_string(c).size());
    count_width = std::max(count_width, std::to_string(m.uncertain[t]).size());
  }
  count_width += 2;                 // parentheses
  const std::size_t pct_width = 6;  // "100.0%"
  auto cell = [&](int count, int support) {
    std::string pct = support > 0 ? format("%.1f%%", 100.0 * count / support) : "-";
    return pad_left(pct, pct_width) + " " + pad_left("(" + std::to_string(count) + ")", count_width);
  };
  const std::size_t cell_width = pct_width + 1 + count_width;

  std::size_t first = std::max(text_width(corner), text_width(std::string("F1")));
  for (const auto& l : m.labels) first = std::max(first, text_width(l));
  std::vector<std::size_t> widths;
  for (const auto& l : m.labels) widths.push_back(std::max(cell_width, text_width(l)));
  const std::size_t uncertain_width = std::max(cell_width, text_width(uncertain_header));

  std::size_t line_width = first + gap.size() * (n + 1) + uncertain_width;
  for (std::size_t w : widths) line_width += w;
  const std::string rule = std::string(line_width, '-') + "\n";

  std::string out = paint(pad_right(corner, first), kBold, color);
  for (std::size_t p = 0; p < n; ++p) out += gap + paint(pad_left(m.labels[p], widths[p]), kBold, color);
  out += gap + paint(pad_left(uncertain_header, uncertain_width), kBold, color) + "\n";
  out += rule;

  for (std::size_t t = 0; t < n; ++t) {
    const int support = m.per_class.size() == n ? m.per_class[t].support : 0;
    out += pad_right(m.labels[t], first);
    for (std::size_t p = 0; p < n; ++p) {
      const int count = m.confusion[t][p];
      const char* code = count == 0 ? kDim : (p == t ? kGreen : kRed);
      out += gap + paint(pad_left(cell(count, support), widths[p]), code, color);
    }
    const int u = m.uncertain[t];
    out += gap + paint(pad_left(cell(u, support), uncertain_width), u == 0 ? kDim : kYellow, color) + "\n";
  }

  out += rule;
  out += paint(pad_right("F1", first), kBold, color);
  for (std::size_t p = 0; p < n; ++p) {
    const double f1 = m.per_class.size() == n ? m.per_class[p].f1 : 0.0;
    out += gap + pad_left(format("%.2f", f1), widths[p]);
  }
  out += gap + std::string(uncertain_width, ' ') + "\n";
  return out;
}

}  // namespace kiln
