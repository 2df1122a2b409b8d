#include "finetune/finetune_store.h"

#include "store/project_paths.h"

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <nlohmann/json.hpp>

#include "store/run_store.h"

namespace pl {

void saveFinetuneHead(Database& db, int64_t runId, const FinetuneHead& head) {
  nlohmann::json classes = head.classNames;
  std::vector<float> blob = head.weight;
  blob.insert(blob.end(), head.bias.begin(), head.bias.end());
  auto st = db.prepare(
      "INSERT OR REPLACE INTO finetune_heads(run_id, base_run, label_name, mode, fraction, "
      "classes_json, dim, head, options_json) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)");
  st.bind(1, runId).bind(2, head.baseRun).bind(3, head.labelName).bind(4, head.mode);
  st.bind(5, head.fraction).bind(6, classes.dump()).bind(7, head.dim);
  st.bindBlob(8, blob.data(), blob.size() * sizeof(float)).bind(9, head.optionsJson);
  st.run();
}

std::optional<FinetuneHead> loadFinetuneHead(Database& db, int64_t runId) {
  auto st = db.prepare(
      "SELECT base_run, label_name, mode, fraction, classes_json, dim, head, options_json "
      "FROM finetune_heads WHERE run_id = ?");
  st.bind(1, runId);
  if (!st.step()) return std::nullopt;
  FinetuneHead h;
  h.baseRun = st.text(0);
  h.labelName = st.text(1);
  h.mode = st.text(2);
  h.fraction = st.real(3);
  auto classes = nlohmann::json::parse(st.text(4), nullptr, /*allow_exceptions=*/false);
  if (!classes.is_array()) return std::nullopt;
  for (const auto& c : classes) {
    if (!c.is_string()) return std::nullopt;
    h.classNames.push_back(c.get<std::string>());
  }
  h.dim = st.int64(5);
  auto blob = st.blob(6);
  const size_t c = h.classNames.size();
  // classes x dim weights, then classes biases. Checked by division: with a
  // crafted dim the product wrapped around to the blob's size, and the
  // weights were then resized to exabytes (an uncaught length_error; found
  // while writing fuzz_blobs). No vector has fewer than one dimension.
  const size_t floats = blob.size() / sizeof(float);
  if (c == 0 || h.dim <= 0 || blob.size() % sizeof(float) != 0 || floats % c != 0 ||
      static_cast<uint64_t>(h.dim) + 1 != floats / c) {
    return std::nullopt;
  }
  const size_t d = static_cast<size_t>(h.dim);
  h.weight.resize(c * d);
  h.bias.resize(c);
  std::memcpy(h.weight.data(), blob.data(), c * d * sizeof(float));
  std::memcpy(h.bias.data(), blob.data() + c * d * sizeof(float), c * sizeof(float));
  h.optionsJson = st.text(7);
  return h;
}

Status deleteFinetuneRun(Project& project, const std::string& runName) {
  Database& db = project.db();
  auto run = findRun(db, runName);
  if (!run) return Status::success();
  if (run->kind != "finetune") {
    return Error{"a " + run->kind + " run is already named '" + runName +
                 "'; only fine-tuning runs are replaced. Choose another name"};
  }
  std::vector<std::string> files;
  auto st = db.prepare("SELECT path FROM checkpoints WHERE run_id = ?");
  st.bind(1, run->id);
  while (st.step()) {
    // Only files inside the project's folder (a crafted row names others).
    if (auto file = resolveStoredPath(db, st.text(0), "a checkpoint of run '" + runName + "'")) {
      files.push_back(*file);
    }
  }
  db.prepare("DELETE FROM runs WHERE id = ?").bind(1, run->id).run();
  // Only files this run wrote: a name is user text, so never remove a folder tree.
  const std::string dir = defaultRunDirectory(project.path(), runName);
  files.push_back(dir + "/tokenizer.model");
  for (const auto& f : files) std::remove(f.c_str());
  std::error_code ignored;
  std::filesystem::remove(dir, ignored);  // only when empty
  return Status::success();
}

std::string finetuneRunTag(const std::string& label, double fraction) {
  std::string tag;
  for (unsigned char ch : label) {
    tag += std::isalnum(ch) || ch == '-' || ch == '_' || ch == '.' ? static_cast<char>(ch) : '-';
  }
  char percent[32];
  std::snprintf(percent, sizeof percent, "-%gpct", fraction * 100.0);
  return tag + percent;
}

}  // namespace pl
