#pragma once
#include <string>

namespace pl {

/// One CSV field per RFC 4180: a field with a comma, quote or line break is
/// quoted, quotes doubled; any other field is written as it is.
inline std::string csvField(const std::string& text) {
  if (text.find_first_of(",\"\r\n") == std::string::npos) return text;
  std::string quoted = "\"";
  for (char c : text) {
    if (c == '"') quoted += '"';
    quoted += c;
  }
  return quoted + "\"";
}

}  // namespace pl
