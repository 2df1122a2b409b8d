#include "store/product_queries.h"

#include <nlohmann/json.hpp>

#include "image/image_file.h"

namespace pl {

namespace {

std::string likePattern(const std::string& filter) {
  std::string out = "%";
  for (char c : filter) {
    if (c == '%' || c == '_' || c == '\\') out.push_back('\\');
    out.push_back(c);
  }
  return out + "%";
}

}  // namespace

std::vector<int64_t> findProductRowIds(Database& db, const std::string& filter) {
  std::vector<int64_t> ids;
  ids.reserve(static_cast<size_t>(db.scalar("SELECT max(id) FROM products")));
  if (filter.empty()) {
    auto st = db.prepare("SELECT id FROM products ORDER BY id");
    while (st.step()) ids.push_back(st.int64(0));
    return ids;
  }
  auto st = db.prepare(
      "SELECT id FROM products WHERE title LIKE ?1 ESCAPE '\\' OR ext_id LIKE ?1 ESCAPE '\\' "
      "OR brand LIKE ?1 ESCAPE '\\' OR category LIKE ?1 ESCAPE '\\' ORDER BY id");
  st.bind(1, likePattern(filter));
  while (st.step()) ids.push_back(st.int64(0));
  return ids;
}

std::vector<ProductRow> loadProductRows(Database& db, const std::vector<int64_t>& rowIds) {
  std::vector<ProductRow> rows(rowIds.size());
  auto st = db.prepare(
      "SELECT ext_id, title, brand, category, price, image_status FROM products WHERE id = ?");
  for (size_t i = 0; i < rowIds.size(); ++i) {
    st.bind(1, rowIds[i]);
    if (st.step()) {
      ProductRow& r = rows[i];
      r.rowId = rowIds[i];
      r.id = st.text(0);
      r.title = st.text(1);
      r.brand = st.text(2);
      r.category = st.text(3);
      if (!st.isNull(4)) r.price = st.real(4);
      r.hasImage = st.int64(5) == static_cast<int>(ImageStatus::Found);
    }
    st.reset();
  }
  return rows;
}

std::optional<ProductDetail> loadProductDetail(Database& db, int64_t rowId) {
  auto st = db.prepare(
      "SELECT p.ext_id, p.title, p.brand, p.category, p.price, p.image_status, p.description, "
      "c.name, p.image, c.images_root, p.attributes, c.id FROM products p "
      "JOIN catalogs c ON c.id = p.catalog_id WHERE p.id = ?");
  st.bind(1, rowId);
  if (!st.step()) return std::nullopt;
  ProductDetail d;
  d.row.rowId = rowId;
  d.row.id = st.text(0);
  d.row.title = st.text(1);
  d.row.brand = st.text(2);
  d.row.category = st.text(3);
  if (!st.isNull(4)) d.row.price = st.real(4);
  d.imageStatus = static_cast<int>(st.int64(5));
  d.row.hasImage = d.imageStatus == static_cast<int>(ImageStatus::Found);
  d.description = st.text(6);
  d.catalogName = st.text(7);
  d.image = st.text(8);
  d.resolvedImage = resolveImagePath(st.text(9), d.image);
  auto attrs = nlohmann::json::parse(st.text(10), nullptr, false);
  int64_t catalogId = st.int64(11);
  if (attrs.is_object()) {
    // Column order as in the file, which the attributes table remembers.
    auto names = db.prepare("SELECT name FROM attributes WHERE catalog_id = ? ORDER BY position");
    names.bind(1, catalogId);
    while (names.step()) {
      std::string name = names.text(0);
      auto it = attrs.find(name);
      if (it != attrs.end() && it->is_string()) d.attributes.emplace_back(name, it->get<std::string>());
    }
  }
  return d;
}

cv::Mat loadProductImage(Database& db, const ProductDetail& detail) {
  auto st = db.prepare("SELECT format, width, height, data FROM product_images WHERE product_id = ?");
  st.bind(1, detail.row.rowId);
  if (st.step()) {
    auto data = st.blob(3);
    return decodeStoredImage(st.text(0), static_cast<int>(st.int64(1)),
                             static_cast<int>(st.int64(2)), data.data(), data.size());
  }
  if (detail.imageStatus != static_cast<int>(ImageStatus::Found)) return {};
  return readImageFile(detail.resolvedImage);
}

std::vector<std::pair<int64_t, std::string>> listProductIds(Database& db) {
  std::vector<std::pair<int64_t, std::string>> out;
  auto st = db.prepare("SELECT id, ext_id FROM products ORDER BY id");
  while (st.step()) out.emplace_back(st.int64(0), st.text(1));
  return out;
}

}  // namespace pl
