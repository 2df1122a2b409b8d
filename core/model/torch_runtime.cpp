#include "model/torch_runtime.h"


#include <torch/torch.h>

#include <fstream>
#include <string>
#include <thread>

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
  at::set_num_threads(threads > 0 ? threads
                                  : static_cast<int>(std::max(1u, std::thread::hardware_concurrency())));
}

}  // namespace pl
