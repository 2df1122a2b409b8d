#pragma once
// Fixtures of the Pretrain page tests: the synthetic toy catalog (learnable
// in seconds) imported into a fresh project, and a run config small enough
// that a step takes a few milliseconds.

#include <QDir>
#include <QFile>
#include <QString>

#include "tests/toy_catalog.h"
#include "tests/ui/ui_fixture.h"
#include "train/run_config.h"

namespace pl::ui::test {

/// Imports the toy catalog (and baskets when asked) into DIR/NAME; returns
/// the project path, or an empty string with the reason printed.
inline QString makeToyProject(const QString& dir, bool baskets = false,
                              const QString& name = QStringLiteral("toy.plens")) {
  auto write = [&](const QString& file, const QByteArray& bytes) {
    QFile f(QDir(dir).filePath(file));
    if (!f.open(QIODevice::WriteOnly)) return QString();
    f.write(bytes);
    return f.fileName();
  };
  pl::ImportOptions options;
  options.catalogPath =
      write(QStringLiteral("toy.csv"), pl::test::toyCatalogCsv(240)).toStdString();
  if (baskets) {
    options.basketsPath =
        write(QStringLiteral("baskets.csv"), pl::test::toyBasketsCsv(240, 120)).toStdString();
  }
  return importIntoNewProject(QDir(dir).filePath(name), options);
}

/// A 1-layer, width-32 transformer on 12 tokens with a 60-piece vocabulary.
/// No step limit reached in a test (it is stopped); checkpoints only on Stop.
inline pl::RunConfig tinyRunConfig() {
  return pl::test::tinyTransformerConfig(1'000'000, 100'000);
}

}  // namespace pl::ui::test
