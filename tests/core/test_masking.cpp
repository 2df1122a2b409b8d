// LibTorch first: Qt's `slots` macro would break its headers.
#include "text/masking.h"

#include <ATen/CPUGeneratorImpl.h>

#include <QtTest>

using namespace pl;

namespace {

constexpr int64_t kVocab = 1000;

/// A padded batch like the data loader's: [CLS] tokens [SEP] then pads,
/// with random row lengths, and word starts on about 40% of tokens.
struct Batch {
  torch::Tensor ids, maskable, wordStarts;
};

Batch makeBatch(int64_t rows, int64_t cols, uint64_t seed = 5) {
  auto gen = at::detail::createCPUGenerator(seed);
  auto lengths = torch::randint(3, cols + 1, {rows}, gen, torch::kLong);
  auto ids = torch::randint(5, kVocab, {rows, cols}, gen, torch::kLong);
  auto t = torch::arange(cols, torch::kLong).unsqueeze(0);
  auto len = lengths.unsqueeze(1);
  ids.masked_fill_(t >= len, 0);         // pad
  ids.masked_fill_(t == len - 1, 3);     // sep
  ids.index_put_({torch::indexing::Slice(), 0}, 2);  // cls
  Batch b;
  b.ids = ids;
  b.maskable = ids >= 5;
  b.wordStarts = torch::rand({rows, cols}, gen) < 0.4;
  return b;
}

MaskedBatch run(const Batch& b, const MaskingOptions& o, uint64_t seed) {
  auto gen = at::detail::createCPUGenerator(seed);
  return maskTokens(b.ids, b.maskable, b.wordStarts, o, gen);
}

MaskingOptions options(double rate = 0.15, bool wholeWord = false) {
  MaskingOptions o;
  o.rate = rate;
  o.wholeWord = wholeWord;
  o.vocabSize = kVocab;
  return o;
}

torch::Tensor chosenMask(const Batch& b, const MaskedBatch& m) {
  auto chosen = torch::zeros({b.ids.numel()}, torch::kBool);
  chosen.index_fill_(0, m.positions, true);
  return chosen.view(b.ids.sizes());
}

}  // namespace

class TestMasking : public QObject {
  Q_OBJECT
 private slots:
  void choosesTheRateOfMaskablePositions() {
    const auto b = makeBatch(256, 128);
    const auto m = run(b, options(0.15), 1);
    const double maskable = b.maskable.sum().item<double>();
    const double fraction = m.positions.numel() / maskable;
    QVERIFY2(std::abs(fraction - 0.15) < 0.01, qPrintable(QString::number(fraction)));
    // Targets are the original ids at the chosen positions.
    QVERIFY(torch::equal(m.targets, b.ids.reshape({-1}).index_select(0, m.positions)));
  }

  void replacesEightyTenTen() {
    const auto b = makeBatch(256, 128);
    const auto o = options(0.15);
    const auto m = run(b, o, 2);
    const auto after = m.inputIds.reshape({-1}).index_select(0, m.positions);
    const double n = m.positions.numel();
    const double masked = (after == o.maskId).sum().item<double>() / n;
    const double kept = (after == m.targets).sum().item<double>() / n;
    const auto replaced = (after != o.maskId).logical_and(after != m.targets);
    const double random = replaced.sum().item<double>() / n;
    QVERIFY2(std::abs(masked - 0.8) < 0.03, qPrintable(QString::number(masked)));
    // A random draw equal to the original counts as kept (1 in ~1,000).
    QVERIFY2(std::abs(kept - 0.1) < 0.02, qPrintable(QString::number(kept)));
    QVERIFY2(std::abs(random - 0.1) < 0.02, qPrintable(QString::number(random)));
    const auto randomIds = after.masked_select(replaced);
    QVERIFY(randomIds.min().item<int64_t>() >= o.firstOrdinaryId);
    QVERIFY(randomIds.max().item<int64_t>() < o.vocabSize);
  }

  void neverTouchesPadsOrSpecials() {
    const auto b = makeBatch(256, 128);
    for (bool wholeWord : {false, true}) {
      const auto m = run(b, options(0.5, wholeWord), 3);
      const auto chosen = chosenMask(b, m);
      QVERIFY(!chosen.logical_and(b.maskable.logical_not()).any().item<bool>());
      // Positions not chosen keep their ids.
      QVERIFY(torch::equal(m.inputIds.masked_select(chosen.logical_not()),
                           b.ids.masked_select(chosen.logical_not())));
    }
  }

  void wholeWordMaskingTakesWholeWords() {
    const auto b = makeBatch(256, 128);
    const auto m = run(b, options(0.15, true), 4);
    const auto chosen = chosenMask(b, m);
    const auto ids = b.ids.accessor<int64_t, 2>();
    const auto starts = b.wordStarts.accessor<bool, 2>();
    const auto c = chosen.accessor<bool, 2>();
    int64_t words = 0, chosenWords = 0, tokens = 0;
    for (int64_t r = 0; r < b.ids.size(0); ++r) {
      bool wordChosen = false;
      for (int64_t t = 0; t < b.ids.size(1); ++t) {
        if (ids[r][t] < 5) continue;
        const bool start = starts[r][t] || ids[r][t - 1] < 5;  // cls before the first token
        if (start) {
          wordChosen = c[r][t];
          ++words;
          chosenWords += wordChosen;
        } else {
          QCOMPARE(c[r][t], wordChosen);  // a continuation follows its word
        }
        ++tokens;
      }
    }
    const double wordRate = double(chosenWords) / words;
    QVERIFY2(std::abs(wordRate - 0.15) < 0.015, qPrintable(QString::number(wordRate)));
    const double tokenRate = double(m.positions.numel()) / tokens;
    QVERIFY2(std::abs(tokenRate - 0.15) < 0.02, qPrintable(QString::number(tokenRate)));
  }

  void sameSeedSameMaskOtherSeedOther() {
    const auto b = makeBatch(64, 32);
    for (bool wholeWord : {false, true}) {
      const auto a = run(b, options(0.15, wholeWord), 42);
      const auto again = run(b, options(0.15, wholeWord), 42);
      const auto other = run(b, options(0.15, wholeWord), 43);
      QVERIFY(torch::equal(a.inputIds, again.inputIds));
      QVERIFY(torch::equal(a.positions, again.positions));
      QVERIFY(!torch::equal(a.inputIds, other.inputIds));
    }
  }

  void everyNonEmptyRowContributes() {
    auto b = makeBatch(256, 16);
    // Row 0 is empty (only pads): it has nothing to choose.
    b.ids[0].fill_(0);
    b.maskable[0].fill_(false);
    for (bool wholeWord : {false, true}) {
      const auto m = run(b, options(0.01, wholeWord), 6);
      const auto perRow = chosenMask(b, m).sum(1);
      QCOMPARE(perRow[0].item<int64_t>(), int64_t(0));
      const auto nonEmpty = b.maskable.any(1);
      QVERIFY((perRow.masked_select(nonEmpty) >= 1).all().item<bool>());
    }
  }

  void dropWordsLeavesOutWholeWordsAndKeepsOne() {
    auto b = makeBatch(512, 24);
    const auto mask = b.ids != 0;
    auto gen = at::detail::createCPUGenerator(9);
    const auto kept = dropWords(mask, b.maskable, b.wordStarts, 0.3, gen);
    // Only real ordinary tokens are dropped; cls/sep and pads keep their mask.
    QVERIFY(torch::equal(kept.logical_or(b.maskable), mask.logical_or(b.maskable)));
    QVERIFY((kept.logical_and(mask.logical_not())).any().item<bool>() == false);
    const auto dropped = mask.logical_and(kept.logical_not());
    const auto ids = b.ids.accessor<int64_t, 2>();
    const auto starts = b.wordStarts.accessor<bool, 2>();
    const auto d = dropped.accessor<bool, 2>();
    int64_t words = 0, droppedWords = 0;
    for (int64_t r = 0; r < b.ids.size(0); ++r) {
      bool wordDropped = false;
      for (int64_t t = 1; t < b.ids.size(1); ++t) {
        if (ids[r][t] < 5) continue;
        if (starts[r][t] || ids[r][t - 1] < 5) {
          wordDropped = d[r][t];
          ++words;
          droppedWords += wordDropped;
        } else {
          QCOMPARE(d[r][t], wordDropped);  // a word goes as a whole
        }
      }
    }
    // Rows that would lose every word keep all, so the rate is a little under 0.3.
    const double rate = double(droppedWords) / words;
    QVERIFY2(rate > 0.27 && rate < 0.31, qPrintable(QString::number(rate)));
    // Every row that had a word keeps one.
    const auto hadWord = b.maskable.any(1);
    QVERIFY(kept.logical_and(b.maskable).any(1).masked_select(hadWord).all().item<bool>());
    // Rate 0 leaves the mask as it was.
    auto gen0 = at::detail::createCPUGenerator(9);
    QVERIFY(torch::equal(dropWords(mask, b.maskable, b.wordStarts, 0.0, gen0), mask));
  }
};

QTEST_APPLESS_MAIN(TestMasking)
#include "test_masking.moc"
