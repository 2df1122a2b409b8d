#pragma once
#include <string>

#include "common/result.h"

namespace pl {

/// Writes `bytes` to `path` atomically: a temp file beside it, fsync,
/// rename over the old file, fsync of the folder. A crash or a full disk at
/// any moment leaves either the old file or the new one, never a mix.
Status writeFileAtomically(const std::string& path, const std::string& bytes);

}  // namespace pl
