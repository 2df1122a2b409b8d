#include "export/safetensors_reader.h"

#include <limits>
#include <nlohmann/json.hpp>

namespace pl {

using nlohmann::json;

namespace {

// A JSON array of non-negative whole numbers that fit T. nlohmann's
// get<std::vector<int64_t>>() casts a float element unchecked, which is
// undefined behaviour for 1e30 or -1.5 (found while writing
// fuzz_model_import); the exporter writes integers only, so anything else is
// refused.
template <typename T>
bool wholeNumbers(const json& v, std::vector<T>& out) {
  if (!v.is_array()) return false;
  out.clear();
  for (const json& e : v) {
    if (e.is_number_unsigned()) {
      const auto u = e.get<uint64_t>();
      if (u > static_cast<uint64_t>(std::numeric_limits<T>::max())) return false;
      out.push_back(static_cast<T>(u));
    } else if (e.is_number_integer()) {
      const auto i = e.get<int64_t>();
      if (i < 0) return false;  // neither a dimension nor an offset
      out.push_back(static_cast<T>(i));
    } else {
      return false;
    }
  }
  return true;
}

}  // namespace

Result<std::map<std::string, StoredTensor>> parseSafetensors(const std::string& file, const std::string& path) {
  if (file.size() < 8) return Error{path + " is too short to be a safetensors file"};
  uint64_t length = 0;
  for (int i = 7; i >= 0; --i) length = (length << 8) | static_cast<uint8_t>(file[static_cast<size_t>(i)]);
  if (length > file.size() - 8) return Error{path + ": the header length runs past the end of the file"};
  json header = json::parse(file.substr(8, length), nullptr, false);
  if (!header.is_object()) return Error{path + ": the header is not a JSON object"};
  std::map<std::string, StoredTensor> out;
  const size_t base = 8 + length;
  try {
    for (auto it = header.begin(); it != header.end(); ++it) {
      if (it.key() == "__metadata__") continue;
      if (it.value().at("dtype") != "F32") return Error{path + ": tensor " + it.key() + " is not F32"};
      std::vector<uint64_t> offsets;
      StoredTensor t;
      if (!wholeNumbers(it.value().at("data_offsets"), offsets) ||
          !wholeNumbers(it.value().at("shape"), t.shape)) {
        return Error{path + ": tensor " + it.key() +
                     "'s shape or data_offsets are not lists of non-negative whole numbers"};
      }
      if (offsets.size() != 2 || offsets[0] > offsets[1] || offsets[1] > file.size() - base) {
        return Error{path + ": tensor " + it.key() + " lies outside the file"};
      }
      t.data = file.data() + base + offsets[0];
      t.bytes = offsets[1] - offsets[0];
      out.emplace(it.key(), t);
    }
  } catch (const json::exception& e) {
    return Error{path + ": malformed tensor entry (" + e.what() + ")"};
  }
  return out;
}

}  // namespace pl
