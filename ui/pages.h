#pragma once
// The pages that later versions fill in. Each says what it will do; none
// shows a control that does nothing. (Pretrain, Fine-tune and Explore have
// their own: ui/pretrain/, ui/finetune/, ui/explore/.)

class QWidget;

namespace pl::ui {

QWidget* makeExportPage();

}  // namespace pl::ui
