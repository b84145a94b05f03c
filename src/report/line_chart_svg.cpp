#include "report/line_chart_svg.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>

#include "core/escape.h"

namespace kiln {
namespace {

constexpr double kWidth = 540, kHeight = 300;
constexpr double kLeft = 60, kRight = 16, kTop = 34, kBottom = 46;

std::string num(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f", v);
  return buf;
}

// 1, 2 or 5 times a power of ten, at least `raw`: ticks people can read.
double nice_step(double raw) {
  if (!(raw > 0)) return 1;
  const double p = std::pow(10.0, std::floor(std::log10(raw)));
  for (double m : {1.0, 2.0, 5.0, 10.0}) {
    if (m * p >= raw * (1 - 1e-9)) return m * p;
  }
  return 10 * p;
}

int decimals_for(double step) {
  return step >= 1 ? 0 : static_cast<int>(std::ceil(-std::log10(step) - 1e-9));
}

std::string tick_label(double v, double step, bool percent) {
  char buf[32];
  if (percent) {
    std::snprintf(buf, sizeof buf, "%.*f%%", decimals_for(step * 100), v * 100);
  } else {
    std::snprintf(buf, sizeof buf, "%.*f", decimals_for(step), v);
  }
  return buf;
}

}  // namespace

std::string line_chart_svg(const LineChart& chart) {
  double xmin = std::numeric_limits<double>::infinity(), xmax = -xmin;
  double ymin = xmin, ymax = -xmin;
  for (const auto& s : chart.series) {
    for (std::size_t i = 0; i < std::min(s.x.size(), s.y.size()); ++i) {
      if (!std::isfinite(s.x[i]) || !std::isfinite(s.y[i])) continue;
      xmin = std::min(xmin, s.x[i]);
      xmax = std::max(xmax, s.x[i]);
      ymin = std::min(ymin, s.y[i]);
      ymax = std::max(ymax, s.y[i]);
    }
  }
  std::string svg = "<svg class=\"chart\" viewBox=\"0 0 " + num(kWidth) + " " + num(kHeight) +
                    "\" role=\"img\" aria-label=\"" + html_attribute(chart.title) + "\">";
  if (!std::isfinite(xmin)) {
    return svg + "<text x=\"" + num(kWidth / 2) + "\" y=\"" + num(kHeight / 2) +
           "\" text-anchor=\"middle\" class=\"muted\">no data</text></svg>";
  }

  // Axis ranges.
  if (chart.from_zero) ymin = std::min(ymin, 0.0);
  if (chart.percent) {
    ymin = std::max(0.0, ymin);
    ymax = 1.0;
  }
  if (ymax - ymin < 1e-12) {
    ymin -= 0.5;
    ymax += 0.5;
    if (chart.from_zero || chart.percent) ymin = std::max(0.0, ymin);
  }
  const double ystep = nice_step((ymax - ymin) / 5);
  const double ylo = std::floor(ymin / ystep + 1e-9) * ystep;
  const double yhi = std::ceil(ymax / ystep - 1e-9) * ystep;
  if (xmax - xmin < 1) {
    xmin -= 1;
    xmax += 1;
  }
  const double xstep = std::max(1.0, nice_step((xmax - xmin) / 8));

  const double pw = kWidth - kLeft - kRight, ph = kHeight - kTop - kBottom;
  auto px = [&](double x) { return kLeft + (x - xmin) / (xmax - xmin) * pw; };
  auto py = [&](double y) { return kTop + (1 - (y - ylo) / (yhi - ylo)) * ph; };

  // Grid and tick labels.
  for (double y = ylo; y <= yhi + ystep * 1e-6; y += ystep) {
    svg += "<line class=\"grid\" x1=\"" + num(kLeft) + "\" x2=\"" + num(kLeft + pw) + "\" y1=\"" +
           num(py(y)) + "\" y2=\"" + num(py(y)) + "\"/>";
    svg += "<text class=\"tick\" x=\"" + num(kLeft - 8) + "\" y=\"" + num(py(y) + 4) +
           "\" text-anchor=\"end\">" + tick_label(y, ystep, chart.percent) + "</text>";
  }
  for (double x = std::ceil(xmin / xstep) * xstep; x <= xmax + 1e-9; x += xstep) {
    svg += "<line class=\"axis\" x1=\"" + num(px(x)) + "\" x2=\"" + num(px(x)) + "\" y1=\"" + num(kTop + ph) +
           "\" y2=\"" + num(kTop + ph + 5) + "\"/>";
    svg += "<text class=\"tick\" x=\"" + num(px(x)) + "\" y=\"" + num(kTop + ph + 18) +
           "\" text-anchor=\"middle\">" + tick_label(x, xstep, false) + "</text>";
  }
  svg += "<line class=\"axis\" x1=\"" + num(kLeft) + "\" x2=\"" + num(kLeft + pw) + "\" y1=\"" +
         num(kTop + ph) + "\" y2=\"" + num(kTop + ph) + "\"/>";
  svg += "<line class=\"axis\" x1=\"" + num(kLeft) + "\" x2=\"" + num(kLeft) + "\" y1=\"" + num(kTop) +
         "\" y2=\"" + num(kTop + ph) + "\"/>";
  svg += "<text class=\"axis-label\" x=\"" + num(kLeft + pw / 2) + "\" y=\"" + num(kHeight - 6) +
         "\" text-anchor=\"middle\">" + html_text(chart.x_label) + "</text>";
  svg += "<text class=\"axis-label\" text-anchor=\"middle\" transform=\"translate(14 " + num(kTop + ph / 2) +
         ") rotate(-90)\">" + html_text(chart.y_label) + "</text>";

  // Lines: one path per run of finite points; dots when there are few enough points to tell apart.
  for (const auto& s : chart.series) {
    const std::size_t n = std::min(s.x.size(), s.y.size());
    std::string d;
    std::string dots;
    bool pen_down = false;
    for (std::size_t i = 0; i < n; ++i) {
      if (!std::isfinite(s.x[i]) || !std::isfinite(s.y[i])) {
        pen_down = false;
        continue;
      }
      d += (pen_down ? "L" : "M") + num(px(s.x[i])) + " " + num(py(s.y[i]));
      pen_down = true;
      if (n <= 40) {
        dots += "<circle cx=\"" + num(px(s.x[i])) + "\" cy=\"" + num(py(s.y[i])) + "\" r=\"2.5\" fill=\"" +
                html_attribute(s.color) + "\"/>";
      }
    }
    if (!d.empty()) {
      svg += "<path d=\"" + d + "\" fill=\"none\" stroke=\"" + html_attribute(s.color) +
             "\" stroke-width=\"2\" stroke-linejoin=\"round\" stroke-linecap=\"round\"" +
             (s.dashed ? " stroke-dasharray=\"6 4\"" : "") + "/>";
    }
    svg += dots;
  }

  // Legend: one row above the plot, right-aligned, so it never hides a line.
  double x = kLeft + pw;
  std::string legend;
  for (auto it = chart.series.rbegin(); it != chart.series.rend(); ++it) {
    x -= 34 + 7.0 * it->name.size();
    legend += "<line x1=\"" + num(x) + "\" x2=\"" + num(x + 20) + "\" y1=\"12\" y2=\"12\" stroke=\"" +
              html_attribute(it->color) + "\" stroke-width=\"2.5\"" +
              (it->dashed ? " stroke-dasharray=\"6 4\"" : "") + "/>";
    legend +=
        "<text class=\"legend-text\" x=\"" + num(x + 26) + "\" y=\"16\">" + html_text(it->name) + "</text>";
    x -= 10;
  }
  return svg + legend + "</svg>";
}

}  // namespace kiln
