#pragma once
// The one threading primitive of the layouts: contiguous slices of a range
// on plain std::threads. Slices are fixed by (count, threads) alone, so
// per-point work gives the same numbers whatever the timing.

#include <algorithm>
#include <cstdint>
#include <thread>
#include <vector>

namespace pl {

/// Calls body(begin, end, slice) for `threads` contiguous slices of
/// [0, count); the calling thread runs the last slice itself.
template <typename Body>
void parallelFor(int64_t count, int threads, const Body& body) {
  const int slices = static_cast<int>(std::max<int64_t>(1, std::min<int64_t>(threads, count)));
  if (slices == 1) {
    body(int64_t{0}, count, 0);
    return;
  }
  std::vector<std::thread> workers;
  workers.reserve(static_cast<size_t>(slices - 1));
  auto bound = [&](int s) { return count * s / slices; };
  for (int s = 0; s + 1 < slices; ++s) workers.emplace_back([&, s] { body(bound(s), bound(s + 1), s); });
  body(bound(slices - 1), count, slices - 1);
  for (auto& w : workers) w.join();
}

}  // namespace pl
