#include "eval/tfidf.h"

#include <algorithm>
#include <cmath>
#include <unordered_map>

#include "eval/text_ngrams.h"

namespace pl {

namespace {

// One block: n-gram lists -> sublinear-tf x smooth-idf rows, L2-normalised.
// The vocabulary is sorted like scikit-learn's, so column j is the same n-gram.
SparseRows tfidfBlock(const std::vector<std::vector<std::string>>& docs, int minDf) {
  std::unordered_map<std::string, int64_t> df;
  for (const auto& grams : docs) {
    std::vector<const std::string*> distinct;
    distinct.reserve(grams.size());
    for (const auto& g : grams) distinct.push_back(&g);
    std::sort(distinct.begin(), distinct.end(), [](auto* a, auto* b) { return *a < *b; });
    distinct.erase(std::unique(distinct.begin(), distinct.end(), [](auto* a, auto* b) { return *a == *b; }),
                   distinct.end());
    for (const auto* g : distinct) ++df[*g];
  }
  std::vector<std::string> kept;
  for (const auto& [gram, count] : df) {
    if (count >= minDf) kept.push_back(gram);
  }
  std::sort(kept.begin(), kept.end());
  std::unordered_map<std::string, int32_t> column;
  column.reserve(kept.size());
  auto n = static_cast<double>(docs.size());
  std::vector<float> idf(kept.size());
  for (size_t j = 0; j < kept.size(); ++j) {
    column.emplace(kept[j], static_cast<int32_t>(j));
    idf[j] = static_cast<float>(std::log((1.0 + n) / (1.0 + static_cast<double>(df[kept[j]]))) + 1.0);
  }

  SparseRows m;
  m.cols = static_cast<int64_t>(kept.size());
  for (const auto& grams : docs) {
    std::vector<int32_t> cols;
    for (const auto& g : grams) {
      auto it = column.find(g);
      if (it != column.end()) cols.push_back(it->second);
    }
    std::sort(cols.begin(), cols.end());
    for (size_t i = 0; i < cols.size();) {
      size_t j = i;
      while (j < cols.size() && cols[j] == cols[i]) ++j;
      m.indices.push_back(cols[i]);
      m.values.push_back(static_cast<float>(1.0 + std::log(static_cast<double>(j - i))) * idf[static_cast<size_t>(cols[i])]);
      i = j;
    }
    m.indptr.push_back(static_cast<int64_t>(m.values.size()));
  }
  m.normalizeRows();
  return m;
}

}  // namespace

TfidfFeatures tfidfFeatures(const std::vector<std::string>& texts, const TfidfOptions& options) {
  std::vector<std::vector<std::string>> words, chars;
  words.reserve(texts.size());
  chars.reserve(texts.size());
  for (const auto& t : texts) {
    words.push_back(wordNgrams(t, options.wordMaxN));
    chars.push_back(charWbNgrams(t, options.charMinN, options.charMaxN));
  }
  SparseRows w = tfidfBlock(words, options.minDf);
  SparseRows c = tfidfBlock(chars, options.minDf);
  TfidfFeatures f;
  f.wordFeatures = w.cols;
  f.charFeatures = c.cols;
  f.matrix = concatColumns(w, c);
  f.matrix.normalizeRows();
  return f;
}

}  // namespace pl
