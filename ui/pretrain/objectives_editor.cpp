#include "ui/pretrain/objectives_editor.h"

#include <QCheckBox>
#include <QGridLayout>
#include <QLabel>

#include "ui/pretrain/exact_double_spin_box.h"

namespace pl::ui {

namespace {

struct ObjectiveText {
  const char* name;
  const char* label;
  const char* help;
};

const ObjectiveText kTexts[] = {
    {"mlm", QT_TRANSLATE_NOOP("ObjectivesEditor", "Masked words (mlm)"),
     QT_TRANSLATE_NOOP("ObjectivesEditor", "Hide some title tokens and predict them.")},
    {"attr", QT_TRANSLATE_NOOP("ObjectivesEditor", "Masked attributes (attr)"),
     QT_TRANSLATE_NOOP("ObjectivesEditor",
                       "Hide brand, category, … inputs and predict them from the rest.")},
    {"contrastive", QT_TRANSLATE_NOOP("ObjectivesEditor", "Contrastive views"),
     QT_TRANSLATE_NOOP("ObjectivesEditor",
                       "A corrupted and a clean view of a product must match (InfoNCE).")},
    {"neighbours", QT_TRANSLATE_NOOP("ObjectivesEditor", "Nearest-neighbour views"),
     QT_TRANSLATE_NOOP("ObjectivesEditor",
                       "A view must match the nearest recent product of the other view, so "
                       "similar products move together (NNCLR; needs contrastive).")},
    {"copurchase", QT_TRANSLATE_NOOP("ObjectivesEditor", "Co-purchase"),
     QT_TRANSLATE_NOOP("ObjectivesEditor",
                       "Products bought in the same basket move together (needs baskets).")},
    {"mim", QT_TRANSLATE_NOOP("ObjectivesEditor", "Masked patches (mim)"),
     QT_TRANSLATE_NOOP("ObjectivesEditor",
                       "Hide most patches of a picture and reconstruct their pixels (MAE; needs "
                       "the image input).")},
    {"clip", QT_TRANSLATE_NOOP("ObjectivesEditor", "Text ↔ picture (clip)"),
     QT_TRANSLATE_NOOP("ObjectivesEditor",
                       "A product's text and picture must match each other, not other "
                       "products' (CLIP; needs a text input and the image input).")},
};

}  // namespace

const std::vector<std::string>& ObjectivesEditor::names() {
  static const std::vector<std::string> list = {"mlm",        "attr", "contrastive", "neighbours",
                                                "copurchase", "mim",  "clip"};
  return list;
}

ObjectivesEditor::ObjectivesEditor(QWidget* parent) : QWidget(parent) {
  auto* grid = new QGridLayout(this);
  grid->setContentsMargins(0, 0, 0, 0);
  grid->setColumnStretch(0, 1);
  auto* weightHeader = new QLabel(tr("weight"));
  weightHeader->setEnabled(false);
  grid->addWidget(weightHeader, 0, 1, Qt::AlignHCenter);
  int row = 1;
  for (const auto& text : kTexts) {
    Row r;
    r.check = new QCheckBox(tr(text.label));
    r.check->setToolTip(tr(text.help));
    r.check->setObjectName(QStringLiteral("objective_%1").arg(QLatin1String(text.name)));
    r.weight = new ExactDoubleSpinBox;
    r.weight->setRange(0, 100);
    r.weight->setDecimals(2);
    r.weight->setSingleStep(0.1);
    r.weight->setExactValue(1.0);
    r.weight->setEnabled(false);
    r.weight->setToolTip(tr("Loss weight of %1").arg(QLatin1String(text.name)));
    grid->addWidget(r.check, row, 0);
    grid->addWidget(r.weight, row, 1);
    ++row;
    connect(r.check, &QCheckBox::toggled, this, [this, w = r.weight](bool on) {
      w->setEnabled(on);
      emit changed();
    });
    connect(r.weight, &ExactDoubleSpinBox::exactValueChanged, this, &ObjectivesEditor::changed);
    rows_[text.name] = r;
  }
}

std::map<std::string, double> ObjectivesEditor::objectives() const {
  std::map<std::string, double> out;
  for (const auto& [name, r] : rows_) {
    if (r.check->isChecked()) out[name] = r.weight->exactValue();
  }
  return out;
}

void ObjectivesEditor::setObjectives(const std::map<std::string, double>& objectives) {
  for (auto& [name, r] : rows_) {
    auto it = objectives.find(name);
    r.check->setChecked(it != objectives.end());
    if (it != objectives.end()) r.weight->setExactValue(it->second);
  }
}

QCheckBox* ObjectivesEditor::checkBox(const std::string& name) const {
  auto it = rows_.find(name);
  return it == rows_.end() ? nullptr : it->second.check;
}

ExactDoubleSpinBox* ObjectivesEditor::weightBox(const std::string& name) const {
  auto it = rows_.find(name);
  return it == rows_.end() ? nullptr : it->second.weight;
}

}  // namespace pl::ui
