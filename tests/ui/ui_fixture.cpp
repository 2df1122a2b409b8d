#include "tests/ui/ui_fixture.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QImage>
#include <QStandardPaths>
#include <QTextStream>
#include <QWidget>
#include <cstdio>

#include "catalog/catalog_import.h"
#include "store/project.h"

namespace pl::ui::test {

const char* const kFixtureHeader =
    "sku,productDisplayName,brand,masterCategory,subCategory,price,image,colour";

void isolateSettings() {
  QCoreApplication::setOrganizationName(QStringLiteral("ProductLensTest"));
  QCoreApplication::setApplicationName(QStringLiteral("productlens-uitest"));
  QStandardPaths::setTestModeEnabled(true);
}

QString writeCatalog(const QString& dir, int rows) {
  QDir(dir).mkpath(QStringLiteral("images"));
  QImage grey(28, 28, QImage::Format_Grayscale8);
  for (int y = 0; y < 28; ++y) {
    for (int x = 0; x < 28; ++x) grey.setPixel(x, y, qRgb(x * 9, x * 9, x * 9));
  }
  grey.save(dir + QStringLiteral("/images/p0.png"));
  QImage colour(64, 48, QImage::Format_RGB888);
  colour.fill(QColor(30, 90, 200));
  colour.save(dir + QStringLiteral("/images/p1.png"));

  QString path = dir + QStringLiteral("/catalog.csv");
  QFile file(path);
  if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate)) return {};
  QTextStream out(&file);
  out << kFixtureHeader << '\n';
  for (int i = 0; i < rows; ++i) {
    bool even = i % 2 == 0;
    QString image = i == 0 ? "images/p0.png" : i == 1 ? "images/p1.png" : i == 2 ? "images/gone.png" : "";
    out << "S" << i << ',' << (even ? "Blue shirt " : "Red jeans ") << i << ','
        << (even ? "Acme" : "Zeta") << ',' << "Apparel," << (even ? "Topwear" : "Bottomwear")
        << ',' << (10 + i) << ".50," << image << ',' << (even ? "blue" : "red") << '\n';
  }
  return path;
}

QString makeProject(const QString& dir, int rows) {
  pl::ImportOptions options;
  options.catalogPath = writeCatalog(dir, rows).toStdString();
  return importIntoNewProject(dir + QStringLiteral("/project.plens"), options);
}

QString importIntoNewProject(const QString& projectPath, const pl::ImportOptions& options) {
  auto project = pl::Project::open(projectPath.toStdString(), pl::OpenMode::CreateIfMissing);
  if (!project) {
    std::fprintf(stderr, "fixture: %s\n", project.error().message.c_str());
    return {};
  }
  pl::JobContext context;
  auto report = pl::importCatalog(**project, options, context);
  if (!report) {
    std::fprintf(stderr, "fixture: %s\n", report.error().message.c_str());
    return {};
  }
  return projectPath;
}

void maybeGrab(QWidget& widget, const QString& name) {
  QString dir = qEnvironmentVariable("PL_SCREENSHOT_DIR");
  if (!dir.isEmpty()) widget.grab().save(dir + QLatin1Char('/') + name);
}

}  // namespace pl::ui::test
