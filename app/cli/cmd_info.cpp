#include <cstdio>

#include "cli/commands.h"
#include "store/project_info.h"

namespace pl::cli {

int runInfo(const ParsedArgs& args) {
  int limit = 20;
  FlagReader read(args);
  read.integer("issues", 0, 1000, limit);
  if (!read.ok()) return fail(read.error(), kExitUsage);
  auto project = Project::open(args.positional[0], OpenMode::ReadOnly);
  if (!project) return fail(project.error().message);
  auto info = readProjectInfo(**project);
  if (!info) return fail(info.error().message);
  if (args.has("json")) {
    std::printf("%s\n", info->toJson().c_str());
    return kExitOk;
  }
  auto n = [](int64_t v) { return static_cast<long long>(v); };
  std::printf("Project   %s (schema %d)\n", info->path.c_str(), info->schemaVersion);
  std::printf("Products  %lld (%lld with a usable image)\n", n(info->products), n(info->withImage));
  std::printf("Fields   ");
  for (const auto& [field, count] : info->withField) std::printf(" %s %lld,", field.c_str(), n(count));
  std::printf("\nCategories %lld distinct paths\n", n(info->categories));
  if (!info->withAttribute.empty()) {
    std::printf("Attributes");
    for (const auto& [name, count] : info->withAttribute) std::printf(" %s %lld,", name.c_str(), n(count));
    std::printf("\n");
  }
  std::printf("Baskets   %lld (%lld items)\n", n(info->baskets), n(info->basketItems));
  std::printf("Bad rows  %lld; images missing %lld, undecodable %lld\n", n(info->badRows),
              n(info->imagesMissing), n(info->imagesUndecodable));
  for (const auto& c : info->catalogs) {
    std::printf("Catalog %lld '%s' (%s, %s): %lld products of %lld rows, imported %s\n", n(c.id),
                c.name.c_str(), c.format.c_str(), c.sourcePath.c_str(), n(c.products),
                n(c.rowsRead), c.importedAt.c_str());
  }
  auto issues = readImportIssues(**project, limit);
  if (issues && !issues->empty()) {
    std::printf("First bad rows:\n");
    for (const auto& issue : *issues) std::printf("  %s\n", issue.describe().c_str());
  }
  return kExitOk;
}

}  // namespace pl::cli
