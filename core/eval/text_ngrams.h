#pragma once
// The n-grams of the TF-IDF baseline, following scikit-learn's
// TfidfVectorizer so its figures can be checked there (bench/knn_eval.py
// does): lower-cased text; word tokens match (?u)\b\w\w+\b; `char_wb`
// character n-grams inside each whitespace-separated word padded with one
// space. Unicode is handled without ICU: letters and digits of any script
// count as word characters; lower-casing covers Latin, Greek and Cyrillic.

#include <string>
#include <vector>

namespace pl {

/// Word 1..maxN-grams (joined by one space), in text order.
std::vector<std::string> wordNgrams(const std::string& text, int maxN = 2);

/// Character minN..maxN-grams of each padded word; a padded word shorter than
/// n is emitted once, whole (scikit-learn's char_wb rule).
std::vector<std::string> charWbNgrams(const std::string& text, int minN = 2, int maxN = 4);

/// `text` lower-cased (see above); invalid UTF-8 bytes become U+FFFD.
std::u32string lowerCodePoints(const std::string& text);
std::string toUtf8(const std::u32string& text);

}  // namespace pl
