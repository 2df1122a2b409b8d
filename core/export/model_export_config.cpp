#include "export/model_export_config.h"

#include <nlohmann/json.hpp>

namespace pl {

namespace {

using nlohmann::json;

// An integer field of config.json; a missing key gives `fallback`, a value of
// another type or out of range an error naming the file and the key (a
// wrongly typed value used to escape as nlohmann's type_error and abort).
Result<int64_t> configInteger(const json& config, const std::string& key, int64_t fallback,
                              const std::string& file, int64_t lo, int64_t hi) {
  if (!config.contains(key)) return fallback;
  const json& v = config[key];
  if (!v.is_number_integer() || v.get<int64_t>() < lo || v.get<int64_t>() > hi) {
    return Error{file + ": '" + key + "' must be a whole number from " + std::to_string(lo) + " to " +
                 std::to_string(hi)};
  }
  return v.get<int64_t>();
}

}  // namespace

Result<ModelExportConfig> parseModelExportConfig(const std::string& text, const std::string& file) {
  json config = json::parse(text, nullptr, false);
  if (!config.is_object() || !config.contains("run_config") || !config["run_config"].is_object()) {
    return Error{file + " is not a ProductLens model export (productlens_format 1)"};
  }
  auto format = configInteger(config, "productlens_format", 0, file, 0, 1000);
  if (!format || *format != 1) return Error{file + " is not a ProductLens model export (productlens_format 1)"};
  auto vocabSize = configInteger(config, "tokenizer_vocab_size", 0, file, 16, 1 << 22);
  if (!vocabSize) return vocabSize.error();
  if (*vocabSize == 0) return Error{file + " has no tokenizer_vocab_size"};
  auto runConfig = RunConfig::fromJson(config["run_config"].dump(), file);
  if (!runConfig) return runConfig.error();
  // The same checks as a run started here: a crafted config must not build
  // a model of absurd size or with settings no run could have.
  if (Status valid = runConfig->validate(true); !valid) return Error{file + ": " + valid.error().message};
  if (!runConfig->attributeInputs().empty()) {
    return Error{"the model reads attribute inputs, whose value vocabularies belong to the catalog it was "
                 "trained on; only models of text and pictures can be applied to another project"};
  }
  ModelExportConfig out;
  out.runConfig = std::move(*runConfig);
  out.vocabSize = *vocabSize;
  return out;
}

}  // namespace pl
