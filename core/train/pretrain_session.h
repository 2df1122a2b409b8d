#pragma once
// One pretraining session's state and how a session opens: the run's
// settings (new, resumed, or another rank's copy), tokenizer, tokenized
// corpus, lexical neighbours, model, optimizer, distributed group and the
// checkpoint it resumes from. Internal to train/ (pretrain_job.cpp).

#include <chrono>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "store/project.h"
#include "store/run_store.h"
#include "text/tokenizer.h"
#include "train/checkpoint.h"
#include "train/device.h"
#include "train/distributed.h"
#include "train/fused_adamw.h"
#include "train/lexical_neighbours.h"
#include "train/product_corpus.h"
#include "train/pretrain_job.h"
#include "train/training_step.h"

namespace pl {

using Clock = std::chrono::steady_clock;

/// Everything one training session holds.
struct Session {
  Database* db = nullptr;
  RunConfig config;
  int64_t runId = 0;
  std::string dir;
  std::optional<Tokenizer> tokenizer;
  ProductCorpus corpus;
  std::vector<int32_t> train, validation;
  std::vector<std::pair<int32_t, int32_t>> basketPairs;
  LexicalNeighbours lexical;
  ProductModel model{nullptr};
  std::unique_ptr<FusedAdamW> optimizer;
  torch::Generator maskGenerator;
  TrainingPosition position;
  LossSetup setup;
  NegativeQueue queue;
  NegativeQueue support;
  std::vector<MetricPoint> pendingMetrics;
  std::string lastCheckpoint;
  Clock::time_point sessionStart = Clock::now();
  std::shared_ptr<DistributedGroup> group;  ///< null in a single-process run
  std::unique_ptr<GradientSync> sync;
  torch::Device device{torch::kCPU};
  LossScaler scaler{false};

  /// Only rank 0 writes the run, its metrics and checkpoints.
  bool writes() const { return !group || group->rank() == 0; }
  /// Another rank's folder for rank 0's tokenizer; removed with the session.
  std::string scratchDirectory;

  ~Session() {
    std::error_code ignored;
    if (!scratchDirectory.empty()) std::filesystem::remove_all(scratchDirectory, ignored);
  }

  double elapsed() const {
    return position.elapsedSeconds +
           std::chrono::duration<double>(Clock::now() - sessionStart).count();
  }
};

/// Fills `s` for `options`: records the run (rank 0), prepares the
/// tokenizer, corpus, neighbours and model, joins the distributed group and
/// loads the checkpoint a resume continues from.
Result<Session*> openRun(Project& project, const PretrainOptions& options, Session& s,
                         JobContext& context);

}  // namespace pl
