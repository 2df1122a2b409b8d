#pragma once
// The Barnes-Hut quadtree of t-SNE's repulsion, in one flat array of nodes
// (rebuilt every iteration: no per-node allocation, children adjacent).

#include <cstdint>
#include <vector>

namespace pl {

/// A region of the plane and the points in it.
struct QuadNode {
  double centerX = 0, centerY = 0;  ///< middle of the cell
  double halfWidth = 0;
  double massX = 0, massY = 0;      ///< centre of mass of the points in the cell
  int32_t count = 0;                ///< points in the cell
  int32_t firstChild = -1;          ///< four children from here; -1 for a leaf
  int32_t point = -1;               ///< a leaf's point (the first, when duplicates share a cell)
};

/// Repulsion sums for one point: sum_j q_ij Z (for the normaliser Z) and
/// sum_j (q_ij Z)^2 (y_i - y_j), with q_ij Z = 1 / (1 + |y_i - y_j|^2).
struct Repulsion {
  double sumQ = 0;
  double forceX = 0, forceY = 0;
};

class QuadTree {
 public:
  /// Builds the tree over `n` points (x, y interleaved). Points closer than
  /// the deepest cell share a leaf (their mutual force is zero anyway).
  void build(const double* xy, int64_t n);
  /// The repulsion on point `self` at (x, y): cells whose width is below
  /// theta times their distance count as one body at their centre of mass.
  /// theta = 0 visits every point: the exact sums.
  Repulsion repulsion(int64_t self, double x, double y, double theta) const;
  const std::vector<QuadNode>& nodes() const { return nodes_; }

 private:
  void insert(int32_t point, double x, double y);
  void split(int32_t node);
  const double* xy_ = nullptr;
  std::vector<QuadNode> nodes_;
};

}  // namespace pl
