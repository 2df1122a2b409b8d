#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "catalog/field_mapping.h"
#include "catalog/record_reader.h"

namespace pl {

/// A product as it goes into the project, canonical fields first.
struct Product {
  std::string id;
  std::string title;
  std::string description;
  std::string brand;
  std::string category;  ///< path "A > B > C"
  std::optional<double> price;
  std::string image;           ///< as written in the catalog
  std::string attributesJson;  ///< {"column": "value", ...}, non-empty values only
};

/// Why a row was refused, and which field is at fault (empty: the whole row).
struct RowProblem {
  std::string field;
  std::string reason;
};

/// Parses a price such as "1299", "1,299.50", "$12.99", "€ 4,50" is refused
/// (ambiguous decimal comma). Returns nullopt when the text is not a price.
std::optional<double> parsePrice(std::string_view text);

/// Turns raw records into Products under a field mapping, and checks each
/// row: valid UTF-8, an id (or the row number when no id column is mapped),
/// a non-empty title when a title column is mapped, a numeric price, and
/// an id not seen before in this catalog.
class ProductBuilder {
 public:
  ProductBuilder(const std::vector<std::string>& header, FieldMapping mapping);

  /// Fills `out` from `record`; returns the problem when the row is bad.
  std::optional<RowProblem> build(const RawRecord& record, int64_t rowNumber, Product& out);
  /// Picks up columns a JSONL reader added since the last call.
  void syncHeader(const std::vector<std::string>& header);

  const FieldMapping& mapping() const { return mapping_; }
  /// Attribute (unmapped) column names, in file order.
  std::vector<std::string> attributeNames() const;
  /// Non-empty value counts per attribute, aligned with attributeNames().
  std::vector<int64_t> attributeCounts() const;

 private:
  int indexOf(const std::string& column) const;
  std::vector<std::string> header_;
  FieldMapping mapping_;
  std::vector<std::vector<int>> fieldColumns_;  // per Field: column indices
  std::vector<int> attributeColumns_;
  std::vector<int64_t> attributeCounts_;  // per header column
  std::unordered_map<std::string, int64_t> firstLineOfId_;
};

}  // namespace pl
