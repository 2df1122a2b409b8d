#include "ui/pretrain/run_presets.h"

#include <QObject>
#include <QSettings>

#include "catalog/demo_project.h"

namespace pl::ui {

namespace {

const char* const kGroup = "pretrain/presets";

pl::RunConfig quickLook() {
  // The default recipe for one epoch: a first curve and usable vectors in
  // seconds on 2 cores.
  pl::RunConfig c;
  c.epochs = 1;
  c.lexicalViews = 0;  // finding TF-IDF neighbours would take longer than the epoch
  c.checkpointEvery = 200;
  return c;
}

pl::RunConfig thorough() {
  // A Transformer with masked words and contrastive views: slower (tens of
  // minutes on 2 cores), learns word order and context the bag of words cannot.
  pl::RunConfig c;
  c.encoder = "text-transformer";
  c.layers = 4;
  c.dim = 256;
  c.heads = 8;
  c.maxLength = 64;
  c.embeddingDim = 256;
  c.objectives = {{"mlm", 1.0}, {"contrastive", 1.0}};
  c.maskRate = 0.4;
  c.wholeWordMask = true;
  c.epochs = 10;
  c.checkpointEvery = 1000;
  return c;
}

pl::RunConfig pictures() {
  // The Fashion-MNIST demo's recipe in colour: SimCLR views of the pictures
  // (docs/benchmarks_images.md).
  pl::RunConfig c = pl::demoRunConfig();
  c.image.channels = 3;
  return c;
}

}  // namespace

QStringList RunPresets::builtInNames() {
  return {QObject::tr("Quick look"), QObject::tr("Default"), QObject::tr("Thorough"),
          QObject::tr("Pictures")};
}

QStringList RunPresets::savedNames() {
  QSettings settings;
  settings.beginGroup(QLatin1String(kGroup));
  QStringList names = settings.childKeys();
  names.sort(Qt::CaseInsensitive);
  return names;
}

std::optional<pl::RunConfig> RunPresets::find(const QString& name) {
  const QStringList builtIn = builtInNames();
  if (name == builtIn[0]) return quickLook();
  if (name == builtIn[1]) return pl::RunConfig{};
  if (name == builtIn[2]) return thorough();
  if (name == builtIn[3]) return pictures();
  QSettings settings;
  settings.beginGroup(QLatin1String(kGroup));
  if (!settings.contains(name)) return std::nullopt;
  auto config = pl::RunConfig::fromJson(settings.value(name).toString().toStdString(),
                                        "preset " + name.toStdString());
  if (!config) return std::nullopt;
  return *config;
}

bool RunPresets::save(const QString& name, const pl::RunConfig& config) {
  // QSettings reads '/' and '\\' in a key as groups.
  QString key = name.trimmed().replace(QLatin1Char('/'), QLatin1Char('-'));
  key.replace(QLatin1Char('\\'), QLatin1Char('-'));
  if (key.isEmpty() || builtInNames().contains(key)) return false;
  QSettings settings;
  settings.beginGroup(QLatin1String(kGroup));
  settings.setValue(key, QString::fromStdString(config.toJson()));
  return true;
}

void RunPresets::remove(const QString& name) {
  QSettings settings;
  settings.beginGroup(QLatin1String(kGroup));
  settings.remove(name);
}

pl::RunConfig RunPresets::applied(const pl::RunConfig& preset, const pl::RunConfig& current) {
  pl::RunConfig out = preset;
  out.inputs = current.inputs;
  // A picture recipe needs the picture: tick it (the other inputs stay).
  if (preset.usesImages() && !current.usesImages()) out.inputs.push_back("image");
  out.attrTargets = current.attrTargets;
  out.threads = current.threads;
  return out;
}

}  // namespace pl::ui
