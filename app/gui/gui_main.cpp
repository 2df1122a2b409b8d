// productlens: the desktop workbench. Wiring only: parse the command line,
// build the window, pick what to open.

#include <QApplication>
#include <QCommandLineParser>
#include <QTimer>
#include <cstdio>

#include "ui/main_window.h"

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
  parser.addPositionalArgument(QStringLiteral("project"),
                               QStringLiteral("A .plens project to open."), QStringLiteral("[PATH]"));
  parser.process(app);

  const QStringList pageNames = {QStringLiteral("data"), QStringLiteral("pretrain"),
                                 QStringLiteral("finetune"), QStringLiteral("explore"),
                                 QStringLiteral("export")};
  const int firstPage = parser.isSet(page) ? pageNames.indexOf(parser.value(page).toLower()) : -1;
  if (parser.isSet(page) && firstPage < 0) {
    std::fprintf(stderr, "productlens: --page must be one of %s\n",
                 qPrintable(pageNames.join(QStringLiteral(", "))));
    return 2;
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
  });
  return app.exec();
}
