#include "cli/commands.h"

namespace pl::cli {

int runNeighbors(const ParsedArgs&) { return fail("neighbors is not implemented yet"); }

}  // namespace pl::cli
