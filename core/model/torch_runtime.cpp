#include "model/torch_runtime.h"


#include <torch/torch.h>

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
  at::set_num_threads(threads > 0 ? threads : 1);
}

}  // namespace pl
