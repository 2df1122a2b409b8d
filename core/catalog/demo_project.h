#pragma once
#include <string>

#include "common/job_context.h"
#include "common/result.h"
#include "store/project.h"
#include "train/run_config.h"

namespace pl {

/// Where Debian's dataset-fashion-mnist package puts its files.
std::string defaultFashionMnistDir();

/// The run the demo suggests: its pictures only (the titles say nothing),
/// grey 32 x 32 (28 x 28 padded), a small ResNet trained with SimCLR views
/// and nearest-neighbour positives; docs/benchmarks_images.md has the
/// figures behind it.
RunConfig demoRunConfig();

/// Whether the project holds the demo catalog (its run suggestion applies).
bool hasDemoCatalog(Database& db);

/// What the demo build produced.
struct DemoReport {
  int64_t catalogId = 0;
  int64_t products = 0;
  double seconds = 0;
};

/// Adds the built-in demo catalog to `project`: the 70,000 Fashion-MNIST
/// article images (train and test) with their class name as the category
/// and the split as an attribute; images are stored in the project. One
/// transaction; a stop request leaves the project unchanged.
Result<DemoReport> buildDemoCatalog(Project& project, const std::string& fashionMnistDir,
                                    JobContext& context);

}  // namespace pl
