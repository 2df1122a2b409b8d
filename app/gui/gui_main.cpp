// productlens: the desktop workbench. Wiring only: parse the command line,
// build the window, pick what to open.

#include <QApplication>
#include <QCommandLineParser>
#include <QFile>
#include <QTimer>
#include <cstdio>
#include <fstream>
#include <sstream>

#include "train/run_config.h"
#include "ui/export/report_pdf.h"
#include "ui/main_window.h"
#include "ui/pretrain/pretrain_page.h"
#include "ui/pretrain/run_config_panel.h"

namespace {

// --print-report: the HTML report as PDF, without a window.
int printReportToPdf(const QString& htmlPath, QString pdfPath) {
  QFile html(htmlPath);
  if (!html.open(QIODevice::ReadOnly)) {
    std::fprintf(stderr, "productlens: cannot read the report %s\n", qPrintable(htmlPath));
    return 1;
  }
  if (pdfPath.isEmpty()) pdfPath = pl::ui::pdfPathFor(htmlPath);
  const QString error = pl::ui::printReportPdf(QString::fromUtf8(html.readAll()), pdfPath);
  if (!error.isEmpty()) {
    std::fprintf(stderr, "productlens: %s\n", qPrintable(error));
    return 1;
  }
  return 0;
}

}  // namespace

int main(int argc, char* argv[]) {
  QApplication app(argc, argv);
  // These name the QSettings file and the AppDataLocation the demo lives in.
  QApplication::setOrganizationName(QStringLiteral("ProductLens"));
  QApplication::setApplicationName(QStringLiteral("productlens"));
  QApplication::setApplicationDisplayName(QStringLiteral("ProductLens"));
  QApplication::setApplicationVersion(QStringLiteral(PL_VERSION));

  QCommandLineParser parser;
  parser.setApplicationDescription(QStringLiteral("ProductLens workbench for product embeddings"));
  parser.addHelpOption();
  parser.addVersionOption();
  QCommandLineOption demo(QStringLiteral("demo"),
                          QStringLiteral("Open the Fashion-MNIST demo project (built if needed)."));
  parser.addOption(demo);
  QCommandLineOption page(QStringLiteral("page"),
                          QStringLiteral("Page to show first: data, pretrain, finetune, explore, "
                                         "export."),
                          QStringLiteral("NAME"));
  parser.addOption(page);
  QCommandLineOption runConfig(QStringLiteral("run-config"),
                               QStringLiteral("Fill the Pretrain page with this run config "
                                              "(JSON, as productlens-cli pretrain --config)."),
                               QStringLiteral("FILE"));
  parser.addOption(runConfig);
  QCommandLineOption start(QStringLiteral("start"),
                           QStringLiteral("Start that run at once (with --run-config)."));
  parser.addOption(start);
  QCommandLineOption printReport(QStringLiteral("print-report"),
                                 QStringLiteral("Print a run report (HTML, as productlens-cli report writes "
                                                "it) to PDF and quit; no window (productlens-cli report --pdf)."),
                                 QStringLiteral("HTML"));
  parser.addOption(printReport);
  QCommandLineOption printTo(QStringLiteral("to"), QStringLiteral("The PDF --print-report writes."),
                             QStringLiteral("PDF"));
  parser.addOption(printTo);
  parser.addPositionalArgument(QStringLiteral("project"),
                               QStringLiteral("A .plens project to open."), QStringLiteral("[PATH]"));
  parser.process(app);

  if (parser.isSet(printReport)) return printReportToPdf(parser.value(printReport), parser.value(printTo));

  const QStringList pageNames = {QStringLiteral("data"), QStringLiteral("pretrain"),
                                 QStringLiteral("finetune"), QStringLiteral("explore"),
                                 QStringLiteral("export")};
  const int firstPage = parser.isSet(page) ? pageNames.indexOf(parser.value(page).toLower()) : -1;
  if (parser.isSet(page) && firstPage < 0) {
    std::fprintf(stderr, "productlens: --page must be one of %s\n",
                 qPrintable(pageNames.join(QStringLiteral(", "))));
    return 2;
  }

  pl::RunConfig presetConfig;
  if (parser.isSet(runConfig)) {
    const std::string file = parser.value(runConfig).toStdString();
    std::ifstream in(file);
    if (!in) {
      std::fprintf(stderr, "productlens: cannot read the run config %s\n", file.c_str());
      return 2;
    }
    std::stringstream text;
    text << in.rdbuf();
    auto parsed = pl::RunConfig::fromJson(text.str(), file);
    if (!parsed) {
      std::fprintf(stderr, "productlens: %s\n", parsed.error().message.c_str());
      return 2;
    }
    presetConfig = *parsed;
  }

  pl::ui::MainWindow window;
  window.show();
  const QStringList args = parser.positionalArguments();
  // After show(), so errors appear over the window and progress is visible.
  QTimer::singleShot(0, &window, [&] {
    if (!args.isEmpty()) window.openProject(args.first());
    else if (parser.isSet(demo)) window.openDemoProject();
    else window.openStartupProject();
    // Opening a project shows the Data page; the requested page comes after.
    if (firstPage >= 0) window.showPage(static_cast<pl::ui::MainWindow::Page>(firstPage));
    if (parser.isSet(runConfig)) {
      window.showPage(pl::ui::MainWindow::PretrainPageIndex);
      window.pretrainPage()->configPanel()->setConfig(presetConfig);
      if (parser.isSet(start)) window.pretrainPage()->start();
    }
  });
  return app.exec();
}
