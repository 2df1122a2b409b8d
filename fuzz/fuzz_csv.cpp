// Any bytes, any delimiter: the CSV parser must terminate, never read out of
// bounds, and make progress on every call.
#include <cstdint>
#include <string>

#include "catalog/csv_parser.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  const char delimiters[] = {0, ',', '\t', ';'};
  std::string text(reinterpret_cast<const char*>(data) + 1, size - 1);
  pl::CsvParser parser(text, delimiters[data[0] % 4]);
  pl::RawRecord record;
  std::string reason;
  int64_t lastPos = -1;
  while (parser.next(record, reason) != pl::ReadOutcome::End) {
    if (parser.bytesRead() <= lastPos) __builtin_trap();  // no progress: would hang
    lastPos = parser.bytesRead();
    if (record.fields.size() > parser.header().size() && !reason.empty()) continue;
  }
  if (parser.bytesRead() > parser.totalBytes()) __builtin_trap();
  return 0;
}
