#include "ui/curves/curve_style.h"

#include <array>
#include <functional>

namespace pl::ui {

namespace {

// The objective of "loss/mlm" or "val/mlm"; empty for the totals.
std::string objectiveOf(const std::string& name) {
  auto slash = name.find('/');
  return slash == std::string::npos ? std::string() : name.substr(slash + 1);
}

// Shades in one run's hue: far enough apart to tell objectives apart, close
// enough that two runs' curves never look alike, and never lighter than
// 165 of 255 (paler lines vanish on white).
struct Shade {
  int hueShift;
  int lightShift;
};

Shade shadeOf(const std::string& objective) {
  static const std::array<std::pair<const char*, Shade>, 5> known{{
      {"mlm", {0, -55}},
      {"attr", {-14, 45}},
      {"contrastive", {16, 60}},
      {"copurchase", {-24, -25}},
      {"mim", {24, 20}},
  }};
  if (objective.empty()) return {0, 0};
  for (const auto& [name, shade] : known) {
    if (objective == name) return shade;
  }
  static const std::array<Shade, 3> others{{{30, 60}, {-30, -40}, {10, 30}}};
  return others[std::hash<std::string>{}(objective) % others.size()];
}

}  // namespace

QColor paletteColor(int index) {
  static const std::array<QRgb, 10> tableau{0x1f77b4, 0xff7f0e, 0x2ca02c, 0xd62728, 0x9467bd,
                                            0x8c564b, 0xe377c2, 0x7f7f7f, 0xbcbd22, 0x17becf};
  const int n = static_cast<int>(tableau.size());
  QColor c(tableau[static_cast<size_t>(index % n)]);
  if (index >= n) {
    // Past ten runs: the same sequence, hues turned a little further each round.
    c = QColor::fromHsv((c.hsvHue() + 17 * (index / n)) % 360, c.hsvSaturation(), c.value());
  }
  return c;
}

QPen seriesPen(const QColor& run, const std::string& name) {
  const Shade shade = shadeOf(objectiveOf(name));
  QColor c = run;
  if (shade.hueShift != 0 || shade.lightShift != 0) {
    const QColor hsl = run.toHsl();
    const int hue = hsl.hslHue() < 0 ? 0 : hsl.hslHue();  // greys have no hue
    c = QColor::fromHsl((hue + shade.hueShift + 360) % 360, hsl.hslSaturation(),
                        qBound(40, hsl.lightness() + shade.lightShift, 165));
  }
  QPen pen(c, 1.4);
  if (name == "loss") pen.setWidthF(2.4);  // the objective being optimised stands out
  if (name.rfind("val", 0) == 0) {
    pen.setStyle(Qt::DashLine);
    pen.setWidthF(1.8);
  } else if (name == "products_per_s") {
    pen.setStyle(Qt::DotLine);  // the right-hand axis of the throughput plot
  } else if (name == "lr" || name.find("_per_s") != std::string::npos) {
    pen.setWidthF(1.8);
  }
  return pen;
}

QPen rawPen(const QPen& main) {
  QPen pen = main;
  QColor c = main.color();
  c.setAlpha(55);
  pen.setColor(c);
  pen.setWidthF(1.0);
  pen.setStyle(Qt::SolidLine);
  return pen;
}

}  // namespace pl::ui
