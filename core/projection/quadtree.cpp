#include "projection/quadtree.h"

#include <algorithm>
#include <cmath>

namespace pl {

namespace {

// Below this depth cells are ~1e-15 of the root: only exact duplicates
// reach it, and splitting further would never separate them.
constexpr int kMaxDepth = 48;

int quadrant(const QuadNode& node, double x, double y) {
  return (x >= node.centerX ? 1 : 0) + (y >= node.centerY ? 2 : 0);
}

}  // namespace

void QuadTree::build(const double* xy, int64_t n) {
  xy_ = xy;
  nodes_.clear();
  double minX = INFINITY, minY = INFINITY, maxX = -INFINITY, maxY = -INFINITY;
  for (int64_t i = 0; i < n; ++i) {
    minX = std::min(minX, xy[2 * i]);
    maxX = std::max(maxX, xy[2 * i]);
    minY = std::min(minY, xy[2 * i + 1]);
    maxY = std::max(maxY, xy[2 * i + 1]);
  }
  QuadNode root;
  root.centerX = (minX + maxX) / 2;
  root.centerY = (minY + maxY) / 2;
  // A little margin keeps the extreme points strictly inside their cells.
  root.halfWidth = std::max(maxX - minX, maxY - minY) / 2 * (1 + 1e-6) + 1e-12;
  nodes_.reserve(static_cast<size_t>(2 * n + 8));
  nodes_.push_back(root);
  for (int64_t i = 0; i < n; ++i) insert(static_cast<int32_t>(i), xy[2 * i], xy[2 * i + 1]);
  for (auto& node : nodes_) {
    if (node.count > 0) {
      node.massX /= node.count;
      node.massY /= node.count;
    }
  }
}

void QuadTree::split(int32_t node) {
  const int32_t first = static_cast<int32_t>(nodes_.size());
  const QuadNode parent = nodes_[static_cast<size_t>(node)];
  const double half = parent.halfWidth / 2;
  for (int q = 0; q < 4; ++q) {
    QuadNode child;
    child.centerX = parent.centerX + ((q & 1) ? half : -half);
    child.centerY = parent.centerY + ((q & 2) ? half : -half);
    child.halfWidth = half;
    nodes_.push_back(child);
  }
  // The point the leaf held moves down into its quadrant.
  const int32_t moved = parent.point;
  const double x = xy_[2 * moved], y = xy_[2 * moved + 1];
  QuadNode& target = nodes_[static_cast<size_t>(first + quadrant(parent, x, y))];
  target.count = 1;
  target.point = moved;
  target.massX = x;
  target.massY = y;
  nodes_[static_cast<size_t>(node)].firstChild = first;
  nodes_[static_cast<size_t>(node)].point = -1;
}

void QuadTree::insert(int32_t point, double x, double y) {
  int32_t node = 0;
  for (int depth = 0;; ++depth) {
    // Indices, not references: split() may reallocate the array.
    QuadNode* n = &nodes_[static_cast<size_t>(node)];
    n->count += 1;
    n->massX += x;
    n->massY += y;
    if (n->firstChild < 0) {
      if (n->count == 1) {
        n->point = point;
        return;
      }
      if (depth >= kMaxDepth) return;  // a duplicate: counted in the leaf's mass
      split(node);
      n = &nodes_[static_cast<size_t>(node)];
    }
    node = n->firstChild + quadrant(*n, x, y);
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
    const QuadNode& node = nodes_[static_cast<size_t>(stack[--top])];
    if (node.count == 0) continue;
    const bool leaf = node.firstChild < 0;
    if (leaf && node.point == self && node.count == 1) continue;
    const double dx = x - node.massX, dy = y - node.massY;
    const double d2 = dx * dx + dy * dy;
    const double width = 2 * node.halfWidth;
    if (leaf || width * width < theta2 * d2) {
      // A leaf holding `self` and its duplicates: the others sit at distance 0.
      const double bodies = leaf && node.point == self ? node.count - 1 : node.count;
      const double q = 1.0 / (1.0 + d2);
      r.sumQ += bodies * q;
      r.forceX += bodies * q * q * dx;
      r.forceY += bodies * q * q * dy;
      continue;
    }
    for (int c = 3; c >= 0; --c) stack[top++] = node.firstChild + c;
  }
  return r;
}

}  // namespace pl
