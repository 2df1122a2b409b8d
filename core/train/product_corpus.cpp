#include "train/product_corpus.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <unordered_map>

#include "eval/basket_split.h"

namespace pl {

namespace {

const std::vector<std::string> kColumnFields = {"title", "description", "brand", "category"};

bool isColumnField(const std::string& f) {
  for (const auto& c : kColumnFields) {
    if (c == f) return true;
  }
  return false;
}

/// SQL expression for a field: a products column, the price, or a JSON attribute.
std::string fieldExpression(const std::string& field) {
  if (isColumnField(field)) return field;
  if (field == "price") return "price";
  // Attribute names come from the user; bind them instead of splicing.
  return "json_extract(attributes, '$.\"' || ? || '\"')";
}

// Whether any catalog of the project has an attribute column `name`.
bool isKnownAttribute(Database& db, const std::string& name) {
  auto known = db.prepare("SELECT count(*) FROM attributes WHERE name = ?");
  known.bind(1, name);
  return known.step() && known.int64(0) > 0;
}

Result<std::vector<std::string>> readField(Database& db, const std::string& field, size_t count) {
  bool isAttribute = !isColumnField(field) && field != "price";
  if (isAttribute) {
    if (!isKnownAttribute(db, field)) {
      return Error{"input field '" + field +
                   "' is neither a product field (title, description, brand, category, price) nor "
                   "an attribute of this project"};
    }
  }
  std::vector<std::string> values;
  values.reserve(count);
  auto st = db.prepare("SELECT " + fieldExpression(field) + " FROM products ORDER BY id");
  if (isAttribute) st.bind(1, field);
  while (st.step()) {
    if (field == "price") {
      values.push_back(st.isNull(0) ? std::string() : priceBucket(st.real(0)));
    } else {
      values.push_back(st.text(0));
    }
  }
  return values;
}

AttributeColumn encodeColumn(const std::string& name, const std::vector<std::string>& raw) {
  std::map<std::string, int> counts;
  for (const auto& v : raw) {
    if (!v.empty()) ++counts[v];
  }
  AttributeColumn col;
  col.name = name;
  col.values = {"<unknown>", "<hidden>"};
  std::unordered_map<std::string, int32_t> index;
  for (const auto& [value, n] : counts) {
    if (n < 2) continue;
    index[value] = static_cast<int32_t>(col.values.size());
    col.values.push_back(value);
  }
  col.codes.reserve(raw.size());
  for (const auto& v : raw) {
    auto it = index.find(v);
    col.codes.push_back(it == index.end() ? kAttributeUnknown : it->second);
  }
  return col;
}

}  // namespace

std::string priceBucket(double price) {
  if (!(price > 0)) return "price<1";
  int bucket = std::clamp(static_cast<int>(std::floor(std::log10(price) * 3)), 0, 15);
  return "price-bucket-" + std::to_string(bucket);
}

std::vector<int64_t> attributeCardinalities(const ProductCorpus& corpus) {
  std::vector<int64_t> sizes;
  for (const auto& a : corpus.attributes) sizes.push_back(static_cast<int64_t>(a.values.size()));
  return sizes;
}

std::vector<std::string> placeholderTokenizerTexts() {
  // Letters and digits as words: enough for SentencePiece to build a small
  // vocabulary, and the same for every catalog.
  std::vector<std::string> texts;
  const std::string symbols = "abcdefghijklmnopqrstuvwxyz0123456789";
  for (size_t i = 0; i < symbols.size(); ++i) {
    std::string line;  // "abc def ghi ...", rotated by one symbol per line
    for (size_t k = 0; k < symbols.size(); ++k) {
      line += symbols[(i + k) % symbols.size()];
      if (k % 3 == 2) line += ' ';
    }
    texts.push_back(line);
  }
  return texts;
}

std::vector<std::string> loadTokenizerTexts(Database& db, const RunConfig& config) {
  auto fields = config.textInputs();
  // A run that reads no text (pictures, attributes) does not depend on the
  // catalog having any: its tokenizer is the placeholder.
  if (fields.empty()) return placeholderTokenizerTexts();
  std::vector<std::string> texts;
  std::string sql = "SELECT ";
  fields.push_back("brand");
  for (size_t i = 0; i < fields.size(); ++i) sql += (i ? " || ' ' || " : "") + fields[i];
  auto st = db.prepare(sql + " FROM products ORDER BY id");
  while (st.step()) texts.push_back(st.text(0));
  return texts;
}

namespace {

int64_t filledCount(Database& db, const std::string& field) {
  if (isColumnField(field)) {
    return db.scalar("SELECT count(*) FROM products WHERE coalesce(" + field + ", '') != ''");
  }
  if (field == "price") return db.scalar("SELECT count(*) FROM products WHERE price IS NOT NULL");
  auto st = db.prepare("SELECT coalesce(sum(non_empty), 0) FROM attributes WHERE name = ?");
  st.bind(1, field);
  return st.step() ? st.int64(0) : 0;
}

// "product (10,000 filled), kind (9,000 filled)": the attribute columns with
// values, fullest first.
std::string candidateColumns(Database& db) {
  auto st = db.prepare(
      "SELECT name, sum(non_empty) AS n FROM attributes GROUP BY name HAVING n > 0 "
      "ORDER BY n DESC, name LIMIT 8");
  std::string out;
  while (st.step()) {
    out += (out.empty() ? "" : ", ") + st.text(0) + " (" + std::to_string(st.int64(1)) + " filled)";
  }
  return out;
}

}  // namespace

Status checkInputsHaveValues(Database& db, const RunConfig& config) {
  const int64_t products = db.scalar("SELECT count(*) FROM products");
  if (products == 0) return Error{"the project has no products; import a catalog first"};
  for (const auto& field : config.inputs) {
    if (field == "image") continue;
    // An unknown field is loadProductCorpus's to name.
    if (!isColumnField(field) && field != "price" && !isKnownAttribute(db, field)) continue;
    if (filledCount(db, field) > 0) continue;
    const std::string columns = candidateColumns(db);
    return Error{"the run's input '" + field + "' is empty for every one of the " +
                 std::to_string(products) + " products, so there is nothing to learn from it" +
                 (columns.empty() ? std::string(".")
                                  : "; columns that hold values: " + columns +
                                        ". Re-import with --map " +
                                        (field == "title" || field == "description" ? field : "title") +
                                        "=COLUMN, or choose other --inputs")};
  }
  return Status::success();
}

Result<ProductCorpus> loadProductCorpus(Database& db, const RunConfig& config,
                                        const Tokenizer& tokenizer) {
  ProductCorpus corpus;
  {
    auto st = db.prepare("SELECT id FROM products ORDER BY id");
    while (st.step()) corpus.rowIds.push_back(st.int64(0));
  }
  const size_t n = corpus.size();
  if (n == 0) return Error{"the project has no products; import a catalog first"};
  corpus.tokens.assign(n, {Tokenizer::kCls});
  corpus.wordStarts.assign(n, {1});
  const size_t maxLength = static_cast<size_t>(config.maxLength);
  bool firstText = true;
  for (const auto& field : config.textInputs()) {
    auto values = readField(db, field, n);
    if (!values) return values.error();
    for (size_t i = 0; i < n; ++i) {
      auto& ids = corpus.tokens[i];
      auto& starts = corpus.wordStarts[i];
      if (ids.size() >= maxLength || (*values)[i].empty()) continue;
      if (!firstText && ids.size() > 1) {
        ids.push_back(Tokenizer::kSep);
        starts.push_back(1);
      }
      std::vector<bool> wordStart;
      int room = static_cast<int>(maxLength - ids.size());
      auto pieces = tokenizer.encode((*values)[i], wordStart, room);
      for (size_t k = 0; k < pieces.size(); ++k) {
        ids.push_back(pieces[k]);
        starts.push_back(wordStart[k] ? 1 : 0);
      }
    }
    firstText = false;
  }
  for (const auto& field : config.attributeInputs()) {
    auto values = readField(db, field, n);
    if (!values) return values.error();
    corpus.attributes.push_back(encodeColumn(field, *values));
  }
  if (config.usesImages()) corpus.images = ProductImages::load(db, corpus.rowIds, config.image);
  return corpus;
}

std::vector<std::pair<int32_t, int32_t>> loadBasketPairs(Database& db, const ProductCorpus& corpus,
                                                         size_t limit) {
  // The held-out baskets that co-purchase retrieval is scored on are never
  // trained on: a model that had seen their pairs would find their
  // co-purchases by memory; nor are the cold products' pairs. The split is
  // drawn here on first use, so a project pretrained before anyone evaluated
  // it still gets an honest score.
  const BasketSplit split = ensureBasketSplit(db);
  std::unordered_map<int64_t, int32_t> indexOf;
  for (size_t i = 0; i < corpus.size(); ++i) indexOf[corpus.rowIds[i]] = static_cast<int32_t>(i);
  std::vector<std::pair<int32_t, int32_t>> pairs;
  auto st = db.prepare(
      "SELECT a.basket_id, a.product_id, b.product_id FROM basket_items a JOIN basket_items b "
      "ON a.basket_id = b.basket_id AND a.product_id < b.product_id");
  while (pairs.size() < limit && st.step()) {
    if (split.heldOut(st.int64(0))) continue;
    // Cold products are never seen bought in training (eval/basket_split.h).
    if (split.isCold(st.int64(1)) || split.isCold(st.int64(2))) continue;
    auto a = indexOf.find(st.int64(1));
    auto b = indexOf.find(st.int64(2));
    if (a != indexOf.end() && b != indexOf.end()) pairs.emplace_back(a->second, b->second);
  }
  return pairs;
}

}  // namespace pl
