// Model export read back independently: the safetensors header parsed with
// Qt's JSON reader (not the writer's library) and checked byte for byte
// against the model, and the NumPy-only reimplementation in bench/
// reproducing the tool's stored vectors to 1e-4.
// LibTorch first: Qt's `slots` macro would break its headers.
#include "embed/run_model.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QtTest>
#include <cstring>

#include "embed/embed_job.h"
#include "export/model_export.h"
#include "test_support.h"
#include "toy_catalog.h"
#include "train_support.h"

using namespace pl;

namespace {

QByteArray readAll(const QString& path) {
  QFile f(path);
  return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

}  // namespace

class TestModelExport : public QObject {
  Q_OBJECT
 private slots:
  void safetensorsHeaderIsValidAndHoldsTheWeights() {
    std::vector<SafetensorsEntry> entries{{"b", {2}, {1.5f, -2.0f}}, {"a.weight", {1, 3}, {0.f, 1.f, 2.f}}};
    const std::string bytes = safetensorsBytes(entries, "{\"format\":\"pt\"}");
    uint64_t length = 0;
    for (int i = 7; i >= 0; --i) length = (length << 8) | static_cast<uint8_t>(bytes[i]);
    QCOMPARE(length % 8, uint64_t(0));
    QCOMPARE(bytes.size(), size_t(8 + length + 5 * sizeof(float)));
    QJsonObject header = QJsonDocument::fromJson(QByteArray::fromStdString(bytes.substr(8, length))).object();
    QCOMPARE(header["__metadata__"].toObject()["format"].toString(), QStringLiteral("pt"));
    QCOMPARE(header["a.weight"].toObject()["dtype"].toString(), QStringLiteral("F32"));
    QCOMPARE(header["a.weight"].toObject()["shape"].toArray(), (QJsonArray{1, 3}));
    QCOMPARE(header["a.weight"].toObject()["data_offsets"].toArray(), (QJsonArray{8, 20}));
    float second;
    std::memcpy(&second, bytes.data() + 8 + length + 4, sizeof second);
    QCOMPARE(second, -2.0f);
  }

  void exportedModelReproducesTheStoredVectors() {
    QTemporaryDir dir;
    auto p = test::importedProject(dir, test::toyCatalogCsv(240));
    RunConfig c = test::tinyTransformerConfig(40, 1000);
    c.encoder = "text-bow";
    c.objectives = {{"contrastive", 1.0}, {"attr", 1.0}};
    c.inputs = {"title", "brand"};
    QVERIFY(test::trainRun(*p, "bow", c).ok());
    JobContext ctx;
    QVERIFY(computeEmbeddings(*p, "bow", ctx).ok());
    const QString out = dir.filePath("model");
    auto report = exportModel(*p, "bow", out.toStdString(), 50);
    QVERIFY2(report.ok(), report.ok() ? "" : report.error().message.c_str());
    QCOMPARE(report->examples, int64_t(50));
    for (const char* f : {"model.safetensors", "config.json", "tokenizer.model", "examples.jsonl"}) {
      QVERIFY2(QFile::exists(out + "/" + f), f);
    }

    // Every tensor's bytes equal the loaded model's.
    QByteArray file = readAll(out + "/model.safetensors");
    uint64_t length = 0;
    for (int i = 7; i >= 0; --i) length = (length << 8) | static_cast<uint8_t>(file[i]);
    QJsonObject header = QJsonDocument::fromJson(file.mid(8, static_cast<int>(length))).object();
    auto model = loadRunModel(*p, "bow");
    QVERIFY(model.ok());
    int64_t checked = 0, end = 0;
    for (const auto& param : model->model->named_parameters()) {
      QJsonObject entry = header[QString::fromStdString(param.key())].toObject();
      QVERIFY2(!entry.isEmpty(), param.key().c_str());
      const auto offsets = entry["data_offsets"].toArray();
      auto values = param.value().contiguous();
      QCOMPARE(offsets[1].toInteger() - offsets[0].toInteger(), values.numel() * int64_t(sizeof(float)));
      QVERIFY(std::memcmp(file.constData() + 8 + length + offsets[0].toInteger(), values.data_ptr<float>(),
                          static_cast<size_t>(values.numel()) * sizeof(float)) == 0);
      end = std::max<int64_t>(end, offsets[1].toInteger());
      ++checked;
    }
    QVERIFY(checked >= 6);
    QCOMPARE(int64_t(file.size()), int64_t(8 + length) + end);
    QJsonObject config = QJsonDocument::fromJson(readAll(out + "/config.json")).object();
    QCOMPARE(config["run_config"].toObject()["encoder"].toString(), QStringLiteral("text-bow"));
    QCOMPARE(config["attribute_cardinalities"].toArray().size(), 1);

    // NumPy alone, from the files, gives the vectors the tool stored.
    const QString script = QStringLiteral(QT_TESTCASE_SOURCEDIR "/../../bench/reproduce_embeddings.py");
    QProcess python;
    python.start(QStringLiteral("/usr/bin/python3"), {script, out});
    QVERIFY(python.waitForFinished(60000));
    const QByteArray said = python.readAllStandardOutput() + python.readAllStandardError();
    if (said.contains("No module named 'numpy'")) QSKIP("python3-numpy is not installed");
    QVERIFY2(python.exitCode() == 0, said.constData());
    QVERIFY2(said.contains("50 products"), said.constData());
  }
};

QTEST_GUILESS_MAIN(TestModelExport)
#include "test_model_export.moc"
