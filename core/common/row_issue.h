#pragma once
#include <cstdint>
#include <string>

namespace pl {

/// One refused input row: where it is and why.
struct RowIssue {
  std::string file;
  int64_t line = 0;
  std::string field;
  std::string reason;
  /// "file:line: field 'x': reason" — the form the CLI prints and the GUI lists.
  std::string describe() const {
    std::string out = file + ":" + std::to_string(line) + ": ";
    if (!field.empty()) out += "field '" + field + "': ";
    return out + reason;
  }
};

}  // namespace pl
