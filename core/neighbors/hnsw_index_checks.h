#pragma once
// Checks of a loaded hnswlib index, templated on the index type so that
// only hnsw_search.cpp (the one includer of hnswlib) instantiates them.

#include <cstring>
#include <string>
#include <vector>

#include "common/result.h"
#include "embed/embedding_matrix.h"
#include "neighbors/hnsw_index_file.h"

namespace pl {

/// The size saveIndex() writes for `index`: header, level-0 records, then
/// each element's upper-level links behind a 4-byte length.
template <typename Index>
int64_t expectedHnswFileBytes(const Index& index) {
  int64_t bytes = kHnswHeaderBytes +
                  static_cast<int64_t>(index.cur_element_count * index.size_data_per_element_);
  for (size_t i = 0; i < index.cur_element_count; ++i) {
    bytes += 4 + static_cast<int64_t>(index.element_levels_[i]) *
                     static_cast<int64_t>(index.size_links_per_element_);
  }
  return bytes;
}

/// Every link points at an element, every list fits its level, every label
/// is a distinct row and every stored vector is that row's: a search can
/// then never read outside the index, and the index answers for `matrix`.
template <typename Index>
Status checkHnswGraph(const Index& index, const EmbeddingMatrix& matrix, const std::string& path) {
  const size_t count = index.cur_element_count;
  const size_t vectorBytes = static_cast<size_t>(matrix.dim) * sizeof(float);
  const Error damaged{"the neighbour index " + path + " is damaged or was built for other vectors"};
  if (count != static_cast<size_t>(matrix.rows())) return damaged;
  std::vector<bool> seen(count, false);
  // Levels first: a link on level l must point at an element that has level
  // l, or the search would follow it into a link list that does not exist.
  for (size_t i = 0; i < count; ++i) {
    if (index.element_levels_[i] < 0 || index.element_levels_[i] > index.maxlevel_) return damaged;
  }
  if (count > 0 && static_cast<size_t>(index.enterpoint_node_) >= count) return damaged;
  auto linksFit = [&](unsigned int* list, size_t capacity, int level) {
    const size_t size = index.getListCount(list);
    if (size > capacity) return false;
    for (size_t j = 1; j <= size; ++j) {
      if (list[j] >= count || index.element_levels_[list[j]] < level) return false;
    }
    return true;
  };
  for (size_t i = 0; i < count; ++i) {
    const size_t label = index.getExternalLabel(static_cast<unsigned int>(i));
    if (label >= count || seen[label]) return damaged;
    seen[label] = true;
    if (std::memcmp(index.getDataByInternalId(static_cast<unsigned int>(i)),
                    matrix.row(static_cast<int64_t>(label)), vectorBytes) != 0) {
      return damaged;
    }
    const int level = index.element_levels_[i];
    if (!linksFit(index.get_linklist0(static_cast<unsigned int>(i)), index.maxM0_, 0)) return damaged;
    for (int l = 1; l <= level; ++l) {
      if (!linksFit(index.get_linklist(static_cast<unsigned int>(i), l), index.maxM_, l))
        return damaged;
    }
  }
  if (count > 0 && index.element_levels_[index.enterpoint_node_] != index.maxlevel_) return damaged;
  return Status::success();
}

}  // namespace pl
