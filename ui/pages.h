#pragma once
// The pages that later versions fill in. Each says what it will do; none
// shows a control that does nothing. (Pretrain and Explore have their own:
// ui/pretrain/, ui/explore/.)

class QWidget;

namespace pl::ui {

QWidget* makeFineTunePage();
QWidget* makeExportPage();

}  // namespace pl::ui
