#include "catalog/csv_parser.h"

#include <cstring>
#include <set>

#include "common/utf8.h"

namespace pl {

std::vector<std::string> normaliseHeader(std::vector<std::string> names) {
  std::set<std::string> seen;
  for (size_t i = 0; i < names.size(); ++i) {
    std::string name(trimAscii(names[i]));
    if (name.empty()) name = "column_" + std::to_string(i + 1);
    std::string unique = name;
    for (int k = 2; seen.count(unique); ++k) unique = name + "_" + std::to_string(k);
    seen.insert(unique);
    names[i] = unique;
  }
  return names;
}

char CsvParser::sniffDelimiter(std::string_view text) {
  const char candidates[] = {',', '\t', ';', '|'};
  size_t counts[4] = {0, 0, 0, 0};
  bool quoted = false;
  for (char c : text) {
    if (c == '"') quoted = !quoted;
    if (quoted) continue;
    if (c == '\n') break;
    for (int k = 0; k < 4; ++k) counts[k] += c == candidates[k];
  }
  int best = 0;
  for (int k = 1; k < 4; ++k) {
    if (counts[k] > counts[best]) best = k;
  }
  return candidates[best];
}

CsvParser::CsvParser(std::string_view text, char delimiter) : text_(text) {
  if (text_.size() >= 3 && std::memcmp(text_.data(), "\xEF\xBB\xBF", 3) == 0) pos_ = 3;
  delim_ = delimiter ? delimiter : sniffDelimiter(text_.substr(pos_));
  std::vector<std::string> names;
  int64_t line = 0;
  std::string reason;
  while (pos_ < text_.size()) {
    ReadOutcome r = parseRecord(names, line, reason);
    if (r == ReadOutcome::Record && !(names.size() == 1 && names[0].empty())) break;
    names.clear();
  }
  header_ = normaliseHeader(std::move(names));
}

void CsvParser::skipRestOfLine() {
  const void* nl = std::memchr(text_.data() + pos_, '\n', text_.size() - pos_);
  pos_ = nl ? static_cast<const char*>(nl) - text_.data() + 1 : text_.size();
  ++line_;
}

CsvParser::FieldEnd CsvParser::parseUnquoted(std::string& out) {
  const char* data = text_.data();
  size_t start = pos_;
  size_t n = text_.size();
  while (pos_ < n) {
    char c = data[pos_];
    if (c == delim_) {
      out.assign(data + start, pos_ - start);
      ++pos_;
      return FieldEnd::Delimiter;
    }
    if (c == '\n' || c == '\r') break;
    ++pos_;
  }
  out.assign(data + start, pos_ - start);
  if (pos_ < n && data[pos_] == '\r') ++pos_;
  if (pos_ < n && data[pos_] == '\n') ++pos_;
  ++line_;
  return FieldEnd::RecordEnd;
}

CsvParser::FieldEnd CsvParser::parseQuoted(std::string& out, std::string& reason) {
  const char* data = text_.data();
  size_t n = text_.size();
  ++pos_;  // opening quote
  out.clear();
  for (;;) {
    const void* q = std::memchr(data + pos_, '"', n - pos_);
    if (!q) {
      reason = "unterminated quoted field";
      return FieldEnd::Error;
    }
    size_t qpos = static_cast<const char*>(q) - data;
    for (size_t i = pos_; i < qpos; ++i) line_ += data[i] == '\n';
    out.append(data + pos_, qpos - pos_);
    pos_ = qpos + 1;
    if (pos_ < n && data[pos_] == '"') {  // doubled quote
      out.push_back('"');
      ++pos_;
      continue;
    }
    break;
  }
  if (pos_ >= n) {
    ++line_;
    return FieldEnd::RecordEnd;
  }
  char c = data[pos_];
  if (c == delim_) {
    ++pos_;
    return FieldEnd::Delimiter;
  }
  if (c == '\r' && pos_ + 1 < n && data[pos_ + 1] == '\n') ++pos_;
  if (data[pos_] == '\n' || data[pos_] == '\r') {
    ++pos_;
    ++line_;
    return FieldEnd::RecordEnd;
  }
  reason = "unexpected text after a closing quote";
  return FieldEnd::Error;
}

ReadOutcome CsvParser::parseRecord(std::vector<std::string>& fields, int64_t& line,
                                   std::string& reason) {
  fields.clear();
  if (pos_ >= text_.size()) return ReadOutcome::End;
  line = line_;
  const size_t recordStart = pos_;
  std::string value;
  for (;;) {
    FieldEnd end;
    if (pos_ < text_.size() && text_[pos_] == '"') {
      end = parseQuoted(value, reason);
    } else {
      end = parseUnquoted(value);
    }
    if (end == FieldEnd::Error) {
      reason += " in field " + std::to_string(fields.size() + 1);
      // Resume on the line after the record's first line: the rest of the
      // file is not lost to one broken quote.
      pos_ = recordStart;
      line_ = line;
      skipRestOfLine();
      return ReadOutcome::Bad;
    }
    fields.push_back(std::move(value));
    value.clear();
    if (end == FieldEnd::RecordEnd) return ReadOutcome::Record;
    if (pos_ >= text_.size()) {  // delimiter was the last byte: one more empty field
      fields.emplace_back();
      ++line_;
      return ReadOutcome::Record;
    }
  }
}

ReadOutcome CsvParser::next(RawRecord& record, std::string& reason) {
  for (;;) {
    ReadOutcome r = parseRecord(record.fields, record.line, reason);
    if (r != ReadOutcome::Record) return r;
    if (record.fields.size() == 1 && record.fields[0].empty()) continue;  // blank line
    if (record.fields.size() != header_.size()) {
      reason = "expected " + std::to_string(header_.size()) + " fields, found " +
               std::to_string(record.fields.size());
      return ReadOutcome::Bad;
    }
    return ReadOutcome::Record;
  }
}

}  // namespace pl
