#pragma once
// The products a run trains on, read from the project and tokenized once.
// Text inputs become one token sequence per product ([CLS] title [SEP]
// description ...); every other input becomes a categorical index per
// product for the attribute encoder.

#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "common/result.h"
#include "image/product_images.h"
#include "store/sqlite_db.h"
#include "text/tokenizer.h"
#include "train/run_config.h"

namespace pl {

/// Index 0 of every attribute vocabulary: missing or too rare to learn.
constexpr int32_t kAttributeUnknown = 0;
/// Index 1: the value is hidden from the model (attr objective).
constexpr int32_t kAttributeHidden = 1;

/// Per-attribute vocabulary: values seen at least twice get their own index.
struct AttributeColumn {
  std::string name;
  std::vector<std::string> values;  ///< index -> value; 0 and 1 are reserved
  std::vector<int32_t> codes;       ///< per product
};

/// Tokenized products in catalog order.
struct ProductCorpus {
  std::vector<int64_t> rowIds;                 ///< products.id
  std::vector<std::vector<int32_t>> tokens;    ///< [CLS] + pieces, truncated to maxLength
  std::vector<std::vector<uint8_t>> wordStarts;
  std::vector<AttributeColumn> attributes;     ///< one per attribute input
  std::shared_ptr<ProductImages> images;       ///< runs with the image input only

  size_t size() const { return rowIds.size(); }
};

/// Vocabulary size of each attribute column, in input order (what the
/// attribute encoder's embedding tables need).
std::vector<int64_t> attributeCardinalities(const ProductCorpus& corpus);

/// Text used to train the tokenizer: the text inputs plus the brand; for a
/// run without text inputs, placeholderTokenizerTexts().
std::vector<std::string> loadTokenizerTexts(Database& db, const RunConfig& config);

/// A fixed text that gives runs reading no text a small tokenizer of their
/// own (every run keeps one), whatever the catalog holds.
std::vector<std::string> placeholderTokenizerTexts();

/// Words the tokenizer of a run without text inputs is trained to hold.
constexpr int kPlaceholderVocabulary = 64;

/// Refuses a run one of whose inputs (other than the image, checked when
/// pictures load) is empty for every product: it would train on nothing
/// without a word. The message names the input and the catalog columns that
/// do hold values, the likely title among them.
Status checkInputsHaveValues(Database& db, const RunConfig& config);

/// Reads and tokenizes every product. Errors name an unknown input field.
Result<ProductCorpus> loadProductCorpus(Database& db, const RunConfig& config,
                                        const Tokenizer& tokenizer);

/// Pairs of corpus indices bought in the same basket (both directions
/// implied), at most `limit` of them, for the copurchase objective. The
/// held-out evaluation baskets (eval/basket_split.h) are left out; the split
/// is drawn and stored on first use.
std::vector<std::pair<int32_t, int32_t>> loadBasketPairs(Database& db, const ProductCorpus& corpus,
                                                         size_t limit = 2'000'000);

/// Log-scale price bucket (16 buckets from < 1 to > 10^5), as a string so it
/// joins the attribute vocabulary like any other value.
std::string priceBucket(double price);

}  // namespace pl
