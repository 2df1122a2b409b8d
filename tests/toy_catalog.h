#pragma once
// A small synthetic catalog with learnable structure (colour, material and
// noun words; brand and category that follow from the noun), for training
// tests that must run in seconds.
#include <QByteArray>
#include <QStringList>

namespace pl::test {

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
