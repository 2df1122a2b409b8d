#include "train/checkpoint.h"

#include <caffe2/serialize/inline_container.h>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <regex>
#include <set>
#include <sstream>
#include <utility>
#include <vector>

#include "common/sha256.h"
#include "store/project_paths.h"
#include "store/run_store.h"
#include "store/synchronous_commits.h"

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
  // A run saves twice at one step when it ends (or is stopped) on a
  // checkpoint step, and a resumed run that had already ended saves its last
  // step again. Rewriting that file would leave the recorded SHA-256 of the
  // same path stale (and, killed before the new row, the newest checkpoint
  // refused as damaged): the state of a step is already saved, keep it.
  if (auto newest = latestCheckpoint(db, runId); newest && newest->step == position.step) {
    return newest->path;
  }
  char name[64];
  std::snprintf(name, sizeof name, "/step-%08lld.pt", static_cast<long long>(position.step));
  const std::string path = dir + name;
  auto sha = saveCheckpoint(path, model, optimizer, position);
  if (!sha) return sha.error();
  // The new row and the forgetting of old ones commit together, and old
  // files go only after that: a kill in between leaves an unlisted file,
  // never a listed checkpoint whose file is gone.
  std::vector<std::string> doomed;
  // The project runs with synchronous = NORMAL (WAL), where a power cut may
  // lose the last commits even though they returned. Deleting an old file
  // must wait until the row that replaces it is on disk: this transaction
  // alone is synchronous (FULL syncs the WAL at commit).
  SynchronousCommits durable(db);
  db.exec("SAVEPOINT save_checkpoint");
  try {
    recordCheckpoint(db, runId, position.step, path, *sha);
    auto st = db.prepare("SELECT id, path FROM checkpoints WHERE run_id = ? ORDER BY step DESC, id DESC");
    st.bind(1, runId);
    std::vector<std::pair<int64_t, std::string>> rows;
    while (st.step()) rows.emplace_back(st.int64(0), st.text(1));
    for (size_t k = 2; k < rows.size(); ++k) {
      const std::string& oldPath = rows[k].second;
      if (oldPath != rows[0].second && oldPath != rows[1].second) doomed.push_back(oldPath);
      db.prepare("DELETE FROM checkpoints WHERE id = ?").bind(1, rows[k].first).run();
    }
    db.exec("RELEASE save_checkpoint");
  } catch (...) {
    db.exec("ROLLBACK TO save_checkpoint");
    db.exec("RELEASE save_checkpoint");
    throw;
  }
  for (const auto& oldPath : doomed) {
    // Only files inside the project's folder: a crafted row must not make
    // pruning delete a file anywhere else.
    if (auto file = resolveStoredPath(db, oldPath, "an old checkpoint of run " + std::to_string(runId))) {
      std::remove(file->c_str());
    }
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

// The classes a pickle may name (GLOBAL): the archive's own module classes
// (declared in its code/), and the few LibTorch rebuilds tensors with.
bool allowedGlobal(const std::string& module, const std::string& name,
                   const std::set<std::string>& declared) {
  static const std::regex rebuild(
      R"(collections OrderedDict|torch [A-Za-z0-9]+Storage|torch\._utils _rebuild_tensor_v2)"
      R"(|torch\.jit\._pickle build_[a-z]+list)");
  return (name == "Module" && declared.count(module)) || std::regex_match(module + " " + name, rebuild);
}

// Walks a pickle's opcodes (protocols 0 to 5) and accepts it only when every
// argument lies within the record, every class it names is allowed, and it
// ends with STOP; an opcode it does not know, or one that takes a class from
// the stack (STACK_GLOBAL, INST, OBJ), is refused. LibTorch's unpickler
// allocates and zero-fills the length a string claims before reading it (a
// damaged 30 KB checkpoint made it touch 4 GiB), sizes its memo by the
// largest index put (25 GB asked), and freed a pointer it had not allocated
// on a class name it could not resolve (all fuzz_checkpoint). A memo index
// is below the number of objects, so below the pickle's size.
bool pickleFits(const std::string& p, const std::set<std::string>& declared) {
  const size_t n = p.size();
  size_t i = 0;
  auto little = [&](size_t bytes) {
    uint64_t v = 0;
    for (size_t b = 0; b < bytes; ++b) v |= uint64_t(static_cast<uint8_t>(p[i + b])) << (8 * b);
    return v;
  };
  auto line = [&](std::string& out) {
    const size_t end = p.find('\n', i);
    if (end == std::string::npos) return false;
    out = p.substr(i, end - i);
    i = end + 1;
    return true;
  };
  std::string module, name;
  while (i < n) {
    const auto op = static_cast<uint8_t>(p[i++]);
    size_t fixed = 0, sized = 0, lines = 0;
    switch (op) {
      case '.': return true;  // STOP
      case 'c':                // GLOBAL module\nname\n
        if (!line(module) || !line(name) || !allowedGlobal(module, name, declared)) return false;
        continue;
      case 'K': case 'q': case 'h': case 0x80: case 0x82: fixed = 1; break;
      case 'M': case 0x83: fixed = 2; break;
      case 'r': case 'j':  // LONG_BINPUT, LONG_BINGET: LibTorch sizes its memo by the index
        if (4 > n - i || little(4) > n) return false;
        i += 4;
        continue;
      case 'J': case 0x84: fixed = 4; break;
      case 'G': case 0x95: fixed = 8; break;  // BINFLOAT, FRAME
      case 0x8c: case 'C': case 'U': case 0x8a: sized = 1; break;
      case 'X': case 'B': case 'T': case 0x8b: sized = 4; break;
      case 0x8d: case 0x8e: case 0x96: sized = 8; break;
      case 'I': case 'L': case 'F': case 'S': case 'V': case 'P': case 'p': case 'g': lines = 1; break;
      case ')': case ']': case '}': case '(': case 't': case 'R': case 'b': case 's': case 'u':
      case 'e': case 'a': case 'N': case '0': case '2': case '1': case 'l': case 'd':
      case 'Q': case 0x81: case 0x85: case 0x86: case 0x87: case 0x88: case 0x89: case 0x8f:
      case 0x90: case 0x91: case 0x92: case 0x94: case 0x97: case 0x98:
        break;
      default: return false;
    }
    if (fixed + sized > n - i) return false;
    if (sized) {
      const uint64_t length = little(sized);
      i += sized;
      if (length > n - i) return false;
      i += static_cast<size_t>(length);
    }
    i += fixed;
    for (std::string skipped; lines > 0; --lines) {
      if (!line(skipped)) return false;
    }
  }
  return false;  // no STOP
}

// A LibTorch archive is a TorchScript module: its code/ records are
// compiled on load and a class's __setstate__ runs while unpickling, with
// ops such as aten::save (writes any file) at hand: a checkpoint can run
// code. saveCheckpoint's archives only declare classes with tensor and
// submodule attributes, and their pickles name only those classes and
// LibTorch's tensor rebuilds; anything else is refused before LibTorch reads
// the archive.
Status checkArchive(const std::string& bytes, const std::string& path) {
  try {
    std::istringstream in(bytes);
    caffe2::serialize::PyTorchStreamReader reader(&in);
    const auto records = reader.getAllRecords();
    auto text = [&reader](const std::string& name) {
      auto [data, size] = reader.getRecord(name);
      return std::string(static_cast<const char*>(data.get()), size);
    };
    std::set<std::string> declared;  // module classes, as the pickle names them
    for (const auto& name : records) {
      if (!endsWith(name, ".py")) continue;
      std::istringstream lines(text(name));
      for (std::string line; std::getline(lines, line);) {
        if (!isDeclaration(line)) {
          return Error{"checkpoint " + path + " carries TorchScript code (" + name + ": '" +
                       line.substr(0, 60) + "'); ProductLens checkpoints never do, so it was not loaded"};
        }
      }
      if (name.rfind("code/", 0) == 0) {
        std::string module = name.substr(5, name.size() - 8);
        std::replace(module.begin(), module.end(), '/', '.');
        declared.insert(module);
      }
    }
    for (const auto& name : records) {
      if (endsWith(name, "pkl") && !pickleFits(text(name), declared)) {
        return Error{"checkpoint " + path + " is damaged or not ProductLens's (" + name +
                     " is cut short, or names a class a checkpoint never holds)"};
      }
    }
  } catch (const std::exception& e) {
    return Error{"cannot load checkpoint " + path + " (damaged): " + e.what()};
  }
  return Status::success();
}

Status readArchive(const std::string& bytes, const std::string& path, ProductModelImpl& model,
                   FusedAdamW* optimizer, TrainingPosition& position,
                   const std::vector<std::pair<std::string, torch::Tensor>>& before,
                   const std::vector<std::pair<std::vector<int64_t>, torch::ScalarType>>& layout) {
  try {
    torch::serialize::InputArchive root, modelArchive, optimizerArchive;
    root.load_from(bytes.data(), bytes.size());
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

}  // namespace

namespace {

// The checks on bytes read from `path` that a project's record names.
Status loadRecordedBytes(const std::string& bytes, const std::string& path, const std::string& expectedSha256,
                         ProductModelImpl& model, FusedAdamW* optimizer, TrainingPosition& position) {
  if (expectedSha256.empty()) {
    return Error{"checkpoint " + path +
                 " has no SHA-256 in the project's record (a damaged record), so it was not loaded"};
  }
  if (sha256Hex(bytes) != expectedSha256) {
    return Error{"checkpoint " + path +
                 " is damaged or was replaced (its SHA-256 does not match the project's record)"};
  }
  return loadCheckpointBytes(bytes, path, model, optimizer, position);
}

}  // namespace

Status loadCheckpoint(const std::string& path, const std::string& expectedSha256,
                      ProductModelImpl& model, FusedAdamW* optimizer,
                      TrainingPosition& position) {
  auto bytes = readWholeFile(path);
  if (!bytes) return bytes.error();
  return loadRecordedBytes(*bytes, path, expectedSha256, model, optimizer, position);
}

Status loadCheckpointBytes(const std::string& bytes, const std::string& path,
                           ProductModelImpl& model, FusedAdamW* optimizer,
                           TrainingPosition& position) {
  if (Status s = checkArchive(bytes, path); !s) return s;
  // LibTorch reads a parameter by replacing its storage and shape (set_),
  // so a checkpoint could resize one; the fused optimizer and the encoders
  // index parameters by raw pointer. Every tensor must keep the shape and
  // type the model was built with. `kept` holds each tensor's own storage
  // and layout (set_ swaps storages, it does not write into them), so a
  // failed load puts the model back exactly and an older checkpoint can be tried.
  std::vector<std::pair<std::string, torch::Tensor>> before;
  std::vector<std::pair<std::vector<int64_t>, torch::ScalarType>> layout;
  for (const auto& item : model.named_parameters()) before.emplace_back(item.key(), item.value());
  for (const auto& item : model.named_buffers()) before.emplace_back(item.key(), item.value());
  std::vector<torch::Tensor> kept;
  for (const auto& [name, t] : before) {
    layout.emplace_back(t.sizes().vec(), t.scalar_type());
    kept.push_back(t.detach());
  }
  Status loaded = readArchive(bytes, path, model, optimizer, position, before, layout);
  if (!loaded) {
    // set_data, not set_: on another device LibTorch read the tensor with
    // set_data (a CUDA model's parameters are CPU tensors by now), and set_
    // refuses storages of another device.
    try {
      torch::NoGradGuard noGrad;
      for (size_t i = 0; i < before.size(); ++i) before[i].second.set_data(kept[i]);
    } catch (const std::exception& e) {
      return Error{loaded.error().message + "; the model could not be put back (" + e.what() + ")"};
    }
  }
  return loaded;
}

Result<RestoredCheckpoint> loadNewestCheckpoint(Database& db, int64_t runId, ProductModelImpl& model,
                                                FusedAdamW* optimizer, TrainingPosition& position) {
  const std::vector<CheckpointRecord> records = runCheckpoints(db, runId);
  if (records.empty()) return Error{"the run has no checkpoint yet; train it first"};
  std::string newestProblem;
  for (const CheckpointRecord& record : records) {
    // A file that exists but cannot be read now (EIO, too many open files,
    // permissions) is no proof of damage: that error goes to the caller, and
    // no newer checkpoint is passed over for it.
    Status loaded = Status(Error{record.refused});
    if (record.refused.empty()) {
      auto bytes = readWholeFile(record.path);
      if (!bytes && std::filesystem::exists(record.path)) return bytes.error();
      loaded = bytes ? loadRecordedBytes(*bytes, record.path, record.sha256, model, optimizer, position)
                     : Status(bytes.error());  // a listed file that is gone: damage
    }
    if (loaded) {
      RestoredCheckpoint out{record, ""};
      if (!newestProblem.empty()) {
        out.warning = "the newest checkpoint could not be used (" + newestProblem +
                      "); continuing from the previous one, step " + std::to_string(record.step);
      }
      return out;
    }
    if (newestProblem.empty()) newestProblem = loaded.error().message;
  }
  if (records.size() > 1) newestProblem += " (and no older checkpoint of the run loads either)";
  return Error{newestProblem};
}

}  // namespace pl
