#include <cstdio>

#include "cli/commands.h"
#include "model/torch_runtime.h"

namespace pl::cli {

int runVersion(const ParsedArgs&) {
  std::printf("productlens-cli %s\n%s\n", PL_VERSION, torchRuntimeSummary().c_str());
  return kExitOk;
}

}  // namespace pl::cli
