#include "ui/pages.h"

#include <QObject>

#include "ui/coming_page.h"

namespace pl::ui {

QWidget* makeFineTunePage() {
  return new ComingPage(
      QObject::tr("Fine-tune"),
      QObject::tr("Adapt a pretrained run to a labelled task."),
      {QObject::tr("Linear probe on a frozen encoder, or full fine-tuning."),
       QObject::tr("Train on a fraction of the products, a label column, or a hand-picked set."),
       QObject::tr("Honest evaluation: a field used as an input cannot be the label.")},
      QStringLiteral("productlens-cli finetune P.plens --from RUN --run NAME --label FIELD"));
}

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
