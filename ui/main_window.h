#pragma once
// The workbench window: left navigation, the pages, File menu, status bar.
// It wires pages and jobs together; the work lives in the pages and in core.

#include <QMainWindow>
#include <memory>

class QLabel;
class QListWidget;
class QMenu;
class QStackedWidget;

namespace pl {
class Project;
}

namespace pl::ui {

class DataPage;
class ExplorePage;
class ExportPage;
class FinetunePage;
class JobRunner;
class PretrainPage;
class ProductSelection;

/// ProductLens main window.
class MainWindow : public QMainWindow {
  Q_OBJECT

 public:
  enum Page { DataPageIndex, PretrainPageIndex, FineTunePage, ExplorePage, ExportPage };

  explicit MainWindow(QWidget* parent = nullptr);
  ~MainWindow() override;

  /// Opens an existing project; errors are shown in a message box (and
  /// returned false). Refused while a job runs.
  bool openProject(const QString& path);
  /// Opens the demo project, building it in the background first if needed.
  void openDemoProject();
  /// What to do on start without arguments: the last project, else the demo.
  void openStartupProject();

  DataPage* dataPage() const { return dataPage_; }
  PretrainPage* pretrainPage() const { return pretrainPage_; }
  // Qualified: the Page enum has an ExplorePage too.
  pl::ui::ExplorePage* explorePage() const { return explorePage_; }
  pl::ui::ExportPage* exportPage() const { return exportPage_; }
  /// The banner shown above the pages while the project is read-only.
  QLabel* readOnlyBanner() const { return readOnlyBanner_; }
  FinetunePage* finetunePage() const { return finetunePage_; }
  ProductSelection* productSelection() const { return selection_; }
  JobRunner* jobs() const { return jobs_; }
  pl::Project* project() const { return project_.get(); }
  void showPage(Page page);

 protected:
  void closeEvent(QCloseEvent* event) override;

 private:
  void createPages();
  void createMenus();
  void createStatusBar();
  void newProject();
  void openProjectDialog();
  void importCatalog();
  void rebuildRecentMenu();
  void closeProject();
  /// True (and a message shown) when a job blocks `action`; a training run
  /// is instead stopped (checkpoint saved) once the user agrees.
  bool refuseWhileBusy(const QString& action = QString());
  void showError(const QString& title, const QString& message);
  /// Shows why the open project is read-only above the pages (hidden when writable).
  void showReadOnlyBanner();
  void saveSettings();
  void restoreSettings();

  std::unique_ptr<pl::Project> project_;
  JobRunner* jobs_;
  QListWidget* nav_;
  QStackedWidget* pages_;
  DataPage* dataPage_;
  PretrainPage* pretrainPage_;
  pl::ui::ExplorePage* explorePage_;
  pl::ui::ExportPage* exportPage_;
  FinetunePage* finetunePage_;
  ProductSelection* selection_;
  QMenu* recentMenu_;
  QLabel* pathLabel_;
  QLabel* readOnlyBanner_;
  QLabel* countLabel_;
  QLabel* trainingLabel_;
};

}  // namespace pl::ui
