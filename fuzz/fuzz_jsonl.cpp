// JSON Lines reader on arbitrary bytes: terminates, records stay aligned
// with the header.
#include <cstdint>
#include <string>

#include "catalog/jsonl_parser.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string text(reinterpret_cast<const char*>(data), size);
  pl::JsonlParser parser(text);
  pl::RawRecord record;
  std::string reason;
  pl::ReadOutcome outcome;
  while ((outcome = parser.next(record, reason)) != pl::ReadOutcome::End) {
    if (outcome == pl::ReadOutcome::Record && record.fields.size() > parser.header().size()) {
      __builtin_trap();
    }
  }
  return 0;
}
