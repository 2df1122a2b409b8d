// Picture paths in a catalog stay under its images root unless the user
// allows otherwise: `..`, absolute paths elsewhere and links pointing out
// are refused (counted as missing, with an issue naming the row and field).
#include <unistd.h>

#include <QtTest>
#include <opencv2/imgcodecs.hpp>

#include "catalog/catalog_import.h"
#include "image/images_root.h"
#include "test_support.h"

using namespace pl;

namespace {

void writePicture(const QTemporaryDir& dir, const QString& name) {
  QDir().mkpath(QFileInfo(dir.filePath(name)).absolutePath());
  QVERIFY(cv::imwrite(dir.filePath(name).toStdString(), cv::Mat(4, 4, CV_8UC3, cv::Scalar(1, 2, 3))));
}

void link(const QTemporaryDir& dir, const QString& target, const QString& name) {
  QVERIFY(::symlink(target.toStdString().c_str(), dir.filePath(name).toStdString().c_str()) == 0);
}

}  // namespace

class TestImagesRoot : public QObject {
  Q_OBJECT
 private slots:
  void picturesUnderTheRootResolve() {
    QTemporaryDir dir;
    writePicture(dir, "root/a.png");
    writePicture(dir, "root/sub/b.png");
    const std::string root = dir.filePath("root").toStdString();
    ImagesRoot images(root);
    QCOMPARE(images.resolve("a.png").path, root + "/a.png");
    QVERIFY(images.resolve("a.png").refused.empty());
    QCOMPARE(images.resolve("sub/../a.png").path, root + "/sub/../a.png");  // stays inside
    QCOMPARE(images.resolve(root + "/sub/b.png").path, root + "/sub/b.png");  // absolute, inside
    QCOMPARE(images.resolve("missing.png").path, root + "/missing.png");  // missing, not refused
    QCOMPARE(images.resolve("https://example.com/c.jpg").path, std::string("https://example.com/c.jpg"));
    QVERIFY(images.resolve("").path.empty());
    QVERIFY(images.resolve("").refused.empty());
    // A root given with a trailing slash, or itself a link, holds the same pictures.
    QCOMPARE(ImagesRoot(root + "/").resolve("a.png").path, root + "/a.png");
    link(dir, dir.filePath("root"), "alias");
    QVERIFY(ImagesRoot(dir.filePath("alias").toStdString()).resolve("sub/b.png").refused.empty());
  }

  void pathsLeavingTheRootAreRefused() {
    QTemporaryDir dir;
    writePicture(dir, "root/a.png");
    writePicture(dir, "secret.png");
    QDir().mkpath(dir.filePath("elsewhere"));
    writePicture(dir, "elsewhere/c.png");
    link(dir, dir.filePath("secret.png"), "root/link.png");   // a file link pointing out
    link(dir, dir.filePath("elsewhere"), "root/folder");      // a folder link pointing out
    link(dir, dir.filePath("root/a.png"), "root/inner.png");  // a link staying inside
    const std::string root = dir.filePath("root").toStdString();
    ImagesRoot images(root);
    for (const std::string& outside :
         {std::string("../secret.png"), std::string("sub/../../secret.png"), std::string("../../../../etc/passwd"),
          dir.filePath("secret.png").toStdString(), std::string("/etc/passwd"), std::string("link.png"),
          std::string("folder/c.png"), std::string(".."), std::string("../root-not/x.png")}) {
      const ImageReference r = images.resolve(outside);
      QVERIFY2(r.path.empty(), outside.c_str());
      QVERIFY2(r.refused.find("'" + outside + "' is outside the images root " + root) != std::string::npos,
               r.refused.c_str());
    }
    QVERIFY(images.resolve("inner.png").refused.empty());
    // Allowed explicitly: resolved as written.
    ImagesRoot allowed(root, true);
    QCOMPARE(allowed.resolve("../secret.png").path, root + "/../secret.png");
    QCOMPARE(allowed.resolve("link.png").path, root + "/link.png");
    QCOMPARE(allowed.resolve("/etc/passwd").path, std::string("/etc/passwd"));
  }

  void importCountsRefusedPicturesAsMissingAndSaysWhere() {
    QTemporaryDir dir;
    writePicture(dir, "pics/a.png");
    writePicture(dir, "secret.png");
    link(dir, dir.filePath("secret.png"), "pics/link.png");
    const std::string csv = test::writeFile(
        dir, "cat.csv", "id,title,photo\n1,a,a.png\n2,b,../secret.png\n3,c,link.png\n");
    JobContext context;
    {
      auto p = test::newProject(dir);
      ImportOptions o;
      o.catalogPath = csv;
      o.imagesRoot = dir.filePath("pics").toStdString();
      o.mapSpecs = {"image=photo"};
      auto r = importCatalog(*p, o, context);
      QVERIFY2(r.ok(), r.ok() ? "" : r.error().message.c_str());
      QCOMPARE(r->productsImported, int64_t(3));  // the rows stay; only their pictures are refused
      QCOMPARE(r->imagesFound, int64_t(1));
      QCOMPARE(r->imagesMissing, int64_t(2));
      QCOMPARE(r->badRows, int64_t(0));
      QCOMPARE(r->issues.size(), size_t(2));
      QCOMPARE(r->issues[0].line, int64_t(3));
      QCOMPARE(r->issues[0].field, std::string("photo"));
      QVERIFY(r->issues[0].describe().find("'../secret.png' is outside the images root") != std::string::npos);
      QVERIFY(r->issues[0].describe().find("--allow-outside-images-root") != std::string::npos);
      QCOMPARE(r->issues[1].line, int64_t(4));
      QCOMPARE(p->db().scalar("SELECT count(*) FROM products WHERE image_status = 2"), int64_t(2));
      QCOMPARE(p->db().scalar("SELECT count(*) FROM import_issues"), int64_t(2));
    }
    {
      auto p = test::newProject(dir, "allowed.plens");
      ImportOptions o;
      o.catalogPath = csv;
      o.imagesRoot = dir.filePath("pics").toStdString();
      o.mapSpecs = {"image=photo"};
      o.allowOutsideImagesRoot = true;
      auto r = importCatalog(*p, o, context);
      QVERIFY(r.ok());
      QCOMPARE(r->imagesFound, int64_t(3));
      QVERIFY(r->issues.empty());
    }
  }
};

QTEST_APPLESS_MAIN(TestImagesRoot)
#include "test_images_root.moc"
