#include "model/torch_runtime.h"


#include <dlfcn.h>
#include <torch/torch.h>

#include <cstdlib>
#include <fstream>
#include <string>

namespace pl {

namespace {

// Which libblas.so.3 the dynamic loader actually mapped (Debian switches it
// with update-alternatives, so the build configuration cannot tell).
std::string loadedBlas() {
  std::ifstream maps("/proc/self/maps");
  std::string line;
  while (std::getline(maps, line)) {
    auto pos = line.find('/');
    if (pos == std::string::npos) continue;
    std::string path = line.substr(pos);
    if (path.find("openblas") != std::string::npos) return "OpenBLAS (" + path + ")";
    if (path.find("libblas.so") != std::string::npos) return "reference BLAS (" + path + ")";
    if (path.find("mkl") != std::string::npos) return "MKL (" + path + ")";
  }
  return "unknown";
}

/// Sets OpenBLAS's own thread count when OpenBLAS is the loaded BLAS (looked
/// up at run time: the build links the generic libblas.so.3 interface).
/// `threads` 0 restores the count OpenBLAS started with. A user's
/// OPENBLAS_NUM_THREADS always wins.
void setOpenBlasThreads(int threads) {
  using SetThreads = void (*)(int);
  using GetThreads = int (*)();
  if (std::getenv("OPENBLAS_NUM_THREADS")) return;
  auto set = reinterpret_cast<SetThreads>(dlsym(RTLD_DEFAULT, "openblas_set_num_threads"));
  auto get = reinterpret_cast<GetThreads>(dlsym(RTLD_DEFAULT, "openblas_get_num_threads"));
  if (!set || !get) return;
  static const int initial = get();
  set(threads > 0 ? threads : initial);
}

}  // namespace

std::string torchRuntimeSummary() {
  // A tiny matmul makes sure the BLAS library is loaded before we look.
  auto a = torch::ones({8, 8});
  (void)torch::mm(a, a).sum().item<float>();
  return std::string("LibTorch ") + TORCH_VERSION + ", " + std::to_string(at::get_num_threads()) +
         " threads, BLAS: " + loadedBlas();
}

void setTorchThreads(int threads) {
  // Auto is one intra-op thread. Debian's LibTorch parallelises elementwise
  // ops with OpenMP while OpenBLAS (pthread build) runs its own threads for
  // the matrix products; with both at 2 threads on 2 cores they fight, and a
  // training step of the default model took 342 ms instead of 129 ms
  // (bench pretrain --layers 3 --dim 128 --seq 12 --batch 64). OpenBLAS
  // still uses every core for the matrix products.
  //
  // With more LibTorch threads, the matrix products run on those OpenMP
  // threads' share instead: OpenBLAS goes to one thread per call, which
  // removes the fight (169 ms/step at 2+1 vs 342 ms at 2+2, same bench).
  const int n = threads > 0 ? threads : 1;
  at::set_num_threads(n);
  setOpenBlasThreads(n > 1 ? 1 : 0);
}

}  // namespace pl
