#include "eval/text_ngrams.h"

#include <cstdint>

namespace pl {

namespace {

char32_t decodeAt(const std::string& s, size_t& i) {
  auto c = static_cast<uint8_t>(s[i]);
  int len = c < 0x80 ? 1 : (c & 0xE0) == 0xC0 ? 2 : (c & 0xF0) == 0xE0 ? 3 : (c & 0xF8) == 0xF0 ? 4 : 0;
  if (len == 0 || i + static_cast<size_t>(len) > s.size()) {
    ++i;
    return 0xFFFD;
  }
  char32_t cp = len == 1 ? c : c & (0x7F >> len);
  for (int k = 1; k < len; ++k) {
    auto b = static_cast<uint8_t>(s[i + static_cast<size_t>(k)]);
    if ((b & 0xC0) != 0x80) {
      ++i;
      return 0xFFFD;
    }
    cp = (cp << 6) | (b & 0x3F);
  }
  i += static_cast<size_t>(len);
  return cp;
}

char32_t lower(char32_t c) {
  if (c >= 'A' && c <= 'Z') return c + 32;
  if (c < 0x80) return c;
  if ((c >= 0xC0 && c <= 0xDE && c != 0xD7)) return c + 32;           // Latin-1
  if (c >= 0x100 && c <= 0x17F && c % 2 == 0 && c != 0x130) return c + 1;  // Latin Extended-A (pairs)
  if (c >= 0x391 && c <= 0x3AB && c != 0x3A2) return c + 32;          // Greek
  if (c >= 0x410 && c <= 0x42F) return c + 32;                         // Cyrillic
  if (c >= 0x400 && c <= 0x40F) return c + 80;
  return c;
}

bool isSpace(char32_t c) {
  return c == ' ' || (c >= '\t' && c <= '\r') || (c >= 0x1C && c <= 0x1F) || c == 0x85 ||
         c == 0xA0 || c == 0x1680 || (c >= 0x2000 && c <= 0x200A) || c == 0x2028 || c == 0x2029 ||
         c == 0x202F || c == 0x205F || c == 0x3000;
}

// \w: letters, digits and underscore. Outside ASCII, everything but spaces,
// Latin-1 symbols and the general/CJK/full-width punctuation blocks.
bool isWordChar(char32_t c) {
  if (c < 0x80) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
  }
  if (isSpace(c)) return false;
  if (c < 0xC0) return c == 0xAA || c == 0xB5 || c == 0xBA || c == 0xB2 || c == 0xB3 || c == 0xB9;
  if (c == 0xD7 || c == 0xF7) return false;
  if (c >= 0x2000 && c <= 0x2BFF) return false;  // punctuation, symbols, arrows, shapes
  if (c >= 0x3000 && c <= 0x303F) return c == 0x3005 || c == 0x3006 || c == 0x3007;  // CJK punctuation
  if (c >= 0xFF00 && c <= 0xFF0F) return false;  // full-width punctuation
  if ((c >= 0xFF1A && c <= 0xFF20) || (c >= 0xFF3B && c <= 0xFF40) || (c >= 0xFF5B && c <= 0xFF65)) {
    return false;
  }
  return c != 0xFFFD;
}

}  // namespace

std::u32string lowerCodePoints(const std::string& text) {
  std::u32string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size();) out.push_back(lower(decodeAt(text, i)));
  return out;
}

std::string toUtf8(const std::u32string& text) {
  std::string out;
  out.reserve(text.size());
  for (char32_t c : text) {
    if (c < 0x80) {
      out.push_back(static_cast<char>(c));
    } else if (c < 0x800) {
      out.push_back(static_cast<char>(0xC0 | (c >> 6)));
      out.push_back(static_cast<char>(0x80 | (c & 0x3F)));
    } else if (c < 0x10000) {
      out.push_back(static_cast<char>(0xE0 | (c >> 12)));
      out.push_back(static_cast<char>(0x80 | ((c >> 6) & 0x3F)));
      out.push_back(static_cast<char>(0x80 | (c & 0x3F)));
    } else {
      out.push_back(static_cast<char>(0xF0 | (c >> 18)));
      out.push_back(static_cast<char>(0x80 | ((c >> 12) & 0x3F)));
      out.push_back(static_cast<char>(0x80 | ((c >> 6) & 0x3F)));
      out.push_back(static_cast<char>(0x80 | (c & 0x3F)));
    }
  }
  return out;
}

std::vector<std::string> wordNgrams(const std::string& text, int maxN) {
  std::u32string s = lowerCodePoints(text);
  std::vector<std::string> words;
  for (size_t i = 0; i < s.size();) {
    if (!isWordChar(s[i])) {
      ++i;
      continue;
    }
    size_t j = i;
    while (j < s.size() && isWordChar(s[j])) ++j;
    if (j - i >= 2) words.push_back(toUtf8(s.substr(i, j - i)));
    i = j;
  }
  std::vector<std::string> grams = words;
  for (int n = 2; n <= maxN; ++n) {
    for (size_t i = 0; i + static_cast<size_t>(n) <= words.size(); ++i) {
      std::string g = words[i];
      for (int k = 1; k < n; ++k) g += " " + words[i + static_cast<size_t>(k)];
      grams.push_back(std::move(g));
    }
  }
  return grams;
}

std::vector<std::string> charWbNgrams(const std::string& text, int minN, int maxN) {
  std::u32string s = lowerCodePoints(text);
  std::vector<std::string> grams;
  for (size_t i = 0; i < s.size();) {
    if (isSpace(s[i])) {
      ++i;
      continue;
    }
    size_t j = i;
    while (j < s.size() && !isSpace(s[j])) ++j;
    std::u32string w = U" " + s.substr(i, j - i) + U" ";
    for (int n = minN; n <= maxN; ++n) {
      auto len = static_cast<size_t>(n);
      if (w.size() <= len) {  // a short word counts once, whole
        grams.push_back(toUtf8(w));
        break;
      }
      for (size_t k = 0; k + len <= w.size(); ++k) grams.push_back(toUtf8(w.substr(k, len)));
    }
    i = j;
  }
  return grams;
}

}  // namespace pl
