#include "export/model_import.h"

#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "export/model_export_config.h"
#include "export/safetensors_reader.h"
#include "model/product_model.h"
#include "store/run_store.h"
#include "train/checkpoint.h"
#include "train/fused_adamw.h"
#include "train/pretrain_job.h"

namespace pl {

namespace {

Result<std::string> readFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Error{"cannot read " + path};
  std::stringstream bytes;
  bytes << in.rdbuf();
  return bytes.str();
}

}  // namespace

Result<int64_t> importModel(Project& project, const std::string& dir, const std::string& runName) {
  auto configText = readFile(dir + "/config.json");
  if (!configText) return configText.error();
  const std::string file = dir + "/config.json";
  auto parsed = parseModelExportConfig(*configText, file);
  if (!parsed) return parsed.error();
  const RunConfig& runConfig = parsed->runConfig;
  auto tokenizer = readFile(dir + "/tokenizer.model");
  if (!tokenizer) return tokenizer.error();
  auto weightsFile = readFile(dir + "/model.safetensors");
  if (!weightsFile) return weightsFile.error();
  auto stored = parseSafetensors(*weightsFile, dir + "/model.safetensors");
  if (!stored) return stored.error();

  ProductModel model(runConfig, std::vector<int64_t>{}, parsed->vocabSize);
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
  auto runId = createRun(db, runName, "pretrain", runConfig.toJson());
  if (!runId) return runId.error();
  saveRunTokenizer(db, *runId, *tokenizer);
  FusedAdamW optimizer(model->parameters(), FusedAdamWOptions{});
  TrainingPosition position;
  position.globalRngState = at::detail::getDefaultCPUGenerator().get_state();
  position.maskRngState = at::detail::createCPUGenerator(runConfig.seed + 1).get_state();
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
