#include "export/embedding_export.h"

#include <sys/stat.h>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstring>
#include <map>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include "common/atomic_file.h"
#include "common/csv_field.h"
#include "embed/embedding_matrix.h"
#include "eval/label_field.h"
#include "store/attribute_values.h"
#include "export/npy_export.h"
#include "image/product_images.h"
#include "store/run_store.h"

namespace pl {

namespace {

constexpr int kSpriteLimit = 8192;  // TensorBoard's projector refuses larger sprites

const char* const kColumns[] = {"ext_id", "title", "description", "brand", "category", "price"};

bool isColumn(const std::string& field) {
  return std::find(std::begin(kColumns), std::end(kColumns), field) != std::end(kColumns);
}

// The field's text for each of the given products. Canonical columns are
// read directly; other names go through the evaluation's resolver, so
// "articleType" (a column the import mapped into the category path),
// "category:2" and attribute columns all work.
Result<std::vector<std::string>> metadataColumn(Database& db, const std::string& field,
                                                const std::vector<int64_t>& rowIds) {
  if (!isColumn(field)) {
    auto resolved = resolveLabelField(db, field);
    if (!resolved) return Error{"metadata field '" + field + "': " + resolved.error().message};
    return loadFieldValues(db, resolved->field, rowIds);
  }
  auto st = db.prepare("SELECT id, " + field + " FROM products");  // field is one of kColumns
  std::map<int64_t, std::string> byId;
  while (st.step()) {
    if (!st.isNull(1)) byId[st.int64(0)] = st.text(1);
  }
  std::vector<std::string> out;
  out.reserve(rowIds.size());
  for (int64_t id : rowIds) {
    auto it = byId.find(id);
    out.push_back(it == byId.end() ? std::string() : it->second);
  }
  return out;
}

// TSV has no quoting: tabs and line breaks inside a value become spaces.
std::string tsvField(std::string text) {
  for (char& c : text) {
    if (c == '\t' || c == '\n' || c == '\r') c = ' ';
  }
  return text;
}

std::string number(float v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.9g", v);  // float32 round-trips in 9 digits
  return buf;
}

Status makeFolder(const std::string& dir) {
  if (::mkdir(dir.c_str(), 0755) != 0 && errno != EEXIST) {
    return Error{"cannot create " + dir + ": " + std::strerror(errno)};
  }
  return Status::success();
}

struct Table {
  EmbeddingMatrix matrix;
  std::vector<std::string> names;                 ///< metadata column names, ext_id first
  std::vector<std::vector<std::string>> columns;  ///< per name, per row
};

Status writeDelimited(const Table& t, const std::string& path, char sep, JobContext& context) {
  AtomicFileWriter out(path);
  auto field = [sep](const std::string& s) { return sep == ',' ? csvField(s) : tsvField(s); };
  std::string line;
  for (size_t c = 0; c < t.names.size(); ++c) line += (c ? std::string(1, sep) : "") + field(t.names[c]);
  for (int64_t d = 0; d < t.matrix.dim; ++d) line += sep + std::string("e") + std::to_string(d);
  out.write(line + "\n");
  for (int64_t r = 0; r < t.matrix.rows(); ++r) {
    if ((r & 4095) == 0) {
      if (context.stopRequested()) return Error{"export cancelled; the previous file is kept"};
      context.progress(r, t.matrix.rows(), "Writing " + path);
    }
    line.clear();
    for (size_t c = 0; c < t.names.size(); ++c) line += (c ? std::string(1, sep) : "") + field(t.columns[c][r]);
    const float* v = t.matrix.row(r);
    for (int64_t d = 0; d < t.matrix.dim; ++d) line += sep + number(v[d]);
    out.write(line + "\n");
  }
  return out.commit();
}

Status writeProjector(Project& project, const Table& t, const EmbeddingExportOptions& o,
                      EmbeddingExportReport& report, JobContext& context) {
  const std::string& dir = o.out;
  if (Status s = makeFolder(dir); !s) return s;
  const int64_t n = t.matrix.rows();
  {
    AtomicFileWriter tensors(dir + "/tensors.tsv");
    std::string line;
    for (int64_t r = 0; r < n; ++r) {
      if ((r & 4095) == 0 && context.stopRequested()) return Error{"export cancelled"};
      line.clear();
      const float* v = t.matrix.row(r);
      for (int64_t d = 0; d < t.matrix.dim; ++d) line += (d ? "\t" : "") + number(v[d]);
      tensors.write(line + "\n");
    }
    if (Status s = tensors.commit(); !s) return s;
  }
  {
    // One column: no header (the projector's rule); several: a header row.
    AtomicFileWriter metadata(dir + "/metadata.tsv");
    std::string line;
    if (t.names.size() > 1) {
      for (size_t c = 0; c < t.names.size(); ++c) line += (c ? "\t" : "") + tsvField(t.names[c]);
      metadata.write(line + "\n");
    }
    for (int64_t r = 0; r < n; ++r) {
      line.clear();
      for (size_t c = 0; c < t.names.size(); ++c) line += (c ? "\t" : "") + tsvField(t.columns[c][r]);
      metadata.write(line + "\n");
    }
    if (Status s = metadata.commit(); !s) return s;
  }
  // The sprite: one tile per product, row by row, in the tensors' order.
  const int side = static_cast<int>(std::ceil(std::sqrt(static_cast<double>(n))));
  const int tile = std::max(1, std::min(o.thumbnail, kSpriteLimit / std::max(side, 1)));
  auto images = ProductImages::load(project.db(), t.matrix.rowIds, ImageShape{tile, 3, true}, 0);
  cv::Mat sprite(side * tile, side * tile, CV_8UC3, cv::Scalar(235, 235, 235));
  for (int64_t r = 0; r < n; ++r) {
    if ((r & 1023) == 0) {
      if (context.stopRequested()) return Error{"export cancelled"};
      context.progress(r, n, "Drawing the sprite");
    }
    cv::Mat picture = images->fitted(static_cast<size_t>(r));
    if (picture.empty()) {
      ++report.missingPictures;
      continue;
    }
    picture.copyTo(sprite(cv::Rect(static_cast<int>(r % side) * tile, static_cast<int>(r / side) * tile, tile, tile)));
  }
  std::vector<uint8_t> png;
  if (!cv::imencode(".png", sprite, png)) return Error{"cannot encode the sprite image"};
  if (Status s = writeFileAtomically(dir + "/sprite.png", std::string(png.begin(), png.end())); !s) return s;
  report.spriteTile = tile;
  const std::string config =
      "embeddings {\n"
      "  tensor_name: \"productlens:" + o.runName + "\"\n"
      "  tensor_path: \"tensors.tsv\"\n"
      "  metadata_path: \"metadata.tsv\"\n"
      "  sprite {\n"
      "    image_path: \"sprite.png\"\n"
      "    single_image_dim: " + std::to_string(tile) + "\n"
      "    single_image_dim: " + std::to_string(tile) + "\n"
      "  }\n"
      "}\n";
  if (Status s = writeFileAtomically(dir + "/projector_config.pbtxt", config); !s) return s;
  report.files = {dir + "/tensors.tsv", dir + "/metadata.tsv", dir + "/sprite.png", dir + "/projector_config.pbtxt"};
  return Status::success();
}

// A standalone database: table `embeddings` (catalog id, the metadata
// columns, dim, vector as little-endian float32), built in a temp file and
// renamed into place.
Status writeSqlite(const Table& t, const std::string& path, JobContext& context) {
  const std::string tmp = path + ".tmp";
  std::remove(tmp.c_str());
  try {
    {
      Database db(tmp, /*create=*/true);
      std::string columns, marks;
      for (size_t c = 0; c < t.names.size(); ++c) {
        std::string name;
        for (char ch : t.names[c]) name += ch == '"' ? std::string("\"\"") : std::string(1, ch);
        columns += "\"" + name + "\" TEXT, ";
        marks += "?, ";
      }
      db.exec("CREATE TABLE embeddings(" + columns + "dim INTEGER NOT NULL, vector BLOB NOT NULL)");
      Transaction tx(db);
      auto insert = db.prepare("INSERT INTO embeddings VALUES (" + marks + "?, ?)");
      for (int64_t r = 0; r < t.matrix.rows(); ++r) {
        if ((r & 4095) == 0 && context.stopRequested()) {
          std::remove(tmp.c_str());
          return Error{"export cancelled; the previous file is kept"};
        }
        int k = 1;
        for (size_t c = 0; c < t.names.size(); ++c) insert.bind(k++, t.columns[c][r]);
        insert.bind(k++, t.matrix.dim);
        insert.bindBlob(k, t.matrix.row(r), sizeof(float) * static_cast<size_t>(t.matrix.dim)).run();
      }
      tx.commit();
    }
  } catch (const StoreError& e) {
    std::remove(tmp.c_str());
    return Error{"cannot write " + path + ": " + e.what()};
  }
  if (std::rename(tmp.c_str(), path.c_str()) != 0) {
    std::remove(tmp.c_str());
    return Error{"cannot replace " + path + ": " + std::strerror(errno)};
  }
  return Status::success();
}

}  // namespace

Result<EmbeddingFormat> parseEmbeddingFormat(const std::string& name) {
  if (name == "npy") return EmbeddingFormat::Npy;
  if (name == "csv") return EmbeddingFormat::Csv;
  if (name == "tsv") return EmbeddingFormat::Tsv;
  if (name == "projector") return EmbeddingFormat::Projector;
  if (name == "sqlite") return EmbeddingFormat::Sqlite;
  return Error{"unknown export format '" + name + "' (npy, csv, tsv, projector, sqlite; model for the model; recommendations)"};
}

Result<EmbeddingExportReport> exportEmbeddings(Project& project, const EmbeddingExportOptions& o,
                                               JobContext& context) {
  Database& db = project.db();
  auto run = findRun(db, o.runName);
  if (!run) return Error{"there is no run named '" + o.runName + "'"};
  EmbeddingExportReport report;
  if (o.format == EmbeddingFormat::Npy) {
    auto written = exportEmbeddingsNpy(project, o.runName, o.out);
    if (!written) return written.error();
    report.rows = written->rows;
    report.dim = written->dim;
    report.files = {o.out + "/embeddings.npy", o.out + "/ids.txt"};
    return report;
  }
  context.progress(0, 1, "Reading embeddings");
  Table t;
  auto matrix = loadEmbeddingMatrix(db, run->id, o.runName);
  if (!matrix) return matrix.error();
  t.matrix = std::move(*matrix);
  std::vector<std::string> fields{"ext_id"};
  for (const auto& f : o.metadata) {
    if (f != "ext_id" && std::find(fields.begin(), fields.end(), f) == fields.end()) fields.push_back(f);
  }
  for (const auto& f : fields) {
    auto column = metadataColumn(db, f, t.matrix.rowIds);
    if (!column) return column.error();
    t.names.push_back(f == "ext_id" ? "id" : f);
    t.columns.push_back(std::move(*column));
  }
  report.rows = t.matrix.rows();
  report.dim = t.matrix.dim;
  Status written = Status::success();
  switch (o.format) {
    case EmbeddingFormat::Csv: written = writeDelimited(t, o.out, ',', context); break;
    case EmbeddingFormat::Tsv: written = writeDelimited(t, o.out, '\t', context); break;
    case EmbeddingFormat::Projector: written = writeProjector(project, t, o, report, context); break;
    case EmbeddingFormat::Sqlite: written = writeSqlite(t, o.out, context); break;
    case EmbeddingFormat::Npy: break;
  }
  if (!written) return written.error();
  if (report.files.empty()) report.files = {o.out};
  context.progress(report.rows, report.rows, "Exported");
  return report;
}

}  // namespace pl
