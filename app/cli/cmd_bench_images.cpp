// `bench images`: pictures per second of the decode / fit / augment pipeline
// on a project's own pictures (core/image/image_bench.h).
#include <cstdio>
#include <limits>
#include <nlohmann/json.hpp>

#include "cli/commands.h"
#include "image/image_bench.h"
#include "store/project.h"

namespace pl::cli {

int runImagesBench(const ParsedArgs& args) {
  if (!args.has("project")) return fail("bench images needs --project P.plens (a project with pictures)", kExitUsage);
  ImageBenchOptions o;
  FlagReader read(args);
  read.integer("size", 8, 1024, o.shape.size)
      .integer("channels", 1, 3, o.shape.channels)
      .integer("count", 1, std::numeric_limits<int64_t>::max(), o.count)
      .integer("threads", 1, std::numeric_limits<int>::max(), o.threads);
  if (!read.ok()) return fail(read.error(), kExitUsage);
  if (o.shape.channels != 1 && o.shape.channels != 3) {
    return fail("--channels must be 1 or 3 (got '" + args.value("channels") + "')", kExitUsage);
  }
  auto project = Project::open(args.value("project"), OpenMode::ReadOnly);
  if (!project) return fail(project.error().message);
  auto r = benchImagePipeline((*project)->db(), o);
  if (!r) return fail(r.error().message);
  if (args.has("json")) {
    nlohmann::json j{{"pictures", r->pictures},
                     {"threads", r->threads},
                     {"size", o.shape.size},
                     {"channels", o.shape.channels},
                     {"decode_fit_per_s", r->decodeFitPerSecond},
                     {"cold_views_per_s", r->coldViewsPerSecond},
                     {"cached_views_per_s", r->cachedViewsPerSecond},
                     {"broken", r->broken}};
    std::printf("%s\n", j.dump(2).c_str());
    return kExitOk;
  }
  std::printf("productlens bench images: %lld pictures -> %d x %d x %d, %d threads\n",
              static_cast<long long>(r->pictures), o.shape.channels, o.shape.size, o.shape.size, r->threads);
  std::printf("decode + fit (embedding)              %9.0f pictures/s\n", r->decodeFitPerSecond);
  std::printf("decode + fit + augment (first epoch)  %9.0f pictures/s\n", r->coldViewsPerSecond);
  std::printf("augment from cache (later epochs)     %9.0f pictures/s\n", r->cachedViewsPerSecond);
  if (r->broken > 0) std::printf("%lld pictures could not be read\n", static_cast<long long>(r->broken));
  return kExitOk;
}

}  // namespace pl::cli
