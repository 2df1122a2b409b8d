#include <QtTest>
#include <opencv2/imgcodecs.hpp>

#include "catalog/catalog_import.h"
#include "store/project_info.h"
#include "test_support.h"

using namespace pl;

namespace {

int64_t count(Project& p, const char* table) {
  return p.db().scalar(std::string("SELECT count(*) FROM ") + table);
}

Result<ImportReport> runImport(Project& p, ImportOptions o) {
  JobContext context;
  return importCatalog(p, o, context);
}

QByteArray manyRows(int n) {
  QByteArray csv = "id,title,price\n";
  for (int i = 0; i < n; ++i) csv += QByteArray::number(i) + ",Product " + QByteArray::number(i) + ",1.5\n";
  return csv;
}

}  // namespace

class TestCatalogImport : public QObject {
  Q_OBJECT
 private slots:
  void importsGoodRowsAndReportsEachBadOne() {
    QTemporaryDir dir;
    std::string csv = test::writeFile(dir, "cat.csv",
                                      "id,name,brand,price,colour\n"
                                      "1,Blue shirt,Acme,10,blue\n"
                                      "2,,Acme,10,red\n"            // empty title
                                      "3,Jeans,Acme,cheap,blue\n"   // bad price
                                      "1,Again,Acme,3,\n"           // duplicate id
                                      "4,\"Hat, wool\",Bob,5.5\n"   // too few fields
                                      "5,Caf\xE9,Bob,1,x\n"          // Latin-1, not UTF-8
                                      "6,Socks,,2,green\n");
    auto p = test::newProject(dir);
    ImportOptions o;
    o.catalogPath = csv;
    auto r = runImport(*p, o);
    QVERIFY2(r.ok(), r.ok() ? "" : r.error().message.c_str());
    QCOMPARE(r->rowsRead, int64_t(7));
    QCOMPARE(r->productsImported, int64_t(2));
    QCOMPARE(r->badRows, int64_t(5));
    QCOMPARE(r->issues.size(), size_t(5));
    QCOMPARE(r->issues[0].line, int64_t(3));
    QCOMPARE(r->issues[0].field, std::string("name"));
    QCOMPARE(r->issues[1].field, std::string("price"));
    QVERIFY(r->issues[2].reason.find("duplicate id '1'") != std::string::npos);
    QVERIFY(r->issues[3].reason.find("expected 5 fields, found 4") != std::string::npos);
    QVERIFY(r->issues[4].reason.find("UTF-8") != std::string::npos);
    QCOMPARE(r->issues[0].describe(), csv + ":3: field 'name': empty title");
    QCOMPARE(count(*p, "products"), int64_t(2));
    QCOMPARE(count(*p, "import_issues"), int64_t(5));
    QCOMPARE(p->db().scalar("SELECT bad_rows FROM catalogs"), int64_t(5));
    auto attrs = p->db().prepare("SELECT attributes FROM products WHERE ext_id = '1'");
    QVERIFY(attrs.step());
    QCOMPARE(attrs.text(0), std::string("{\"colour\":\"blue\"}"));
  }

  void strictModeFailsAndLeavesProjectAsItWas() {
    QTemporaryDir dir;
    auto p = test::newProject(dir);
    ImportOptions first;
    first.catalogPath = test::writeFile(dir, "ok.csv", "id,title\n1,a\n2,b\n");
    QVERIFY(runImport(*p, first).ok());
    ImportOptions o;
    o.catalogPath = test::writeFile(dir, "bad.csv", "id,title\n10,a\n11,\n12,c\n");
    o.strict = true;
    auto r = runImport(*p, o);
    QVERIFY(!r.ok());
    QVERIFY(r.error().message.find("bad.csv:3: field 'title': empty title") != std::string::npos);
    QCOMPARE(count(*p, "catalogs"), int64_t(1));
    QCOMPARE(count(*p, "products"), int64_t(2));
    QCOMPARE(count(*p, "import_issues"), int64_t(0));
  }

  void cancelLeavesProjectUnchanged() {
    QTemporaryDir dir;
    auto p = test::newProject(dir);
    ImportOptions o;
    o.catalogPath = test::writeFile(dir, "big.csv", manyRows(20000));
    JobContext context;
    context.setProgressInterval(std::chrono::milliseconds(0));
    int64_t seenDone = 0;
    context.setProgressSink([&](int64_t done, int64_t, const std::string&) {
      seenDone = done;
      context.requestStop();
    });
    auto r = importCatalog(*p, o, context);
    QVERIFY(!r.ok());
    QVERIFY(r.error().message.find("cancelled") != std::string::npos);
    QVERIFY(seenDone > 0);
    QCOMPARE(count(*p, "catalogs"), int64_t(0));
    QCOMPARE(count(*p, "products"), int64_t(0));
  }

  void failureInBasketsRollsBackTheCatalogToo() {
    QTemporaryDir dir;
    auto p = test::newProject(dir);
    ImportOptions o;
    o.catalogPath = test::writeFile(dir, "cat.csv", "id,title\n1,a\n2,b\n");
    o.basketsPath = test::writeFile(dir, "b.csv", "when,what\nx,1\n");
    auto r = runImport(*p, o);
    QVERIFY(!r.ok());
    QVERIFY(r.error().message.find("no order column") != std::string::npos);
    QCOMPARE(count(*p, "catalogs"), int64_t(0));
    QCOMPARE(count(*p, "products"), int64_t(0));
  }

  void importsBasketsAndCountsUnknownItems() {
    QTemporaryDir dir;
    auto p = test::newProject(dir);
    ImportOptions o;
    o.catalogPath = test::writeFile(dir, "cat.csv", "product_id,product_name\n1,a\n2,b\n3,c\n");
    o.basketsPath = test::writeFile(dir, "orders.csv",
                                    "\"order_id\",\"product_id\"\n10,1\n10,2\n10,2\n11,3\n11,99\n");
    auto r = runImport(*p, o);
    QVERIFY2(r.ok(), r.ok() ? "" : r.error().message.c_str());
    QCOMPARE(r->baskets, int64_t(2));
    QCOMPARE(r->basketItems, int64_t(3));  // the repeated (10,2) counts once
    QCOMPARE(r->basketBadLines, int64_t(1));
    QVERIFY(r->issues.at(0).reason.find("no product with id '99'") != std::string::npos);
    QCOMPARE(count(*p, "basket_items"), int64_t(3));
  }

  void basketsCanBeAddedToTheLastCatalogLater() {
    QTemporaryDir dir;
    auto p = test::newProject(dir);
    ImportOptions o;
    o.catalogPath = test::writeFile(dir, "cat.csv", "sku,title\nA,a\nB,b\n");
    QVERIFY(runImport(*p, o).ok());
    ImportOptions b;
    b.basketsPath = test::writeFile(dir, "t.csv", "basket,item\n1,A\n1,B\n");
    b.basketOrderColumn = "basket";
    b.basketItemColumn = "item";
    auto r = runImport(*p, b);
    QVERIFY2(r.ok(), r.ok() ? "" : r.error().message.c_str());
    QCOMPARE(count(*p, "basket_items"), int64_t(2));
    QCOMPARE(count(*p, "catalogs"), int64_t(1));
  }

  void countsFoundMissingAndUndecodableImages() {
    QTemporaryDir dir;
    QDir().mkpath(dir.filePath("pics"));
    cv::imwrite(dir.filePath("pics/a.png").toStdString(), cv::Mat(8, 8, CV_8UC3, cv::Scalar(0, 0, 255)));
    test::writeFile(dir, "pics/b.jpg", "this is not a jpeg");
    std::string csv = test::writeFile(dir, "sub/cat.csv",
                                      "id,title,image\n1,a,a.png\n2,b,b.jpg\n3,c,missing.png\n4,d,\n");
    auto p = test::newProject(dir);
    ImportOptions o;
    o.catalogPath = csv;
    o.imagesRoot = dir.filePath("pics").toStdString();
    auto r = runImport(*p, o);
    QVERIFY(r.ok());
    QCOMPARE(r->productsImported, int64_t(4));  // image problems are never fatal
    QCOMPARE(r->imagesFound, int64_t(1));
    QCOMPARE(r->imagesUndecodable, int64_t(1));
    QCOMPARE(r->imagesMissing, int64_t(1));
    auto info = readProjectInfo(*p);
    QCOMPARE(info->withImage, int64_t(1));
    QCOMPARE(info->imagesMissing, int64_t(1));
  }

  void imagesDefaultToTheCatalogFolder() {
    QTemporaryDir dir;
    cv::imwrite(dir.filePath("x.png").toStdString(), cv::Mat(4, 4, CV_8UC1, cv::Scalar(9)));
    auto p = test::newProject(dir);
    ImportOptions o;
    o.catalogPath = test::writeFile(dir, "cat.csv", "id,title,image\n1,a,x.png\n");
    auto r = runImport(*p, o);
    QCOMPARE(r->imagesFound, int64_t(1));
  }

  void importsJsonLinesWithNestedCategories() {
    QTemporaryDir dir;
    auto p = test::newProject(dir);
    ImportOptions o;
    o.catalogPath = test::writeFile(
        dir, "meta.jsonl",
        "{\"asin\":\"B1\",\"title\":\"Desk lamp\",\"brand\":\"Lumo\",\"price\":19.99,"
        "\"categories\":[[\"Home\",\"Lighting\"]],\"salesRank\":{\"Home\":5}}\n"
        "not json\n"
        "{\"asin\":\"B2\",\"title\":\"Floor lamp\",\"categories\":[[\"Home\",\"Lighting\",\"Floor\"]]}\n");
    auto r = runImport(*p, o);
    QVERIFY2(r.ok(), r.ok() ? "" : r.error().message.c_str());
    QCOMPARE(r->productsImported, int64_t(2));
    QCOMPARE(r->badRows, int64_t(1));
    QCOMPARE(r->issues[0].line, int64_t(2));
    auto st = p->db().prepare("SELECT category, price, brand, attributes FROM products ORDER BY id");
    QVERIFY(st.step());
    QCOMPARE(st.text(0), std::string("Home > Lighting"));
    QCOMPARE(st.real(1), 19.99);
    QCOMPARE(st.text(2), std::string("Lumo"));
    QCOMPARE(st.text(3), std::string("{\"salesRank\":\"{\\\"Home\\\":5}\"}"));
  }

  void allRowsBadIsAFailure() {
    QTemporaryDir dir;
    auto p = test::newProject(dir);
    ImportOptions o;
    o.catalogPath = test::writeFile(dir, "bad.csv", "id,title\n1,\n2,\n");
    auto r = runImport(*p, o);
    QVERIFY(!r.ok());
    QVERIFY(r.error().message.find("no product could be imported") != std::string::npos);
    QCOMPARE(count(*p, "catalogs"), int64_t(0));
  }

  void missingCatalogFileIsAClearError() {
    QTemporaryDir dir;
    auto p = test::newProject(dir);
    ImportOptions o;
    o.catalogPath = dir.filePath("nope.csv").toStdString();
    auto r = runImport(*p, o);
    QVERIFY(!r.ok());
    QVERIFY(r.error().message.find("cannot open " + o.catalogPath) != std::string::npos);
  }

  void mappingFromOptionsIsApplied() {
    QTemporaryDir dir;
    auto p = test::newProject(dir);
    ImportOptions o;
    o.catalogPath = test::writeFile(dir, "c.csv", "code,label,m,s\n1,Tee,Apparel,Tops\n");
    o.mapSpecs = {"id=code,title=label,category=m>s"};
    auto r = runImport(*p, o);
    QVERIFY(r.ok());
    auto st = p->db().prepare("SELECT ext_id, title, category, attributes FROM products");
    QVERIFY(st.step());
    QCOMPARE(st.text(0), std::string("1"));
    QCOMPARE(st.text(1), std::string("Tee"));
    QCOMPARE(st.text(2), std::string("Apparel > Tops"));
    QCOMPARE(st.text(3), std::string("{}"));
  }
};

QTEST_APPLESS_MAIN(TestCatalogImport)
#include "test_catalog_import.moc"
