#include "ui/finetune/efficiency_series.h"

#include <algorithm>
#include <cmath>
#include <map>

namespace pl::ui {

namespace {

// Which line a result belongs on; "" for none (k-NN, baskets, ...).
std::string seriesKeyOf(const pl::EvalResult& r) {
  if (r.method == "finetune-probe") return "pretrained-probe";
  if (r.method == "finetune-full") return "pretrained-full";
  if (r.method == "scratch-full") return "scratch-full";
  if (r.method == "probe") {
    if (r.subject == "tf-idf") return "tfidf-lr";
    if (r.subject.rfind("lsa", 0) == 0) return "lsa-lr";
    // A linear probe on a pretrained run's frozen embeddings is the same
    // recipe as a probe fine-tune.
    return "pretrained-probe";
  }
  return {};
}

}  // namespace

bool isBaselineSubject(const std::string& subject) {
  return subject == "tf-idf" || subject.rfind("lsa", 0) == 0;
}

std::vector<EfficiencySeries> efficiencySeries(const std::vector<pl::EvalResult>& results,
                                               const std::string& label) {
  const std::pair<const char*, const char*> order[] = {
      {"pretrained-probe", "Pretrained + probe"},
      {"pretrained-full", "Pretrained + full fine-tune"},
      {"scratch-full", "No pretraining + full"},
      {"tfidf-lr", "TF-IDF + logistic regression"},
      {"lsa-lr", "LSA + logistic regression"}};
  // key -> fraction (rounded as the store keys it) -> newest result.
  std::map<std::string, std::map<int64_t, const pl::EvalResult*>> chosen;
  for (const pl::EvalResult& r : results) {
    if (r.label != label || !(r.fraction > 0)) continue;
    auto accuracy = r.metrics.find("accuracy");
    if (accuracy == r.metrics.end() || !std::isfinite(accuracy->second)) continue;
    const std::string key = seriesKeyOf(r);
    if (key.empty()) continue;
    const pl::EvalResult*& slot = chosen[key][std::llround(r.fraction * 1e6)];
    if (!slot || r.createdAt >= slot->createdAt) slot = &r;
  }
  std::vector<EfficiencySeries> lines;
  for (const auto& [key, name] : order) {
    auto it = chosen.find(key);
    if (it == chosen.end()) continue;
    EfficiencySeries line{key, name, {}};
    for (const auto& [fraction, r] : it->second) {
      line.points.push_back({r->fraction, r->metrics.at("accuracy"), r->subject, r->trainItems});
    }
    lines.push_back(std::move(line));
  }
  return lines;
}

}  // namespace pl::ui
