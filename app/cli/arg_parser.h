#pragma once
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "common/result.h"

namespace pl::cli {

/// One option of a command: `--name VALUE` (or a flag when valueName is empty).
struct OptionSpec {
  std::string name;
  std::string valueName;
  std::string help;
  bool repeatable = false;
};

/// A command's usage: positional arguments and options.
struct CommandSpec {
  std::string name;
  std::string synopsis;  ///< e.g. "P.plens CATALOG"
  std::string summary;
  std::vector<OptionSpec> options;
  int minPositional = 0;
  int maxPositional = 0;
  std::string helpText() const;
};

/// Parsed command line. `error` is set on bad usage (exit status 2).
struct ParsedArgs {
  std::vector<std::string> positional;
  std::map<std::string, std::vector<std::string>> values;
  bool help = false;
  std::string error;

  bool has(const std::string& name) const { return values.count(name) > 0; }
  std::string value(const std::string& name, const std::string& fallback = "") const;
  const std::vector<std::string>& all(const std::string& name) const;
  /// --name's value as a whole number in [lo, hi]; an error that names the
  /// flag when it is no number, has trailing text or is out of range.
  Result<int64_t> integer(const std::string& name, int64_t lo, int64_t hi) const;
  /// --name's value as a finite number in [lo, hi] (NaN and Inf refused).
  Result<double> real(const std::string& name, double lo, double hi) const;
};

/// `text` as a whole number in [lo, hi], or an error naming `what`.
Result<int64_t> parseInteger(const std::string& text, const std::string& what, int64_t lo, int64_t hi);
/// `text` as a finite number in [lo, hi], or an error naming `what`.
Result<double> parseReal(const std::string& text, const std::string& what, double lo, double hi);

/// Reads optional numeric flags into their targets through ParsedArgs::integer
/// and ParsedArgs::real, keeping the first error (which names its flag):
///   FlagReader read(args);
///   read.integer("k", 1, 1000, k).real("lr", 0, 10, lr);
///   if (!read.ok()) return fail(read.error(), kExitUsage);
/// A flag that is not given leaves its target as it was.
class FlagReader {
 public:
  explicit FlagReader(const ParsedArgs& args) : args_(args) {}
  /// --name as a whole number in [lo, hi] (which must fit T) into `out`.
  template <typename T>
  FlagReader& integer(const std::string& name, int64_t lo, int64_t hi, T& out) {
    if (!args_.has(name) || !ok()) return *this;
    auto v = args_.integer(name, lo, hi);
    if (v) {
      out = static_cast<T>(*v);
    } else {
      error_ = v.error().message;
    }
    return *this;
  }
  /// --name as a finite number in [lo, hi] into `out`.
  FlagReader& real(const std::string& name, double lo, double hi, double& out);
  bool ok() const { return error_.empty(); }
  const std::string& error() const { return error_; }

 private:
  const ParsedArgs& args_;
  std::string error_;
};

/// Parses argv[first..] against `spec`; accepts `--name=value` and `--name value`.
ParsedArgs parseArgs(const CommandSpec& spec, int argc, char** argv, int first);

/// The items of a comma-separated option value ("tfidf,lsa"), empty items skipped.
std::vector<std::string> splitCommaList(const std::string& text);

}  // namespace pl::cli
