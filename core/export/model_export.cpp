#include "export/model_export.h"

#include <sys/stat.h>

#include <cerrno>
#include <cstring>
#include <nlohmann/json.hpp>

#include "common/atomic_file.h"
#include "embed/embedding_matrix.h"
#include "embed/run_model.h"

namespace pl {

namespace {

using nlohmann::json;

std::vector<SafetensorsEntry> modelTensors(torch::nn::Module& model) {
  std::vector<SafetensorsEntry> out;
  auto add = [&out](const std::string& name, const torch::Tensor& t) {
    if (!t.defined()) return;
    auto values = t.detach().to(torch::kFloat32).contiguous();
    SafetensorsEntry e;
    e.name = name;
    e.shape = values.sizes().vec();
    e.values.assign(values.data_ptr<float>(), values.data_ptr<float>() + values.numel());
    out.push_back(std::move(e));
  };
  for (const auto& p : model.named_parameters()) add(p.key(), p.value());
  // BatchNorm's running statistics are part of the model too (num_batches_tracked is a counter, not a weight).
  for (const auto& b : model.named_buffers()) {
    if (b.value().is_floating_point()) add(b.key(), b.value());
  }
  return out;
}

}  // namespace

std::string safetensorsBytes(const std::vector<SafetensorsEntry>& tensors, const std::string& metadataJson) {
  json header = json::object();
  size_t offset = 0;
  for (const auto& t : tensors) {
    const size_t bytes = t.values.size() * sizeof(float);
    header[t.name] = {{"dtype", "F32"}, {"shape", t.shape}, {"data_offsets", {offset, offset + bytes}}};
    offset += bytes;
  }
  json metadata = json::parse(metadataJson, nullptr, false);
  if (metadata.is_object() && !metadata.empty()) {
    // safetensors metadata maps strings to strings.
    json strings = json::object();
    for (auto it = metadata.begin(); it != metadata.end(); ++it) {
      strings[it.key()] = it.value().is_string() ? it.value().get<std::string>() : it.value().dump();
    }
    header["__metadata__"] = strings;
  }
  std::string text = header.dump();
  text.append((8 - text.size() % 8) % 8, ' ');
  std::string out(8, '\0');
  const uint64_t length = text.size();
  for (int i = 0; i < 8; ++i) out[i] = static_cast<char>((length >> (8 * i)) & 0xFF);
  out += text;
  out.reserve(out.size() + offset);
  for (const auto& t : tensors) {
    out.append(reinterpret_cast<const char*>(t.values.data()), t.values.size() * sizeof(float));
  }
  return out;
}

Result<ModelExportReport> exportModel(Project& project, const std::string& runName, const std::string& dir,
                                      int examples) {
  auto loaded = loadRunModel(project, runName);
  if (!loaded) return loaded.error();
  if (::mkdir(dir.c_str(), 0755) != 0 && errno != EEXIST) {
    return Error{"cannot create " + dir + ": " + std::strerror(errno)};
  }
  ModelExportReport report;
  report.warning = loaded->checkpointWarning;
  auto tensors = modelTensors(*loaded->model);
  json names = json::array();
  for (const auto& t : tensors) {
    names.push_back(t.name);
    report.parameters += static_cast<int64_t>(t.values.size());
  }
  report.tensors = static_cast<int64_t>(tensors.size());
  json config;
  config["productlens_format"] = 1;
  config["run"] = runName;
  config["run_config"] = json::parse(loaded->config.toJson());
  config["tokenizer_vocab_size"] = loaded->tokenizer.vocabSize();
  config["attribute_cardinalities"] = loaded->attributeCardinalities;
  config["tensors"] = names;
  config["special_tokens"] = {{"pad", 0}, {"cls", Tokenizer::kCls}, {"sep", Tokenizer::kSep}, {"mask", Tokenizer::kMask}};
  const std::string files[] = {dir + "/model.safetensors", dir + "/config.json", dir + "/tokenizer.model",
                               dir + "/examples.jsonl"};
  if (Status s = writeFileAtomically(files[0], safetensorsBytes(tensors, json{{"format", "pt"}}.dump())); !s) {
    return s.error();
  }
  if (Status s = writeFileAtomically(files[1], config.dump(2) + "\n"); !s) return s.error();
  if (Status s = writeFileAtomically(files[2], loaded->tokenizer.serialized()); !s) return s.error();
  report.files = {files[0], files[1], files[2]};

  // Inputs and outputs of the first embedded products, for reimplementations
  // to check themselves against.
  auto matrix = loadEmbeddingMatrix(project.db(), loaded->run.id, runName);
  if (matrix && examples > 0) {
    auto read = loadProductCorpus(project.db(), loaded->config, loaded->tokenizer);
    if (!read) return read.error();
    std::string lines;
    for (size_t i = 0; i < read->size() && report.examples < examples; ++i) {
      const int64_t row = matrix->indexOf(read->rowIds[i]);
      if (row < 0) continue;
      json line;
      line["product_id"] = read->rowIds[i];
      line["token_ids"] = read->tokens[i];
      std::vector<int32_t> codes;
      for (const auto& column : read->attributes) codes.push_back(column.codes[i]);
      line["attribute_codes"] = codes;
      line["embedding"] = std::vector<float>(matrix->row(row), matrix->row(row) + matrix->dim);
      lines += line.dump() + "\n";
      ++report.examples;
    }
    if (Status s = writeFileAtomically(files[3], lines); !s) return s.error();
    report.files.push_back(files[3]);
  }
  return report;
}

}  // namespace pl
