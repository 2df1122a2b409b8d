#include "catalog/demo_project.h"

#include <chrono>
#include <cstdio>

#include "catalog/idx_reader.h"
#include "eval/label_split.h"
#include "image/image_file.h"

namespace pl {

namespace {

const char* const kClassNames[10] = {"T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
                                     "Sandal",      "Shirt",   "Sneaker",  "Bag",   "Ankle boot"};

struct Split {
  const char* name;
  const char* images;
  const char* labels;
};

const Split kSplits[] = {{"train", "train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz"},
                         {"test", "t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz"}};

// The label_splits key of category level 1 (ProductField::label()).
constexpr const char* kDemoLabelKey = "Category level 1";

}  // namespace

RunConfig demoRunConfig() {
  RunConfig c;
  c.inputs = {"image"};
  c.imageEncoder = "image-cnn";
  c.image = ImageShape{32, 1, true};
  // SimCLR views plus nearest-neighbour positives, 8 epochs: linear probe
  // with 10% of the labels 0.8172 on the t10k images (raw pixels 0.8031).
  c.objectives = {{"contrastive", 1.0}, {"neighbours", 1.0}};
  c.temperature = 0.1;
  c.lexicalViews = 0;
  c.epochs = 8;
  c.checkpointEvery = 500;
  return c;
}

bool hasDemoCatalog(Database& db) {
  return db.scalar("SELECT count(*) FROM catalogs WHERE format = 'idx'") > 0;
}

std::string defaultFashionMnistDir() { return "/usr/share/datasets/fashion-mnist"; }

Result<DemoReport> buildDemoCatalog(Project& project, const std::string& dir,
                                    JobContext& context) {
  auto started = std::chrono::steady_clock::now();
  std::vector<IdxArray> images, labels;
  for (const auto& split : kSplits) {
    auto img = readIdxFile(dir + "/" + split.images);
    if (!img) return Error{img.error().message + " (install the dataset-fashion-mnist package)"};
    auto lab = readIdxFile(dir + "/" + split.labels);
    if (!lab) return Error{lab.error().message + " (install the dataset-fashion-mnist package)"};
    if (img->dims.size() != 3 || lab->dims.size() != 1 || img->count() != lab->count()) {
      return Error{dir + ": image and label files of the " + split.name + " split do not match"};
    }
    images.push_back(std::move(*img));
    labels.push_back(std::move(*lab));
  }
  int64_t total = images[0].count() + images[1].count();

  Database& db = project.db();
  DemoReport report;
  try {
    Transaction tx(db);
    auto catalog = db.prepare(
        "INSERT INTO catalogs(name, source_path, format, images_root, mapping_json, rows_read) "
        "VALUES ('Fashion-MNIST demo', ?, 'idx', '', '{\"category\":[\"label\"]}', ?)");
    catalog.bind(1, dir).bind(2, total).run();
    report.catalogId = db.lastInsertId();
    auto product = db.prepare(
        "INSERT INTO products(catalog_id, ext_id, title, category, image, image_status, "
        "attributes) VALUES (?, ?, ?, ?, 'stored', ?, ?)");
    auto image = db.prepare(
        "INSERT INTO product_images(product_id, format, width, height, data) "
        "VALUES (?, 'gray8', ?, ?, ?)");
    int64_t done = 0;
    std::vector<int64_t> testIds;
    for (int s = 0; s < 2; ++s) {
      const IdxArray& img = images[s];
      const int h = img.dims[1], w = img.dims[2];
      for (int64_t i = 0; i < img.count(); ++i, ++done) {
        if ((done & 1023) == 0) {
          if (context.stopRequested()) return Error{"demo build cancelled; the project is unchanged"};
          context.progress(done, total, "Building demo catalog");
        }
        int label = labels[s].data[i];
        if (label > 9) return Error{dir + ": label " + std::to_string(label) + " out of range"};
        char id[32];
        std::snprintf(id, sizeof id, "%s-%05lld", kSplits[s].name, static_cast<long long>(i));
        std::string title = std::string("Fashion-MNIST ") + kSplits[s].name + " image " +
                            std::to_string(i);
        std::string attrs = std::string("{\"split\":\"") + kSplits[s].name + "\"}";
        product.bind(1, report.catalogId).bind(2, id).bind(3, title).bind(4, kClassNames[label]);
        product.bind(5, static_cast<int>(ImageStatus::Found)).bind(6, attrs).run();
        const int64_t productId = db.lastInsertId();
        if (s == 1) testIds.push_back(productId);
        image.bind(1, productId).bind(2, w).bind(3, h);
        image.bindBlob(4, img.data.data() + i * img.itemSize(), img.itemSize()).run();
      }
    }
    db.prepare("INSERT INTO attributes(catalog_id, name, position, non_empty) VALUES (?, 'split', 0, ?)")
        .bind(1, report.catalogId)
        .bind(2, total)
        .run();
    // Scores on the demo use the dataset's standard 10,000 test images, so
    // they compare with published Fashion-MNIST figures.
    storeCatalogLabelSplit(db, kDemoLabelKey, std::move(testIds), total);
    context.progress(total, total, "Building demo catalog");
    tx.commit();
  } catch (const StoreError& e) {
    return Error{"demo build into " + project.path() + " failed, nothing was saved: " + e.what()};
  }
  report.products = total;
  report.seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  return report;
}

}  // namespace pl
