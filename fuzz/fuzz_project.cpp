// A project file (*.plens) on arbitrary bytes, opened the way the CLI and
// the workbench open one: read-only, then writable (identity and version
// checks, migrations), then the reads that follow opening (the project
// summary, import issues, runs with their configs and checkpoints, product
// rows and fields). Each must end in an error message or a StoreError (the
// store's documented failure), never a crash. SQLite itself is not
// instrumented; what this covers is our handling of whatever it returns.
#include <unistd.h>

#include <cstdint>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>

#include "fuzz_support.h"
#include "store/attribute_values.h"
#include "store/label_choices.h"
#include "store/product_queries.h"
#include "store/project.h"
#include "store/project_info.h"
#include "store/schema.h"
#include "store/run_store.h"
#include "train/run_config.h"

namespace {

std::string projectPath() { return pl::fuzz::scratchDir() + "/project.plens"; }

void removeProject(const std::string& path) {
  for (const char* suffix : {"", "-wal", "-shm", "-journal"}) unlink((path + suffix).c_str());
}

std::string fileBytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream bytes;
  bytes << in.rdbuf();
  return bytes.str();
}

// Seeds: an empty project before its first migration, and a small one with
// a catalog, products, a stored picture, an import issue and a run, both as
// one rollback-journal file with 512-byte pages (small inputs mutate fast).
void writeSeeds() {
  const std::string path = projectPath();
  auto compact = [&](pl::Database& db) {
    db.exec("PRAGMA journal_mode = DELETE; PRAGMA page_size = 512; VACUUM");
  };
  {
    removeProject(path);
    pl::Database db(path, true);
    db.exec("PRAGMA application_id = " + std::to_string(pl::kProjectApplicationId));
    compact(db);
  }
  pl::fuzz::writeSeed("empty-v0.plens", fileBytes(path));
  removeProject(path);
  {
    auto project = pl::Project::open(path, pl::OpenMode::CreateIfMissing);
    if (!project) std::abort();
    pl::Database& db = (*project)->db();
    db.exec(R"sql(
      INSERT INTO catalogs(id, name, source_path, format, images_root, mapping_json)
        VALUES (1, 'c.csv', '/data/c.csv', 'csv', '/data', '{"title":["name"]}');
      INSERT INTO attributes VALUES (1, 'colour', 0, 2);
      INSERT INTO products(id, catalog_id, ext_id, title, brand, category, price, image,
                           image_status, attributes)
        VALUES (1, 1, 'a', 'Red shirt', 'Acme', 'Men > Shirts', 9.5, 'a.png', 2, '{"colour":"red"}'),
               (2, 1, 'b', 'Blue shoe', '', 'Men > Shoes > Run', NULL, '', 0, '{"colour":"blue"}');
      INSERT INTO product_images VALUES (2, 'gray8', 2, 2, x'01020304');
      INSERT INTO import_issues(catalog_id, file, line, field, reason)
        VALUES (1, '/data/c.csv', 3, 'price', 'not a number');
      INSERT INTO baskets VALUES (1, 1, 'o1');
      INSERT INTO basket_items VALUES (1, 1, 0), (1, 2, 1);
    )sql");
    auto run = pl::createRun(db, "ssl", "pretrain", pl::RunConfig().toJson());
    if (!run) std::abort();
    pl::appendMetrics(db, *run, {{"loss", 1, 2.5, 0.1}, {"loss", 2, 2.0, 0.2}});
    pl::recordCheckpoint(db, *run, 2, "/data/c.plens.runs/ssl/step-00000002.pt", std::string(64, 'a'));
    compact(db);
  }
  pl::fuzz::writeSeed("small.plens", fileBytes(path));
  removeProject(path);
}

void readWhatOpeningReads(pl::Project& project) {
  pl::Database& db = project.db();
  (void)pl::readProjectInfo(project);
  (void)pl::readImportIssues(project, 20);
  try {
    for (const auto& run : pl::listRuns(db)) {
      (void)pl::RunConfig::fromJson(run.configJson, "run '" + run.name + "'");
      (void)pl::latestCheckpoint(db, run.id);
      (void)pl::loadAllMetrics(db, run.id);
      (void)pl::loadRunTokenizer(db, run.id);
    }
    auto ids = pl::findProductRowIds(db, "");
    if (ids.size() > 16) ids.resize(16);
    (void)pl::loadProductRows(db, ids);
    for (int64_t id : ids) (void)pl::loadProductDetail(db, id);
    for (const auto& field : pl::listProductFields(db)) (void)pl::loadFieldValues(db, field, ids);
    (void)pl::listLabelChoices(db);
  } catch (const pl::StoreError&) {
    // The store's way of saying the file is damaged; callers report it.
  }
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  if (!pl::fuzz::seedFolder()) return 0;
  writeSeeds();
  std::exit(0);
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string path = projectPath();
  for (pl::OpenMode mode : {pl::OpenMode::ReadOnly, pl::OpenMode::Existing}) {
    removeProject(path);
    pl::fuzz::writeBytes(path, data, size);
    auto project = pl::Project::open(path, mode);
    if (project) readWhatOpeningReads(**project);
  }
  removeProject(path);
  return 0;
}
