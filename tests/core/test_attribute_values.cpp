// Field values for colouring the map: category levels split from the path,
// brand, price and attribute columns, in the order of the asked row ids.

#include <QtTest>

#include "catalog/catalog_import.h"
#include "store/attribute_values.h"
#include "test_support.h"

using namespace pl;

class TestAttributeValues : public QObject {
  Q_OBJECT

  std::unique_ptr<Project> project(const QTemporaryDir& dir) {
    auto csv = test::writeFile(dir, "c.csv",
                               "id,title,brand,category,price,colour,\"odd \"\"name\"\"\"\n"
                               "a,Shirt,Acme,Apparel > Tops > Tees,10,red,x\n"
                               "b,Boot,,Footwear > Boots,25.5,blue,\n"
                               "c,Mug,Zeta,,,red,y\n");
    auto p = test::newProject(dir);
    ImportOptions options;
    options.catalogPath = csv;
    JobContext context;
    auto report = importCatalog(*p, options, context);
    if (!report) qFatal("import failed: %s", report.error().message.c_str());
    return p;
  }

 private slots:
  void categoryLevelSplitsThePath() {
    QCOMPARE(categoryLevel("A > B > C", 1), std::string("A"));
    QCOMPARE(categoryLevel("A > B > C", 3), std::string("C"));
    QCOMPARE(categoryLevel("A > B", 3), std::string());
    QCOMPARE(categoryLevel("", 1), std::string());
  }

  void listsLevelsBrandPriceAndAttributes() {
    QTemporaryDir dir;
    auto p = project(dir);
    auto fields = listProductFields(p->db());
    QStringList labels;
    for (const auto& f : fields) labels << QString::fromStdString(f.label());
    QCOMPARE(labels, (QStringList{"Category level 1", "Category level 2", "Category level 3",
                                  "Brand", "Price", "colour", "odd \"name\""}));
  }

  void valuesFollowTheAskedOrder() {
    QTemporaryDir dir;
    auto p = project(dir);
    auto fields = listProductFields(p->db());
    std::vector<int64_t> ids = {3, 1, 2, 99};
    auto level2 = loadFieldValues(p->db(), fields[1], ids);
    QCOMPARE(level2, (std::vector<std::string>{"", "Tops", "Boots", ""}));
    auto brand = loadFieldValues(p->db(), fields[3], ids);
    QCOMPARE(brand, (std::vector<std::string>{"Zeta", "Acme", "", ""}));
    auto price = loadFieldValues(p->db(), fields[4], ids);
    QCOMPARE(std::stod(price[1]), 10.0);
    QCOMPARE(std::stod(price[2]), 25.5);
    QVERIFY(price[0].empty());
    auto colour = loadFieldValues(p->db(), fields[5], ids);
    QCOMPARE(colour, (std::vector<std::string>{"red", "red", "blue", ""}));
    auto odd = loadFieldValues(p->db(), fields[6], ids);
    QCOMPARE(odd, (std::vector<std::string>{"y", "x", "", ""}));
  }
};

QTEST_GUILESS_MAIN(TestAttributeValues)
#include "test_attribute_values.moc"
