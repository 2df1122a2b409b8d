#include <cstdio>
#include <nlohmann/json.hpp>

#include "catalog/catalog_import.h"
#include "cli/commands.h"
#include "cli/stop_on_signal.h"
#include "cli/terminal_progress.h"

namespace pl::cli {

namespace {

constexpr size_t kIssuesShown = 20;

std::string reportJson(const ImportReport& r) {
  nlohmann::json j;
  j["catalog_id"] = r.catalogId;
  j["mapping"] = nlohmann::json::parse(r.mapping.toJson());
  j["rows_read"] = r.rowsRead;
  j["products_imported"] = r.productsImported;
  j["bad_rows"] = r.badRows;
  j["images_found"] = r.imagesFound;
  j["images_missing"] = r.imagesMissing;
  j["images_undecodable"] = r.imagesUndecodable;
  j["basket_lines_read"] = r.basketLinesRead;
  j["baskets"] = r.baskets;
  j["basket_items"] = r.basketItems;
  j["basket_bad_lines"] = r.basketBadLines;
  j["seconds"] = r.seconds;
  j["issues"] = nlohmann::json::array();
  for (size_t i = 0; i < r.issues.size() && i < kIssuesShown; ++i) {
    j["issues"].push_back(r.issues[i].describe());
  }
  return j.dump(2);
}

void printReport(const ImportReport& r, const std::string& catalog) {
  if (!catalog.empty()) {
    std::printf("Imported %lld products from %s in %.2f s (%lld rows read, %lld bad)\n",
                static_cast<long long>(r.productsImported), catalog.c_str(), r.seconds,
                static_cast<long long>(r.rowsRead), static_cast<long long>(r.badRows));
    std::printf("Mapping: %s\n", r.mapping.toSpec().c_str());
    std::printf("Images: %lld found, %lld missing, %lld undecodable\n",
                static_cast<long long>(r.imagesFound), static_cast<long long>(r.imagesMissing),
                static_cast<long long>(r.imagesUndecodable));
  }
  if (r.basketLinesRead > 0) {
    std::printf("Baskets: %lld baskets, %lld items (%lld bad lines)\n",
                static_cast<long long>(r.baskets), static_cast<long long>(r.basketItems),
                static_cast<long long>(r.basketBadLines));
  }
  int64_t bad = r.badRows + r.basketBadLines;
  for (size_t i = 0; i < r.issues.size() && i < kIssuesShown; ++i) {
    std::fprintf(stderr, "skipped %s\n", r.issues[i].describe().c_str());
  }
  if (bad > static_cast<int64_t>(kIssuesShown)) {
    std::fprintf(stderr, "... and %lld more bad rows (productlens-cli info P.plens --issues N)\n",
                 static_cast<long long>(bad - static_cast<int64_t>(kIssuesShown)));
  }
}

}  // namespace

int runImport(const ParsedArgs& args) {
  ImportOptions options;
  options.catalogPath = args.positional.size() > 1 ? args.positional[1] : "";
  if (options.catalogPath.empty() && !args.has("baskets")) {
    return fail("give a CATALOG file, or --baskets FILE to add baskets to the last catalog",
                kExitUsage);
  }
  std::string format = args.value("format");
  if (format == "csv") options.format = CatalogFormat::Csv;
  else if (format == "tsv") options.format = CatalogFormat::Tsv;
  else if (format == "jsonl") options.format = CatalogFormat::Jsonl;
  else if (!format.empty()) return fail("--format must be csv, tsv or jsonl", kExitUsage);
  options.mapSpecs = args.all("map");
  options.imagesRoot = args.value("images-root");
  options.allowOutsideImagesRoot = args.has("allow-outside-images-root");
  options.catalogName = args.value("name");
  options.strict = args.has("strict");
  options.basketsPath = args.value("baskets");
  options.basketOrderColumn = args.value("basket-order");
  options.basketItemColumn = args.value("basket-item");

  auto project = Project::open(args.positional[0], OpenMode::CreateIfMissing);
  if (!project) return fail(project.error().message);
  JobContext context;
  TerminalProgress bar(args.has("quiet"));
  bar.attach(context);
  StopOnSignal stopOnSignal(context);
  auto report = importCatalog(**project, options, context);
  bar.finish();
  if (!report) return fail(report.error().message);
  if (args.has("json")) {
    std::printf("%s\n", reportJson(*report).c_str());
  } else {
    printReport(*report, options.catalogPath);
  }
  return kExitOk;
}

}  // namespace pl::cli
