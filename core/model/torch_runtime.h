#pragma once
#include <string>

namespace pl {

/// One line naming the LibTorch version, its intra-op thread count and the
/// BLAS it calls, so a user can see at once whether the fast OpenBLAS is in
/// use (the reference BLAS is ~45x slower for matrix products).
std::string torchRuntimeSummary();

/// Sets LibTorch's intra-op threads; 0 (auto) means one, leaving the cores
/// to OpenBLAS's own threads for matrix products (see the .cpp for the numbers).
void setTorchThreads(int threads);

}  // namespace pl
