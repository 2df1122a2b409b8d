#include "projection/quadtree.h"

#include <algorithm>
#include <cmath>

namespace pl {

namespace {

// Below this depth cells are ~1e-15 of the root: only exact duplicates
// reach it, and splitting further would never separate them.
constexpr int kMaxDepth = 48;

int32_t leafOf(int32_t point) { return -(point + 2); }

}  // namespace

void QuadTree::build(const double* xy, int64_t n) {
  xy_ = xy;
  nodes_.clear();
  centres_.clear();
  duplicates_.clear();
  double minX = INFINITY, minY = INFINITY, maxX = -INFINITY, maxY = -INFINITY;
  for (int64_t i = 0; i < n; ++i) {
    minX = std::min(minX, xy[2 * i]);
    maxX = std::max(maxX, xy[2 * i]);
    minY = std::min(minY, xy[2 * i + 1]);
    maxY = std::max(maxY, xy[2 * i + 1]);
  }
  QuadNode root;
  // A little margin keeps the extreme points strictly inside their cells.
  root.halfWidth = static_cast<float>(std::max(maxX - minX, maxY - minY) / 2 * (1 + 1e-6) + 1e-12);
  nodes_.reserve(static_cast<size_t>(2 * n + 8));
  centres_.reserve(static_cast<size_t>(4 * n + 16));
  nodes_.push_back(root);
  centres_.push_back((minX + maxX) / 2);
  centres_.push_back((minY + maxY) / 2);
  for (int64_t i = 0; i < n; ++i) insert(static_cast<int32_t>(i), xy[2 * i], xy[2 * i + 1]);
  for (auto& node : nodes_) {
    if (node.count > 0) {
      node.massX /= node.count;
      node.massY /= node.count;
    }
  }
}

void QuadTree::split(int32_t node) {
  const auto first = static_cast<int32_t>(nodes_.size());
  const double cx = centres_[2 * node], cy = centres_[2 * node + 1];
  const float half = nodes_[node].halfWidth / 2;
  for (int q = 0; q < 4; ++q) {
    QuadNode child;
    child.halfWidth = half;
    nodes_.push_back(child);
    centres_.push_back(cx + ((q & 1) ? half : -half));
    centres_.push_back(cy + ((q & 2) ? half : -half));
  }
  // The point the leaf held moves down into its quadrant.
  const int32_t moved = nodes_[node].point();
  const double x = xy_[2 * moved], y = xy_[2 * moved + 1];
  QuadNode& target = nodes_[first + (x >= cx ? 1 : 0) + (y >= cy ? 2 : 0)];
  target.count = 1;
  target.child = leafOf(moved);
  target.massX = x;
  target.massY = y;
  nodes_[node].child = first;
}

void QuadTree::insert(int32_t point, double x, double y) {
  int32_t node = 0;
  for (int depth = 0;; ++depth) {
    // Indices, not references: split() may reallocate the array.
    QuadNode* n = &nodes_[node];
    n->count += 1;
    n->massX += x;
    n->massY += y;
    if (n->leaf()) {
      if (n->count == 1) {
        n->child = leafOf(point);
        return;
      }
      if (depth >= kMaxDepth) {  // a duplicate: counted in the leaf's mass
        duplicates_.push_back(point);
        duplicates_.push_back(node);
        return;
      }
      split(node);
      n = &nodes_[node];
    }
    node = n->child + (x >= centres_[2 * node] ? 1 : 0) + (y >= centres_[2 * node + 1] ? 2 : 0);
  }
}

Repulsion QuadTree::repulsion(int64_t self, double x, double y, double theta) const {
  Repulsion r;
  if (nodes_.empty()) return r;
  const double theta2 = theta * theta;
  int32_t stack[4 * kMaxDepth + 8];
  int top = 0;
  stack[top++] = 0;
  while (top > 0) {
    const QuadNode& node = nodes_[stack[--top]];
    if (node.count == 0) continue;
    const bool leaf = node.leaf();
    const double dx = x - node.massX, dy = y - node.massY;
    const double d2 = dx * dx + dy * dy;
    // Points at equal coordinates share one leaf, so a leaf at distance 0
    // holds `self`, as its point or as a duplicate of it.
    const bool holdsSelf = leaf && (node.point() == self || d2 == 0);
    if (holdsSelf && node.count == 1) continue;
    const double width = 2.0 * node.halfWidth;
    if (leaf || width * width < theta2 * d2) {
      // A leaf holding `self` and its duplicates: the others sit at distance 0.
      const double bodies = holdsSelf ? node.count - 1 : node.count;
      const double q = 1.0 / (1.0 + d2);
      const double bq = bodies * q;
      r.sumQ += bq;
      r.forceX += bq * q * dx;
      r.forceY += bq * q * dy;
      continue;
    }
    for (int c = 3; c >= 0; --c) stack[top++] = node.child + c;
  }
  return r;
}

std::vector<int32_t> QuadTree::depthFirstOrder() const {
  std::vector<int32_t> order;
  if (nodes_.empty()) return order;
  order.reserve(static_cast<size_t>(nodes_[0].count));
  int32_t stack[4 * kMaxDepth + 8];
  int top = 0;
  stack[top++] = 0;
  while (top > 0) {
    const QuadNode& node = nodes_[stack[--top]];
    if (node.point() >= 0) order.push_back(node.point());
    if (!node.leaf()) {
      for (int c = 3; c >= 0; --c) stack[top++] = node.child + c;
    }
  }
  for (size_t i = 0; i < duplicates_.size(); i += 2) order.push_back(duplicates_[i]);
  return order;
}

}  // namespace pl
