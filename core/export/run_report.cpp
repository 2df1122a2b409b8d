#include "export/run_report.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <functional>
#include <map>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>
#include <sstream>

#include "common/atomic_file.h"
#include "eval/eval_results.h"
#include "projection/projection.h"
#include "store/attribute_values.h"
#include "store/run_store.h"

namespace pl {

namespace {

const char* const kPalette[] = {"#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd",
                                "#8c564b", "#e377c2", "#17becf", "#7f7f7f", "#bcbd22"};

std::string escape(const std::string& text) {
  std::string out;
  for (char c : text) {
    switch (c) {
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '&': out += "&amp;"; break;
      case '"': out += "&quot;"; break;
      default: out += c;
    }
  }
  return out;
}

std::string fixed(double v, int digits = 4) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", digits, v);
  return buf;
}

std::string base64(const std::vector<uint8_t>& bytes) {
  static const char* table = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  for (size_t i = 0; i < bytes.size(); i += 3) {
    uint32_t v = bytes[i] << 16;
    if (i + 1 < bytes.size()) v |= bytes[i + 1] << 8;
    if (i + 2 < bytes.size()) v |= bytes[i + 2];
    out += table[(v >> 18) & 63];
    out += table[(v >> 12) & 63];
    out += i + 1 < bytes.size() ? table[(v >> 6) & 63] : '=';
    out += i + 2 < bytes.size() ? table[v & 63] : '=';
  }
  return out;
}

struct Series {
  std::string name;
  std::vector<std::pair<double, double>> points;
  bool dashed = false;
};

// A line chart as inline SVG: axes with min/max labels, one polyline per
// series, a legend. `logX` for label fractions.
std::string svgChart(const std::vector<Series>& series, const std::string& xLabel, const std::string& yLabel,
                     bool logX = false) {
  const double w = 760, h = 300, left = 60, right = 250, top = 10, bottom = 40;  // legend on the right
  double x0 = 1e300, x1 = -1e300, y0 = 1e300, y1 = -1e300;
  auto tx = [logX](double x) { return logX ? std::log10(std::max(x, 1e-9)) : x; };
  for (const auto& s : series) {
    for (const auto& [x, y] : s.points) {
      if (!std::isfinite(y)) continue;
      x0 = std::min(x0, tx(x)), x1 = std::max(x1, tx(x)), y0 = std::min(y0, y), y1 = std::max(y1, y);
    }
  }
  if (x0 > x1) return "<p>(no points)</p>";
  if (x1 - x0 < 1e-12) x1 = x0 + 1;
  if (y1 - y0 < 1e-12) y1 = y0 + 1;
  auto px = [&](double x) { return left + (tx(x) - x0) / (x1 - x0) * (w - left - right); };
  auto py = [&](double y) { return top + (1 - (y - y0) / (y1 - y0)) * (h - top - bottom); };
  std::ostringstream svg;
  svg << "<svg xmlns='http://www.w3.org/2000/svg' width='" << w << "' height='" << h
      << "' font-family='sans-serif' font-size='11'>";
  svg << "<rect x='" << left << "' y='" << top << "' width='" << (w - left - right) << "' height='"
      << (h - top - bottom) << "' fill='none' stroke='#999'/>";
  auto xText = [&](double v) { return logX ? fixed(std::pow(10, v), 2) : fixed(v, 0); };
  svg << "<text x='" << left << "' y='" << (h - bottom + 14) << "'>" << xText(x0) << "</text>";
  svg << "<text x='" << (w - right) << "' y='" << (h - bottom + 14) << "' text-anchor='end'>" << xText(x1)
      << "</text>";
  svg << "<text x='" << ((left + w - right) / 2) << "' y='" << (h - 6) << "' text-anchor='middle'>"
      << escape(xLabel) << "</text>";
  svg << "<text x='" << (left - 4) << "' y='" << (top + 10) << "' text-anchor='end'>" << fixed(y1, 3) << "</text>";
  svg << "<text x='" << (left - 4) << "' y='" << (h - bottom) << "' text-anchor='end'>" << fixed(y0, 3) << "</text>";
  svg << "<text x='12' y='" << ((top + h - bottom) / 2) << "' transform='rotate(-90 12 " << ((top + h - bottom) / 2)
      << ")' text-anchor='middle'>" << escape(yLabel) << "</text>";
  for (size_t i = 0; i < series.size(); ++i) {
    const std::string colour = kPalette[i % 10];
    svg << "<polyline fill='none' stroke='" << colour << "' stroke-width='1.5'"
        << (series[i].dashed ? " stroke-dasharray='4 3'" : "") << " points='";
    for (const auto& [x, y] : series[i].points) {
      if (std::isfinite(y)) svg << fixed(px(x), 1) << "," << fixed(py(y), 1) << " ";
    }
    svg << "'/>";
    if (series[i].points.size() == 1) {
      svg << "<circle cx='" << fixed(px(series[i].points[0].first), 1) << "' cy='"
          << fixed(py(series[i].points[0].second), 1) << "' r='3' fill='" << colour << "'/>";
    }
    const double ly = top + 12 + 16.0 * static_cast<double>(i);
    svg << "<line x1='" << (w - right + 10) << "' y1='" << ly - 4 << "' x2='" << (w - right + 28) << "' y2='" << ly - 4
        << "' stroke='" << colour << "' stroke-width='2'/>";
    svg << "<text x='" << (w - right + 32) << "' y='" << ly << "'>" << escape(series[i].name) << "</text>";
  }
  svg << "</svg>";
  return svg.str();
}

std::string lossSection(Database& db, int64_t runId) {
  std::map<std::string, Series> byName;
  for (const auto& p : loadAllMetrics(db, runId)) {
    const bool loss = p.name == "loss" || p.name.rfind("loss/", 0) == 0 || p.name.rfind("val/", 0) == 0;
    if (!loss) continue;
    Series& s = byName[p.name];
    s.name = p.name;
    s.dashed = p.name.rfind("val/", 0) == 0;
    s.points.emplace_back(static_cast<double>(p.step), p.value);
  }
  std::vector<Series> series;
  for (auto& [name, s] : byName) {
    // At most ~400 points a line: the chart is 410 pixels wide.
    const size_t stride = std::max<size_t>(1, s.points.size() / 400);
    Series thin{s.name, {}, s.dashed};
    for (size_t i = 0; i < s.points.size(); i += stride) thin.points.push_back(s.points[i]);
    series.push_back(std::move(thin));
  }
  if (series.empty()) return "<p>No losses were recorded.</p>";
  return svgChart(series, "step", "loss");
}

std::string evalSection(Database& db, const std::string& run, std::vector<EvalResult>& related) {
  for (const auto& r : listEvalResults(db)) {
    const bool mine = r.subject == run || r.subject.rfind(run + "-ft-", 0) == 0;
    const bool baseline = r.subject == "tf-idf" || r.subject.rfind("lsa-", 0) == 0 || r.subject == "pixels" ||
                          r.subject.rfind("scratch-", 0) == 0 || r.subject == "popularity";
    if (mine || baseline) related.push_back(r);
  }
  if (related.empty()) return "<p>Not evaluated yet (<code>productlens-cli eval</code>, <code>efficiency</code>).</p>";
  const char* metrics[] = {"accuracy", "macro_f1", "knn_accuracy", "precision_at_k", "recall_at_10", "ndcg_at_10"};
  std::ostringstream html;
  html << "<table><tr><th>subject</th><th>method</th><th>label</th><th>fraction</th><th>train</th><th>test</th>";
  for (const char* m : metrics) html << "<th>" << m << "</th>";
  html << "</tr>";
  for (const auto& r : related) {
    html << "<tr><td>" << escape(r.subject) << "</td><td>" << escape(r.method) << "</td><td>" << escape(r.label)
         << "</td><td>" << fixed(r.fraction, 3) << "</td><td>" << r.trainItems << "</td><td>" << r.testItems << "</td>";
    for (const char* m : metrics) {
      auto it = r.metrics.find(m);
      html << "<td>" << (it == r.metrics.end() ? "" : fixed(it->second)) << "</td>";
    }
    html << "</tr>";
  }
  html << "</table>";
  return html.str();
}

// Accuracy against labelled share, one line per method, as the Fine-tune page draws it.
std::string efficiencySection(const std::string& run, const std::vector<EvalResult>& results) {
  std::map<std::string, Series> lines;
  for (const auto& r : results) {
    auto accuracy = r.metrics.find("accuracy");
    if (accuracy == r.metrics.end() || r.method == "knn" || r.method == "baskets") continue;
    std::string name;
    if (r.subject == run && r.method == "probe") name = "pretrained+probe";
    else if (r.subject.rfind(run + "-ft-", 0) == 0) name = "pretrained+" + r.method.substr(r.method.find('-') + 1);
    else if (r.method == "scratch-full") name = "scratch+full";
    else if (r.method == "probe") name = r.subject + "+logreg";
    else continue;
    Series& s = lines[r.label + ": " + name];
    s.name = r.label + ": " + name;
    s.points.emplace_back(r.fraction, accuracy->second);
  }
  std::vector<Series> series;
  for (auto& [name, s] : lines) {
    std::sort(s.points.begin(), s.points.end());
    series.push_back(s);
  }
  if (series.empty()) return "<p>No label-efficiency points yet (<code>productlens-cli efficiency</code>).</p>";
  return svgChart(series, "labelled share of the training split (log)", "test accuracy", true);
}

std::string mapSection(Database& db, int64_t runId) {
  for (ProjectionMethod method : {ProjectionMethod::Umap, ProjectionMethod::Tsne, ProjectionMethod::Pca}) {
    auto map = loadProjection(db, runId, method);
    if (!map || map->points() == 0) continue;
    // Points coloured by their top category, drawn small and in catalog order.
    ProductField top;
    top.kind = ProductField::Kind::CategoryLevel;
    top.level = 1;
    std::vector<std::string> classes = loadFieldValues(db, top, map->rowIds);
    const int size = 560, margin = 10;
    float x0 = 1e30f, x1 = -1e30f, y0 = 1e30f, y1 = -1e30f;
    for (int64_t i = 0; i < map->points(); ++i) {
      x0 = std::min(x0, map->xy[2 * i]), x1 = std::max(x1, map->xy[2 * i]);
      y0 = std::min(y0, map->xy[2 * i + 1]), y1 = std::max(y1, map->xy[2 * i + 1]);
    }
    const float span = std::max({x1 - x0, y1 - y0, 1e-6f});
    cv::Mat image(size, size, CV_8UC3, cv::Scalar(255, 255, 255));
    std::hash<std::string> hash;
    for (int64_t i = 0; i < map->points(); ++i) {
      const int x = margin + static_cast<int>((map->xy[2 * i] - x0) / span * (size - 2 * margin));
      const int y = margin + static_cast<int>((1 - (map->xy[2 * i + 1] - y0) / span) * (size - 2 * margin));
      const std::string colour = kPalette[hash(classes[static_cast<size_t>(i)]) % 10];
      const int r = std::stoi(colour.substr(1, 2), nullptr, 16), g = std::stoi(colour.substr(3, 2), nullptr, 16),
                b = std::stoi(colour.substr(5, 2), nullptr, 16);
      cv::circle(image, {x, y}, map->points() > 20000 ? 0 : 1, cv::Scalar(b, g, r), cv::FILLED);
    }
    std::vector<uint8_t> png;
    cv::imencode(".png", image, png);
    return "<p>" + projectionMethodName(method) + ", " + std::to_string(map->points()) +
           " products, coloured by top category.</p><img alt='map' src='data:image/png;base64," + base64(png) + "'>";
  }
  return "<p>No map yet (<code>productlens-cli project --method umap</code> or the Explore page).</p>";
}

}  // namespace

Result<std::string> runReportHtml(Project& project, const std::string& runName) {
  Database& db = project.db();
  auto run = findRun(db, runName);
  if (!run) return Error{"there is no run named '" + runName + "'"};
  std::vector<EvalResult> related;
  std::ostringstream html;
  html << "<!DOCTYPE html><html><head><meta charset='utf-8'><title>ProductLens run " << escape(runName)
       << "</title><style>body{font-family:sans-serif;max-width:960px;margin:24px auto;color:#222}"
          "table{border-collapse:collapse;font-size:13px}td,th{border:1px solid #ccc;padding:3px 6px;"
          "text-align:right}td:first-child,th:first-child{text-align:left}pre{background:#f6f6f6;padding:8px;"
          "font-size:12px;overflow:auto}</style></head><body>";
  html << "<h1>Run " << escape(runName) << "</h1><p>" << escape(run->kind) << ", " << escape(run->status) << ", "
       << run->step << " steps (" << fixed(run->epoch, 2) << " epochs) in " << fixed(run->elapsedSeconds, 0)
       << " s; created " << escape(run->createdAt) << ". Project <code>" << escape(project.path())
       << "</code>; ProductLens " << PL_VERSION << ".</p>";
  if (!run->message.empty()) html << "<p>" << escape(run->message) << "</p>";
  html << "<h2>Losses</h2>" << lossSection(db, run->id);
  html << "<h2>Evaluation</h2>" << evalSection(db, runName, related);
  html << "<h2>Label efficiency</h2>" << efficiencySection(runName, related);
  html << "<h2>Map</h2>" << mapSection(db, run->id);
  html << "<h2>Configuration</h2><pre>" << escape(run->configJson) << "</pre>";
  html << "</body></html>\n";
  return html.str();
}

Status writeRunReport(Project& project, const std::string& runName, const std::string& path) {
  auto html = runReportHtml(project, runName);
  if (!html) return html.error();
  return writeFileAtomically(path, *html);
}

}  // namespace pl
