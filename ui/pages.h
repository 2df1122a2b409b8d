#pragma once
// The pages that later versions fill in. Each says what it will do; none
// shows a control that does nothing.

class QWidget;

namespace pl::ui {

QWidget* makePretrainPage();
QWidget* makeFineTunePage();
QWidget* makeExplorePage();
QWidget* makeExportPage();

}  // namespace pl::ui
