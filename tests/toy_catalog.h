#pragma once
// A small synthetic catalog with learnable structure (colour, material and
// noun words; brand and category that follow from the noun), for training
// tests that must run in seconds.
#include <QByteArray>
#include <QStringList>

#include "train/run_config.h"

namespace pl::test {

/// A 1-layer, width-32 Transformer with mlm + contrastive on 12 tokens and a
/// 60-piece vocabulary: a step on the toy catalog takes a few milliseconds.
inline RunConfig tinyTransformerConfig(int64_t maxSteps, int checkpointEvery) {
  RunConfig c;
  c.encoder = "text-transformer";
  c.objectives = {{"mlm", 1.0}, {"contrastive", 1.0}};
  c.viewWordDrop = 0;
  // Lexical views pull toy products of one colour and material together
  // (TF-IDF neighbours), which the noun-based toy labels do not reward;
  // tests that want them turn them on.
  c.lexicalViews = 0;
  c.layers = 1;
  c.dim = 32;
  c.heads = 2;
  c.maxLength = 12;
  c.embeddingDim = 32;
  c.vocabSize = 60;
  c.batch = 16;
  c.epochs = 0;
  c.maxSteps = maxSteps;
  c.lr = 3e-3;
  c.threads = 1;
  c.checkpointEvery = checkpointEvery;
  c.validationFraction = 0.05;
  return c;
}

inline QByteArray toyCatalogCsv(int count) {
  const QStringList colours = {"red", "blue", "green", "black", "white", "grey"};
  const QStringList materials = {"cotton", "leather", "wool", "steel", "canvas"};
  const QStringList nouns = {"shirt", "boot", "scarf", "kettle", "backpack", "watch"};
  const QStringList brands = {"Acme", "Boreal", "Cobalt", "Dune", "Ember", "Fjord"};
  const QStringList categories = {"Apparel > Tops", "Footwear > Boots", "Apparel > Scarves",
                                  "Home > Kitchen", "Bags > Backpacks", "Accessories > Watches"};
  QByteArray csv = "id,title,brand,category,price\n";
  for (int i = 0; i < count; ++i) {
    int n = (i * 7 + i / 3) % nouns.size();
    QString title = colours[(i * 5) % colours.size()] + " " + materials[(i * 3 + i / 2) % materials.size()] +
                    " " + nouns[n];
    csv += QString("%1,%2,%3,%4,%5\n").arg(i).arg(title, brands[n], categories[n]).arg(5 + n * 10).toUtf8();
  }
  return csv;
}

inline QByteArray toyBasketsCsv(int products, int baskets) {
  QByteArray csv = "order_id,product_id\n";
  for (int b = 0; b < baskets; ++b) {
    for (int k = 0; k < 4; ++k) csv += QByteArray::number(b) + "," + QByteArray::number((b * 13 + k * 6) % products) + "\n";
  }
  return csv;
}

}  // namespace pl::test
