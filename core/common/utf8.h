#pragma once
#include <string_view>

namespace pl {

/// True if `text` is well-formed UTF-8 (no overlongs, no surrogates, <= U+10FFFF).
bool isValidUtf8(std::string_view text);

/// Removes leading and trailing ASCII whitespace.
std::string_view trimAscii(std::string_view text);

}  // namespace pl
