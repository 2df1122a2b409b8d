#pragma once
// How well an embedding (or the TF-IDF / LSA baseline) groups products by a
// label it never saw: leave-one-out k-NN label accuracy and precision@k over
// the labelled products. Products without the label are neither queries nor
// neighbours (as in bench/knn_eval.py, so the figures can be checked there).

#include <cstdint>
#include <string>
#include <vector>

#include "common/job_context.h"
#include "common/result.h"
#include "eval/label_field.h"
#include "store/project.h"

namespace pl {

/// The labelled products and their class indices (classes sorted by name).
struct LabelledItems {
  std::vector<int64_t> rowIds;
  std::vector<int32_t> labels;
  std::vector<std::string> classNames;
};

/// The text of each product (same order as `rowIds`): the chosen fields
/// (title, description) joined by a space.
std::vector<std::string> loadProductTexts(Database& db, const std::vector<int64_t>& rowIds,
                                          const std::vector<std::string>& fields);

/// Loads the label of every product; those without one are left out, and
/// with `picturedOnly` those without a picture (a found file or stored pixels).
LabelledItems loadLabelledItems(Database& db, const LabelField& label, bool picturedOnly = false);

/// Leave-one-out neighbour scores of one representation.
struct NeighbourScores {
  std::string source;  ///< "run ssl", "tf-idf", "lsa-128"
  std::string label;
  int64_t items = 0;
  int classes = 0;
  int k = 10;
  double knnAccuracy = 0;   ///< share of items whose k neighbours vote their own label
  double precisionAtK = 0;  ///< mean share of the k neighbours that carry the item's label
  double seconds = 0;
};

/// Scores rows x k neighbour lists (indices into `labels`, -1 = none, most
/// similar first, with their similarities).
NeighbourScores scoreNeighbourLists(const std::vector<int32_t>& labels, int k,
                                    const std::vector<int32_t>& indices,
                                    const std::vector<float>& similarities);

/// The run's stored embeddings, after the leak guard (checkNoLabelLeak).
/// `picturedOnly`: score only the products that have a picture (as queries and neighbours).
Result<NeighbourScores> evaluateRunNeighbours(Project& project, const std::string& runName,
                                              const std::string& labelName, int k, JobContext& context,
                                              bool picturedOnly = false);

/// The classical baselines on the same labelled products: TF-IDF of
/// `textFields` (title, description) when `lsaDim` is 0, else TF-IDF reduced
/// to `lsaDim` dimensions by truncated SVD.
Result<NeighbourScores> evaluateTfidfNeighbours(Project& project, const std::vector<std::string>& textFields,
                                                const std::string& labelName, int k, int64_t lsaDim,
                                                JobContext& context, bool picturedOnly = false);

}  // namespace pl
