#include "ui/explore/point_colours.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <unordered_map>
#include <unordered_set>

namespace pl::ui {

namespace {

constexpr int kGradientLevels = 256;

bool parseNumber(const std::string& text, double& value) {
  if (text.empty()) return false;
  char* end = nullptr;
  value = std::strtod(text.c_str(), &end);
  return end && *end == '\0' && std::isfinite(value);
}

}  // namespace

const std::vector<QRgb>& categoricalPalette() {
  // Tableau's tab20 reordered: the ten strong colours first, then their
  // light twins, so a map with few values gets only strong ones. Grey is
  // left out: it means "other".
  static const std::vector<QRgb> palette = {
      0xff1f77b4, 0xffff7f0e, 0xff2ca02c, 0xffd62728, 0xff9467bd, 0xff8c564b, 0xffe377c2,
      0xffbcbd22, 0xff17becf, 0xff393b79, 0xffaec7e8, 0xffffbb78, 0xff98df8a, 0xffff9896,
      0xffc5b0d5, 0xffc49c94, 0xfff7b6d2, 0xffdbdb8d, 0xff9edae5, 0xff637939};
  return palette;
}

QRgb gradientColour(double t) {
  // Viridis at five stops, linearly interpolated: dark blue to yellow.
  static const double stops[5][3] = {
      {68, 1, 84}, {59, 82, 139}, {33, 145, 140}, {94, 201, 98}, {253, 231, 37}};
  t = std::clamp(std::isfinite(t) ? t : 0.0, 0.0, 1.0) * 4;
  int i = std::min(static_cast<int>(t), 3);
  double f = t - i;
  auto mix = [&](int c) { return static_cast<int>(stops[i][c] + (stops[i + 1][c] - stops[i][c]) * f + 0.5); };
  return qRgb(mix(0), mix(1), mix(2));
}

PointColours plainColours(size_t points) {
  PointColours colours;
  colours.index.assign(points, 0);
  colours.palette = {kPlainColour};
  return colours;
}

PointColours categoricalColours(const std::vector<std::string>& values, int maxValues) {
  std::unordered_map<std::string, int64_t> counts;
  int64_t missing = 0;
  for (const std::string& v : values) {
    if (v.empty()) ++missing;
    else ++counts[v];
  }
  std::vector<std::pair<std::string, int64_t>> ranked(counts.begin(), counts.end());
  std::sort(ranked.begin(), ranked.end(), [](const auto& a, const auto& b) {
    return a.second != b.second ? a.second > b.second : a.first < b.first;
  });
  const auto& palette = categoricalPalette();
  size_t kept = std::min({ranked.size(), static_cast<size_t>(std::max(maxValues, 0)), palette.size()});
  // "other" only when it would hold more than one value; a lone 20th value keeps its name
  // when the palette still has room.
  if (ranked.size() == kept + 1 && kept < palette.size()) ++kept;

  PointColours colours;
  std::unordered_map<std::string, uint16_t> slot;
  for (size_t k = 0; k < kept; ++k) {
    slot.emplace(ranked[k].first, static_cast<uint16_t>(k));
    colours.palette.push_back(palette[k]);
    colours.legend.push_back({QString::fromStdString(ranked[k].first), palette[k], ranked[k].second});
  }
  const auto otherSlot = static_cast<uint16_t>(colours.palette.size());
  int64_t others = 0;
  for (size_t k = kept; k < ranked.size(); ++k) others += ranked[k].second;
  if (others > 0) {
    colours.palette.push_back(kOtherColour);
    colours.legend.push_back({QObject::tr("other (%1 values)").arg(ranked.size() - kept),
                              kOtherColour, others});
  }
  const auto missingSlot = static_cast<uint16_t>(colours.palette.size());
  if (missing > 0) {
    colours.palette.push_back(kOtherColour);
    colours.legend.push_back({QObject::tr("(missing)"), kOtherColour, missing});
  }
  colours.missing = missing;
  colours.index.resize(values.size());
  for (size_t i = 0; i < values.size(); ++i) {
    if (values[i].empty()) {
      colours.index[i] = missingSlot;
      continue;
    }
    auto it = slot.find(values[i]);
    colours.index[i] = it == slot.end() ? otherSlot : it->second;
  }
  return colours;
}

PointColours numericColours(const std::vector<std::string>& values) {
  PointColours colours;
  colours.numeric = true;
  std::vector<double> numbers(values.size(), std::nan(""));
  std::vector<double> sorted;
  sorted.reserve(values.size());
  for (size_t i = 0; i < values.size(); ++i) {
    double v;
    if (parseNumber(values[i], v)) {
      numbers[i] = v;
      sorted.push_back(v);
    }
  }
  for (int level = 0; level < kGradientLevels; ++level) {
    colours.palette.push_back(gradientColour(level / double(kGradientLevels - 1)));
  }
  colours.palette.push_back(kOtherColour);
  const auto missingSlot = static_cast<uint16_t>(kGradientLevels);
  if (!sorted.empty()) {
    auto at = [&](double q) {
      auto k = static_cast<size_t>(q * (sorted.size() - 1));
      std::nth_element(sorted.begin(), sorted.begin() + k, sorted.end());
      return sorted[k];
    };
    colours.low = at(0.01);
    colours.high = at(0.99);
  }
  const double span = colours.high - colours.low;
  colours.index.resize(values.size());
  for (size_t i = 0; i < values.size(); ++i) {
    if (std::isnan(numbers[i])) {
      colours.index[i] = missingSlot;
      ++colours.missing;
      continue;
    }
    double t = span > 0 ? (numbers[i] - colours.low) / span : 0.5;
    colours.index[i] = static_cast<uint16_t>(
        std::clamp(static_cast<int>(t * (kGradientLevels - 1) + 0.5), 0, kGradientLevels - 1));
  }
  return colours;
}

bool looksNumeric(const std::vector<std::string>& values) {
  int64_t filled = 0, numbers = 0;
  std::unordered_set<double> distinct;
  for (const std::string& text : values) {
    if (text.empty()) continue;
    ++filled;
    double v;
    if (parseNumber(text, v)) {
      ++numbers;
      if (distinct.size() <= 20) distinct.insert(v);
    }
  }
  return filled > 0 && numbers >= filled * 0.95 && distinct.size() > 20;
}

}  // namespace pl::ui
