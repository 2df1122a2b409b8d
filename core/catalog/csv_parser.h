#pragma once
#include <string>
#include <string_view>
#include <vector>

#include "catalog/record_reader.h"

namespace pl {

/// RFC 4180 parser over text held in memory: quoted fields with embedded
/// delimiters, doubled quotes and newlines; CRLF or LF; a leading UTF-8 BOM.
/// A stray quote inside an unquoted field is taken literally (12" pizza),
/// as most real exports contain them. Text after a closing quote, an
/// unterminated quote and a wrong field count make a record Bad; after an
/// unterminated quote parsing resumes on the next line, so one broken row
/// does not swallow the rest of the file.
class CsvParser : public RecordReader {
 public:
  /// `delimiter` 0 sniffs among , ; TAB | on the first line.
  CsvParser(std::string_view text, char delimiter);

  const std::vector<std::string>& header() const override { return header_; }
  ReadOutcome next(RawRecord& record, std::string& reason) override;
  int64_t bytesRead() const override { return static_cast<int64_t>(pos_); }
  int64_t totalBytes() const override { return static_cast<int64_t>(text_.size()); }
  char delimiter() const { return delim_; }

 private:
  enum class FieldEnd { Delimiter, RecordEnd, Error };
  ReadOutcome parseRecord(std::vector<std::string>& fields, int64_t& line, std::string& reason);
  FieldEnd parseQuoted(std::string& out, std::string& reason);
  FieldEnd parseUnquoted(std::string& out);
  void skipRestOfLine();
  static char sniffDelimiter(std::string_view text);

  std::string_view text_;
  size_t pos_ = 0;
  int64_t line_ = 1;
  char delim_;
  std::vector<std::string> header_;
};

/// Makes header names usable: empty names become column_N, repeats get _2, _3.
std::vector<std::string> normaliseHeader(std::vector<std::string> names);

}  // namespace pl
