// The three files `import-model` reads from a folder someone else wrote
// (export/model_import.h), each through the reader the importer uses.
// Byte 0 modulo 3 picks the file:
//   0: config.json through parseModelExportConfig (format, vocabulary size,
//      the run config and its validation, no attribute inputs);
//   1: model.safetensors through parseSafetensors, then per tensor the
//      importer's shape / byte-count check, and every byte of each tensor
//      read (the pointers must lie inside the file);
//   2: tokenizer.model through Tokenizer::load (SentencePiece in its own
//      link-map namespace), then a few strings encoded and decoded when it
//      loads.
// The rest of the input is the file. Each must end in an error message or a
// value, never a crash. SentencePiece is not instrumented: for selector 2
// the coverage counts our side (the special-id checks, word starts) only.
#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <limits>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "export/model_export_config.h"
#include "export/safetensors_reader.h"
#include "fuzz_support.h"
#include "fuzz_tokenizer_seed.h"
#include "text/tokenizer.h"
#include "train/run_config.h"

namespace {

using nlohmann::json;

volatile unsigned gSink;  // keeps the byte reads from being optimised away

void fuzzConfig(const std::string& text) {
  auto parsed = pl::parseModelExportConfig(text, "config.json");
  if (!parsed) return;
  // What the importer relies on after a successful parse.
  if (parsed->vocabSize < 16 || parsed->vocabSize > (1 << 22)) __builtin_trap();
  if (!parsed->runConfig.attributeInputs().empty()) __builtin_trap();
}

// shape's element count times 4, or false when it is negative or overflows.
bool byteCount(const std::vector<int64_t>& shape, uint64_t& bytes) {
  uint64_t n = 1;
  for (int64_t d : shape) {
    if (d < 0) return false;
    const auto u = static_cast<uint64_t>(d);
    if (u != 0 && n > std::numeric_limits<uint64_t>::max() / u) return false;
    n *= u;
  }
  if (n > std::numeric_limits<uint64_t>::max() / sizeof(float)) return false;
  bytes = n * sizeof(float);
  return true;
}

void fuzzSafetensors(const std::string& file) {
  auto stored = pl::parseSafetensors(file, "model.safetensors");
  if (!stored) return;
  for (const auto& entry : *stored) {
    const pl::StoredTensor& t = entry.second;
    // The promise: [data, data + bytes) lies inside the file after the header.
    if (t.bytes > 0 && (t.data < file.data() + 8 || t.data + t.bytes > file.data() + file.size())) {
      __builtin_trap();
    }
    unsigned sum = 0;
    for (size_t i = 0; i < t.bytes; ++i) sum += static_cast<unsigned char>(t.data[i]);
    // The importer's check before copying: the byte count is the shape's.
    uint64_t bytes = 0;
    if (byteCount(t.shape, bytes) && bytes == t.bytes && bytes > 0) {
      std::vector<float> values(t.bytes / sizeof(float));
      std::memcpy(values.data(), t.data, t.bytes);
      sum += static_cast<unsigned>(values.size());
    }
    gSink = sum;
  }
}

std::string tokenizerPath() { return pl::fuzz::scratchDir() + "/tokenizer.model"; }

void fuzzTokenizer(const uint8_t* data, size_t size) {
  const std::string path = tokenizerPath();
  pl::fuzz::writeBytes(path, data, size);
  auto tokenizer = pl::Tokenizer::load(path);
  unlink(path.c_str());
  if (!tokenizer) return;
  unsigned sum = static_cast<unsigned>(tokenizer->vocabSize());
  for (const char* text : {"Red cotton shirt, size 42", "\xE7\xBA\xA2\xE8\x89\xB2 T\xE6\x81\xA4 XL", ""}) {
    std::vector<bool> starts;
    auto ids = tokenizer->encode(text, starts, 48);
    if (starts.size() != ids.size()) __builtin_trap();
    for (int id : ids) {
      if (id < 0 || id >= tokenizer->vocabSize()) __builtin_trap();
      sum += static_cast<unsigned>(id);
    }
    sum += static_cast<unsigned>(tokenizer->decode(ids).size());
  }
  gSink = sum;
}

// --- seeds -----------------------------------------------------------------

// The layout of model_export.cpp's safetensorsBytes (not linked here: it
// lives with the LibTorch exporter): header length, JSON header padded with
// spaces to a multiple of 8, then the float32 data in header order.
std::string safetensors(const std::vector<std::pair<std::string, std::vector<int64_t>>>& tensors) {
  json header = json::object();
  std::string data;
  float next = 0.25f;
  for (const auto& [name, shape] : tensors) {
    size_t count = 1;
    for (int64_t d : shape) count *= static_cast<size_t>(d);
    const size_t offset = data.size();
    for (size_t i = 0; i < count; ++i, next = -next * 0.75f) {
      data.append(reinterpret_cast<const char*>(&next), sizeof next);
    }
    header[name] = {{"dtype", "F32"}, {"shape", shape}, {"data_offsets", {offset, data.size()}}};
  }
  header["__metadata__"] = {{"format", "pt"}};
  std::string text = header.dump();
  text.append((8 - text.size() % 8) % 8, ' ');
  std::string out(8, '\0');
  const uint64_t length = text.size();
  for (int i = 0; i < 8; ++i) out[static_cast<size_t>(i)] = static_cast<char>((length >> (8 * i)) & 0xFF);
  return out + text + data;
}

// config.json as exportModel writes it.
std::string exportConfig(const pl::RunConfig& c, int vocabSize, const std::vector<std::string>& tensors) {
  json config;
  config["productlens_format"] = 1;
  config["run"] = "ssl";
  config["run_config"] = json::parse(c.toJson());
  config["tokenizer_vocab_size"] = vocabSize;
  config["attribute_cardinalities"] = json::array();
  config["tensors"] = tensors;
  config["special_tokens"] = {{"pad", 0}, {"cls", 2}, {"sep", 3}, {"mask", 4}};
  return config.dump(2) + "\n";
}

void writeSeeds() {
  // config.json: the default recipe and a small transformer with MLM.
  pl::RunConfig bow;
  bow.dim = 16;
  bow.embeddingDim = 8;
  bow.vocabSize = 64;
  pl::RunConfig transformer = bow;
  transformer.encoder = "text-transformer";
  transformer.layers = 1;
  transformer.heads = 2;
  transformer.objectives = {{"mlm", 1.0}, {"contrastive", 0.5}};
  transformer.inputs = {"title", "description"};
  const std::vector<std::pair<std::string, std::vector<int64_t>>> tensors = {
      {"text.embedding.weight", {64, 16}}, {"fusion.weight", {8, 16}}, {"fusion.bias", {8}}};
  std::vector<std::string> names;
  for (const auto& t : tensors) names.push_back(t.first);
  for (const auto& [name, config] : {std::pair{"bow", bow}, std::pair{"transformer", transformer}}) {
    const std::string text = exportConfig(config, 64, names);
    if (!pl::parseModelExportConfig(text, "seed")) {
      std::fprintf(stderr, "the seed config.json '%s' does not parse\n", name);
      std::abort();
    }
    pl::fuzz::writeSeed(std::string("config-") + name + ".json", '\0' + text);
  }
  // model.safetensors: three tensors, and an empty file (header only).
  pl::fuzz::writeSeed("model.safetensors", '\1' + safetensors(tensors));
  pl::fuzz::writeSeed("empty.safetensors", '\1' + safetensors({}));
  // tokenizer.model: trained here, and the same without the NFKC table.
  const auto [model, small] = pl::fuzz::seedTokenizers(tokenizerPath());
  pl::fuzz::writeSeed("tokenizer-identity.model", '\2' + small);
  pl::fuzz::writeSeed("tokenizer-nfkc-cf.model", '\2' + model);
  pl::fuzz::writeSeed("regression-charsmap-offset.model", '\2' + pl::fuzz::withDamagedCharsmap(small));
  pl::fuzz::writeSeed("regression-nul-piece.model", '\2' + pl::fuzz::withNulPiece(small));
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  if (!pl::fuzz::seedFolder()) return 0;
  writeSeeds();
  std::exit(0);
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 1) return 0;
  const std::string rest(reinterpret_cast<const char*>(data + 1), size - 1);
  switch (data[0] % 3) {
    case 0:
      fuzzConfig(rest);
      break;
    case 1:
      fuzzSafetensors(rest);
      break;
    default:
      fuzzTokenizer(data + 1, size - 1);
      break;
  }
  return 0;
}
