// The blobs a project stores, each on arbitrary bytes and read back the way
// the tool reads it. A crafted project can hold any bytes in any of these
// columns (fuzz_project covers the file around them; here each blob is put
// straight into a valid project, so mutations reach its reader). Byte 0
// modulo 5 picks the blob; the layout of the rest is given per selector:
//   0: a run's whitening (runs.embedding_transform): the rest through
//      Whitening::deserialize, applied to two vectors when it is defined and
//      has at most 64 dimensions;
//   1: embeddings: byte 1 modulo 4, plus 1, is the number of products; the
//      rest is cut into that many equal parts (the last takes the remainder),
//      each one product's `embeddings.vector`; then loadEmbeddingMatrix, and
//      the matrix's fingerprint and row lookup when it loads;
//   2: a map (projections): byte 1's two low bits pick the method (modulo
//      3: pca, tsne, umap) and its bit 2 a NULL explained_variance; bytes 2-3 and 4-5 (little-endian) are the
//      lengths of the product_ids and coordinates blobs (cut to what is
//      left), the remainder explained_variance; then loadProjection and,
//      when it loads, the CSV export that reads every point;
//   3: a fine-tuned head (finetune_heads): bytes 1-8 are `dim` (int64,
//      little-endian), byte 9 the length of classes_json (cut to what is
//      left), then classes_json, then the `head` blob; then loadFinetuneHead
//      and, when it loads and dim is at most 4096, the logits of one vector;
//   4: a run's SentencePiece model (runs.tokenizer): saveRunTokenizer, then
//      restoreRunTokenizer's path (loadRunTokenizer, the file written, then
//      Tokenizer::load) and a title encoded when it loads.
// The project is created once per process (run, catalog, four products);
// each input only replaces the rows under test.
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <string>
#include <vector>

#include "common/atomic_file.h"
#include "embed/embedding_matrix.h"
#include "embed/whitening.h"
#include "finetune/finetune_store.h"
#include "fuzz_support.h"
#include "fuzz_tokenizer_seed.h"
#include "projection/projection.h"
#include "projection/projection_store.h"
#include "store/project.h"
#include "store/run_store.h"
#include "text/tokenizer.h"
#include "train/run_config.h"

namespace {

constexpr int kProducts = 4;  // products.id 1..4
volatile float gSink;

std::string projectPath() { return pl::fuzz::scratchDir() + "/blobs.plens"; }

void removeProject() {
  for (const char* suffix : {"", "-wal", "-shm", "-journal"}) unlink((projectPath() + suffix).c_str());
}

struct Fixture {
  std::unique_ptr<pl::Project> project;
  int64_t run = 0;
};

Fixture& fixture() {
  static Fixture f = [] {
    Fixture out;
    removeProject();
    auto project = pl::Project::open(projectPath(), pl::OpenMode::CreateIfMissing);
    if (!project) {
      std::fprintf(stderr, "cannot create the fixture project: %s\n", project.error().message.c_str());
      std::abort();
    }
    out.project = std::move(*project);
    pl::Database& db = out.project->db();
    db.exec(R"sql(
      INSERT INTO catalogs(id, name, source_path, format, images_root, mapping_json)
        VALUES (1, 'c.csv', '/data/c.csv', 'csv', '/data', '{"title":["name"]}');
      INSERT INTO products(id, catalog_id, ext_id, title, brand, category, price, image,
                           image_status, attributes)
        VALUES (1, 1, 'a', 'Red shirt', 'Acme', 'Men > Shirts', 9.5, '', 0, '{}'),
               (2, 1, 'b', 'Blue shoe', '', 'Men > Shoes', NULL, '', 0, '{}'),
               (3, 1, 'c', 'Wool scarf', '', '', NULL, '', 0, '{}'),
               (4, 1, 'd', 'Denim jacket', '', '', NULL, '', 0, '{}');
    )sql");
    auto run = pl::createRun(db, "ssl", "pretrain", pl::RunConfig().toJson());
    if (!run) std::abort();
    out.run = *run;
    // The project's files go before the scratch folder does (atexit runs
    // this before the folder's own cleanup, registered earlier).
    std::atexit(removeProject);
    return out;
  }();
  return f;
}

// --- 0: whitening ----------------------------------------------------------

void fuzzWhitening(const std::string& blob) {
  const pl::Whitening w = pl::Whitening::deserialize(blob);
  if (!w.defined()) return;
  const int64_t d = w.mean.size(0);
  if (w.mean.dim() != 1 || w.projection.sizes() != torch::IntArrayRef({d, d})) __builtin_trap();
  if (d > 64) return;
  auto vectors = torch::linspace(-1, 1, 2 * d).reshape({2, d});
  auto y = w.apply(vectors);
  if (y.sizes() != torch::IntArrayRef({2, d})) __builtin_trap();
  gSink = y.sum().item<float>();
}

// --- 1: embeddings ---------------------------------------------------------

void fuzzEmbeddings(const uint8_t* data, size_t size) {
  if (size < 1) return;
  Fixture& f = fixture();
  pl::Database& db = f.project->db();
  const size_t rows = data[0] % kProducts + 1;
  const uint8_t* blob = data + 1;
  const size_t bytes = size - 1;
  {
    pl::Transaction tx(db);
    db.prepare("DELETE FROM embeddings WHERE run_id = ?").bind(1, f.run).run();
    auto insert = db.prepare("INSERT INTO embeddings(run_id, product_id, vector) VALUES (?, ?, ?)");
    for (size_t i = 0; i < rows; ++i) {
      const size_t begin = i * (bytes / rows);
      const size_t end = i + 1 == rows ? bytes : begin + bytes / rows;
      insert.bind(1, f.run).bind(2, static_cast<int64_t>(i + 1)).bindBlob(3, blob + begin, end - begin);
      insert.run();
      insert.reset();
    }
    tx.commit();
  }
  auto matrix = pl::loadEmbeddingMatrix(db, f.run, "ssl");
  if (!matrix) return;
  if (matrix->dim <= 0 || matrix->values.size() != static_cast<size_t>(matrix->rows() * matrix->dim) ||
      matrix->rows() != static_cast<int64_t>(rows)) {
    __builtin_trap();
  }
  float sum = 0;
  for (int64_t r = 0; r < matrix->rows(); ++r) {
    if (matrix->indexOf(matrix->rowIds[static_cast<size_t>(r)]) != r) __builtin_trap();
    sum += matrix->row(r)[matrix->dim - 1];
  }
  gSink = sum + static_cast<float>(matrix->fingerprint().size());
}

// --- 2: projections --------------------------------------------------------

void fuzzProjection(const uint8_t* data, size_t size) {
  if (size < 5) return;
  Fixture& f = fixture();
  pl::Database& db = f.project->db();
  const auto method = static_cast<pl::ProjectionMethod>((data[0] & 3) % 3);
  const bool nullVariance = data[0] & 4;
  size_t rest = size - 5;
  const uint8_t* p = data + 5;
  const size_t idBytes = std::min<size_t>(data[1] | (size_t{data[2]} << 8), rest);
  const size_t xyBytes = std::min<size_t>(data[3] | (size_t{data[4]} << 8), rest - idBytes);
  const size_t varianceBytes = rest - idBytes - xyBytes;
  {
    pl::Transaction tx(db);
    db.prepare("DELETE FROM projections WHERE run_id = ?").bind(1, f.run).run();
    auto st = db.prepare(
        "INSERT INTO projections(run_id, method, params_json, embeddings_fingerprint, product_ids, "
        "coordinates, explained_variance, seconds) VALUES (?, ?, '{}', '0123456789abcdef', ?, ?, ?, 1.5)");
    st.bind(1, f.run).bind(2, pl::projectionMethodName(method));
    st.bindBlob(3, p, idBytes).bindBlob(4, p + idBytes, xyBytes);
    if (nullVariance) {
      st.bindNull(5);
    } else {
      st.bindBlob(5, p + idBytes + xyBytes, varianceBytes);
    }
    st.run();
    tx.commit();
  }
  auto projection = pl::loadProjection(db, f.run, method);
  if (!projection) return;
  if (projection->xy.size() != 2 * projection->rowIds.size()) __builtin_trap();
  // The map view and the CSV export read every point by its index.
  const std::string csv = pl::fuzz::scratchDir() + "/map.csv";
  (void)pl::exportProjectionCsv(db, *projection, csv);
  unlink(csv.c_str());
}

// --- 3: a fine-tuned head ----------------------------------------------------

void fuzzHead(const uint8_t* data, size_t size) {
  if (size < 9) return;
  Fixture& f = fixture();
  pl::Database& db = f.project->db();
  uint64_t raw = 0;
  for (int i = 7; i >= 0; --i) raw = (raw << 8) | data[i];
  const auto dim = static_cast<int64_t>(raw);
  const size_t jsonBytes = std::min<size_t>(data[8], size - 9);
  const std::string classes(reinterpret_cast<const char*>(data + 9), jsonBytes);
  const uint8_t* blob = data + 9 + jsonBytes;
  const size_t blobBytes = size - 9 - jsonBytes;
  auto st = db.prepare(
      "INSERT OR REPLACE INTO finetune_heads(run_id, base_run, label_name, mode, fraction, classes_json, dim, "
      "head, options_json) VALUES (?, 'ssl', 'category', 'probe', 0.1, ?, ?, ?, '{}')");
  st.bind(1, f.run).bind(2, classes).bind(3, dim).bindBlob(4, blob, blobBytes);
  st.run();
  auto head = pl::loadFinetuneHead(db, f.run);
  if (!head) return;
  const auto c = static_cast<size_t>(head->classes());
  if (c == 0 || head->dim < 0 || head->bias.size() != c ||
      head->weight.size() != c * static_cast<size_t>(head->dim)) {
    __builtin_trap();
  }
  if (head->dim > 4096) return;
  // logits = weight x embedding + bias, as finetune_classifier's headLogits.
  const auto d = static_cast<size_t>(head->dim);
  const std::vector<float> embedding(d, 1.0f / std::sqrt(static_cast<float>(std::max<size_t>(d, 1))));
  float best = -INFINITY;
  for (size_t k = 0; k < c; ++k) {
    float logit = head->bias[k];
    for (size_t j = 0; j < d; ++j) logit += head->weight[k * d + j] * embedding[j];
    best = std::max(best, logit);
  }
  gSink = best;
}

// --- 4: a run's tokenizer ----------------------------------------------------

void fuzzTokenizer(const uint8_t* data, size_t size) {
  Fixture& f = fixture();
  pl::Database& db = f.project->db();
  pl::saveRunTokenizer(db, f.run, std::string(reinterpret_cast<const char*>(data), size));
  // restoreRunTokenizer (train/pretrain_session.cpp, which needs all of
  // training to link): the stored model, written to the run's folder, loaded.
  const std::string blob = pl::loadRunTokenizer(db, f.run);
  if (blob.empty()) return;  // "the run has no stored tokenizer"
  const std::string path = pl::fuzz::scratchDir() + "/tokenizer.model";
  if (!pl::writeFileAtomically(path, blob)) std::abort();
  auto tokenizer = pl::Tokenizer::load(path);
  unlink(path.c_str());
  if (!tokenizer) return;
  std::vector<bool> starts;
  auto ids = tokenizer->encode("Red cotton shirt \xE7\xBA\xA2\xE8\x89\xB2", starts, 48);
  for (int id : ids) {
    if (id < 0 || id >= tokenizer->vocabSize()) __builtin_trap();
  }
  gSink = static_cast<float>(ids.size() + tokenizer->decode(ids).size());
}

// --- seeds -------------------------------------------------------------------

template <typename T>
std::string bytesOf(const std::vector<T>& values) {
  return std::string(reinterpret_cast<const char*>(values.data()), values.size() * sizeof(T));
}

std::string le16(size_t n) { return {static_cast<char>(n & 0xFF), static_cast<char>((n >> 8) & 0xFF)}; }

void writeSeeds() {
  torch::manual_seed(3);
  // Whitening fitted on 16 vectors of 8 dimensions, as embed does.
  const auto vectors = torch::randn({16, 8});
  const std::string whitening = pl::Whitening::fit(vectors).serialize();
  if (!pl::Whitening::deserialize(whitening).defined()) std::abort();
  pl::fuzz::writeSeed("whitening", std::string(1, '\0') + whitening);
  // Four 8-dimensional embeddings, as embed stores them (float32 each).
  std::vector<float> rows;
  for (int i = 0; i < kProducts * 8; ++i) rows.push_back(std::sin(0.7f * static_cast<float>(i)));
  pl::fuzz::writeSeed("embeddings", std::string(1, '\1') + static_cast<char>(kProducts - 1) + bytesOf(rows));
  // A PCA map of the four products with its explained variance, and a UMAP one without.
  const std::vector<int64_t> ids = {1, 2, 3, 4};
  const std::vector<float> xy = {0.5f, -1, 2, 0.25f, -0.5f, 1, 0, 0};
  const std::vector<double> variance = {0.5, 0.25, 0.125, 0.0625};
  const std::string idBlob = bytesOf(ids), xyBlob = bytesOf(xy);
  pl::fuzz::writeSeed("map-pca", std::string(1, '\2') + '\0' + le16(idBlob.size()) + le16(xyBlob.size()) +
                                     idBlob + xyBlob + bytesOf(variance));
  pl::fuzz::writeSeed("map-umap", std::string(1, '\2') + '\6' + le16(idBlob.size()) + le16(xyBlob.size()) +
                                      idBlob + xyBlob);
  // A head of three classes on 8 dimensions, as saveFinetuneHead writes it.
  const std::string classes = R"(["shirt","shoe","scarf"])";
  std::vector<float> head;
  for (int i = 0; i < 3 * 8 + 3; ++i) head.push_back(0.125f * static_cast<float>(i % 7) - 0.25f);
  std::string dim(8, '\0');
  dim[0] = 8;
  pl::fuzz::writeSeed("head", std::string(1, '\3') + dim + static_cast<char>(classes.size()) + classes +
                                  bytesOf(head));
  // The run's tokenizer, trained as pretraining trains it, and its small form.
  const auto [model, small] = pl::fuzz::seedTokenizers(pl::fuzz::scratchDir() + "/seed.model");
  pl::fuzz::writeSeed("tokenizer-identity", std::string(1, '\4') + small);
  pl::fuzz::writeSeed("tokenizer-nfkc-cf", std::string(1, '\4') + model);
  pl::fuzz::writeSeed("regression-charsmap-offset", std::string(1, '\4') + pl::fuzz::withDamagedCharsmap(small));
  pl::fuzz::writeSeed("regression-nul-piece", std::string(1, '\4') + pl::fuzz::withNulPiece(small));
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  torch::set_num_threads(1);
  if (!pl::fuzz::seedFolder()) return 0;
  writeSeeds();
  std::exit(0);
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 1) return 0;
  try {
    switch (data[0] % 5) {
      case 0:
        fuzzWhitening(std::string(reinterpret_cast<const char*>(data + 1), size - 1));
        break;
      case 1:
        fuzzEmbeddings(data + 1, size - 1);
        break;
      case 2:
        fuzzProjection(data + 1, size - 1);
        break;
      case 3:
        fuzzHead(data + 1, size - 1);
        break;
      default:
        fuzzTokenizer(data + 1, size - 1);
        break;
    }
  } catch (const pl::StoreError& e) {
    // Writing the rows under test is the harness's part: it must not fail.
    std::fprintf(stderr, "fixture project: %s\n", e.what());
    std::abort();
  }
  return 0;
}
