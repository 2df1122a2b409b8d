#pragma once
// How faithful a map is to the space it came from.

#include <cstdint>
#include <vector>

namespace pl {

/// Trustworthiness (Venna & Kaski 2001) of the 2D points `xy` (n x 2) as a
/// map of `high` (n x dim): 1 - 2 / (n k (2n - 3k - 1)) * sum over each
/// point's k map neighbours that are not among its k nearest in the high
/// space of (their rank there - k). 1: every map neighbour is a true
/// neighbour. O(n^2 dim): meant for a few thousand points; both spaces
/// use Euclidean distance.
double trustworthiness(const float* high, int64_t n, int64_t dim, const float* xy, int k);

/// trustworthiness() on a random sample of at most `maxSample` points (the
/// sample is the data set: ranks count sampled points only), as benchmarks
/// report it for large maps.
double sampledTrustworthiness(const float* high, int64_t n, int64_t dim, const float* xy, int k,
                              int64_t maxSample, uint64_t seed);

}  // namespace pl
