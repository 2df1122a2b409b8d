#pragma once
#include <array>
#include <optional>
#include <string>
#include <vector>

#include "common/result.h"

namespace pl {

/// The canonical product fields every part of ProductLens understands.
enum class Field { Id, Title, Description, Brand, Category, Price, Image };
constexpr int kFieldCount = 7;

const char* fieldName(Field field);
std::optional<Field> fieldFromName(const std::string& name);
const std::array<Field, kFieldCount>& allFields();

/// Which catalog columns feed each canonical field. Category may take
/// several columns, joined into a path "A > B > C"; the others take one.
/// Columns not used by any field are kept as named attributes.
class FieldMapping {
 public:
  const std::vector<std::string>& columns(Field field) const {
    return columns_[static_cast<int>(field)];
  }
  void set(Field field, std::vector<std::string> columns) {
    columns_[static_cast<int>(field)] = std::move(columns);
  }
  bool isMapped(Field field) const { return !columns(field).empty(); }
  /// True when `column` feeds some field (and so is not an attribute).
  bool usesColumn(const std::string& column) const;
  /// `title=name,category=a>b>c` form, as accepted by --map.
  std::string toSpec() const;
  std::string toJson() const;

 private:
  std::array<std::vector<std::string>, kFieldCount> columns_;
};

/// Guesses a mapping from column names (case, spaces, '_' and '-' ignored):
/// name/product_name/productDisplayName -> title, manufacturer -> brand, a
/// masterCategory > subCategory > articleType family -> category, and so on.
FieldMapping guessMapping(const std::vector<std::string>& header);

/// How many records guessTitleFromContent looks at.
constexpr int kTitleGuessSampleRows = 2000;

/// When no column name said "title": the column, among those no field uses,
/// whose values are most often distinct text of two words or more (a
/// product name, not a code, a number or a repeated class). Needs at least
/// 10% of `sample` to be such values, so an all-codes catalog stays untitled.
/// `sample` holds records aligned with `header`. Returns "" when none fits.
std::string guessTitleFromContent(const std::vector<std::string>& header,
                                  const std::vector<std::vector<std::string>>& sample,
                                  const FieldMapping& mapping);

/// guessMapping(header), then the title from content when no name matched.
FieldMapping guessMapping(const std::vector<std::string>& header,
                          const std::vector<std::vector<std::string>>& sample);

/// Applies `--map` items (each `field=col[>col...]`, several per item
/// separated by commas) on top of `base`. An empty column list unmaps the
/// field. Unknown fields or columns give an error that lists what exists.
Result<FieldMapping> applyMapSpecs(FieldMapping base, const std::vector<std::string>& specs,
                                   const std::vector<std::string>& header);

}  // namespace pl
