#include "train/checkpoint.h"

#include <caffe2/serialize/inline_container.h>

#include <cstdio>
#include <regex>
#include <sstream>
#include <utility>
#include <vector>

#include "common/sha256.h"
#include "store/run_store.h"

namespace pl {

Result<std::string> saveCheckpoint(const std::string& path, ProductModelImpl& model,
                                   FusedAdamW& optimizer,
                                   const TrainingPosition& position) {
  std::ostringstream buffer;
  try {
    torch::serialize::OutputArchive root, modelArchive, optimizerArchive;
    model.save(modelArchive);
    optimizer.save(optimizerArchive);
    root.write("model", modelArchive);
    root.write("optimizer", optimizerArchive);
    root.write("step", torch::tensor(position.step));
    root.write("epoch", torch::tensor(position.epoch));
    root.write("batch_in_epoch", torch::tensor(position.batchInEpoch));
    root.write("elapsed_seconds", torch::tensor(position.elapsedSeconds, torch::kFloat64));
    root.write("global_rng", position.globalRngState);
    root.write("mask_rng", position.maskRngState);
    if (position.negativeQueue.defined()) root.write("negative_queue", position.negativeQueue);
    if (position.neighbourBank.defined()) root.write("neighbour_bank", position.neighbourBank);
    root.save_to(buffer);
  } catch (const c10::Error& e) {
    return Error{"cannot serialise the checkpoint for " + path + ": " + e.what_without_backtrace()};
  }
  std::string bytes = buffer.str();
  if (Status s = writeFileAtomically(path, bytes); !s) return s.error();
  Sha256 sha;
  sha.update(bytes.data(), bytes.size());
  return sha.hexDigest();
}

Result<std::string> saveRunCheckpoint(Database& db, int64_t runId, const std::string& dir,
                                      ProductModelImpl& model, FusedAdamW& optimizer,
                                      const TrainingPosition& position) {
  char name[64];
  std::snprintf(name, sizeof name, "/step-%08lld.pt", static_cast<long long>(position.step));
  const std::string path = dir + name;
  auto sha = saveCheckpoint(path, model, optimizer, position);
  if (!sha) return sha.error();
  recordCheckpoint(db, runId, position.step, path, *sha);
  auto st = db.prepare(
      "SELECT id, path FROM checkpoints WHERE run_id = ? ORDER BY step DESC, id DESC LIMIT -1 OFFSET 2");
  st.bind(1, runId);
  std::vector<std::pair<int64_t, std::string>> old;
  while (st.step()) old.emplace_back(st.int64(0), st.text(1));
  for (const auto& [id, oldPath] : old) {
    if (oldPath != path) std::remove(oldPath.c_str());
    db.prepare("DELETE FROM checkpoints WHERE id = ?").bind(1, id).run();
  }
  return path;
}

namespace {

bool endsWith(const std::string& s, const char* tail) {
  const size_t n = std::char_traits<char>::length(tail);
  return s.size() >= n && s.compare(s.size() - n, n, tail) == 0;
}

// What saveCheckpoint writes in code/: a class per module, declaring its
// parameters, buffers and attributes (tensors and submodules; a name that
// is no identifier, as a ModuleList's "0", goes through __annotations__),
// nothing else.
bool isDeclaration(const std::string& line) {
  static const std::regex allowed(
      R"(|class Module\(Module\):)"
      R"(|  __(parameters|buffers|annotations)__ = \[("[A-Za-z0-9_]+", )*\])"
      R"(|  ([A-Za-z_][A-Za-z0-9_]*|__annotations__\["[A-Za-z0-9_]+"\]) [:=] )"
      R"((Tensor|__torch__(\.___torch_mangle_[0-9]+)?\.Module))");
  return std::regex_match(line, allowed);
}

// A LibTorch archive is a TorchScript module: its code/ records are
// compiled on load and a class's __setstate__ runs while unpickling, with
// ops such as aten::save (writes any file) at hand: a checkpoint can run
// code. saveCheckpoint's archives only declare classes with tensor and
// submodule attributes; anything else (a method, a LibTorch C++ class) is
// refused before LibTorch reads the archive.
Status checkHasNoCode(const std::string& path) {
  try {
    caffe2::serialize::PyTorchStreamReader reader(path);
    for (const auto& name : reader.getAllRecords()) {
      const bool code = endsWith(name, ".py");
      const bool pickle = endsWith(name, "pkl");
      if (!code && !pickle) continue;
      auto [data, size] = reader.getRecord(name);
      const std::string text(static_cast<const char*>(data.get()), size);
      if (pickle && text.find("torch.classes") != std::string::npos) {
        return Error{"checkpoint " + path + " refers to a LibTorch C++ class (" + name +
                     "); ProductLens checkpoints never do, so it was not loaded"};
      }
      if (!code) continue;
      std::istringstream lines(text);
      for (std::string line; std::getline(lines, line);) {
        if (!isDeclaration(line)) {
          return Error{"checkpoint " + path + " carries TorchScript code (" + name + ": '" +
                       line.substr(0, 60) + "'); ProductLens checkpoints never do, so it was not loaded"};
        }
      }
    }
  } catch (const std::exception& e) {
    return Error{"cannot load checkpoint " + path + " (damaged): " + e.what()};
  }
  return Status::success();
}

}  // namespace

Status loadCheckpoint(const std::string& path, const std::string& expectedSha256,
                      ProductModelImpl& model, FusedAdamW* optimizer,
                      TrainingPosition& position) {
  auto actual = sha256File(path);
  if (!actual) return actual.error();
  if (!expectedSha256.empty() && *actual != expectedSha256) {
    return Error{"checkpoint " + path +
                 " is damaged or was replaced (its SHA-256 does not match the project's record)"};
  }
  if (Status s = checkHasNoCode(path); !s) return s;
  // LibTorch reads a parameter by replacing its storage and shape (set_),
  // so a checkpoint could resize one; the fused optimizer and the encoders
  // index parameters by raw pointer. Every tensor must keep the shape and
  // type the model was built with (the model is discarded on failure).
  std::vector<std::pair<std::string, torch::Tensor>> before;
  std::vector<std::pair<std::vector<int64_t>, torch::ScalarType>> layout;
  for (const auto& item : model.named_parameters()) before.emplace_back(item.key(), item.value());
  for (const auto& item : model.named_buffers()) before.emplace_back(item.key(), item.value());
  for (const auto& [name, t] : before) layout.emplace_back(t.sizes().vec(), t.scalar_type());
  try {
    torch::serialize::InputArchive root, modelArchive, optimizerArchive;
    root.load_from(path);
    root.read("model", modelArchive);
    model.load(modelArchive);
    for (size_t i = 0; i < before.size(); ++i) {
      const torch::Tensor& t = before[i].second;
      if (t.sizes().vec() != layout[i].first || t.scalar_type() != layout[i].second || !t.is_contiguous()) {
        return Error{"checkpoint " + path + " does not fit the run's model (tensor '" + before[i].first +
                     "' has another shape or type)"};
      }
    }
    if (optimizer) {
      root.read("optimizer", optimizerArchive);
      optimizer->load(optimizerArchive);
    }
    // A fresh tensor per value: reading into a defined tensor copies into its
    // dtype, and a double read into an int64 tensor came back as garbage.
    auto scalar = [&root](const char* key) {
      torch::Tensor t;
      root.read(key, t);
      return t;
    };
    position.step = scalar("step").item<int64_t>();
    position.epoch = scalar("epoch").item<int64_t>();
    position.batchInEpoch = scalar("batch_in_epoch").item<int64_t>();
    position.elapsedSeconds = scalar("elapsed_seconds").item<double>();
    root.read("global_rng", position.globalRngState);
    root.read("mask_rng", position.maskRngState);
    // Checkpoints from before the banks were saved have none: empty banks.
    auto optional = [&root](const char* key) {
      torch::Tensor t;
      return root.try_read(key, t) ? t : torch::Tensor();
    };
    position.negativeQueue = optional("negative_queue");
    position.neighbourBank = optional("neighbour_bank");
  } catch (const c10::Error& e) {
    return Error{"cannot load checkpoint " + path + ": " + e.what_without_backtrace()};
  } catch (const std::exception& e) {
    // LibTorch's unpickler also throws standard exceptions on a malformed
    // archive (std::out_of_range from a damaged pickle: found by fuzz_checkpoint).
    return Error{"cannot load checkpoint " + path + " (damaged): " + e.what()};
  }
  return Status::success();
}

}  // namespace pl
