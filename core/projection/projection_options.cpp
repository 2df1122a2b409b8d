// Names and JSON of the projection settings (stored beside every map).
#include <nlohmann/json.hpp>

#include "projection/projection.h"

namespace pl {

Result<ProjectionMethod> parseProjectionMethod(const std::string& name) {
  if (name == "pca") return ProjectionMethod::Pca;
  if (name == "tsne" || name == "t-sne") return ProjectionMethod::Tsne;
  if (name == "umap") return ProjectionMethod::Umap;
  return Error{"unknown projection method '" + name + "'; use pca, tsne or umap"};
}

std::string projectionMethodName(ProjectionMethod method) {
  switch (method) {
    case ProjectionMethod::Pca:
      return "pca";
    case ProjectionMethod::Tsne:
      return "tsne";
    case ProjectionMethod::Umap:
      return "umap";
  }
  return "pca";
}

std::string ProjectionOptions::toJson() const {
  // Only the settings the method reads: a stored PCA map should not claim a
  // perplexity.
  nlohmann::json j;
  j["method"] = projectionMethodName(method);
  if (method == ProjectionMethod::Pca) return j.dump();
  j["seed"] = seed;
  j["threads"] = threads;
  j["neighbors"] = neighborMethodName(neighbors);
  if (method == ProjectionMethod::Tsne) {
    j["perplexity"] = perplexity;
    j["learning_rate"] = learningRate;
    j["early_exaggeration"] = earlyExaggeration;
    j["iterations"] = tsneIterations;
    j["theta"] = theta;
    j["repulsion"] = tsneRepulsion == TsneRepulsion::BarnesHut       ? "barnes-hut"
                     : tsneRepulsion == TsneRepulsion::Interpolation ? "interpolation"
                                                                     : "auto";
  } else {
    j["n_neighbors"] = nNeighbors;
    j["min_dist"] = minDist;
    j["epochs"] = umapEpochs;
    j["negative_samples"] = negativeSamples;
  }
  return j.dump();
}

}  // namespace pl
