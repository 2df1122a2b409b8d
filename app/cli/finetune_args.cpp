#include "cli/finetune_args.h"

#include "cli/arg_parser.h"

#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <sstream>

namespace pl::cli {

namespace {

// A whole number or a finite real, written completely ("3x", "nan", "1e999" are refused).
bool parseReal(const std::string& text, double& out) {
  if (text.empty()) return false;
  char* end = nullptr;
  errno = 0;
  out = std::strtod(text.c_str(), &end);
  return *end == '\0' && errno == 0 && std::isfinite(out);
}

Status intOption(const ParsedArgs& args, const char* name, int low, int high, int& out) {
  if (!args.has(name)) return Status::success();
  double v = 0;
  if (!parseReal(args.value(name), v) || v != std::floor(v) || v < low || v > high) {
    return Error{"--" + std::string(name) + " must be a whole number from " + std::to_string(low) + " to " +
                 std::to_string(high) + " (got '" + args.value(name) + "')"};
  }
  out = static_cast<int>(v);
  return Status::success();
}

Status realOption(const ParsedArgs& args, const char* name, double low, double high, double& out) {
  if (!args.has(name)) return Status::success();
  double v = 0;
  if (!parseReal(args.value(name), v) || !(v > low) || v > high) {
    std::ostringstream range;
    range << "in (" << low << ", " << high << "]";
    return Error{"--" + std::string(name) + " must be a number " + range.str() + " (got '" + args.value(name) + "')"};
  }
  out = v;
  return Status::success();
}

}  // namespace

const std::vector<OptionSpec>& finetuneSettingOptions() {
  static const std::vector<OptionSpec> options = {
      {"epochs", "N", "most epochs (default 30; early stopping usually ends sooner)"},
      {"patience", "N", "epochs without a better validation score before stopping (default 3)"},
      {"batch", "B", "products per batch (default 128)"},
      {"lr", "LR", "learning rate of the classifier head (default 1e-3; scratch: of everything)"},
      {"encoder-lr", "LR", "learning rate of a pretrained encoder in full mode (default 3e-4)"},
      {"validation", "F", "share of the labelled subset kept for early stopping (default 0.1)"},
      {"seed", "S", "random seed (default 42)"},
      {"threads", "T", "LibTorch threads (default 1: OpenBLAS threads the matrix products)"},
  };
  return options;
}

Status applyFinetuneSettings(const ParsedArgs& args, FinetuneOptions& o) {
  for (Status s : {intOption(args, "epochs", 1, 100000, o.maxEpochs), intOption(args, "patience", 1, 100000, o.patience),
                   intOption(args, "batch", 2, 1 << 20, o.batch), intOption(args, "threads", 0, 1024, o.threads),
                   realOption(args, "lr", 0, 10, o.headLr), realOption(args, "encoder-lr", 0, 10, o.encoderLr)}) {
    if (!s) return s;
  }
  if (args.has("validation")) {
    double v = 0;
    if (!parseReal(args.value("validation"), v) || v < 0 || v >= 1) {
      return Error{"--validation must be a share in [0, 1) (got '" + args.value("validation") + "')"};
    }
    o.validationFraction = v;
  }
  if (args.has("seed")) {
    const std::string text = args.value("seed");
    char* end = nullptr;
    errno = 0;
    unsigned long long seed = std::strtoull(text.c_str(), &end, 10);
    if (text.empty() || *end != '\0' || errno != 0 || text[0] == '-') {
      return Error{"--seed must be a whole number (got '" + text + "')"};
    }
    o.seed = seed;
  }
  return Status::success();
}

Result<std::vector<double>> parseFractions(const std::string& text, const std::string& option) {
  std::vector<double> out;
  for (const std::string& part : splitCommaList(text)) {
    double f = 0;
    if (!parseReal(part, f) || !(f > 0 && f <= 1)) {
      return Error{"--" + option + " takes fractions in (0, 1], e.g. 0.01,0.1,1 ('" + part + "' is not one)"};
    }
    out.push_back(f);
  }
  if (out.empty()) return Error{"--" + option + " takes fractions in (0, 1], e.g. 0.01,0.1,1"};
  return out;
}

}  // namespace pl::cli
