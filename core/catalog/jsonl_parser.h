#pragma once
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "catalog/record_reader.h"

namespace pl {

/// JSON Lines: one product object per line. The header is the union of keys
/// of the first 1,000 objects, extended as new keys appear. Strings are taken
/// as they are, numbers and booleans as their JSON text, null as empty;
/// Amazon-style `categories` ([["A","B"],...]) and string lists become a
/// path "A > B"; other nested values are kept as compact JSON.
class JsonlParser : public RecordReader {
 public:
  explicit JsonlParser(std::string_view text);

  const std::vector<std::string>& header() const override { return header_; }
  ReadOutcome next(RawRecord& record, std::string& reason) override;
  int64_t bytesRead() const override { return static_cast<int64_t>(pos_); }
  int64_t totalBytes() const override { return static_cast<int64_t>(text_.size()); }

 private:
  bool nextLine(std::string_view& line);
  size_t columnFor(const std::string& key);

  std::string_view text_;
  size_t pos_ = 0;
  int64_t line_ = 0;
  std::vector<std::string> header_;
  std::unordered_map<std::string, size_t> index_;
};

}  // namespace pl
