#pragma once
// The Barnes-Hut quadtree of t-SNE's repulsion, in one flat array of nodes
// (rebuilt every iteration: no per-node allocation, four children side by
// side). A node is 32 bytes so the traversal, the hot loop of t-SNE, reads
// two nodes per cache line.

#include <cstdint>
#include <vector>

namespace pl {

/// A region of the plane and the points in it.
struct QuadNode {
  double massX = 0, massY = 0;  ///< centre of mass of the points in the cell
  float halfWidth = 0;
  int32_t count = 0;            ///< points in the cell
  /// >= 0: the first of four children. -1: an empty leaf. <= -2: a leaf
  /// holding point -(child + 2) (the first, when duplicates share a cell).
  int32_t child = -1;
  bool leaf() const { return child < 0; }
  int32_t point() const { return child <= -2 ? -(child + 2) : -1; }
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
  /// The points in the order a depth-first walk meets them: neighbouring
  /// points traverse nearly the same nodes, so working through them in this
  /// order keeps the traversal in cache.
  std::vector<int32_t> depthFirstOrder() const;
  const std::vector<QuadNode>& nodes() const { return nodes_; }

 private:
  void insert(int32_t point, double x, double y);
  void split(int32_t node);
  const double* xy_ = nullptr;
  std::vector<QuadNode> nodes_;
  std::vector<double> centres_;  ///< x, y of each cell's middle (build only)
  std::vector<int32_t> duplicates_;  ///< points merged into another's leaf, with that leaf
};

}  // namespace pl
