#include "cli/arg_parser.h"

#include <cstdlib>

#include <cmath>

#include <cerrno>

#include <sstream>

namespace pl::cli {

std::string CommandSpec::helpText() const {
  std::ostringstream out;
  out << "usage: productlens-cli " << name << " " << synopsis << "\n\n" << summary << "\n";
  if (!options.empty()) out << "\noptions:\n";
  for (const auto& o : options) {
    std::string left = "--" + o.name + (o.valueName.empty() ? "" : " " + o.valueName);
    out << "  " << left;
    out << std::string(left.size() < 28 ? 28 - left.size() : 1, ' ') << o.help << "\n";
  }
  out << "  --help" << std::string(22, ' ') << "show this help\n";
  return out.str();
}

std::string ParsedArgs::value(const std::string& name, const std::string& fallback) const {
  auto it = values.find(name);
  return it == values.end() || it->second.empty() ? fallback : it->second.back();
}

Result<int64_t> parseInteger(const std::string& text, const std::string& what, int64_t lo, int64_t hi) {
  errno = 0;
  char* end = nullptr;
  const long long v = std::strtoll(text.c_str(), &end, 10);
  if (text.empty() || end == text.c_str() || *end != '\0' || errno == ERANGE || v < lo || v > hi) {
    return Error{what + " must be a whole number from " + std::to_string(lo) + " to " + std::to_string(hi) +
                 " (got '" + text + "')"};
  }
  return static_cast<int64_t>(v);
}

Result<double> parseReal(const std::string& text, const std::string& what, double lo, double hi) {
  char* end = nullptr;
  const double v = std::strtod(text.c_str(), &end);
  if (text.empty() || end == text.c_str() || *end != '\0' || !std::isfinite(v) || v < lo || v > hi) {
    std::ostringstream range;
    range << lo << " to " << hi;
    return Error{what + " must be a number from " + range.str() + " (got '" + text + "')"};
  }
  return v;
}

Result<int64_t> ParsedArgs::integer(const std::string& name, int64_t lo, int64_t hi) const {
  return parseInteger(value(name), "--" + name, lo, hi);
}

Result<double> ParsedArgs::real(const std::string& name, double lo, double hi) const {
  return parseReal(value(name), "--" + name, lo, hi);
}

FlagReader& FlagReader::real(const std::string& name, double lo, double hi, double& out) {
  if (!args_.has(name) || !ok()) return *this;
  auto v = args_.real(name, lo, hi);
  if (v) {
    out = *v;
  } else {
    error_ = v.error().message;
  }
  return *this;
}

const std::vector<std::string>& ParsedArgs::all(const std::string& name) const {
  static const std::vector<std::string> none;
  auto it = values.find(name);
  return it == values.end() ? none : it->second;
}

ParsedArgs parseArgs(const CommandSpec& spec, int argc, char** argv, int first) {
  ParsedArgs args;
  for (int i = first; i < argc; ++i) {
    std::string arg = argv[i];
    if (arg == "--help" || arg == "-h") {
      args.help = true;
      return args;
    }
    if (arg.rfind("--", 0) != 0 || arg == "--") {
      args.positional.push_back(arg);
      continue;
    }
    std::string name = arg.substr(2);
    std::optional<std::string> inlineValue;
    if (auto eq = name.find('='); eq != std::string::npos) {
      inlineValue = name.substr(eq + 1);
      name = name.substr(0, eq);
    }
    const OptionSpec* opt = nullptr;
    for (const auto& o : spec.options) {
      if (o.name == name) opt = &o;
    }
    if (!opt) {
      args.error = "unknown option --" + name + " for '" + spec.name + "'";
      return args;
    }
    if (!opt->repeatable && args.has(name)) {
      args.error = "--" + name + " given twice";
      return args;
    }
    if (opt->valueName.empty()) {
      args.values[name].push_back("1");
    } else if (inlineValue) {
      args.values[name].push_back(*inlineValue);
    } else if (i + 1 < argc) {
      args.values[name].push_back(argv[++i]);
    } else {
      args.error = "--" + name + " needs a value (" + opt->valueName + ")";
      return args;
    }
  }
  int n = static_cast<int>(args.positional.size());
  if (n < spec.minPositional) {
    args.error = "missing arguments: " + spec.synopsis;
  } else if (n > spec.maxPositional) {
    args.error = "unexpected argument '" + args.positional[spec.maxPositional] + "'";
  }
  return args;
}

std::vector<std::string> splitCommaList(const std::string& text) {
  std::vector<std::string> parts;
  std::stringstream in(text);
  for (std::string part; std::getline(in, part, ',');) {
    if (!part.empty()) parts.push_back(part);
  }
  return parts;
}

}  // namespace pl::cli
