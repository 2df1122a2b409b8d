// Regression tests for what fuzzing the readers found (fuzz/, docs/fuzzing.md),
// and for the promise that opening a project or a checkpoint runs nothing
// from it.
#include <caffe2/serialize/inline_container.h>
#include <sqlite3.h>
#include <torch/script.h>

#include <QtTest>
#include <cstring>
#include <fstream>
#include <opencv2/imgcodecs.hpp>
#include <sstream>

#include "catalog/idx_reader.h"
#include "common/sha256.h"
#include "export/safetensors_reader.h"
#include "finetune/finetune_store.h"
#include "image/image_file.h"
#include "image/image_transforms.h"
#include "model/product_model.h"
#include "neighbors/hnsw_index_file.h"
#include "store/attribute_values.h"
#include "store/project.h"
#include "store/project_info.h"
#include "store/run_store.h"
#include "text/tokenizer.h"
#include "test_support.h"
#include "train/checkpoint.h"
#include "train/fused_adamw.h"
#include "train/run_config.h"

using namespace pl;

namespace {

bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

// Runs SQL on a file through the plain SQLite API (no hardening), the way
// someone preparing a hostile project would.
void rawExec(const std::string& path, const std::string& sql) {
  sqlite3* db = nullptr;
  QCOMPARE(sqlite3_open(path.c_str(), &db), SQLITE_OK);
  char* error = nullptr;
  const int rc = sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &error);
  QVERIFY2(rc == SQLITE_OK, error ? error : "");
  sqlite3_close(db);
}

RunConfig tinyConfig() {
  RunConfig c;
  c.encoder = "text-bow";
  c.dim = 4;
  c.embeddingDim = 4;
  c.inputs = {"title"};
  return c;
}

std::string readAll(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream bytes;
  bytes << in.rdbuf();
  return bytes.str();
}

// `archive` with every `from` in its pickle (data.pkl) replaced by `to`.
std::string editPickle(const std::string& archive, const std::string& from, const std::string& to) {
  std::istringstream in(archive);
  caffe2::serialize::PyTorchStreamReader reader(&in);
  std::string out;
  caffe2::serialize::PyTorchStreamWriter writer([&out](const void* data, size_t n) {
    out.append(static_cast<const char*>(data), n);
    return n;
  });
  for (const auto& name : reader.getAllRecords()) {
    auto [data, n] = reader.getRecord(name);
    std::string bytes(static_cast<const char*>(data.get()), n);
    if (name == "data.pkl") {
      for (size_t at = bytes.find(from); at != std::string::npos; at = bytes.find(from, at + 1)) {
        bytes.replace(at, from.size(), to);
      }
    }
    writer.writeRecord(name, bytes.data(), bytes.size());
  }
  writer.writeEndOfFile();
  return out;
}

// A length-delimited protobuf field: key, length (varint), bytes.
std::string protoField(int number, const std::string& bytes) {
  std::string out(1, static_cast<char>(number << 3 | 2));
  size_t n = bytes.size();
  for (; n >= 0x80; n >>= 7) out += static_cast<char>((n & 0x7F) | 0x80);
  out += static_cast<char>(n);
  return out + bytes;
}

}  // namespace

class TestHostileInputs : public QObject {
  Q_OBJECT
 private slots:
  void idxWithZeroCountAndHugeItemsIsRefused() {
    // fuzz_idx: dims 0 x 990316544 x 84082688 x 131072, no data. The count of
    // 0 made the total 0, and itemSize() overflowed.
    const std::vector<uint8_t> bytes = {0, 0, 8, 4, 0, 0, 0, 0, 0x3b, 7, 8, 0, 5, 3, 0, 0, 0, 2, 0, 0};
    auto r = parseIdx(bytes, "f");
    QVERIFY(!r.ok());
    QVERIFY(contains(r.error().message, "too large"));
    // Well-formed empty arrays still read.
    QVERIFY(parseIdx({0, 0, 8, 3, 0, 0, 0, 0, 0, 0, 0, 28, 0, 0, 0, 28}, "f").ok());
  }

  void runConfigNumbersMustFitTheirSetting() {
    // fuzz_run_config: 1e22 cast to int was undefined behaviour.
    for (const char* json : {R"({"dim": 11112222222222222222232})", R"({"layers": 1e22})",
                             R"({"layers": 2.5})", R"({"seed": -1})", R"({"max_steps": 1e300})"}) {
      auto c = RunConfig::fromJson(json, "run.json");
      QVERIFY2(!c.ok(), json);
      QVERIFY2(contains(c.error().message, "must be a"), c.error().message.c_str());
    }
    // The parser itself refuses numbers past a double's range.
    QVERIFY(!RunConfig::fromJson(R"({"lr": 1e999})", "run.json").ok());
    auto c = RunConfig::fromJson(R"({"layers": 4.0, "seed": 18446744073709551615, "max_steps": -1})", "run.json");
    QVERIFY(c.ok());
    QCOMPARE(c->layers, 4);
    QCOMPARE(c->seed, uint64_t(18446744073709551615ull));
    QVERIFY(!RunConfig::fromJson(R"({"layers": "four"})", "run.json").ok());
  }

  void projectWithNegativeSchemaVersionIsRefused() {
    // fuzz_project: a negative user_version indexed the migrations before their start.
    QTemporaryDir dir;
    test::newProject(dir);
    const std::string path = dir.filePath("p.plens").toStdString();
    rawExec(path, "PRAGMA user_version = -1");
    for (OpenMode mode : {OpenMode::Existing, OpenMode::ReadOnly}) {
      auto p = Project::open(path, mode);
      QVERIFY(!p.ok());
      QVERIFY2(contains(p.error().message, "damaged"), p.error().message.c_str());
    }
  }

  void namesThatAreNotUtf8DoNotThrow() {
    // fuzz_project: an attribute name that is not UTF-8 made the JSON writer
    // throw, uncaught, when the map asked for that field's values.
    QTemporaryDir dir;
    auto p = test::newProject(dir);
    p->db().exec(
        "INSERT INTO catalogs(id, name, source_path, format, mapping_json) VALUES (1, 'c\x97', 'c', 'csv', '{}');"
        "INSERT INTO attributes VALUES (1, 'col\x97', 0, 1);"
        "INSERT INTO products(catalog_id, ext_id, attributes) VALUES (1, 'a', '{}');");
    ProductField field;
    field.kind = ProductField::Kind::Attribute;
    field.name = "col\x97";
    QCOMPARE(loadFieldValues(p->db(), field, {1}), std::vector<std::string>{""});
    auto info = readProjectInfo(*p);
    QVERIFY(info.ok());
    QVERIFY(contains(info->toJson(), "c\xEF\xBF\xBD"));  // shown as U+FFFD
  }

  void openingAProjectRunsNothingFromIt() {
    QTemporaryDir dir;
    test::newProject(dir);
    const std::string path = dir.filePath("p.plens").toStdString();
    const std::string planted = dir.filePath("planted").toStdString();
    // A trigger that would delete every product on the next import, a view,
    // and a column default calling a function with side effects.
    rawExec(path,
            "INSERT INTO catalogs(id, name, source_path, format, mapping_json) VALUES (1, 'c', 'c', 'csv', '{}');"
            "INSERT INTO products(catalog_id, ext_id) VALUES (1, 'a');"
            "CREATE TRIGGER wipe AFTER INSERT ON catalogs BEGIN DELETE FROM products; END;"
            "CREATE VIEW peek AS SELECT * FROM products;"
            "CREATE TABLE trap(x TEXT DEFAULT (load_extension('" + planted + "')));");
    auto p = Project::open(path);
    QVERIFY2(p.ok(), p.ok() ? "" : p.error().message.c_str());
    Database& db = (*p)->db();
    db.exec("INSERT INTO catalogs(name, source_path, format, mapping_json) VALUES ('d', 'd', 'csv', '{}')");
    QCOMPARE(db.scalar("SELECT count(*) FROM products"), int64_t(1));  // the trigger did not fire
    QVERIFY_EXCEPTION_THROWN(db.scalar("SELECT count(*) FROM peek"), StoreError);
    QVERIFY_EXCEPTION_THROWN(db.exec("INSERT INTO trap DEFAULT VALUES"), StoreError);
    QVERIFY_EXCEPTION_THROWN(db.scalar("SELECT load_extension('" + planted + "')"), StoreError);
    // Foreign-key cascades, which ProductLens relies on, still work.
    db.exec("DELETE FROM catalogs WHERE id = 1");
    QCOMPARE(db.scalar("SELECT count(*) FROM products"), int64_t(0));
  }

  void checkpointsThatDoNotFitAreRefused() {
    QTemporaryDir dir;
    const std::string path = dir.filePath("step.pt").toStdString();
    torch::manual_seed(1);
    ProductModel model(tinyConfig(), std::vector<int64_t>{}, 16);
    FusedAdamW optimizer(model->parameters(), FusedAdamWOptions{});
    TrainingPosition position;
    position.globalRngState = at::detail::getDefaultCPUGenerator().get_state();
    position.maskRngState = at::detail::createCPUGenerator(2).get_state();
    QVERIFY(saveCheckpoint(path, *model, optimizer, position).ok());
    const std::string archive = readAll(path);
    TrainingPosition loaded;
    QVERIFY(loadCheckpointBytes(readAll(path), path, *model, &optimizer, loaded).ok());
    // From a file, only with the hash the project recorded: an empty record is damaged.
    const std::string sha = sha256Hex(archive);
    QVERIFY(loadCheckpoint(path, sha, *model, &optimizer, loaded).ok());
    Status unrecorded = loadCheckpoint(path, "", *model, &optimizer, loaded);
    QVERIFY(!unrecorded.ok());
    QVERIFY2(contains(unrecorded.error().message, "a damaged record"), unrecorded.error().message.c_str());

    // fuzz_checkpoint: one optimizer key renamed to its neighbour's made
    // LibTorch's unpickler throw std::out_of_range, which escaped as a crash.
    std::ofstream(path, std::ios::binary) << editPickle(archive, "exp_avg_sq_9", "exp_avg_sq_8");
    Status s = loadCheckpointBytes(readAll(path), path, *model, &optimizer, loaded);
    QVERIFY(!s.ok());
    QVERIFY2(contains(s.error().message, "cannot load checkpoint"), s.error().message.c_str());

    // fuzz_checkpoint, LibTorch 1.13's unpickler: a string longer than its
    // record was zero-filled (4 GiB) before the read failed, a large memo
    // index sized its memo (25 GB), and a class name it could not resolve
    // freed a pointer it had not allocated. Refused before LibTorch reads.
    const std::string bad[][2] = {
        {std::string("X\x05\0\0\0model", 10), std::string("X\xf0\xff\xff\x0fmodel", 10)},
        {std::string("Module\nq\0)", 10), std::string("Module\nr\0\0\0\x40)", 13)},
        {"___torch_mangle_0\nModule", "___torch_mangle_0\nModulf"},
        {"torch._utils\n_rebuild_tensor_v2", "os\nsystem_______________"}};
    for (const auto& [from, to] : bad) {
      const std::string edited = editPickle(archive, from, to);
      QVERIFY(edited != editPickle(archive, from, from));  // the edit applied
      std::ofstream(path, std::ios::binary | std::ios::trunc) << edited;
      s = loadCheckpointBytes(readAll(path), path, *model, &optimizer, loaded);
      QVERIFY(!s.ok());
      QVERIFY2(contains(s.error().message, "is damaged or not ProductLens's"), s.error().message.c_str());
    }

    // A checkpoint of a wider model: LibTorch would give the parameters its
    // shapes (set_), and the fused optimizer indexes them by raw pointer.
    RunConfig wide = tinyConfig();
    wide.dim = 8;
    wide.embeddingDim = 8;
    ProductModel other(wide, std::vector<int64_t>{}, 16);
    ProductModel fresh(tinyConfig(), std::vector<int64_t>{}, 16);
    FusedAdamW otherOptimizer(other->parameters(), FusedAdamWOptions{});
    QVERIFY(saveCheckpoint(path, *other, otherOptimizer, position).ok());
    std::vector<torch::Tensor> shapes;
    for (const auto& t : fresh->parameters()) shapes.push_back(t.clone());
    s = loadCheckpointBytes(readAll(path), path, *fresh, nullptr, loaded);
    QVERIFY(!s.ok());
    QVERIFY2(contains(s.error().message, "does not fit the run's model"), s.error().message.c_str());
    // The refused load put every tensor back: its shape and its values.
    const auto after = fresh->parameters();
    for (size_t i = 0; i < shapes.size(); ++i) {
      QVERIFY(after[i].sizes() == shapes[i].sizes());
      QVERIFY(torch::equal(after[i], shapes[i]));
    }
  }

  void loadingACheckpointRunsNoCodeFromIt() {
    // A LibTorch archive is a TorchScript module: LibTorch compiles its
    // code and runs a class's __setstate__ while unpickling. This one writes
    // a file when loaded (aten::save), as a hostile project's run could.
    QTemporaryDir dir;
    const std::string path = dir.filePath("step.pt").toStdString();
    const std::string written = dir.filePath("written-by-the-checkpoint").toStdString();
    torch::jit::Module evil("Module");
    evil.register_parameter("x", torch::zeros({1}), false);
    evil.define(
        "def __getstate__(self) -> Tensor:\n"
        "    return self.x\n"
        "def __setstate__(self, state: Tensor) -> None:\n"
        "    self.x = state\n"
        "    torch.save(self.x, \"" + written + "\")\n");
    evil.save(path);
    ProductModel model(tinyConfig(), std::vector<int64_t>{}, 16);
    TrainingPosition loaded;
    Status s = loadCheckpointBytes(readAll(path), path, *model, nullptr, loaded);
    QVERIFY(!s.ok());
    QVERIFY2(contains(s.error().message, "carries TorchScript code"), s.error().message.c_str());
    QVERIFY(!QFile::exists(QString::fromStdString(written)));
  }

  void onlyCommonPictureFormatsReachTheDecoders() {
    QTemporaryDir dir;
    cv::Mat picture(6, 8, CV_8UC3, cv::Scalar(10, 20, 30));
    // Sun raster decodes in OpenCV but is no product photo format; a file
    // that starts like NITF would go to GDAL.
    const std::string raster = dir.filePath("a.ras").toStdString();
    QVERIFY(cv::imwrite(raster, picture));
    QVERIFY(!cv::imread(raster).empty());
    QCOMPARE(checkImageFile(raster), ImageStatus::Undecodable);
    QVERIFY(readImageFile(raster).empty());
    const std::string nitf = test::writeFile(dir, "b.ntf", QByteArray("NITF02.10") + QByteArray(400, ' '));
    QCOMPARE(checkImageFile(nitf), ImageStatus::Undecodable);
    std::vector<uint8_t> png;
    QVERIFY(cv::imencode(".png", picture, png));
    QCOMPARE(decodeStoredImage("png", 0, 0, png.data(), png.size()).cols, 8);
    std::vector<uint8_t> ras;
    QVERIFY(cv::imencode(".ras", picture, ras));
    QVERIFY(decodeStoredImage("png", 0, 0, ras.data(), ras.size()).empty());
  }

  void damagedTokenizerModelsAreRefused() {
    // fuzz_model_import: SentencePiece 0.1.97 follows a model's normalisation
    // table wherever its offsets point (a SEGV when encoding), and a piece
    // that starts with NUL made it throw through itself (std::terminate).
    QTemporaryDir dir;
    const std::string path = dir.filePath("t.model").toStdString();
    std::vector<std::string> texts;
    for (int i = 0; i < 40; ++i) texts.push_back("red cotton shirt size " + std::to_string(i));
    TokenizerOptions options;
    options.vocabSize = 40;
    QVERIFY(Tokenizer::train(texts, options, path).ok());
    const std::string model = readAll(path);
    QVERIFY(Tokenizer::load(path).ok());
    // One block of trie units; "e" has a leaf at unit 0x80 whose string lies
    // 2 GB past the strings. An appended normalizer_spec (3) replaces the
    // table: protobuf merges repeated message fields.
    std::string units(1024, '\0');
    auto put = [&](size_t i, uint32_t u) { std::memcpy(&units[4 * i], &u, sizeof u); };
    put(0x65, 0x65u | (1u << 8) | ((0x65u ^ 0x80u) << 10));
    put(0x80, (1u << 31) | 0x7FFFFFF0u);
    const std::string table = std::string("\x00\x04\x00\x00", 4) + units + std::string("E\0", 2);
    const std::string nulPiece = protoField(1, protoField(1, std::string("\0x", 2)));
    for (const std::string& bytes : {model + protoField(3, protoField(2, table)), model + nulPiece}) {
      const std::string damaged = test::writeFile(dir, "damaged.model", QByteArray::fromStdString(bytes));
      auto loaded = Tokenizer::load(damaged);
      QVERIFY(!loaded.ok());
      QVERIFY2(contains(loaded.error().message, "damaged"), loaded.error().message.c_str());
    }
  }

  void modelAndIndexNumbersMustBeWholeNumbers() {
    // Found while writing fuzz_model_import and fuzz_hnsw: nlohmann-json cast
    // 1e30 and -1.5 to integers unchecked (undefined behaviour).
    for (const std::string header : {R"({"t":{"dtype":"F32","shape":[1e30],"data_offsets":[0,4]}})",
                                     R"({"t":{"dtype":"F32","shape":[1],"data_offsets":[-1.5,4]}})"}) {
      const std::string file = std::string(1, static_cast<char>(header.size())) + std::string(7, '\0') + header +
                               std::string(4, '\0');
      auto parsed = parseSafetensors(file, "m.safetensors");
      QVERIFY(!parsed.ok());
      QVERIFY2(contains(parsed.error().message, "whole numbers"), parsed.error().message.c_str());
    }
    QTemporaryDir dir;
    const std::string index = dir.filePath("n.hnsw").toStdString();
    const char* sidecar = R"({"fingerprint":"f","rows":32,"dim":8,"m":%1,"ef_construction":32,"file_bytes":99})";
    test::writeFile(dir, "n.hnsw.json", QString(sidecar).arg("1e30").toUtf8());
    QVERIFY(!readHnswIndexInfo(index).has_value());  // damaged: rebuilt
    test::writeFile(dir, "n.hnsw.json", QString(sidecar).arg("16").toUtf8());
    auto info = readHnswIndexInfo(index);
    QVERIFY(info.has_value());
    QCOMPARE(info->m, 16);
  }

  void fineTunedHeadSizesCannotWrapAround() {
    // Found while writing fuzz_blobs: with dim 2^62 and one class, (dim + 1)
    // floats came to 4 bytes modulo 2^64, and the weights were resized to
    // 2^62 floats (an uncaught length_error).
    QTemporaryDir dir;
    auto p = test::newProject(dir);
    Database& db = p->db();
    auto run = createRun(db, "ft", "finetune", tinyConfig().toJson());
    QVERIFY(run.ok());
    FinetuneHead head;
    head.labelName = "category";
    head.mode = "probe";
    head.classNames = {"a"};
    head.dim = 2;
    head.weight = {1, 2};
    head.bias = {3};
    saveFinetuneHead(db, *run, head);
    QVERIFY(loadFinetuneHead(db, *run).has_value());
    db.exec("UPDATE finetune_heads SET dim = 4611686018427387904, head = x'00000000'");
    QVERIFY(!loadFinetuneHead(db, *run).has_value());
    db.exec("UPDATE finetune_heads SET dim = -1");
    QVERIFY(!loadFinetuneHead(db, *run).has_value());
  }

  void croppingALongStripStaysSmall() {
    // Scaling a 1 x 100000 strip's short side to 32 before cropping made a
    // 32 x 3.2M matrix; the centre square is cropped first now.
    cv::Mat strip(100000, 1, CV_8UC3, cv::Scalar(5, 6, 7));
    cv::Mat fitted = fitImage(strip, ImageShape{32, 3, false});
    QCOMPARE(fitted.rows, 32);
    QCOMPARE(fitted.cols, 32);
    QCOMPARE(int(fitted.at<cv::Vec3b>(16, 16)[2]), 7);
    // The crop keeps the middle of a wide picture.
    cv::Mat wide(10, 30, CV_8UC1, cv::Scalar(0));
    wide.colRange(10, 20).setTo(200);
    cv::Mat middle = fitImage(wide, ImageShape{10, 1, false});
    QCOMPARE(int(middle.at<uint8_t>(5, 0)), 200);
    QCOMPARE(int(middle.at<uint8_t>(5, 9)), 200);
  }
};

QTEST_APPLESS_MAIN(TestHostileInputs)
#include "test_hostile_inputs.moc"
