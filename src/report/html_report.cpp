#include "report/html_report.h"

#include <algorithm>
#include <cmath>
#include <cstdarg>
#include <cstdio>
#include <map>

#include "core/error.h"
#include "core/escape.h"
#include "core/quote.h"
#include "report/base64.h"
#include "report/line_chart_svg.h"
#include "report/spectrogram_png.h"

namespace kiln {
namespace {

constexpr int kExamplesPerLabel = 8;
constexpr std::size_t kMisclassifiedShown = 50;

// The page's only style sheet. System fonts only: the file must render offline, identically everywhere.
constexpr const char* kStyle = R"CSS(
:root { --ink:#1f2330; --muted:#6b7280; --line:#e6e8ec; --bg:#f4f5f7; --card:#fff; --accent:#c2410c;
        --good:#15803d; --bad:#b91c1c; --warn:#b45309; }
* { box-sizing: border-box; }
body { margin: 0; background: var(--bg); color: var(--ink);
       font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; }
.wrap { max-width: 1120px; margin: 0 auto; padding: 0 24px; }
header.top { background: linear-gradient(115deg, #1c1917 0%, #3b1d0e 55%, #9a3412 100%); color: #fff;
             padding: 34px 0 26px; }
header.top .kicker { font-size: 12px; text-transform: uppercase; letter-spacing: .14em; opacity: .7; }
header.top h1 { margin: 2px 0 0; font-size: 32px; line-height: 1.2; letter-spacing: -.01em; overflow-wrap: anywhere; }
header.top .sub { opacity: .75; margin-top: 4px; font-size: 14px; }
.tiles { display: grid; grid-template-columns: repeat(auto-fit, minmax(170px, 1fr)); gap: 12px; margin-top: 22px; }
.tile { background: rgba(255,255,255,.09); border: 1px solid rgba(255,255,255,.16); border-radius: 10px;
        padding: 10px 16px; }
.tile .v { font-size: 26px; font-weight: 650; font-variant-numeric: tabular-nums; }
.tile .k { font-size: 11px; text-transform: uppercase; letter-spacing: .08em; opacity: .72; }
nav.toc { position: sticky; top: 0; z-index: 2; background: rgba(255,255,255,.94); border-bottom: 1px solid var(--line);
          backdrop-filter: blur(6px); }
nav.toc .wrap { display: flex; flex-wrap: wrap; gap: 4px 18px; padding-top: 10px; padding-bottom: 10px; }
nav.toc a { color: var(--muted); text-decoration: none; font-size: 14px; font-weight: 550; }
nav.toc a:hover { color: var(--accent); }
section.card { background: var(--card); border-radius: 12px; padding: 22px 26px 24px; margin: 20px 0;
               box-shadow: 0 1px 2px rgba(16,24,40,.06), 0 2px 10px rgba(16,24,40,.04); }
h2 { font-size: 21px; margin: 0 0 2px; letter-spacing: -.01em; }
h3 { font-size: 16px; margin: 18px 0 8px; }
p.lead { color: var(--muted); margin: 0 0 16px; }
.muted { color: var(--muted); fill: var(--muted); }
.scroll { overflow-x: auto; }
table.data { border-collapse: collapse; width: 100%; font-variant-numeric: tabular-nums; }
table.data th, table.data td { padding: 7px 10px; border-bottom: 1px solid var(--line); text-align: left;
                               vertical-align: middle; }
table.data th { font-size: 12px; text-transform: uppercase; letter-spacing: .05em; color: var(--muted);
                font-weight: 600; }
table.data .num { text-align: right; white-space: nowrap; }
table.data tr.total td { font-weight: 650; border-top: 2px solid var(--line); border-bottom: none; }
table.data th.group { text-align: center; border-bottom: none; padding-bottom: 0; color: var(--ink); }
table.kv { border-collapse: collapse; }
table.kv th { text-align: left; font-weight: 550; color: var(--muted); padding: 4px 20px 4px 0; vertical-align: top;
              overflow-wrap: normal; }
table.kv td { padding: 4px 0; overflow-wrap: anywhere; min-width: 6em; }
table.kv ul { margin: 0; padding-left: 18px; }
.lbl { font-weight: 600; overflow-wrap: anywhere; min-width: 5em; }
.badge { display: inline-block; padding: 1px 9px; border-radius: 999px; background: #eef1f6; color: #334155;
         font-size: 13px; font-weight: 600; white-space: nowrap; max-width: 220px;
         overflow: hidden; text-overflow: ellipsis; vertical-align: middle; }
.badge.bad { background: #fde8e8; color: #991b1b; }
.badge.warn { background: #fef3c7; color: #92400e; }
.mono { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 13px; overflow-wrap: anywhere;
        min-width: 11em; }
.bar { height: 6px; background: #eceef2; border-radius: 3px; overflow: hidden; min-width: 40px; }
.bar > span { display: block; height: 100%; background: var(--good); border-radius: 3px; }
.bar.blue > span { background: #2563eb; }
.gallery { display: grid; grid-template-columns: repeat(auto-fill, minmax(250px, 1fr)); gap: 14px; }
figure { margin: 0; }
figcaption { font-size: 12px; color: var(--muted); margin-top: 4px; overflow-wrap: anywhere; }
img.spec { display: block; width: 100%; height: 110px; image-rendering: pixelated; border-radius: 6px; }
img.thumb { display: block; width: 200px; height: 64px; image-rendering: pixelated; border-radius: 4px; }
.noimg { font-size: 12px; color: var(--muted); }
.legend-row { display: flex; align-items: center; gap: 10px; font-size: 12px; color: var(--muted); margin: -6px 0 8px; }
.colorbar { width: 200px; height: 10px; border-radius: 5px; }
.charts { display: grid; grid-template-columns: repeat(auto-fit, minmax(420px, 1fr)); gap: 18px 28px; }
.charts h3 { margin-top: 6px; }
svg.chart { width: 100%; height: auto; display: block; }
svg.chart text { font-family: inherit; }
svg.chart .tick { font-size: 11px; fill: var(--muted); }
svg.chart .grid { stroke: #eef0f3; }
svg.chart .axis { stroke: #a3a9b4; }
svg.chart .axis-label { font-size: 12px; fill: #4b5563; }
svg.chart .legend-text { font-size: 12px; fill: var(--ink); }
.models { display: grid; grid-template-columns: repeat(auto-fit, minmax(470px, 1fr)); gap: 28px; }
.model-body { display: grid; grid-template-columns: repeat(auto-fit, minmax(400px, 1fr)); gap: 10px 32px;
              align-items: start; }
.f1cell { display: flex; align-items: center; gap: 8px; min-width: 100px; }
.f1cell span { width: 40px; }
.f1cell .bar { flex: 1; }
.stats { display: flex; flex-wrap: wrap; gap: 6px 22px; margin: 4px 0 14px; }
.stats div { font-size: 13px; color: var(--muted); }
.stats b { display: block; font-size: 22px; color: var(--ink); font-variant-numeric: tabular-nums; }
table.cm { border-collapse: separate; border-spacing: 3px; font-variant-numeric: tabular-nums; }
table.cm th { font-size: 12px; font-weight: 600; color: var(--muted); padding: 4px 6px; overflow-wrap: anywhere; }
table.cm thead th { text-align: center; vertical-align: bottom; max-width: 110px; }
table.cm tbody th { text-align: right; max-width: 160px; }
table.cm td { text-align: center; min-width: 74px; padding: 7px 6px; border-radius: 6px; line-height: 1.2; }
table.cm td b { display: block; font-size: 15px; }
table.cm td small { font-size: 11px; opacity: .85; }
table.cm td.zero { color: #b6bcc6; background: #f7f8fa; }
table.cm tr.f1 td { background: none; font-weight: 650; }
table.cm .corner { text-align: left; font-weight: 500; }
.note { font-size: 13px; color: var(--muted); margin-top: 10px; }
.scores { display: grid; grid-template-columns: auto 90px 38px; gap: 1px 8px; align-items: center; font-size: 12px; }
.scores .top { font-weight: 700; }
.scores .name { max-width: 180px; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
footer { color: var(--muted); font-size: 13px; padding: 8px 0 40px; }
@media print { nav.toc { display: none; } section.card { box-shadow: none; border: 1px solid #ddd; }
               header.top { -webkit-print-color-adjust: exact; print-color-adjust: exact; } }
)CSS";

// Viridis anchors as a CSS gradient, so the legend matches the images (the table of report/viridis.cpp).
constexpr const char* kColorbar =
    "linear-gradient(to right,#440154,#48186a,#472d7b,#424086,#3b528b,#33638d,#2c728e,#26828e,#21918c,"
    "#1fa088,#28ae80,#3fbc73,#5ec962,#84d44b,#addc30,#d8e219,#fde725)";

std::string fmt(const char* f, ...) __attribute__((format(printf, 1, 2)));
std::string fmt(const char* f, ...) {
  va_list ap;
  va_start(ap, f);
  va_list again;
  va_copy(again, ap);
  const int n = std::vsnprintf(nullptr, 0, f, ap);
  va_end(ap);
  std::string out(n > 0 ? static_cast<std::size_t>(n) : 0, '\0');
  std::vsnprintf(out.data(), out.size() + 1, f, again);
  va_end(again);
  return out;
}

// User strings (labels, sample names, the project name, summary values) in element content and in quoted
// attribute values: core/escape.h's rules.
std::string e(const std::string& s) {
  return html_text(s);
}

std::string attr(const std::string& s) {
  return html_attribute(s);
}

std::string percent(double fraction) {
  return fmt("%.1f%%", 100 * fraction);
}

std::string duration(double s) {
  if (!(s >= 0)) return "-";
  if (s < 60) return fmt("%.1f s", s);
  const long total = std::lround(s);
  if (total < 3600) return fmt("%ld min %02ld s", total / 60, total % 60);
  return fmt("%ld h %02ld min", total / 3600, total % 3600 / 60);
}

// A spectrogram <img>: PNG at one pixel per cell, scaled by CSS with crisp (nearest) pixels; 9x smaller than
// scaling in the PNG itself.
std::string spectrogram_img(const std::vector<float>& features, int frames, int bins, const std::string& what,
                            const char* css_class) {
  if (frames <= 0 || bins <= 0) return "<div class=\"noimg\">no spectrogram</div>";
  if (features.size() != static_cast<std::size_t>(frames) * static_cast<std::size_t>(bins)) {
    throw Error("report: " + what + " has " + std::to_string(features.size()) + " feature values, expected " +
                std::to_string(frames) + " x " + std::to_string(bins));
  }
  return fmt("<img class=\"%s\" width=\"%d\" height=\"%d\" alt=\"spectrogram\" src=\"data:image/png;base64,",
             css_class, frames, bins) +
         base64_encode(spectrogram_png(features.data(), frames, bins, 1)) + "\">";
}

std::string bar(double fraction, const char* cls = "") {
  return fmt("<div class=\"bar %s\"><span style=\"width:%.1f%%\"></span></div>", cls,
             100 * std::clamp(fraction, 0.0, 1.0));
}

// --- impulse summary ---

std::string json_value_html(const nlohmann::json& v) {
  if (v.is_string()) return e(v.get<std::string>());
  if (v.is_null()) return "<span class=\"muted\">-</span>";
  if (v.is_number_float()) return e(fmt("%g", v.get<double>()));
  if (v.is_array()) {
    std::string out = "<ul>";
    for (const auto& item : v) out += "<li>" + json_value_html(item) + "</li>";
    return out + "</ul>";
  }
  if (v.is_object()) {
    std::string out = "<table class=\"kv\">";
    for (const auto& [k, item] : v.items())
      out += "<tr><th>" + e(k) + "</th><td>" + json_value_html(item) + "</td></tr>";
    return out + "</table>";
  }
  return e(v.dump());  // integers, booleans
}

std::string impulse_section(const ReportInput& in) {
  std::string out =
      "<section class=\"card\" id=\"impulse\"><h2>Impulse</h2>"
      "<p class=\"lead\">How raw data becomes a decision: windowing, processing block, learning "
      "block.</p>";
  if (in.impulse_summary.is_null() || in.impulse_summary.empty()) {
    out += "<p class=\"muted\">No impulse summary.</p>";
  } else {
    out += json_value_html(in.impulse_summary);
  }
  return out + "</section>";
}

// --- dataset ---

// Labels in the model's order first, then any others in order of appearance.
std::vector<std::string> label_order(const ReportInput& in) {
  std::vector<std::string> labels = in.metrics.labels;
  auto add = [&](const std::string& l) {
    if (std::find(labels.begin(), labels.end(), l) == labels.end()) labels.push_back(l);
  };
  for (const auto& r : in.dataset) add(r.label);
  for (const auto& x : in.examples) add(x.label);
  return labels;
}

std::string dataset_section(const ReportInput& in) {
  std::string out = "<section class=\"card\" id=\"dataset\"><h2>Dataset</h2>";
  if (in.dataset.empty()) return out + "<p class=\"muted\">No dataset summary.</p></section>";

  std::vector<std::string> categories;
  for (const char* c : {"train", "test"}) {
    for (const auto& r : in.dataset) {
      if (r.category == c) {
        categories.push_back(c);
        break;
      }
    }
  }
  for (const auto& r : in.dataset) {
    if (std::find(categories.begin(), categories.end(), r.category) == categories.end()) {
      categories.push_back(r.category);
    }
  }
  std::map<std::pair<std::string, std::string>, ReportInput::DatasetRow> cells;
  std::map<std::string, ReportInput::DatasetRow> per_category;
  ReportInput::DatasetRow all;
  int max_windows = 1;
  for (const auto& r : in.dataset) {
    for (auto* acc : {&cells[{r.label, r.category}], &per_category[r.category], &all}) {
      acc->samples += r.samples;
      acc->windows += r.windows;
      acc->seconds += r.seconds;
    }
  }
  std::map<std::string, int> label_windows;
  for (const auto& r : in.dataset) label_windows[r.label] += r.windows;
  for (const auto& [l, w] : label_windows) max_windows = std::max(max_windows, w);

  out += fmt("<p class=\"lead\">%d samples, %s of data, cut into %d windows.</p>", all.samples,
             duration(all.seconds).c_str(), all.windows);
  out += "<div class=\"scroll\"><table class=\"data\"><thead><tr><th rowspan=\"2\">Label</th>";
  for (const auto& c : categories) out += "<th class=\"group\" colspan=\"3\">" + e(c) + "</th>";
  out += "<th rowspan=\"2\">Windows (all)</th></tr><tr>";
  for (std::size_t i = 0; i < categories.size(); ++i) {
    out += "<th class=\"num\">samples</th><th class=\"num\">windows</th><th class=\"num\">duration</th>";
  }
  out += "</tr></thead><tbody>";
  for (const auto& label : label_order(in)) {
    if (!label_windows.count(label)) continue;
    out += "<tr><td class=\"lbl\">" + e(label) + "</td>";
    for (const auto& c : categories) {
      auto it = cells.find({label, c});
      const ReportInput::DatasetRow r = it == cells.end() ? ReportInput::DatasetRow{} : it->second;
      out += fmt("<td class=\"num\">%d</td><td class=\"num\">%d</td><td class=\"num\">%s</td>", r.samples,
                 r.windows, duration(r.seconds).c_str());
    }
    const int w = label_windows[label];
    out += fmt(
        "<td style=\"min-width:140px\">%s<span class=\"muted\" style=\"font-size:12px\">%d</span></td></tr>",
        bar(static_cast<double>(w) / max_windows, "blue").c_str(), w);
  }
  out += "<tr class=\"total\"><td>Total</td>";
  for (const auto& c : categories) {
    const auto& r = per_category[c];
    out += fmt("<td class=\"num\">%d</td><td class=\"num\">%d</td><td class=\"num\">%s</td>", r.samples,
               r.windows, duration(r.seconds).c_str());
  }
  out += fmt("<td>%d</td></tr></tbody></table></div></section>", all.windows);
  return out;
}

// --- example spectrograms ---

std::string colour_legend() {
  return std::string(
             "<div class=\"legend-row\">time &rarr;, low frequencies at the bottom &nbsp;&middot;&nbsp; "
             "quiet <div class=\"colorbar\" style=\"background:") +
         kColorbar + "\"></div> loud</div>";
}

std::string examples_section(const ReportInput& in) {
  std::string out =
      "<section class=\"card\" id=\"examples\"><h2>Example spectrograms</h2>"
      "<p class=\"lead\">What the network sees: processed features of a few training windows per "
      "label.</p>";
  if (in.examples.empty()) return out + "<p class=\"muted\">No examples.</p></section>";
  out += colour_legend();
  for (const auto& label : label_order(in)) {
    std::string figures;
    int shown = 0;
    for (const auto& x : in.examples) {
      if (x.label != label || shown >= kExamplesPerLabel) continue;
      ++shown;
      figures += "<figure>" +
                 spectrogram_img(x.features, x.frames, x.bins, "example " + quote(x.caption), "spec") +
                 "<figcaption>" + e(x.caption) + "</figcaption></figure>";
    }
    if (shown > 0) out += "<h3>" + e(label) + "</h3><div class=\"gallery\">" + figures + "</div>";
  }
  return out + "</section>";
}

// --- training curves ---

std::string training_section(const ReportInput& in) {
  std::string out = "<section class=\"card\" id=\"training\"><h2>Training</h2>";
  if (in.history.empty()) return out + "<p class=\"muted\">No training history recorded.</p></section>";
  out += fmt(
      "<p class=\"lead\">%zu epochs. Training set vs validation set; a validation curve that turns upward "
      "while training keeps improving means overfitting.</p>",
      in.history.size());
  LineChart loss{"Loss per epoch", "epoch", "loss", false, true, {}};
  LineChart acc{"Accuracy per epoch", "epoch", "accuracy", true, false, {}};
  ChartSeries tl{"training", "#2563eb", {}, {}, false}, vl{"validation", "#ea580c", {}, {}, true};
  ChartSeries ta = tl, va = vl;
  bool has_validation = false;
  for (const auto& ep : in.history) {
    for (auto* s : {&tl, &vl, &ta, &va}) s->x.push_back(ep.epoch);
    tl.y.push_back(ep.loss);
    vl.y.push_back(ep.val_loss);
    ta.y.push_back(ep.accuracy);
    va.y.push_back(ep.val_accuracy);
    has_validation = has_validation || std::isfinite(ep.val_loss) || std::isfinite(ep.val_accuracy);
  }
  loss.series.push_back(tl);
  acc.series.push_back(ta);
  if (has_validation) {
    loss.series.push_back(vl);
    acc.series.push_back(va);
  }
  const auto& last = in.history.back();
  auto final_value = [](double v, bool pct) {
    return std::isfinite(v) ? (pct ? percent(v) : fmt("%.4f", v)) : "-";
  };
  out += "<div class=\"charts\"><div><h3>Loss</h3>" + line_chart_svg(loss) + "</div><div><h3>Accuracy</h3>" +
         line_chart_svg(acc) + "</div></div>";
  out += "<p class=\"note\">Last epoch: loss " + final_value(last.loss, false) + ", accuracy " +
         final_value(last.accuracy, true) + "; validation loss " + final_value(last.val_loss, false) +
         ", validation accuracy " + final_value(last.val_accuracy, true) + ".</p>";
  return out + "</section>";
}

// --- test results ---

// Cell colour: green on the diagonal (right), red off it (confusions), amber for uncertain; stronger = larger
// share of the row.
std::string cm_cell(int count, int support, const char* rgb) {
  if (count == 0) return fmt("<td class=\"zero\"><b>%s</b><small>0</small></td>", support > 0 ? "0%" : "-");
  const double share = support > 0 ? static_cast<double>(count) / support : 0;
  const double alpha = 0.12 + 0.78 * share;
  return fmt("<td style=\"background:rgba(%s,%.2f);color:%s\"><b>%.1f%%</b><small>%d</small></td>", rgb,
             alpha, alpha > 0.55 ? "#fff" : "#1f2330", 100 * share, count);
}

std::string metrics_block(const std::string& title, const Metrics& m, bool show_title) {
  const std::size_t n = m.labels.size();
  bool consistent = m.confusion.size() == n && m.uncertain.size() == n && m.per_class.size() == n;
  for (const auto& row : m.confusion) consistent = consistent && row.size() == n;
  if (!consistent) {
    throw Error("report: the metrics of " + quote(title) + " do not match its " + std::to_string(n) +
                " labels");
  }
  std::string out = "<div>";
  if (show_title) out += "<h3>" + e(title) + "</h3>";
  out += "<div class=\"stats\">";
  out += "<div><b>" + percent(m.accuracy) + "</b>accuracy</div>";
  out += fmt("<div><b>%.3f</b>macro F1</div><div><b>%.3f</b>weighted F1</div>", m.macro_f1, m.weighted_f1);
  out += fmt("<div><b>%d</b>of %d uncertain</div></div>", m.uncertain_total, m.total);

  // Confusion matrix and per-class table side by side when there is room, stacked otherwise.
  out +=
      "<div class=\"model-body\"><div><div class=\"scroll\"><table class=\"cm\"><thead><tr>"
      "<th class=\"corner\">true &darr; / predicted &rarr;</th>";
  for (const auto& l : m.labels) out += "<th>" + e(l) + "</th>";
  out += "<th style=\"white-space:nowrap\">uncertain</th></tr></thead><tbody>";
  for (std::size_t t = 0; t < n; ++t) {
    out += "<tr><th>" + e(m.labels[t]) + "</th>";
    for (std::size_t p = 0; p < n; ++p) {
      out += cm_cell(m.confusion[t][p], m.per_class[t].support, p == t ? "21,128,61" : "200,36,36");
    }
    out += cm_cell(m.uncertain[t], m.per_class[t].support, "217,119,6") + "</tr>";
  }
  out += "<tr class=\"f1\"><th>F1</th>";
  for (const auto& c : m.per_class) out += fmt("<td>%.2f</td>", c.f1);
  out += "<td></td></tr></tbody></table></div>";
  out +=
      fmt("<p class=\"note\">Rows: true label; columns: predicted label; percentages of the row. A window is "
          "uncertain when its top score is below %.2f; uncertain windows count as not correct.</p></div>",
          m.threshold);

  out +=
      "<div class=\"scroll\"><table class=\"data\"><thead><tr><th>Label</th><th class=\"num\">Precision</th>"
      "<th class=\"num\">Recall</th><th>F1</th><th class=\"num\">Windows</th></tr></thead><tbody>";
  for (const auto& c : m.per_class) {
    out += "<tr><td class=\"lbl\">" + e(c.label) + "</td>" +
           fmt("<td class=\"num\">%.3f</td><td class=\"num\">%.3f</td>", c.precision, c.recall) +
           fmt("<td><div class=\"f1cell\"><span>%.3f</span>%s</div></td>", c.f1, bar(c.f1).c_str()) +
           fmt("<td class=\"num\">%d</td></tr>", c.support);
  }
  return out + "</tbody></table></div></div></div>";
}

std::string results_section(const ReportInput& in) {
  std::string out = "<section class=\"card\" id=\"results\"><h2>Test results</h2>";
  out +=
      fmt("<p class=\"lead\">Every window of the test set, which the model never saw during training (%d "
          "windows).</p>",
          in.metrics.total);
  const bool several = !in.compared.empty();
  out += several ? "<div class=\"models\">" : "<div>";
  out += metrics_block(in.metrics_title, in.metrics, several);
  for (const auto& c : in.compared) out += metrics_block(c.title, c.metrics, true);
  return out + "</div></section>";
}

// --- misclassified windows ---

std::string scores_html(const std::vector<float>& scores, const std::vector<std::string>& labels) {
  if (scores.empty()) return "<span class=\"muted\">-</span>";
  const std::size_t top = std::max_element(scores.begin(), scores.end()) - scores.begin();
  std::string out = "<div class=\"scores\">";
  for (std::size_t i = 0; i < scores.size(); ++i) {
    const std::string name = i < labels.size() ? labels[i] : "#" + std::to_string(i);
    const char* cls = i == top ? "top" : "";
    out += fmt("<span class=\"name %s\" title=\"", cls) + attr(name) + "\">" + e(name) + "</span>" +
           bar(scores[i], "blue") +
           fmt("<span class=\"%s\">%.2f</span>", cls, static_cast<double>(scores[i]));
  }
  return out + "</div>";
}

std::string misclassified_section(const ReportInput& in) {
  std::string out = "<section class=\"card\" id=\"misclassified\"><h2>Misclassified windows</h2>";
  if (in.misclassified.empty()) {
    return out +
           "<p class=\"lead\">None: every test window's top score went to its true label.</p></section>";
  }
  const std::size_t shown = std::min(in.misclassified.size(), kMisclassifiedShown);
  const std::size_t total =
      std::max(in.misclassified.size(), static_cast<std::size_t>(std::max(0, in.misclassified_total)));
  out += "<p class=\"lead\">Test windows whose top score went to another label";
  out += shown < total ? fmt(" (the first %zu of %zu).", shown, total) : fmt(" (%zu).", total);
  out += " Listen to these samples: some are mislabelled, some show what the model has not learned yet.</p>";
  out += colour_legend();
  out +=
      "<div class=\"scroll\"><table class=\"data\"><thead><tr><th>Spectrogram</th><th>Sample</th>"
      "<th class=\"num\">At</th><th>True</th><th>Predicted</th><th>Scores</th></tr></thead><tbody>";
  for (std::size_t i = 0; i < shown; ++i) {
    const auto& x = in.misclassified[i];
    const float top = x.scores.empty() ? 0.0f : *std::max_element(x.scores.begin(), x.scores.end());
    const bool uncertain = !x.scores.empty() && static_cast<double>(top) < in.metrics.threshold;
    out +=
        "<tr><td>" +
        spectrogram_img(x.features, x.frames, x.bins, "misclassified window of " + quote(x.sample), "thumb") +
        "</td><td class=\"mono\">" + e(x.sample) + "</td>" + fmt("<td class=\"num\">%.2f s</td>", x.start_s) +
        "<td><span class=\"badge\" title=\"" + attr(x.truth) + "\">" + e(x.truth) + "</span></td><td>" +
        "<span class=\"badge bad\" title=\"" + attr(x.predicted) + "\">" + e(x.predicted) + "</span>" +
        (uncertain ? " <span class=\"badge warn\">uncertain</span>" : "") + "</td><td>" +
        scores_html(x.scores, in.metrics.labels) + "</td></tr>";
  }
  return out + "</tbody></table></div></section>";
}

// --- page ---

std::string header(const ReportInput& in) {
  const Metrics& m = in.metrics;
  std::string out =
      "<header class=\"top\"><div class=\"wrap\"><div class=\"kicker\">Kiln test report</div><h1>" +
      e(in.project_name.empty() ? std::string("Untitled project") : in.project_name) + "</h1>";
  if (!in.generated_at.empty()) out += "<div class=\"sub\">Generated " + e(in.generated_at) + "</div>";
  out += "<div class=\"tiles\">";
  out += "<div class=\"tile\"><div class=\"k\">Accuracy</div><div class=\"v\">" + percent(m.accuracy) +
         "</div></div>";
  out +=
      fmt("<div class=\"tile\"><div class=\"k\">Macro F1</div><div class=\"v\">%.3f</div></div>", m.macro_f1);
  out +=
      fmt("<div class=\"tile\"><div class=\"k\">Test windows</div><div class=\"v\">%d</div></div>", m.total);
  out += fmt("<div class=\"tile\"><div class=\"k\">Uncertain</div><div class=\"v\">%d</div></div>",
             m.uncertain_total);
  out += fmt("<div class=\"tile\"><div class=\"k\">Labels</div><div class=\"v\">%zu</div></div>",
             m.labels.size());
  return out + "</div></div></header>";
}

}  // namespace

std::string render_html_report(const ReportInput& in) {
  std::string title = "Kiln report: " + (in.project_name.empty() ? std::string("untitled") : in.project_name);
  std::string out =
      "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>" +
      e(title) + "</title><style>" + kStyle + "</style></head><body>";
  out += header(in);
  out +=
      "<nav class=\"toc\"><div class=\"wrap\"><a href=\"#impulse\">Impulse</a><a "
      "href=\"#dataset\">Dataset</a>"
      "<a href=\"#examples\">Spectrograms</a><a href=\"#training\">Training</a><a href=\"#results\">Test "
      "results</a><a href=\"#misclassified\">Misclassified</a></div></nav>";
  out += "<main class=\"wrap\">";
  out += impulse_section(in);
  out += dataset_section(in);
  out += examples_section(in);
  out += training_section(in);
  out += results_section(in);
  out += misclassified_section(in);
  out += "</main><footer><div class=\"wrap\">Generated by Kiln";
  if (!in.generated_at.empty()) out += " on " + e(in.generated_at);
  out +=
      ". This page is self-contained: it needs no network and no other files.</div></footer></body></html>\n";
  return out;
}

}  // namespace kiln
