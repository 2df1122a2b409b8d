#include <QRegularExpression>
#include <QtTest>
#include <fstream>
#include <random>
#include <set>

#include "catalog/csv_parser.h"
#include "test_support.h"
#include "text/sentencepiece_api.h"
#include "text/tokenizer.h"

using namespace pl;

namespace {

/// Titles like a fashion catalog's: brand, gender, colour, article.
std::vector<std::string> englishTitles(int n) {
  const char* brands[] = {"Nike", "Puma", "Adidas", "Roadster", "Wrogn", "Fabindia", "Titan"};
  const char* who[] = {"Men", "Women", "Boys", "Girls", "Unisex"};
  const char* colours[] = {"Navy Blue", "Black", "White", "Red", "Olive", "Grey", "Maroon"};
  const char* items[] = {"Running Shoes", "Casual Shirt", "Slim Fit Jeans", "Printed T-shirt",
                         "Analog Watch", "Kurta", "Sports Sandals", "Backpack", "Track Pants"};
  std::mt19937 rng(7);
  std::vector<std::string> out;
  for (int i = 0; i < n; ++i) {
    out.push_back(std::string(brands[rng() % 7]) + " " + who[rng() % 5] + " " + colours[rng() % 7] +
                  " " + items[rng() % 9]);
  }
  return out;
}

/// Chinese titles without spaces, as on Chinese marketplaces.
std::vector<std::string> chineseTitles(int n) {
  const char* brands[] = {"小米", "华为", "飞利浦", "美的", "海尔", "联想"};
  const char* adjectives[] = {"新款", "正品", "家用", "便携式", "无线", "智能"};
  const char* items[] = {"手机壳", "电动牙刷", "理发器", "蓝牙耳机", "电饭煲", "充电器", "笔记本电脑"};
  const char* colours[] = {"黑色", "白色", "红色", "蓝色"};
  std::mt19937 rng(11);
  std::vector<std::string> out;
  for (int i = 0; i < n; ++i) {
    out.push_back(std::string(brands[rng() % 6]) + adjectives[rng() % 6] + items[rng() % 7] +
                  colours[rng() % 4]);
  }
  return out;
}

/// SentencePiece's default normaliser (nmt_nfkc) folds compatibility forms
/// and collapses spaces; a round trip is exact up to that.
QString normalised(const std::string& s) {
  static const QRegularExpression spaces("\\s+");
  // NFKC with case folding (nmt_nfkc_cf), which toLower matches on these texts.
  return QString::fromStdString(s).normalized(QString::NormalizationForm_KC)
      .toLower()
      .replace(spaces, " ")
      .trimmed();
}

std::string folded(const std::string& s) { return QString::fromStdString(s).toLower().toStdString(); }

TokenizerOptions withVocab(int vocab) {
  TokenizerOptions o;
  o.vocabSize = vocab;
  return o;
}

bool hasUnk(const std::vector<int>& ids) {
  return std::find(ids.begin(), ids.end(), Tokenizer::kUnk) != ids.end();
}

/// The `column` of every row of a CSV file.
std::vector<std::string> csvColumn(const QString& path, const std::string& column) {
  QFile f(path);
  if (!f.open(QIODevice::ReadOnly)) qFatal("cannot read %s", qPrintable(path));
  const QByteArray bytes = f.readAll();
  CsvParser parser(std::string_view(bytes.constData(), bytes.size()), ',');
  const auto& header = parser.header();
  const auto col = std::find(header.begin(), header.end(), column) - header.begin();
  std::vector<std::string> out;
  RawRecord record;
  std::string reason;
  for (;;) {
    const auto outcome = parser.next(record, reason);
    if (outcome == ReadOutcome::End) break;
    if (outcome == ReadOutcome::Record && col < static_cast<long>(record.fields.size())) {
      out.push_back(record.fields[col]);
    }
  }
  return out;
}

struct RealCorpusStats {
  double unkRate = 0;          // unknown pieces / all pieces, on held-out titles
  double roundTripRate = 0;    // exact (normalised) round trips among unk-free titles
  double piecesPerTitle = 0;
};

/// Trains on the first 4,000 titles and measures on the rest (held out).
RealCorpusStats trainAndMeasure(const std::vector<std::string>& titles, const QString& modelPath,
                                int vocab) {
  const size_t trainCount = std::min<size_t>(4000, titles.size() * 4 / 5);
  const std::vector<std::string> train(titles.begin(), titles.begin() + trainCount);
  TokenizerOptions options;
  options.vocabSize = vocab;
  auto tok = Tokenizer::train(train, options, modelPath.toStdString());
  if (!tok) qFatal("training failed: %s", tok.error().message.c_str());
  RealCorpusStats stats;
  size_t pieces = 0, unks = 0, checked = 0, exact = 0, sampled = 0;
  for (size_t i = trainCount; i < titles.size() && sampled < 1000; ++i, ++sampled) {
    const auto ids = tok->encode(titles[i]);
    pieces += ids.size();
    unks += std::count(ids.begin(), ids.end(), Tokenizer::kUnk);
    if (hasUnk(ids)) continue;
    ++checked;
    if (QString::fromStdString(tok->decode(ids)) == normalised(titles[i])) {
      ++exact;
    } else if (checked - exact <= 3) {
      qWarning("round trip differs: '%s' -> '%s'", titles[i].c_str(), tok->decode(ids).c_str());
    }
  }
  stats.unkRate = double(unks) / std::max<size_t>(1, pieces);
  stats.roundTripRate = double(exact) / std::max<size_t>(1, checked);
  stats.piecesPerTitle = double(pieces) / std::max<size_t>(1, sampled);
  return stats;
}

}  // namespace

class TestTokenizer : public QObject {
  Q_OBJECT
 private slots:
  void englishRoundTripAndSpecialIdsAreReserved() {
    QTemporaryDir dir;
    const auto titles = englishTitles(2000);
    TokenizerOptions options;
    options.vocabSize = 200;
    auto tok = Tokenizer::train(titles, options, dir.filePath("en.model").toStdString());
    QVERIFY2(tok.ok(), tok ? "" : tok.error().message.c_str());
    QVERIFY(tok->vocabSize() <= 200);
    QVERIFY(tok->vocabSize() > Tokenizer::kMask + 1);
    for (const auto& t : titles) {
      const auto ids = tok->encode(t);
      QVERIFY(!ids.empty());
      // Text never encodes to pad/cls/sep/mask, and this corpus has no unknowns.
      for (int id : ids) QVERIFY2(id > Tokenizer::kMask, t.c_str());
      QCOMPARE(tok->decode(ids), folded(t));
    }
  }

  void chineseRoundTripWithoutSpaces() {
    QTemporaryDir dir;
    const auto titles = chineseTitles(2000);
    TokenizerOptions options;
    options.vocabSize = 300;
    auto tok = Tokenizer::train(titles, options, dir.filePath("zh.model").toStdString());
    QVERIFY2(tok.ok(), tok ? "" : tok.error().message.c_str());
    for (const auto& t : titles) {
      const auto ids = tok->encode(t);
      QVERIFY(!hasUnk(ids));
      QCOMPARE(tok->decode(ids), t);
    }
    // Pieces are subwords, not a character per id: the vocabulary learned words.
    const auto ids = tok->encode(titles[0]);
    QVERIFY(qsizetype(ids.size()) < QString::fromStdString(titles[0]).size());
  }

  void loadedModelEncodesIdentically() {
    QTemporaryDir dir;
    const auto path = dir.filePath("m.model").toStdString();
    const auto titles = englishTitles(1000);
    TokenizerOptions options;
    options.vocabSize = 120;
    auto trained = Tokenizer::train(titles, options, path);
    QVERIFY(trained.ok());
    auto loaded = Tokenizer::load(path);
    QVERIFY2(loaded.ok(), loaded ? "" : loaded.error().message.c_str());
    QCOMPARE(loaded->vocabSize(), trained->vocabSize());
    QCOMPARE(loaded->serialized(), trained->serialized());
    for (const std::string t : {"Nike Men Black Kurta", "Titan Unisex Analog Watch", "unseen xyz"}) {
      QCOMPARE(loaded->encode(t), trained->encode(t));
    }
    // No temp file is left beside the model.
    QCOMPARE(QDir(dir.path()).entryList(QDir::Files), QStringList{"m.model"});
  }

  void tooSmallCorpusStillTrains() {
    QTemporaryDir dir;
    TokenizerOptions options;  // default 8,000 pieces from three titles
    auto tok = Tokenizer::train({"Blue Shirt", "Red Shoes", "Black Watch"}, options,
                                dir.filePath("tiny.model").toStdString());
    QVERIFY2(tok.ok(), tok ? "" : tok.error().message.c_str());
    QVERIFY(tok->vocabSize() < 8000);
    QCOMPARE(tok->decode(tok->encode("Red Shirt")), std::string("red shirt"));
  }

  void caseIsFoldedUnlessTurnedOff() {
    // A typed query ("red shirt") must meet catalog titles ("Red Shirt").
    QTemporaryDir dir;
    const auto titles = englishTitles(1000);
    TokenizerOptions options;
    options.vocabSize = 120;
    auto tok = Tokenizer::train(titles, options, dir.filePath("cf.model").toStdString());
    QVERIFY(tok.ok());
    QCOMPARE(tok->encode("red shirt"), tok->encode("Red Shirt"));
    QCOMPARE(tok->encode("RED SHIRT"), tok->encode("Red Shirt"));
    options.caseFold = false;
    auto cased = Tokenizer::train(titles, options, dir.filePath("cased.model").toStdString());
    QVERIFY(cased.ok());
    QVERIFY(cased->encode("red shirt") != cased->encode("Red Shirt"));
    QCOMPARE(cased->decode(cased->encode("Red Shirt")), std::string("Red Shirt"));
  }

  void emptyCorpusIsRefused() {
    QTemporaryDir dir;
    auto tok = Tokenizer::train({"", "  "}, TokenizerOptions{}, dir.filePath("e.model").toStdString());
    QVERIFY(!tok.ok());
    QVERIFY(tok.error().message.find("no text") != std::string::npos);
  }

  void loadRefusesForeignOrMissingModels() {
    QTemporaryDir dir;
    // A stock SentencePiece model has unk=0, bos=1, eos=2: not ours.
    const auto corpus = test::writeFile(dir, "c.txt", "blue shirt\nred shoes\nblack watch\n");
    std::string model;
    const auto why = spm::train("--input=" + corpus +
                                    " --vocab_size=30 "
                                    "--hard_vocab_limit=false --minloglevel=2",
                                &model);
    QVERIFY2(why.empty(), why.c_str());
    const auto foreignPath =
        test::writeFile(dir, "foreign.model", QByteArray::fromStdString(model));
    auto foreign = Tokenizer::load(foreignPath);
    QVERIFY(!foreign.ok());
    QVERIFY(foreign.error().message.find("special ids") != std::string::npos);
    auto missing = Tokenizer::load(dir.filePath("nope.model").toStdString());
    QVERIFY(!missing.ok());
    QVERIFY(missing.error().message.find("nope.model") != std::string::npos);
  }

  void truncatesToMaxTokens() {
    QTemporaryDir dir;
    auto tok = Tokenizer::train(englishTitles(500), withVocab(60),
                                dir.filePath("t.model").toStdString());
    QVERIFY(tok.ok());
    const std::string text = "Roadster Women Maroon Slim Fit Jeans";
    const auto all = tok->encode(text);
    QVERIFY(all.size() > 3);
    const auto three = tok->encode(text, 3);
    QCOMPARE(three, std::vector<int>(all.begin(), all.begin() + 3));
    QVERIFY(tok->encode("").empty());
  }

  void wordStartsFollowSpacesAndCjkPieces() {
    QTemporaryDir dir;
    auto en = Tokenizer::train(englishTitles(1000), withVocab(60),
                               dir.filePath("en.model").toStdString());
    QVERIFY(en.ok());
    std::vector<bool> starts;
    const std::string text = "Puma Running Shoes";
    const auto ids = en->encode(text, starts);
    QCOMPARE(starts.size(), ids.size());
    // A small vocabulary splits words, yet exactly three pieces start words.
    QVERIFY(ids.size() > 3);
    QCOMPARE(std::count(starts.begin(), starts.end(), true), 3L);
    QVERIFY(starts[0]);

    auto zh = Tokenizer::train(chineseTitles(1000), withVocab(120),
                               dir.filePath("zh.model").toStdString());
    QVERIFY(zh.ok());
    const auto zhIds = zh->encode("蓝牙耳机小米黑色无线充电器", starts);
    QVERIFY(zhIds.size() > 1);
    // No spaces: every CJK piece is its own word, not the whole title one word
    // (a leading bare "▁" piece, if any, joins the first word).
    QVERIFY(std::count(starts.begin(), starts.end(), true) >= long(zhIds.size()) - 1);
  }

  void realCatalogsRoundTripWithFewUnknowns() {
    const QString data = test::datasetsDir();
    if (data.isEmpty()) QSKIP("../shared/datasets is not here");
    QTemporaryDir dir;

    const auto zh = csvColumn(data + "/zh-ecommerce/titles.csv", "title");
    QVERIFY(zh.size() > 1000);
    const auto zhStats = trainAndMeasure(zh, dir.filePath("zh.model"), 4000);
    qInfo("zh-ecommerce: unk rate %.4f, round trip %.4f, %.1f pieces/title", zhStats.unkRate,
          zhStats.roundTripRate, zhStats.piecesPerTitle);
    QVERIFY(zhStats.unkRate < 0.02);  // held-out rare characters only
    QVERIFY(zhStats.roundTripRate > 0.99);

    auto myntra = csvColumn(data + "/myntra/products.csv", "title");
    QVERIFY(myntra.size() > 1000);
    std::mt19937 rng(3);
    std::shuffle(myntra.begin(), myntra.end(), rng);
    myntra.resize(5000);
    const auto enStats = trainAndMeasure(myntra, dir.filePath("myntra.model"), 2000);
    qInfo("myntra: unk rate %.4f, round trip %.4f, %.1f pieces/title", enStats.unkRate,
          enStats.roundTripRate, enStats.piecesPerTitle);
    QVERIFY(enStats.unkRate < 0.005);
    QVERIFY(enStats.roundTripRate > 0.99);
  }
};

QTEST_APPLESS_MAIN(TestTokenizer)
#include "test_tokenizer.moc"
