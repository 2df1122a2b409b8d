#pragma once
// The classical baseline every embedding must beat: TF-IDF over word 1-2-grams
// and char_wb 2-4-grams (see text_ngrams.h), scikit-learn's conventions.

#include <string>
#include <vector>

#include "eval/sparse_rows.h"

namespace pl {

/// Vocabulary limits and n-gram ranges.
struct TfidfOptions {
  int minDf = 2;       ///< n-grams in fewer documents are dropped (per block)
  int wordMaxN = 2;
  int charMinN = 2;
  int charMaxN = 4;
};

/// What the features came to.
struct TfidfFeatures {
  SparseRows matrix;  ///< one L2-normalised row per text
  int64_t wordFeatures = 0;
  int64_t charFeatures = 0;
};

/// Sublinear tf 1+ln(tf), smooth idf ln((1+N)/(1+df))+1, each block (words,
/// characters) L2-normalised, concatenated, and each row normalised again.
TfidfFeatures tfidfFeatures(const std::vector<std::string>& texts, const TfidfOptions& options = {});

}  // namespace pl
