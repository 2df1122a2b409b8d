#include "cli/commands.h"

namespace pl::cli {

int runProjectionBench(const ParsedArgs&) { return fail("bench projection is not implemented yet"); }

}  // namespace pl::cli
