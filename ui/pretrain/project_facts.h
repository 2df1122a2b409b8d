#pragma once
// What the Pretrain page needs to know about the open project to offer
// inputs, check a configuration and estimate its cost: the fields that
// exist (with fill counts), whether there are baskets, how long texts are.
// Read on the GUI thread from its own connection: each is one query.

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "train/run_config.h"

namespace pl {
class Database;
}

namespace pl::ui {

/// One product field a run can use as input.
struct FieldInfo {
  std::string name;
  bool isText = false;       ///< title, description: go through the text encoder
  bool isAttribute = false;  ///< a catalog column kept as a named attribute
  bool isImage = false;      ///< the product picture: goes through the image encoder
  int64_t nonEmpty = 0;      ///< products where it has a value
};

/// The project facts a run configuration depends on.
struct ProjectFacts {
  bool open = false;  ///< false: no project (nothing can start)
  int64_t products = 0;
  int64_t basketItems = 0;
  /// Canonical fields first (title, description, brand, category, price),
  /// then attribute columns in catalog order, then "image" when products have pictures.
  std::vector<FieldInfo> fields;
  double meanTitleChars = 0;
  double meanDescriptionChars = 0;

  bool hasBaskets() const { return basketItems > 0; }
  bool hasField(const std::string& name) const;
};

/// Reads the facts (one pass over products for the fill counts).
ProjectFacts readProjectFacts(Database& db);

/// Values of `field` seen at least twice + 2 reserved: the size of its
/// attribute vocabulary (see train/product_corpus.cpp). Price counts buckets.
int64_t fieldCardinality(Database& db, const std::string& field);

/// Rough tokens per product for the text inputs `config` uses:
/// SentencePiece unigram pieces average ~4.5 characters on catalog text,
/// plus [CLS] and a separator per extra field.
double estimatedTokens(const ProjectFacts& facts, const RunConfig& config);

}  // namespace pl::ui
