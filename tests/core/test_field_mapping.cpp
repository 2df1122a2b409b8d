#include <QtTest>

#include "catalog/field_mapping.h"

using namespace pl;

class TestFieldMapping : public QObject {
  Q_OBJECT
 private slots:
  void guessesMyntraColumns() {
    auto m = guessMapping({"id", "productDisplayName", "gender", "masterCategory", "subCategory",
                           "articleType", "baseColour", "image"});
    QCOMPARE(m.columns(Field::Id), std::vector<std::string>{"id"});
    QCOMPARE(m.columns(Field::Title), std::vector<std::string>{"productDisplayName"});
    QCOMPARE(m.columns(Field::Category),
             (std::vector<std::string>{"masterCategory", "subCategory", "articleType"}));
    QCOMPARE(m.columns(Field::Image), std::vector<std::string>{"image"});
    QVERIFY(!m.isMapped(Field::Brand));
    QVERIFY(!m.usesColumn("gender"));
  }
  void guessesCommonNames() {
    auto m = guessMapping({"product_id", "product_name", "Manufacturer", "Sale Price",
                           "Product Description", "image_url", "aisle_id"});
    QCOMPARE(m.columns(Field::Id)[0], std::string("product_id"));
    QCOMPARE(m.columns(Field::Title)[0], std::string("product_name"));
    QCOMPARE(m.columns(Field::Brand)[0], std::string("Manufacturer"));
    QCOMPARE(m.columns(Field::Price)[0], std::string("Sale Price"));
    QCOMPARE(m.columns(Field::Description)[0], std::string("Product Description"));
    QCOMPARE(m.columns(Field::Image)[0], std::string("image_url"));
    QVERIFY(!m.isMapped(Field::Category));
  }
  void mapSpecOverridesGuessAndBuildsCategoryPath() {
    std::vector<std::string> header{"id", "name", "a", "b", "c"};
    auto m = applyMapSpecs(guessMapping(header), {"title=a,category=b>c", "brand=name"}, header);
    QVERIFY(m.ok());
    QCOMPARE(m->columns(Field::Title)[0], std::string("a"));
    QCOMPARE(m->columns(Field::Category), (std::vector<std::string>{"b", "c"}));
    QCOMPARE(m->columns(Field::Brand)[0], std::string("name"));
    QCOMPARE(m->toSpec(), std::string("id=id,title=a,brand=name,category=b>c"));
  }
  void emptySpecUnmaps() {
    std::vector<std::string> header{"id", "title"};
    auto m = applyMapSpecs(guessMapping(header), {"title="}, header);
    QVERIFY(m.ok());
    QVERIFY(!m->isMapped(Field::Title));
  }
  void titleGuessedFromContentWhenNoNameMatches() {
    // A name column called "product": no name candidate matches, so the
    // column of distinct multi-word values becomes the title; codes, prices
    // and a repeated class do not.
    std::vector<std::string> header{"sku", "product", "kind", "price", "ean"};
    std::vector<std::vector<std::string>> sample;
    for (int i = 0; i < 50; ++i) {
      sample.push_back({"SKU-" + std::to_string(i), "Blue Denim Jacket size " + std::to_string(i),
                        i % 2 ? "Outdoor Wear" : "Indoor Wear", std::to_string(10 + i) + ".50",
                        "400" + std::to_string(i)});
    }
    auto m = guessMapping(header, sample);
    QCOMPARE(m.columns(Field::Title), std::vector<std::string>{"product"});
    QCOMPARE(m.columns(Field::Price), std::vector<std::string>{"price"});
  }
  void titleNotGuessedFromCodesOrWhenNamed() {
    std::vector<std::string> header{"id", "code", "value"};
    std::vector<std::vector<std::string>> codes;
    for (int i = 0; i < 40; ++i) codes.push_back({std::to_string(i), "X" + std::to_string(i), "3.5"});
    QVERIFY(!guessMapping(header, codes).isMapped(Field::Title));
    // A column named like a title wins over a wordier one.
    std::vector<std::string> named{"title", "notes"};
    std::vector<std::vector<std::string>> rows;
    for (int i = 0; i < 20; ++i) rows.push_back({"Mug", "a long note number " + std::to_string(i)});
    QCOMPARE(guessMapping(named, rows).columns(Field::Title), std::vector<std::string>{"title"});
    // Chinese titles have no spaces: three characters or more make a title,
    // one does not.
    QVERIFY(guessTitleFromContent({"t"}, {{"\xe9\xa3\x9e"}}, FieldMapping{}).empty());
    QCOMPARE(guessTitleFromContent({"t"}, {{"\xe9\xa3\x9e\xe5\x88\xa9\xe6\xb5\xa6"}}, FieldMapping{}),
             std::string("t"));
  }
  void badSpecsNameTheProblem() {
    std::vector<std::string> header{"id", "title"};
    auto unknownField = applyMapSpecs({}, {"colour=title"}, header);
    QVERIFY(!unknownField.ok());
    QVERIFY(unknownField.error().message.find("unknown field 'colour'") != std::string::npos);
    auto unknownColumn = applyMapSpecs({}, {"title=name"}, header);
    QVERIFY(!unknownColumn.ok());
    QVERIFY(unknownColumn.error().message.find("no column 'name' (columns: id, title)") !=
            std::string::npos);
    auto noEquals = applyMapSpecs({}, {"title"}, header);
    QVERIFY(!noEquals.ok());
    auto pathForTitle = applyMapSpecs({}, {"title=id>title"}, header);
    QVERIFY(!pathForTitle.ok());
  }
};

QTEST_APPLESS_MAIN(TestFieldMapping)
#include "test_field_mapping.moc"
