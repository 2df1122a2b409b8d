#include "cli/commands.h"

namespace pl::cli {

int runNeighborsBench(const ParsedArgs&) { return fail("bench neighbors is not implemented yet"); }

}  // namespace pl::cli
