#include "embed/embed_job.h"

#include <chrono>
#include <thread>

#include "model/product_model.h"
#include "model/torch_runtime.h"
#include "store/run_store.h"
#include "text/tokenizer.h"
#include "train/batching.h"
#include "train/checkpoint.h"
#include "train/pretrain_job.h"

namespace pl {

Result<EmbedReport> computeEmbeddings(Project& project, const std::string& runName,
                                      JobContext& context) {
  auto started = std::chrono::steady_clock::now();
  Database& db = project.db();
  try {
    auto run = findRun(db, runName);
    if (!run) return Error{"there is no run named '" + runName + "'"};
    auto config = RunConfig::fromJson(run->configJson, "run '" + runName + "'");
    if (!config) return config.error();
    auto ckpt = latestCheckpoint(db, run->id);
    if (!ckpt) return Error{"run '" + runName + "' has no checkpoint yet; train it first"};
    auto tokenizer = restoreRunTokenizer(db, run->id, defaultRunDirectory(project.path(), runName));
    if (!tokenizer) return tokenizer.error();
    context.progress(0, 1, "Tokenizing products");
    auto corpus = loadProductCorpus(db, *config, *tokenizer);
    if (!corpus) return corpus.error();
    ProductModel model(*config, attributeCardinalities(*corpus), tokenizer->vocabSize());
    TrainingPosition position;
    if (Status l = loadCheckpoint(ckpt->path, ckpt->sha256, *model, nullptr, position); !l) {
      return l.error();
    }
    setTorchThreads(config->threads);
    model->eval();
    torch::NoGradGuard noGrad;

    std::vector<int32_t> items(corpus->size());
    for (size_t i = 0; i < items.size(); ++i) items[i] = static_cast<int32_t>(i);
    // Sorting by length keeps padding low; vectors are stored by product id.
    std::stable_sort(items.begin(), items.end(), [&](int32_t a, int32_t b) {
      return corpus->tokens[a].size() < corpus->tokens[b].size();
    });
    EmbedReport report;
    Transaction tx(db);
    db.prepare("DELETE FROM embeddings WHERE run_id = ?").bind(1, run->id).run();
    auto insert = db.prepare("INSERT INTO embeddings(run_id, product_id, vector) VALUES (?, ?, ?)");
    int64_t done = 0;
    for (const auto& b : sequentialBatches(items, 256)) {
      if (context.stopRequested()) return Error{"embedding cancelled; the previous embeddings are kept"};
      Batch batch = collate(*corpus, b);
      torch::Tensor vectors = model->forward(batch.ids, batch.mask, batch.attributes).embedding.contiguous();
      report.dim = vectors.size(1);
      const float* data = vectors.data_ptr<float>();
      for (size_t r = 0; r < b.size(); ++r) {
        insert.bind(1, run->id).bind(2, corpus->rowIds[b[r]]);
        insert.bindBlob(3, data + r * report.dim, sizeof(float) * report.dim).run();
      }
      done += static_cast<int64_t>(b.size());
      context.progress(done, static_cast<int64_t>(items.size()), "Embedding products");
    }
    tx.commit();
    report.products = done;
    report.seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    return report;
  } catch (const StoreError& e) {
    return Error{"embedding could not write to " + project.path() + ": " + e.what()};
  } catch (const c10::Error& e) {
    return Error{std::string("embedding failed inside LibTorch: ") + e.what_without_backtrace()};
  }
}

}  // namespace pl
