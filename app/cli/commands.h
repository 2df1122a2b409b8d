#pragma once
#include <string>
#include <vector>

#include "cli/arg_parser.h"

namespace pl::cli {

/// Exit statuses of the CLI contract (DESIGN.md).
enum ExitCode { kExitOk = 0, kExitJobFailed = 1, kExitUsage = 2 };

/// A subcommand: its usage and the function that runs it on parsed arguments.
struct Command {
  CommandSpec spec;
  int (*run)(const ParsedArgs& args);
};

const std::vector<Command>& commands();

int runBench(const ParsedArgs& args);
int runReport(const ParsedArgs& args);
int runImportModel(const ParsedArgs& args);
int runDemo(const ParsedArgs& args);
int runImport(const ParsedArgs& args);
int runInfo(const ParsedArgs& args);
int runVersion(const ParsedArgs& args);
int runPretrain(const ParsedArgs& args);
int runEmbed(const ParsedArgs& args);
int runExport(const ParsedArgs& args);
int runNeighbors(const ParsedArgs& args);
int runRecommend(const ParsedArgs& args);
int runEval(const ParsedArgs& args);
int runProject(const ParsedArgs& args);
int runFinetune(const ParsedArgs& args);
int runPredict(const ParsedArgs& args);
int runEfficiency(const ParsedArgs& args);
/// `bench neighbors` (cmd_bench_neighbors.cpp) and `bench projection` (cmd_bench_projection.cpp).
int runNeighborsBench(const ParsedArgs& args);
/// `bench images` (cmd_bench_images.cpp).
int runImagesBench(const ParsedArgs& args);
int runProjectionBench(const ParsedArgs& args);
const std::vector<OptionSpec>& pretrainOptions();
/// Co-purchase retrieval (cmd_baskets.cpp) and the retrieval fine-tune (cmd_finetune_retrieval.cpp).
int runBaskets(const ParsedArgs& args);
int runFinetuneRetrieval(const ParsedArgs& args);
const std::vector<OptionSpec>& basketsOptions();
const std::vector<OptionSpec>& recommendOptions();
const std::vector<OptionSpec>& finetuneRetrievalOptions();
/// Options of `finetune` and `efficiency` (cmd_finetune_options.cpp).
std::vector<OptionSpec> finetuneOptions();
std::vector<OptionSpec> efficiencyOptions();

/// Prints "error: <message>" on stderr and returns `code`.
int fail(const std::string& message, int code = kExitJobFailed);

}  // namespace pl::cli
