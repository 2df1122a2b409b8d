#include "catalog/basket_import.h"

#include <algorithm>
#include <string>
#include <unordered_map>

#include "common/utf8.h"

namespace pl {

namespace {

int findColumn(const std::vector<std::string>& header, const std::string& wanted,
               std::initializer_list<const char*> guesses) {
  if (!wanted.empty()) {
    auto it = std::find(header.begin(), header.end(), wanted);
    return it == header.end() ? -1 : static_cast<int>(it - header.begin());
  }
  for (const char* g : guesses) {
    auto it = std::find(header.begin(), header.end(), g);
    if (it != header.end()) return static_cast<int>(it - header.begin());
  }
  return -1;
}

}  // namespace

Status importBaskets(Database& db, int64_t catalogId, const ImportOptions& options,
                     ImportReport& report, JobContext& context) {
  const std::string& path = options.basketsPath;
  auto reader = openCatalogReader(path);
  if (!reader) return reader.error();
  const auto& header = (*reader)->header();
  int orderCol = findColumn(header, options.basketOrderColumn,
                            {"order_id", "basket_id", "order", "basket", "transaction_id",
                             "session_id", "invoice", "InvoiceNo"});
  int itemCol = findColumn(header, options.basketItemColumn,
                           {"product_id", "item_id", "product", "item", "sku", "StockCode", "id"});
  if (orderCol < 0 || itemCol < 0) {
    std::string which = orderCol < 0 ? "order" : "item";
    std::string given = orderCol < 0 ? options.basketOrderColumn : options.basketItemColumn;
    return Error{path + ": no " + which + " column" +
                 (given.empty() ? " found; name it with --basket-" + which
                                : " named '" + given + "'")};
  }

  std::unordered_map<std::string, int64_t> productByExtId;
  {
    auto st = db.prepare("SELECT ext_id, id FROM products WHERE catalog_id = ?");
    st.bind(1, catalogId);
    while (st.step()) productByExtId.emplace(st.text(0), st.int64(1));
  }

  auto insertBasket = db.prepare("INSERT INTO baskets(catalog_id, order_ref) VALUES (?, ?)");
  auto insertItem = db.prepare(
      "INSERT OR IGNORE INTO basket_items(basket_id, product_id, position) VALUES (?, ?, ?)");
  std::unordered_map<std::string, std::pair<int64_t, int>> basketByOrder;  // id, next position

  RawRecord record;
  std::string reason;
  for (;;) {
    if (context.stopRequested()) return Error{"import cancelled; the project is unchanged"};
    ReadOutcome r = (*reader)->next(record, reason);
    if (r == ReadOutcome::End) break;
    ++report.basketLinesRead;
    context.progress((*reader)->bytesRead(), (*reader)->totalBytes(), "Reading baskets");
    std::string field;
    if (r == ReadOutcome::Record) {
      std::string order(trimAscii(record.fields[orderCol]));
      std::string item(trimAscii(record.fields[itemCol]));
      auto product = productByExtId.find(item);
      if (order.empty() || !isValidUtf8(order)) {
        field = header[orderCol];
        reason = "empty or invalid order";
      } else if (product == productByExtId.end()) {
        field = header[itemCol];
        reason = "no product with id '" + item.substr(0, 60) + "' in the catalog";
      } else {
        auto [it, isNew] = basketByOrder.try_emplace(order, 0, 0);
        if (isNew) {
          insertBasket.bind(1, catalogId).bind(2, order).run();
          it->second.first = db.lastInsertId();
          ++report.baskets;
        }
        insertItem.bind(1, it->second.first).bind(2, product->second).bind(3, it->second.second++);
        insertItem.run();
        report.basketItems += db.changes();  // a repeated item in one basket counts once
        continue;
      }
    }
    ++report.basketBadLines;
    RowIssue issue{path, record.line, field, reason};
    if (options.strict) return Error{issue.describe()};
    report.addIssue(std::move(issue));
  }
  return Status::success();
}

}  // namespace pl
