#pragma once
#include <string>

#include "common/job_context.h"
#include "common/result.h"
#include "store/project.h"

namespace pl {

struct EmbedReport {
  int64_t products = 0;
  int64_t dim = 0;
  double seconds = 0;
};

/// Computes the L2-normalised vector of every product with the run's last
/// checkpoint (eval mode, no grad, batched), whitens them when the run's
/// config asks for it (the transform is stored with the run), and stores them
/// in the project, replacing the run's previous embeddings in one transaction.
Result<EmbedReport> computeEmbeddings(Project& project, const std::string& runName,
                                      JobContext& context);

}  // namespace pl
