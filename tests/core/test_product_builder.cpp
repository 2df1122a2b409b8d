#include <QtTest>

#include "catalog/product_builder.h"

using namespace pl;

namespace {
RawRecord rec(std::vector<std::string> f, int64_t line) { return RawRecord{std::move(f), line}; }
}  // namespace

class TestProductBuilder : public QObject {
  Q_OBJECT
 private slots:
  void parsesPrices() {
    QCOMPARE(parsePrice("12.5").value(), 12.5);
    QCOMPARE(parsePrice(" $1,299.00 ").value(), 1299.0);
    QCOMPARE(parsePrice("\xE2\x82\xB9 450").value(), 450.0);
    QVERIFY(!parsePrice("12,50 EUR").has_value());
    QVERIFY(!parsePrice("free").has_value());
    QVERIFY(!parsePrice("-3").has_value());
    QVERIFY(!parsePrice("nan").has_value());
  }
  void buildsProductWithAttributesAndCategoryPath() {
    std::vector<std::string> h{"id", "title", "price", "l1", "l2", "colour", "note"};
    FieldMapping m;
    m.set(Field::Id, {"id"});
    m.set(Field::Title, {"title"});
    m.set(Field::Price, {"price"});
    m.set(Field::Category, {"l1", "l2"});
    ProductBuilder b(h, m);
    Product p;
    QVERIFY(!b.build(rec({"7", " Shirt ", "9.99", "Apparel", "Tops", "Red \"dark\"", ""}, 2), 1, p));
    QCOMPARE(p.id, std::string("7"));
    QCOMPARE(p.title, std::string("Shirt"));
    QCOMPARE(p.category, std::string("Apparel > Tops"));
    QCOMPARE(p.price.value(), 9.99);
    QCOMPARE(p.attributesJson, std::string("{\"colour\":\"Red \\\"dark\\\"\"}"));
    QCOMPARE(b.attributeNames(), (std::vector<std::string>{"colour", "note"}));
    QCOMPARE(b.attributeCounts(), (std::vector<int64_t>{1, 0}));
  }
  void refusesBadRowsNamingTheField() {
    std::vector<std::string> h{"id", "title", "price"};
    FieldMapping m;
    m.set(Field::Id, {"id"});
    m.set(Field::Title, {"title"});
    m.set(Field::Price, {"price"});
    ProductBuilder b(h, m);
    Product p;
    auto emptyTitle = b.build(rec({"1", "  ", "1"}, 2), 1, p);
    QVERIFY(emptyTitle);
    QCOMPARE(emptyTitle->field, std::string("title"));
    auto badPrice = b.build(rec({"2", "x", "ten"}, 3), 2, p);
    QVERIFY(badPrice);
    QCOMPARE(badPrice->field, std::string("price"));
    QVERIFY(badPrice->reason.find("'ten' is not a number") != std::string::npos);
    auto badUtf8 = b.build(rec({"3", "caf\xE9", "1"}, 4), 3, p);
    QVERIFY(badUtf8);
    QCOMPARE(badUtf8->field, std::string("title"));
    auto emptyId = b.build(rec({"", "x", "1"}, 5), 4, p);
    QVERIFY(emptyId);
    QCOMPARE(emptyId->reason, std::string("empty id"));
  }
  void duplicateIdNamesFirstLine() {
    FieldMapping m;
    m.set(Field::Id, {"id"});
    ProductBuilder b({"id"}, m);
    Product p;
    QVERIFY(!b.build(rec({"A"}, 2), 1, p));
    auto dup = b.build(rec({"A"}, 9), 2, p);
    QVERIFY(dup);
    QVERIFY(dup->reason.find("duplicate id 'A' (first on line 2)") != std::string::npos);
  }
  void aBadRowDoesNotReserveItsId() {
    FieldMapping m;
    m.set(Field::Id, {"id"});
    m.set(Field::Title, {"title"});
    ProductBuilder b({"id", "title"}, m);
    Product p;
    QVERIFY(b.build(rec({"A", ""}, 2), 1, p));   // bad: empty title
    QVERIFY(!b.build(rec({"A", "ok"}, 3), 2, p));  // the id is still free
  }
  void rowNumberIsTheIdWhenNoIdColumn() {
    FieldMapping m;
    m.set(Field::Title, {"t"});
    ProductBuilder b({"t"}, m);
    Product p;
    QVERIFY(!b.build(rec({"x"}, 5), 4, p));
    QCOMPARE(p.id, std::string("4"));
  }
};

QTEST_APPLESS_MAIN(TestProductBuilder)
#include "test_product_builder.moc"
