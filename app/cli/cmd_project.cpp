#include "cli/commands.h"

namespace pl::cli {

int runProject(const ParsedArgs&) { return fail("project is not implemented yet"); }

}  // namespace pl::cli
