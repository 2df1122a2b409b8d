#include "cli/finetune_args.h"

#include "cli/arg_parser.h"

#include <limits>
#include <sstream>

namespace pl::cli {

namespace {

/// --name as a number in (low, high]: the lower end is open (a rate of 0 is no rate).
Status positiveRealOption(const ParsedArgs& args, const char* name, double low, double high, double& out) {
  if (!args.has(name)) return Status::success();
  auto v = args.real(name, low, high);
  if (!v || !(*v > low)) {
    std::ostringstream range;
    range << "in (" << low << ", " << high << "]";
    return Error{"--" + std::string(name) + " must be a number " + range.str() + " (got '" + args.value(name) + "')"};
  }
  out = *v;
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
  FlagReader read(args);
  read.integer("epochs", 1, 100000, o.maxEpochs)
      .integer("patience", 1, 100000, o.patience)
      .integer("batch", 2, 1 << 20, o.batch)
      .integer("threads", 0, 1024, o.threads)
      .integer("seed", 0, std::numeric_limits<int64_t>::max(), o.seed);
  if (!read.ok()) return Error{read.error()};
  for (Status s : {positiveRealOption(args, "lr", 0, 10, o.headLr),
                   positiveRealOption(args, "encoder-lr", 0, 10, o.encoderLr)}) {
    if (!s) return s;
  }
  if (args.has("validation")) {
    auto v = args.real("validation", 0, 1);
    if (!v || *v >= 1) {
      return Error{"--validation must be a share in [0, 1) (got '" + args.value("validation") + "')"};
    }
    o.validationFraction = *v;
  }
  return Status::success();
}

Result<std::vector<double>> parseFractions(const std::string& text, const std::string& option) {
  const std::string usage = "--" + option + " takes fractions in (0, 1], e.g. 0.01,0.1,1";
  std::vector<double> out;
  for (const std::string& part : splitCommaList(text)) {
    auto f = parseReal(part, "--" + option, 0, 1);
    if (!f || !(*f > 0)) return Error{usage + " ('" + part + "' is not one)"};
    out.push_back(*f);
  }
  if (out.empty()) return Error{usage};
  return out;
}

}  // namespace pl::cli
