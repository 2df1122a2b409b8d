#include "ui/pages.h"

#include <QObject>

#include "ui/coming_page.h"

namespace pl::ui {

QWidget* makeExportPage() {
  return new ComingPage(
      QObject::tr("Export"),
      QObject::tr("Take models and embeddings to other tools."),
      {QObject::tr("Embeddings as NumPy (.npy with ids.txt) or CSV."),
       QObject::tr("A TensorBoard Embedding Projector bundle with sprites."),
       QObject::tr("Model weights as safetensors.")},
      QStringLiteral("productlens-cli export P.plens --run NAME --format npy --out DIR"));
}

}  // namespace pl::ui
