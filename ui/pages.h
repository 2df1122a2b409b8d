#pragma once
// The pages that later versions fill in. Each says what it will do; none
// shows a control that does nothing. (Pretrain has its own: ui/pretrain/.)

class QWidget;

namespace pl::ui {

QWidget* makeFineTunePage();
QWidget* makeExplorePage();
QWidget* makeExportPage();

}  // namespace pl::ui
