// Text encoders and the MLM head: shapes, padding handling, pooling, the
// masked-only vocabulary projection, gradient flow, and that MLM learns.
// LibTorch before Qt: Qt's `slots` macro would break torch's Object::slots().
#include <torch/torch.h>

#include "model/text_encoder.h"
#include "train/fused_adamw.h"

#include <QtTest/QtTest>

using namespace pl;

namespace {

TextTransformerOptions smallTransformer(Pooling pooling = Pooling::Mean) {
  TextTransformerOptions o;
  o.vocabSize = 50;
  o.dim = 32;
  o.layers = 2;
  o.heads = 4;
  o.maxLength = 16;
  o.dropout = 0.1;
  o.pooling = pooling;
  return o;
}

TextBowOptions smallBow() {
  TextBowOptions o;
  o.vocabSize = 50;
  o.dim = 32;
  return o;
}

// Appends `extra` padding columns (id 0, mask false).
std::pair<torch::Tensor, torch::Tensor> padRight(const torch::Tensor& ids,
                                                 const torch::Tensor& mask, int64_t extra) {
  auto padIds = torch::zeros({ids.size(0), extra}, torch::kLong);
  auto padMask = torch::zeros({ids.size(0), extra}, torch::kBool);
  return {torch::cat({ids, padIds}, 1), torch::cat({mask, padMask}, 1)};
}

// Two rows of different lengths: row 1 is padded after 3 tokens.
std::pair<torch::Tensor, torch::Tensor> ragged() {
  auto ids = torch::tensor({5, 6, 7, 8, 9, 10, 11, 12, 0, 0}, torch::kLong).view({2, 5});
  auto mask = ids.ne(0);
  return {ids, mask};
}

}  // namespace

class TestTextEncoders : public QObject {
  Q_OBJECT

 private slots:
  void init() { torch::manual_seed(7); }

  void transformerGivesTokenStatesAndPooledVector() {
    TextTransformer model(smallTransformer());
    auto ids = torch::randint(5, 50, {3, 7}, torch::kLong);
    auto out = model->forward(ids, torch::ones({3, 7}, torch::kBool));
    QCOMPARE(out.tokens.sizes().vec(), (std::vector<int64_t>{3, 7, 32}));
    QCOMPARE(out.pooled.sizes().vec(), (std::vector<int64_t>{3, 32}));
    QCOMPARE(model->dim(), int64_t{32});
    QCOMPARE(model->tokenEmbeddingWeight().sizes().vec(), (std::vector<int64_t>{50, 32}));
  }

  void bowGivesTokenStatesAndPooledVector() {
    TextBow model(smallBow());
    auto [ids, mask] = ragged();
    auto out = model->forward(ids, mask);
    QCOMPARE(out.tokens.sizes().vec(), (std::vector<int64_t>{2, 5, 32}));
    QCOMPARE(out.pooled.sizes().vec(), (std::vector<int64_t>{2, 32}));
  }

  void transformerIgnoresAppendedPaddingInEval() {
    for (auto pooling : {Pooling::Mean, Pooling::Cls}) {
      TextTransformer model(smallTransformer(pooling));
      model->eval();
      auto [ids, mask] = ragged();
      auto short_ = model->forward(ids, mask);
      auto [longIds, longMask] = padRight(ids, mask, 4);
      auto long_ = model->forward(longIds, longMask);
      QVERIFY(torch::allclose(short_.pooled, long_.pooled, 1e-5, 1e-5));
      // Real tokens' states do not see the padding either.
      auto realShort = short_.tokens.masked_select(mask.unsqueeze(-1));
      auto realLong = long_.tokens.slice(1, 0, 5).masked_select(mask.unsqueeze(-1));
      QVERIFY(torch::allclose(realShort, realLong, 1e-5, 1e-5));
    }
  }

  void bowIgnoresAppendedPaddingInEval() {
    TextBow model(smallBow());
    model->eval();
    auto [ids, mask] = ragged();
    auto [longIds, longMask] = padRight(ids, mask, 3);
    QVERIFY(torch::allclose(model->forward(ids, mask).pooled,
                            model->forward(longIds, longMask).pooled, 1e-5, 1e-5));
  }

  void allPaddingRowStaysFinite() {
    TextTransformer model(smallTransformer());
    auto ids = torch::zeros({2, 4}, torch::kLong);
    ids[0][0] = 7;
    auto out = model->forward(ids, ids.ne(0));
    QVERIFY(torch::isfinite(out.tokens).all().item<bool>());
    out.pooled.sum().backward();
    QVERIFY(torch::isfinite(model->tokenEmbeddingWeight().grad()).all().item<bool>());
  }

  void clsPoolingTakesPositionZeroAndMeanPoolingAveragesRealTokens() {
    auto [ids, mask] = ragged();
    TextTransformer cls(smallTransformer(Pooling::Cls));
    cls->eval();
    auto c = cls->forward(ids, mask);
    QVERIFY(torch::equal(c.pooled, c.tokens.select(1, 0)));

    TextTransformer mean(smallTransformer(Pooling::Mean));
    mean->eval();
    auto m = mean->forward(ids, mask);
    auto row1 = m.tokens[1].slice(0, 0, 3).mean(0);  // row 1 has 3 real tokens
    QVERIFY(torch::allclose(m.pooled[1], row1, 1e-5, 1e-6));
    QVERIFY(!torch::allclose(m.pooled[1], m.tokens[1].mean(0), 1e-5, 1e-6));
  }

  void mlmHeadOnMaskedPositionsEqualsFullProjectionGathered() {
    TextTransformer model(smallTransformer());
    MlmHead head(32, 50);
    model->eval();
    auto ids = torch::randint(5, 50, {4, 8}, torch::kLong);
    auto states = model->forward(ids, torch::ones({4, 8}, torch::kBool)).tokens.reshape({32, 32});
    auto positions = torch::tensor({0, 3, 9, 17, 31}, torch::kLong);
    auto weight = model->tokenEmbeddingWeight();
    auto full = head->forward(states, weight);  // [32, V]: the projection everywhere
    auto masked = head->forward(states.index_select(0, positions), weight);
    QCOMPARE(masked.sizes().vec(), (std::vector<int64_t>{5, 50}));
    QVERIFY(torch::allclose(masked, full.index_select(0, positions), 1e-5, 1e-5));
  }

  void gradientsReachTokenEmbeddingsThroughTheEncoder() {
    TextTransformer model(smallTransformer());
    auto ids = torch::tensor({5, 6, 7, 0}, torch::kLong).view({1, 4});
    model->forward(ids, ids.ne(0)).pooled.pow(2).sum().backward();
    auto rowNorms = model->tokenEmbeddingWeight().grad().abs().sum(1);
    for (int64_t id : {5, 6, 7}) QVERIFY(rowNorms[id].item<float>() > 0);
    // Tokens not in the batch, and padding, get nothing through the lookup.
    QCOMPARE(rowNorms[0].item<float>(), 0.0f);
    QCOMPARE(rowNorms[8].item<float>(), 0.0f);
    for (const auto& p : model->parameters()) QVERIFY(p.grad().defined());
  }

  void tiedHeadSendsGradientToEveryTokenEmbedding() {
    TextTransformer model(smallTransformer());
    MlmHead head(32, 50);
    auto ids = torch::randint(5, 50, {2, 6}, torch::kLong);
    auto states = model->forward(ids, torch::ones({2, 6}, torch::kBool)).tokens.reshape({12, 32});
    auto logits = head->forward(states.slice(0, 0, 4), model->tokenEmbeddingWeight());
    torch::nn::functional::cross_entropy(logits, ids.view({-1}).slice(0, 0, 4)).backward();
    auto grad = model->tokenEmbeddingWeight().grad();
    QVERIFY(grad.abs().sum(1).gt(0).all().item<bool>());
    for (const auto& p : head->parameters()) QVERIFY(p.grad().defined());
  }

  void fusedAdamWMatchesTorchAdamW() {
    auto a = torch::randn({300, 7}).requires_grad_(true);
    auto b = a.detach().clone().requires_grad_(true);
    torch::optim::AdamW reference({a}, torch::optim::AdamWOptions(1e-2).weight_decay(0.01));
    FusedAdamWOptions o;
    o.lr = 1e-2;
    FusedAdamW fused({b}, o);
    for (int step = 0; step < 5; ++step) {
      auto target = torch::randn({300, 7});
      reference.zero_grad();
      (a - target).pow(2).sum().backward();
      reference.step();
      fused.zeroGrad();
      (b - target).pow(2).sum().backward();
      fused.step();
    }
    QVERIFY(torch::allclose(a, b, 1e-5, 1e-6));
  }

  void mlmLossFallsOnToySequences() {
    // Eight fixed "titles" over 12 ordinary tokens; every position in turn is
    // masked, so the model must learn which tokens go together.
    TextTransformerOptions o = smallTransformer();
    o.vocabSize = 20;
    o.layers = 1;
    o.dropout = 0.0;
    TextTransformer model(o);
    MlmHead head(o.dim, o.vocabSize);
    auto ids = torch::tensor({5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 5, 7, 9, 11,
                              6, 8, 10, 12, 13, 15, 5, 6, 14, 16, 7, 8, 9, 13, 10, 11},
                             torch::kLong)
                   .view({8, 4});
    auto mask = torch::ones({8, 4}, torch::kBool);
    std::vector<torch::Tensor> params = model->parameters();
    for (auto& p : head->parameters()) params.push_back(p);
    torch::optim::AdamW optimizer(params, torch::optim::AdamWOptions(3e-3));
    const int64_t maskId = 4;
    auto lossAt = [&](int64_t column) {
      auto inputs = ids.clone();
      inputs.select(1, column).fill_(maskId);
      auto positions = torch::arange(8, torch::kLong) * 4 + column;
      auto states =
          model->forward(inputs, mask).tokens.reshape({32, o.dim}).index_select(0, positions);
      auto logits = head->forward(states, model->tokenEmbeddingWeight());
      return torch::nn::functional::cross_entropy(logits, ids.select(1, column));
    };
    double first = 0, last = 0;
    for (int step = 0; step < 80; ++step) {
      auto loss = lossAt(step % 4);
      optimizer.zero_grad();
      loss.backward();
      optimizer.step();
      if (step < 4) first += loss.item<double>() / 4;
      if (step >= 76) last += loss.item<double>() / 4;
    }
    QVERIFY2(last < 0.5 * first, qPrintable(QString("loss %1 -> %2").arg(first).arg(last)));
  }
};

QTEST_APPLESS_MAIN(TestTextEncoders)
#include "test_text_encoders.moc"
