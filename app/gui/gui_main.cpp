// productlens: the desktop workbench. Wiring only: parse the command line,
// build the window, pick what to open.

#include <QApplication>
#include <QCommandLineParser>
#include <QTimer>

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
  parser.addPositionalArgument(QStringLiteral("project"),
                               QStringLiteral("A .plens project to open."), QStringLiteral("[PATH]"));
  parser.process(app);

  pl::ui::MainWindow window;
  window.show();
  const QStringList args = parser.positionalArguments();
  // After show(), so errors appear over the window and progress is visible.
  QTimer::singleShot(0, &window, [&] {
    if (!args.isEmpty()) window.openProject(args.first());
    else if (parser.isSet(demo)) window.openDemoProject();
    else window.openStartupProject();
  });
  return app.exec();
}
