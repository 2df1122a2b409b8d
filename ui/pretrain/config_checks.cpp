#include "ui/pretrain/config_checks.h"

#include <QObject>
#include <QThread>

#include "train/lexical_neighbours.h"

namespace pl::ui {

namespace {

QString q(const std::string& text) { return QString::fromStdString(text); }

/// Head counts near `heads` that divide `dim`, as a hint ("4 or 8").
QString divisorsNear(int dim, int heads) {
  QStringList options;
  for (int h = std::max(1, heads / 2); h <= heads * 2 && options.size() < 3; ++h) {
    if (dim % h == 0) options << QString::number(h);
  }
  if (options.size() < 2) return options.join(QString());
  QString last = options.takeLast();
  return QObject::tr("%1 or %2").arg(options.join(QStringLiteral(", ")), last);
}

}  // namespace

QStringList configProblems(const pl::RunConfig& c, const ProjectFacts& facts) {
  QStringList out;
  if (!facts.open) return {QObject::tr("Open a project first (File › Open Project).")};
  if (facts.products < 2) {
    out << QObject::tr(
        "The project has no products to learn from; import a catalog first "
        "(File › Import Catalog).");
  }
  if (c.encoder == "text-transformer" && c.heads > 0 && c.dim % c.heads != 0) {
    QString hint = divisorsNear(c.dim, c.heads);
    out << QObject::tr("Heads (%1) must divide the model width (%2)%3.")
               .arg(c.heads)
               .arg(c.dim)
               .arg(hint.isEmpty() ? QString() : QObject::tr(": try %1 heads").arg(hint));
  }
  if (c.uses("copurchase") && !facts.hasBaskets()) {
    out << QObject::tr(
        "Co-purchase needs baskets, and this project has none: import a baskets "
        "file with the catalog, or untick co-purchase.");
  }
  if (c.uses("neighbours") && !c.uses("contrastive")) {
    out << QObject::tr(
        "Nearest-neighbour views pair the contrastive views with their neighbours: tick "
        "contrastive views too.");
  }
  if (c.objectives.empty()) out << QObject::tr("Choose at least one objective.");
  bool anyWeight = false;
  for (const auto& [name, weight] : c.objectives) anyWeight = anyWeight || weight > 0;
  if (!c.objectives.empty() && !anyWeight) {
    out << QObject::tr("Every objective has weight 0, so nothing would be learned.");
  }
  if (c.inputs.empty()) out << QObject::tr("Choose at least one input field.");
  for (const auto& field : c.inputs) {
    if (!facts.hasField(field)) {
      out << QObject::tr("Input “%1” is not a field of this project.").arg(q(field));
    }
  }
  if (c.uses("mlm") && c.textInputs().empty()) {
    out << QObject::tr("Masked language modelling needs a text input: tick title or description.");
  }
  if (c.uses("attr") && c.effectiveAttrTargets().empty()) {
    out << QObject::tr(
        "Attribute prediction needs a non-text input to hide and predict: tick "
        "brand, category or an attribute column.");
  }
  if (c.epochs <= 0 && c.maxSteps <= 0 && c.timeLimitMinutes <= 0) {
    out << QObject::tr("Give a number of epochs, a step limit or a time limit.");
  }
  if (out.isEmpty()) {
    // Everything else the core refuses (ranges, schedule names, attr targets).
    pl::Status status = c.validate(facts.hasBaskets());
    if (!status) {
      QString message = q(status.error().message);
      if (!message.isEmpty()) message[0] = message[0].toUpper();
      out << message + (message.endsWith('.') ? QString() : QStringLiteral("."));
    }
  }
  return out;
}

QStringList configNotes(const pl::RunConfig& c, const ProjectFacts& facts) {
  QStringList out;
  const bool vit = c.usesImages() && c.imageEncoder == "image-vit";
  if (c.textInputs().empty() && c.usesImages()) {
    out << (vit ? QObject::tr("No text input: of the encoder settings, the width, layers and heads "
                              "shape the image-vit; the rest is unused.")
                : QObject::tr("No text input: of the encoder settings, only the width applies "
                              "(to the image-cnn)."));
  } else if (c.encoder == "text-bow") {
    out << (vit ? QObject::tr("The bag-of-subwords encoder ignores pooling; layers and heads shape "
                              "the image-vit.")
                : QObject::tr("The bag-of-subwords encoder ignores layers, heads and pooling."));
  }
  int limits = (c.epochs > 0 ? 1 : 0) + (c.maxSteps > 0 ? 1 : 0) + (c.timeLimitMinutes > 0 ? 1 : 0);
  if (limits > 1) out << QObject::tr("The run stops at whichever limit it reaches first.");
  int cores = QThread::idealThreadCount();
  if (c.threads > cores) {
    out << QObject::tr("%1 threads on %2 cores slows training down.").arg(c.threads).arg(cores);
  }
  // Above the exact search's limit the neighbours come from LSA + HNSW:
  // minutes, not hours, but still a wait before the first step.
  if (takesLexicalViews(c) && facts.products > kLexicalViewsWarnProducts) {
    out << QObject::tr("Finding lexical neighbours for %L1 products takes minutes before the "
                       "first step (approximate above %L2 products); set Lexical views to 0 "
                       "to skip it.")
               .arg(facts.products)
               .arg(pl::kExactLexicalLimit);
  }
  for (const auto& field : c.inputs) {
    for (const auto& f : facts.fields) {
      if (f.name != field || facts.products == 0) continue;
      double filled = static_cast<double>(f.nonEmpty) / static_cast<double>(facts.products);
      if (filled < 0.2) {
        out << QObject::tr("“%1” is empty for %2% of the products.")
                   .arg(q(field))
                   .arg(qRound(100 * (1 - filled)));
      }
    }
  }
  return out;
}

}  // namespace pl::ui
