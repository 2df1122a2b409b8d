#pragma once
// 1 - x.y for the HNSW graph, in the calling convention hnswlib uses
// (two vectors, then a pointer to the dimension as size_t). Debian builds
// for the x86-64 baseline, so hnswlib's own kernels stop at SSE; distance
// evaluations are most of an HNSW query's work, so an AVX2/FMA kernel is
// chosen at run time when the CPU has it.

namespace pl {

using DistanceFunction = float (*)(const void* x, const void* y, const void* dim);

/// The AVX2/FMA inner-product distance, or nullptr when this CPU lacks
/// AVX2 or FMA (callers then keep hnswlib's own kernel).
DistanceFunction fastInnerProductDistance();

}  // namespace pl
