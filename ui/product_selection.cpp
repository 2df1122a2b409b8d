#include "ui/product_selection.h"

#include <algorithm>

namespace pl::ui {

ProductSelection::ProductSelection(QObject* parent) : QObject(parent) {}

void ProductSelection::set(const QString& source, std::vector<int64_t> rowIds) {
  std::sort(rowIds.begin(), rowIds.end());
  rowIds.erase(std::unique(rowIds.begin(), rowIds.end()), rowIds.end());
  // An empty selection keeps the last place it came from out of the message.
  if (rowIds == rowIds_ && (source == source_ || rowIds.empty())) return;
  rowIds_ = std::move(rowIds);
  source_ = source;
  emit changed();
}

void ProductSelection::clear() { set(source_, {}); }

}  // namespace pl::ui
