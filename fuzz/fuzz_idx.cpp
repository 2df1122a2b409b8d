// IDX parser on arbitrary bytes: never trusts the header's dimensions.
#include <cstdint>
#include <vector>

#include "catalog/idx_reader.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::vector<uint8_t> bytes(data, data + size);
  auto r = pl::parseIdx(bytes, "fuzz");
  if (r.ok() && static_cast<size_t>(r->count() * r->itemSize()) != r->data.size()) __builtin_trap();
  return 0;
}
