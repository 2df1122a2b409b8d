#pragma once
// A catalog file read one record at a time, whatever its format. Readers
// never throw on bad content: a damaged record comes back as Bad with a
// reason, and reading goes on with the next one.

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "common/result.h"

namespace pl {

/// One record: values aligned with the reader's header (missing values are
/// empty), and the 1-based line of the file where the record starts.
struct RawRecord {
  std::vector<std::string> fields;
  int64_t line = 0;
};

enum class ReadOutcome { Record, Bad, End };

/// Sequential access to the records of a catalog file.
class RecordReader {
 public:
  virtual ~RecordReader() = default;
  /// Column names. A JSONL reader may append names as new keys appear.
  virtual const std::vector<std::string>& header() const = 0;
  /// Reads the next record. On Bad, `reason` says what is wrong and
  /// `record.line` where; the reader has already skipped past it.
  virtual ReadOutcome next(RawRecord& record, std::string& reason) = 0;
  virtual int64_t bytesRead() const = 0;
  virtual int64_t totalBytes() const = 0;
};

enum class CatalogFormat { Auto, Csv, Tsv, Jsonl };

/// Guesses the format from the extension (.tsv/.tab, .jsonl/.ndjson/.json, else CSV).
CatalogFormat formatFromPath(const std::string& path);
const char* formatName(CatalogFormat format);

/// Opens a catalog file (memory-mapped) with the right reader.
Result<std::unique_ptr<RecordReader>> openCatalogReader(const std::string& path,
                                                        CatalogFormat format = CatalogFormat::Auto);

}  // namespace pl
