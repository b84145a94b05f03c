// Line charts as inline SVG (no scripts, no external files): the training curves of the HTML report.
#pragma once

#include <string>
#include <vector>

namespace kiln {

struct ChartSeries {
  std::string name;          // legend text (escaped when drawn)
  std::string color;         // a CSS colour, e.g. "#2563eb"
  std::vector<double> x, y;  // same length; a non-finite y leaves a gap in the line
  bool dashed = false;
};

struct LineChart {
  std::string title;  // for screen readers (aria-label)
  std::string x_label, y_label;
  bool percent = false;    // y is a fraction in [0,1], labelled 0%..100%; the axis tops out at 100%
  bool from_zero = false;  // the y axis starts at 0 (losses)
  std::vector<ChartSeries> series;
};

// An <svg> element with a viewBox (it scales to its container's width), axes with "nice" ticks, grid, legend.
std::string line_chart_svg(const LineChart& chart);

}  // namespace kiln
