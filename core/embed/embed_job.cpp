#include "embed/embed_job.h"

#include <chrono>
#include <thread>

#include "embed/run_model.h"
#include "embed/whitening.h"
#include "model/torch_runtime.h"
#include "store/run_store.h"
#include "train/batching.h"

namespace pl {

Result<EmbedReport> computeEmbeddings(Project& project, const std::string& runName,
                                      JobContext& context) {
  auto started = std::chrono::steady_clock::now();
  Database& db = project.db();
  try {
    context.progress(0, 1, "Tokenizing products");
    ProductCorpus products;
    auto loaded = loadRunModel(project, runName, &products);
    if (!loaded) return loaded.error();
    if (!loaded->checkpointWarning.empty()) context.log(LogLevel::Warning, loaded->checkpointWarning);
    ProductModel& model = loaded->model;
    const int64_t runId = loaded->run.id;
    setTorchThreads(loaded->config.threads);
    torch::NoGradGuard noGrad;

    std::vector<int32_t> items(products.size());
    for (size_t i = 0; i < items.size(); ++i) items[i] = static_cast<int32_t>(i);
    // Sorting by length keeps padding low; vectors are stored by product id.
    std::stable_sort(items.begin(), items.end(), [&](int32_t a, int32_t b) {
      return products.tokens[a].size() < products.tokens[b].size();
    });
    // Pass 1: every vector in memory (1M products x 128 floats = 512 MB at
    // most), because whitening is fitted on all of them before any is stored.
    EmbedReport report;
    std::vector<torch::Tensor> parts;
    std::vector<int64_t> productIds;
    productIds.reserve(items.size());
    int64_t done = 0;
    for (const auto& b : sequentialBatches(items, 256)) {
      if (context.stopRequested())
        return Error{"embedding cancelled; the previous embeddings are kept"};
      Batch batch = collate(products, b);
      parts.push_back(forwardBatch(*model, batch).embedding);
      for (int32_t item : b) productIds.push_back(products.rowIds[item]);
      done += static_cast<int64_t>(b.size());
      context.progress(done, static_cast<int64_t>(items.size()), "Embedding products");
    }
    if (productIds.empty()) return Error{"the project has no products to embed"};
    torch::Tensor vectors = torch::cat(parts).contiguous();
    parts.clear();
    std::string transform;
    if (loaded->config.whiten && vectors.size(0) > vectors.size(1)) {
      context.progress(0, 1, "Whitening");
      Whitening whitening = Whitening::fit(vectors);
      vectors = whitening.apply(vectors).contiguous();
      transform = whitening.serialize();
    }
    report.dim = vectors.size(1);

    Transaction tx(db);
    db.prepare("DELETE FROM embeddings WHERE run_id = ?").bind(1, runId).run();
    auto insert = db.prepare("INSERT INTO embeddings(run_id, product_id, vector) VALUES (?, ?, ?)");
    const float* data = vectors.data_ptr<float>();
    for (size_t r = 0; r < productIds.size(); ++r) {
      if (r % 4096 == 0) context.progress(static_cast<int64_t>(r), done, "Storing embeddings");
      insert.bind(1, runId).bind(2, productIds[r]);
      insert.bindBlob(3, data + r * report.dim, sizeof(float) * report.dim).run();
    }
    saveEmbeddingTransform(db, runId, transform);
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
