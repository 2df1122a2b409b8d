#include "catalog/jsonl_parser.h"

#include <cstring>
#include <nlohmann/json.hpp>

#include "common/utf8.h"

namespace pl {

namespace {

using nlohmann::json;

bool isStringList(const json& v) {
  if (!v.is_array() || v.empty()) return false;
  for (const auto& e : v) {
    if (!e.is_string()) return false;
  }
  return true;
}

std::string joinPath(const json& list) {
  std::string out;
  for (const auto& e : list) {
    if (!out.empty()) out += " > ";
    out += e.get<std::string>();
  }
  return out;
}

std::string flatten(const json& v) {
  if (v.is_null()) return {};
  if (v.is_string()) return v.get<std::string>();
  if (isStringList(v)) return joinPath(v);
  // [["Electronics","Computers"], ...]: the first list is the main path.
  if (v.is_array() && !v.empty() && isStringList(v.front())) return joinPath(v.front());
  return v.dump(-1, ' ', false, json::error_handler_t::replace);
}

}  // namespace

JsonlParser::JsonlParser(std::string_view text) : text_(text) {
  if (text_.size() >= 3 && std::memcmp(text_.data(), "\xEF\xBB\xBF", 3) == 0) pos_ = 3;
  // Pre-scan so the header (and so the field-mapping guess) sees the usual keys.
  size_t savedPos = pos_;
  int64_t savedLine = line_;
  std::string_view line;
  for (int seen = 0; seen < 1000 && nextLine(line);) {
    json obj = json::parse(line, nullptr, false);
    if (!obj.is_object()) continue;
    for (auto it = obj.begin(); it != obj.end(); ++it) columnFor(it.key());
    ++seen;
  }
  pos_ = savedPos;
  line_ = savedLine;
}

bool JsonlParser::nextLine(std::string_view& line) {
  while (pos_ < text_.size()) {
    const char* start = text_.data() + pos_;
    const void* nl = std::memchr(start, '\n', text_.size() - pos_);
    size_t len = nl ? static_cast<const char*>(nl) - start : text_.size() - pos_;
    pos_ += len + (nl ? 1 : 0);
    ++line_;
    line = trimAscii(std::string_view(start, len));
    if (!line.empty()) return true;
  }
  return false;
}

size_t JsonlParser::columnFor(const std::string& key) {
  auto it = index_.find(key);
  if (it != index_.end()) return it->second;
  std::string name = key.empty() ? "column_" + std::to_string(header_.size() + 1) : key;
  size_t col = header_.size();
  header_.push_back(name);
  index_.emplace(key, col);
  return col;
}

ReadOutcome JsonlParser::next(RawRecord& record, std::string& reason) {
  std::string_view line;
  if (!nextLine(line)) return ReadOutcome::End;
  record.line = line_;
  if (!isValidUtf8(line)) {
    reason = "invalid UTF-8";
    return ReadOutcome::Bad;
  }
  json obj = json::parse(line, nullptr, false);
  if (obj.is_discarded()) {
    reason = "not valid JSON";
    return ReadOutcome::Bad;
  }
  if (!obj.is_object()) {
    reason = "expected a JSON object, found " + std::string(obj.type_name());
    return ReadOutcome::Bad;
  }
  record.fields.assign(header_.size(), std::string());
  for (auto it = obj.begin(); it != obj.end(); ++it) {
    size_t col = columnFor(it.key());
    if (col >= record.fields.size()) record.fields.resize(col + 1);
    record.fields[col] = flatten(it.value());
  }
  return ReadOutcome::Record;
}

}  // namespace pl
