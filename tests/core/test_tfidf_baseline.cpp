// The TF-IDF and LSA baselines: n-grams as scikit-learn makes them, weights
// computed by hand on a tiny corpus, exact sparse kNN against a dense
// reference, and LSA preserving the geometry of a matrix of low rank.
#include <torch/torch.h>  // before QtTest: Qt's `slots` macro breaks LibTorch headers

#include <QtTest>
#include <cmath>
#include <random>

#include "eval/lsa.h"
#include "eval/sparse_knn.h"
#include "eval/text_ngrams.h"
#include "eval/tfidf.h"

using Strings = std::vector<std::string>;

namespace {

// A random sparse matrix with unit rows (and its dense twin for references).
pl::SparseRows randomSparse(int64_t rows, int64_t cols, double density, torch::Tensor* dense) {
  std::mt19937 rng(7);
  std::uniform_real_distribution<float> u(0.f, 1.f);
  pl::SparseRows x;
  x.cols = cols;
  *dense = torch::zeros({rows, cols});
  for (int64_t r = 0; r < rows; ++r) {
    for (int64_t c = 0; c < cols; ++c) {
      if (u(rng) < density || c == r % cols) {
        float v = u(rng) + 0.1f;
        x.indices.push_back(static_cast<int32_t>(c));
        x.values.push_back(v);
      }
    }
    x.indptr.push_back(static_cast<int64_t>(x.values.size()));
  }
  x.normalizeRows();
  for (int64_t r = 0; r < rows; ++r) {
    for (int64_t i = x.indptr[r]; i < x.indptr[r + 1]; ++i) dense->index_put_({r, x.indices[i]}, x.values[i]);
  }
  return x;
}

}  // namespace

class TfidfBaselineTest : public QObject {
  Q_OBJECT

 private slots:
  void wordNgramsAreLowerCasedTokensOfTwoOrMoreWordCharacters() {
    QCOMPARE(pl::wordNgrams("Red  Shoes, a pair FOR_men"),
             (Strings{"red", "shoes", "pair", "for_men", "red shoes", "shoes pair", "pair for_men"}));
    QCOMPARE(pl::wordNgrams("ÉCLAIR Ünï"), (Strings{"éclair", "ünï", "éclair ünï"}));
    QCOMPARE(pl::wordNgrams("耐克 运动鞋"), (Strings{"耐克", "运动鞋", "耐克 运动鞋"}));
  }

  void charWbNgramsPadEachWordAndEmitShortWordsOnce() {
    // " ab " gives 2-grams " a","ab","b ", 3-grams " ab","ab ", then is
    // shorter than... equal to 4 characters: emitted whole, once.
    QCOMPARE(pl::charWbNgrams("Ab"), (Strings{" a", "ab", "b ", " ab", "ab ", " ab "}));
    QCOMPARE(pl::charWbNgrams("x"), (Strings{" x", "x ", " x "}));  // 2-grams, then whole
  }

  void tfidfWeightsMatchTheFormula() {
    // Word block with min_df 1 over three titles; row 0 has red, shoe, "red shoe".
    pl::TfidfOptions options;
    options.minDf = 1;
    auto f = pl::tfidfFeatures({"red shoe", "red shirt", "blue shoe"}, options);
    QCOMPARE(f.wordFeatures, int64_t{7});  // blue, blue shoe, red, red shirt, red shoe, shirt, shoe
    double idfRed = std::log(4.0 / 3.0) + 1, idfShoe = idfRed, idfPair = std::log(4.0 / 2.0) + 1;
    double norm = std::sqrt(idfRed * idfRed + idfShoe * idfShoe + idfPair * idfPair);
    // Both blocks are non-empty, so each carries 1/sqrt(2) of the final row.
    std::map<int32_t, float> row0;
    for (int64_t i = f.matrix.indptr[0]; i < f.matrix.indptr[1]; ++i) row0[f.matrix.indices[i]] = f.matrix.values[i];
    QVERIFY(std::abs(row0[2] - idfRed / norm / std::sqrt(2.0)) < 1e-6);   // "red"
    QVERIFY(std::abs(row0[4] - idfPair / norm / std::sqrt(2.0)) < 1e-6);  // "red shoe"
    QVERIFY(!row0.count(0) && !row0.count(5));                            // no "blue", no "shirt"
    double sum = 0;
    for (auto& [c, v] : row0) sum += double(v) * v;
    QVERIFY(std::abs(sum - 1.0) < 1e-6);
  }

  void minDfDropsRareNgrams() {
    auto f = pl::tfidfFeatures({"red shoe", "red shirt", "blue shoe"});
    QCOMPARE(f.wordFeatures, int64_t{2});  // only "red" and "shoe" occur twice
  }

  void sparseKnnEqualsADenseReference() {
    torch::Tensor dense;
    auto x = randomSparse(300, 60, 0.08, &dense);
    pl::JobContext context;
    auto knn = pl::sparseCosineKnn(x, 5, context, /*denseColumns=*/8);
    auto sims = dense.mm(dense.t());
    sims.fill_diagonal_(-1e9);
    auto top = std::get<0>(sims.topk(5, 1));
    for (int64_t r = 0; r < 300; ++r) {
      for (int j = 0; j < 5; ++j) {
        size_t at = static_cast<size_t>(r * 5 + j);
        QVERIFY(knn.indices[at] != r);
        QVERIFY(std::abs(knn.similarities[at] - top[r][j].item<float>()) < 1e-5);
        QVERIFY(std::abs(sims[r][knn.indices[at]].item<float>() - knn.similarities[at]) < 1e-5);
      }
    }
  }

  void lsaKeepsTheCosinesOfALowRankMatrix() {
    // Rows are mixtures of three sparse "topics", so X has rank 3 and LSA to
    // 3 dimensions must keep every cosine.
    pl::SparseRows x;
    x.cols = 40;
    std::mt19937 rng(3);
    std::uniform_real_distribution<float> u(0.1f, 1.f);
    for (int r = 0; r < 50; ++r) {
      float w[3] = {u(rng), u(rng), u(rng)};
      for (int c = 0; c < 40; ++c) {
        float v = w[c % 3] * (1.0f + static_cast<float>(c / 3) * 0.1f);
        x.indices.push_back(c);
        x.values.push_back(v);
      }
      x.indptr.push_back(static_cast<int64_t>(x.values.size()));
    }
    x.normalizeRows();
    auto e = pl::lsaEmbedding(x, 3, 1);
    auto lsa = torch::from_blob(e.data(), {50, 3}).clone();
    torch::Tensor dense = torch::zeros({50, 40});
    for (int64_t r = 0; r < 50; ++r) {
      for (int64_t i = x.indptr[r]; i < x.indptr[r + 1]; ++i) dense.index_put_({r, x.indices[i]}, x.values[i]);
    }
    auto diff = (lsa.mm(lsa.t()) - dense.mm(dense.t())).abs().max().item<float>();
    QVERIFY2(diff < 1e-4, qPrintable(QString::number(diff)));
  }
};

QTEST_APPLESS_MAIN(TfidfBaselineTest)
#include "test_tfidf_baseline.moc"
