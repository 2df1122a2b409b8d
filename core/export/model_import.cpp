#include "export/model_import.h"

#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>

#include "model/product_model.h"
#include "store/run_store.h"
#include "train/checkpoint.h"
#include "train/fused_adamw.h"
#include "train/pretrain_job.h"

namespace pl {

namespace {

using nlohmann::json;

Result<std::string> readFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Error{"cannot read " + path};
  std::stringstream bytes;
  bytes << in.rdbuf();
  return bytes.str();
}

struct StoredTensor {
  std::vector<int64_t> shape;
  const char* data = nullptr;
  size_t bytes = 0;
};

// The safetensors layout written by export (model_export.h), checked as it is read.
Result<std::map<std::string, StoredTensor>> parseSafetensors(const std::string& file, const std::string& path) {
  if (file.size() < 8) return Error{path + " is too short to be a safetensors file"};
  uint64_t length = 0;
  for (int i = 7; i >= 0; --i) length = (length << 8) | static_cast<uint8_t>(file[static_cast<size_t>(i)]);
  if (length > file.size() - 8) return Error{path + ": the header length runs past the end of the file"};
  json header = json::parse(file.substr(8, length), nullptr, false);
  if (!header.is_object()) return Error{path + ": the header is not a JSON object"};
  std::map<std::string, StoredTensor> out;
  const size_t base = 8 + length;
  try {
    for (auto it = header.begin(); it != header.end(); ++it) {
      if (it.key() == "__metadata__") continue;
      if (it.value().at("dtype") != "F32") return Error{path + ": tensor " + it.key() + " is not F32"};
      auto offsets = it.value().at("data_offsets").get<std::vector<uint64_t>>();
      if (offsets.size() != 2 || offsets[0] > offsets[1] || offsets[1] > file.size() - base) {
        return Error{path + ": tensor " + it.key() + " lies outside the file"};
      }
      StoredTensor t;
      t.shape = it.value().at("shape").get<std::vector<int64_t>>();
      t.data = file.data() + base + offsets[0];
      t.bytes = offsets[1] - offsets[0];
      out.emplace(it.key(), t);
    }
  } catch (const json::exception& e) {
    return Error{path + ": malformed tensor entry (" + e.what() + ")"};
  }
  return out;
}

}  // namespace

namespace {

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

Result<int64_t> importModel(Project& project, const std::string& dir, const std::string& runName) {
  auto configText = readFile(dir + "/config.json");
  if (!configText) return configText.error();
  const std::string file = dir + "/config.json";
  json config = json::parse(*configText, nullptr, false);
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
  auto tokenizer = readFile(dir + "/tokenizer.model");
  if (!tokenizer) return tokenizer.error();
  auto weightsFile = readFile(dir + "/model.safetensors");
  if (!weightsFile) return weightsFile.error();
  auto stored = parseSafetensors(*weightsFile, dir + "/model.safetensors");
  if (!stored) return stored.error();

  ProductModel model(*runConfig, std::vector<int64_t>{}, *vocabSize);
  {
    torch::NoGradGuard noGrad;
    auto load = [&](const std::string& name, torch::Tensor target) -> Status {
      auto it = stored->find(name);
      if (it == stored->end()) return Error{dir + "/model.safetensors has no tensor " + name};
      if (it->second.shape != target.sizes().vec() || it->second.bytes != target.numel() * sizeof(float)) {
        return Error{dir + "/model.safetensors: tensor " + name + " has another shape than the config gives"};
      }
      auto values = torch::empty(target.sizes(), torch::kFloat32);
      std::memcpy(values.data_ptr<float>(), it->second.data, it->second.bytes);
      target.copy_(values);
      return Status::success();
    };
    for (const auto& p : model->named_parameters()) {
      if (Status s = load(p.key(), p.value()); !s) return s.error();
    }
    for (const auto& b : model->named_buffers()) {
      if (!b.value().is_floating_point()) continue;
      if (Status s = load(b.key(), b.value()); !s) return s.error();
    }
  }

  Database& db = project.db();
  auto runId = createRun(db, runName, "pretrain", runConfig->toJson());
  if (!runId) return runId.error();
  saveRunTokenizer(db, *runId, *tokenizer);
  FusedAdamW optimizer(model->parameters(), FusedAdamWOptions{});
  TrainingPosition position;
  position.globalRngState = at::detail::getDefaultCPUGenerator().get_state();
  position.maskRngState = at::detail::createCPUGenerator(runConfig->seed + 1).get_state();
  const std::string runDir = defaultRunDirectory(project.path(), runName);
  std::error_code fsError;
  std::filesystem::create_directories(runDir, fsError);
  if (fsError) return Error{"cannot create folder " + runDir + ": " + fsError.message()};
  auto saved = saveRunCheckpoint(db, *runId, runDir, *model, optimizer, position);
  if (!saved) return saved.error();
  updateRunProgress(db, *runId, "finished", "imported from " + dir, 0, 0, 0);
  return *runId;
}

}  // namespace pl
