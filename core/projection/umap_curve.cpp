#include "projection/umap_curve.h"

#include <cmath>
#include <vector>

namespace pl {

namespace {

double residualSquares(const std::vector<double>& x, const std::vector<double>& y, double a, double b) {
  double sum = 0;
  for (size_t i = 0; i < x.size(); ++i) {
    double r = 1.0 / (1.0 + a * std::pow(x[i], 2 * b)) - y[i];
    sum += r * r;
  }
  return sum;
}

}  // namespace

UmapCurve fitUmapCurve(double minDist, double spread) {
  std::vector<double> x, y;
  for (int i = 0; i < 300; ++i) {
    // scipy's linspace(0, 3 spread, 300); x = 0 adds nothing to the fit.
    double xi = 3.0 * spread * i / 299.0;
    if (xi <= 0) continue;
    x.push_back(xi);
    y.push_back(xi < minDist ? 1.0 : std::exp(-(xi - minDist) / spread));
  }
  double a = 1.0, b = 1.0;
  double error = residualSquares(x, y, a, b);
  for (int iteration = 0; iteration < 200; ++iteration) {
    // Normal equations of the 2-parameter Gauss-Newton step.
    double jaa = 0, jab = 0, jbb = 0, ga = 0, gb = 0;
    for (size_t i = 0; i < x.size(); ++i) {
      const double p = std::pow(x[i], 2 * b);
      const double f = 1.0 / (1.0 + a * p);
      const double r = f - y[i];
      const double da = -p * f * f;
      const double db = -a * p * 2.0 * std::log(x[i]) * f * f;
      jaa += da * da;
      jab += da * db;
      jbb += db * db;
      ga += da * r;
      gb += db * r;
    }
    const double det = jaa * jbb - jab * jab;
    if (std::abs(det) < 1e-300) break;
    double stepA = -(jbb * ga - jab * gb) / det;
    double stepB = -(jaa * gb - jab * ga) / det;
    // Halve the step until the fit improves (and a stays positive).
    double scale = 1.0;
    bool improved = false;
    for (int halving = 0; halving < 30; ++halving, scale /= 2) {
      double na = a + scale * stepA, nb = b + scale * stepB;
      if (na <= 0 || nb <= 0) continue;
      double e = residualSquares(x, y, na, nb);
      if (e < error) {
        a = na;
        b = nb;
        improved = error - e > 1e-14 * error;
        error = e;
        break;
      }
    }
    if (!improved) break;
  }
  return {a, b};
}

}  // namespace pl
