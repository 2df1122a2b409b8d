#include "eval/stored_scores.h"

namespace pl {

std::string evalSubject(const ProbeSource& source) {
  switch (source.kind) {
    case ProbeSource::Kind::Run: return source.run;
    case ProbeSource::Kind::Tfidf: return "tf-idf";
    case ProbeSource::Kind::Lsa: return "lsa-" + std::to_string(source.lsaDim);
    case ProbeSource::Kind::Pixels: return "pixels";
  }
  return source.run;
}

EvalResult probeEvalResult(const ProbeResult& result, const std::string& subject,
                           const std::string& label) {
  EvalResult r;
  r.subject = subject;
  r.method = "probe";
  r.label = label;
  r.fraction = result.fraction;
  r.metrics = {{"accuracy", result.scores.accuracy}, {"macro_f1", result.scores.macroF1}};
  r.trainItems = result.trainItems;
  r.testItems = result.testItems;
  r.seconds = result.seconds;
  return r;
}

EvalResult knnEvalResult(const NeighbourScores& scores, const std::string& subject,
                         const std::string& label) {
  EvalResult r;
  r.subject = subject;
  r.method = "knn";
  r.label = label;
  r.fraction = 1;
  r.metrics = {{"knn_accuracy", scores.knnAccuracy}, {"precision_at_k", scores.precisionAtK}};
  r.trainItems = scores.items;
  r.testItems = scores.items;
  r.seconds = scores.seconds;
  return r;
}

}  // namespace pl
