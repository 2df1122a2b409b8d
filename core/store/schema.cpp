#include "store/schema.h"

#include <string>
#include <utility>
#include <vector>

#include "store/project_paths.h"

namespace pl {

namespace {

// Each entry upgrades from version i to i+1. Never edit a released entry;
// append a new one instead so older project files keep migrating.
const std::vector<const char*>& migrations() {
  static const std::vector<const char*> steps = {
      // 0 -> 1: catalogs, products, attributes, images, baskets, import issues.
      R"sql(
      CREATE TABLE project_meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);
      CREATE TABLE catalogs(
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL,
        source_path TEXT NOT NULL,
        format TEXT NOT NULL,
        images_root TEXT,
        mapping_json TEXT NOT NULL,
        imported_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ','now')),
        rows_read INTEGER NOT NULL DEFAULT 0,
        bad_rows INTEGER NOT NULL DEFAULT 0,
        images_missing INTEGER NOT NULL DEFAULT 0,
        images_undecodable INTEGER NOT NULL DEFAULT 0);
      -- Attribute columns of a catalog (the values live in products.attributes
      -- as a JSON object: one row per product keeps a 1M-row import fast).
      CREATE TABLE attributes(
        catalog_id INTEGER NOT NULL REFERENCES catalogs(id) ON DELETE CASCADE,
        name TEXT NOT NULL,
        position INTEGER NOT NULL,
        non_empty INTEGER NOT NULL DEFAULT 0,
        PRIMARY KEY(catalog_id, name));
      CREATE TABLE products(
        id INTEGER PRIMARY KEY,
        catalog_id INTEGER NOT NULL REFERENCES catalogs(id) ON DELETE CASCADE,
        ext_id TEXT NOT NULL,
        title TEXT NOT NULL DEFAULT '',
        description TEXT NOT NULL DEFAULT '',
        brand TEXT NOT NULL DEFAULT '',
        category TEXT NOT NULL DEFAULT '',
        price REAL,
        image TEXT NOT NULL DEFAULT '',
        image_status INTEGER NOT NULL DEFAULT 0,
        attributes TEXT NOT NULL DEFAULT '{}',
        UNIQUE(catalog_id, ext_id));
      CREATE TABLE product_images(
        product_id INTEGER PRIMARY KEY REFERENCES products(id) ON DELETE CASCADE,
        format TEXT NOT NULL,
        width INTEGER NOT NULL,
        height INTEGER NOT NULL,
        data BLOB NOT NULL);
      CREATE TABLE import_issues(
        id INTEGER PRIMARY KEY,
        catalog_id INTEGER NOT NULL REFERENCES catalogs(id) ON DELETE CASCADE,
        file TEXT NOT NULL,
        line INTEGER NOT NULL,
        field TEXT NOT NULL DEFAULT '',
        reason TEXT NOT NULL);
      CREATE TABLE baskets(
        id INTEGER PRIMARY KEY,
        catalog_id INTEGER NOT NULL REFERENCES catalogs(id) ON DELETE CASCADE,
        order_ref TEXT NOT NULL,
        UNIQUE(catalog_id, order_ref));
      CREATE TABLE basket_items(
        basket_id INTEGER NOT NULL REFERENCES baskets(id) ON DELETE CASCADE,
        product_id INTEGER NOT NULL REFERENCES products(id) ON DELETE CASCADE,
        position INTEGER NOT NULL,
        PRIMARY KEY(basket_id, product_id)) WITHOUT ROWID;
      CREATE INDEX basket_items_by_product ON basket_items(product_id);
      )sql",
      // 1 -> 2: training runs, their metric series, checkpoints and embeddings.
      R"sql(
      CREATE TABLE runs(
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL UNIQUE,
        kind TEXT NOT NULL DEFAULT 'pretrain',
        parent_run_id INTEGER REFERENCES runs(id) ON DELETE SET NULL,
        config_json TEXT NOT NULL,
        status TEXT NOT NULL DEFAULT 'created',
        message TEXT NOT NULL DEFAULT '',
        created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ','now')),
        updated_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ','now')),
        elapsed_seconds REAL NOT NULL DEFAULT 0,
        step INTEGER NOT NULL DEFAULT 0,
        epoch REAL NOT NULL DEFAULT 0,
        tokenizer BLOB);
      CREATE TABLE metrics(
        run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
        name TEXT NOT NULL,
        step INTEGER NOT NULL,
        value REAL NOT NULL,
        wall_seconds REAL NOT NULL,
        PRIMARY KEY(run_id, name, step)) WITHOUT ROWID;
      CREATE TABLE checkpoints(
        id INTEGER PRIMARY KEY,
        run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
        step INTEGER NOT NULL,
        path TEXT NOT NULL,
        sha256 TEXT NOT NULL,
        created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ','now')));
      CREATE TABLE embeddings(
        run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
        product_id INTEGER NOT NULL REFERENCES products(id) ON DELETE CASCADE,
        vector BLOB NOT NULL,
        PRIMARY KEY(run_id, product_id)) WITHOUT ROWID;
      )sql",
      // 3: the post-processing a run's embeddings went through (whitening:
      // mean and projection as float32), so later vectors can match them.
      R"sql(
      ALTER TABLE runs ADD COLUMN embedding_transform BLOB;
      )sql",
      // 4: 2D maps of a run's embeddings, one per method (the latest
      // replaces the previous). Blobs: int64 products.id per point, float32
      // x,y per point, float64 explained-variance shares (PCA only). The
      // fingerprint tells whether the map still matches the embeddings.
      R"sql(
      CREATE TABLE projections(
        id INTEGER PRIMARY KEY,
        run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
        method TEXT NOT NULL,
        params_json TEXT NOT NULL,
        embeddings_fingerprint TEXT NOT NULL,
        product_ids BLOB NOT NULL,
        coordinates BLOB NOT NULL,
        explained_variance BLOB,
        seconds REAL NOT NULL,
        created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ','now')),
        UNIQUE(run_id, method));
      )sql",
      // 5: the held-out test split of each evaluation label, drawn once and
      // never trained on (test_ids: sorted int64 products.id). Once drawn it
      // is kept whatever seed or fraction is asked for later (the fixed test
      // set is the point), and reports say which seed and fraction it has.
      R"sql(
      CREATE TABLE label_splits(
        id INTEGER PRIMARY KEY,
        label TEXT NOT NULL UNIQUE,
        seed INTEGER NOT NULL,
        test_fraction REAL NOT NULL,
        labelled INTEGER NOT NULL,
        test_ids BLOB NOT NULL,
        created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ','now')));
      )sql",
      // 6: scored results (one row per subject, method, label and labelled
      // fraction; a re-run replaces its row), a fine-tuned run's classifier
      // (class names, the linear head as float32 weight C x D then bias C,
      // its options) and the labels it predicted. The encoder weights of a
      // fine-tuned run are its ordinary checkpoint.
      R"sql(
      CREATE TABLE eval_results(
        id INTEGER PRIMARY KEY,
        subject TEXT NOT NULL,
        method TEXT NOT NULL,
        label TEXT NOT NULL,
        fraction REAL NOT NULL,
        metrics_json TEXT NOT NULL,
        train_items INTEGER NOT NULL DEFAULT 0,
        test_items INTEGER NOT NULL DEFAULT 0,
        seconds REAL NOT NULL DEFAULT 0,
        created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ','now')),
        UNIQUE(subject, method, label, fraction));
      CREATE TABLE finetune_heads(
        run_id INTEGER PRIMARY KEY REFERENCES runs(id) ON DELETE CASCADE,
        base_run TEXT NOT NULL DEFAULT '',
        label_name TEXT NOT NULL,
        mode TEXT NOT NULL,
        fraction REAL NOT NULL,
        classes_json TEXT NOT NULL,
        dim INTEGER NOT NULL,
        head BLOB NOT NULL,
        options_json TEXT NOT NULL);
      CREATE TABLE predictions(
        run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
        product_id INTEGER NOT NULL REFERENCES products(id) ON DELETE CASCADE,
        label_name TEXT NOT NULL,
        label TEXT NOT NULL,
        confidence REAL NOT NULL,
        PRIMARY KEY(run_id, product_id)) WITHOUT ROWID;
      )sql",
      // 6 -> 7: checkpoint paths relative to the project's folder, so a
      // project opens from anywhere and after moving; the rewrite needs the
      // project's own path, so it is C++ (makeCheckpointPathsPortable).
      R"sql(
      SELECT 1;
      )sql",
  };
  return steps;
}

// Rewrites the checkpoint paths older builds stored (relative to the working
// directory of the time, or absolute) relative to the project's folder.
void makeCheckpointPathsPortable(Database& db) {
  std::vector<std::pair<int64_t, std::string>> rows;
  auto st = db.prepare("SELECT id, path FROM checkpoints");
  while (st.step()) rows.emplace_back(st.int64(0), st.text(1));
  auto update = db.prepare("UPDATE checkpoints SET path = ? WHERE id = ?");
  for (const auto& [id, path] : rows) {
    const std::string portable = portableStoredPath(db, path);
    if (portable != path) update.bind(1, portable).bind(2, id).run();
  }
}

}  // namespace

int currentSchemaVersion() { return static_cast<int>(migrations().size()); }

void migrateSchema(Database& db) {
  int version = static_cast<int>(db.scalar("PRAGMA user_version"));
  if (version < 0) throw StoreError("negative project schema version " + std::to_string(version), SQLITE_CORRUPT);
  const auto& steps = migrations();
  for (int v = version; v < static_cast<int>(steps.size()); ++v) {
    Transaction tx(db);
    db.exec(steps[v]);
    if (v + 1 == 7) makeCheckpointPathsPortable(db);
    // PRAGMA cannot take bound parameters; the value is our own integer.
    db.exec("PRAGMA user_version = " + std::to_string(v + 1));
    tx.commit();
  }
}

}  // namespace pl
