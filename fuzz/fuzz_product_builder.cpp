// CSV bytes through the guessed mapping into products: the path every
// imported row takes before it reaches SQLite.
#include <cstdint>
#include <string>

#include "catalog/csv_parser.h"
#include "catalog/product_builder.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string text(reinterpret_cast<const char*>(data), size);
  pl::CsvParser parser(text, 0);
  pl::ProductBuilder builder(parser.header(), pl::guessMapping(parser.header()));
  pl::RawRecord record;
  pl::Product product;
  std::string reason;
  int64_t row = 0;
  while (parser.next(record, reason) != pl::ReadOutcome::End) {
    if (!record.fields.empty()) builder.build(record, ++row, product);
  }
  return 0;
}
