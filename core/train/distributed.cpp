#include "train/distributed.h"

#include <torch/csrc/distributed/c10d/ProcessGroupGloo.hpp>
#include <torch/csrc/distributed/c10d/TCPStore.hpp>
#ifdef USE_C10D_NCCL
#include <torch/csrc/distributed/c10d/ProcessGroupNCCL.hpp>
#endif

#include <cstdlib>
#include <mutex>

namespace pl {

Result<int> parseDistributedNumber(const std::string& what, const std::string& text) {
  char* end = nullptr;
  const long v = std::strtol(text.c_str(), &end, 10);
  if (text.empty() || *end != '\0' || v < 0 || v > 1'000'000) {
    return Error{what + " must be a whole number, not '" + text + "'"};
  }
  return static_cast<int>(v);
}

Status readDistributedEnvironment(DistributedOptions& options) {
  struct Variable {
    const char* name;
    int* target;
  } numbers[] = {{"WORLD_SIZE", &options.worldSize}, {"RANK", &options.rank}, {"MASTER_PORT", &options.masterPort}};
  for (const auto& v : numbers) {
    if (const char* text = std::getenv(v.name)) {
      auto n = parseDistributedNumber(v.name, text);
      if (!n) return n.error();
      *v.target = *n;
    }
  }
  if (const char* address = std::getenv("MASTER_ADDR")) options.masterAddress = address;
  return Status::success();
}

Status parseMasterAddress(const std::string& text, DistributedOptions& options) {
  const auto colon = text.rfind(':');
  if (colon == std::string::npos || colon == 0) return Error{"--master needs ADDR:PORT, not '" + text + "'"};
  auto port = parseDistributedNumber("the master port", text.substr(colon + 1));
  if (!port || *port == 0 || *port > 65535) return Error{"--master needs a port from 1 to 65535 in '" + text + "'"};
  options.masterAddress = text.substr(0, colon);
  options.masterPort = *port;
  return Status::success();
}

std::pair<int64_t, int64_t> shardRows(int64_t batchSize, int rank, int worldSize) {
  const int64_t base = batchSize / worldSize, extra = batchSize % worldSize;
  const int64_t begin = rank * base + std::min<int64_t>(rank, extra);
  return {begin, begin + base + (rank < extra ? 1 : 0)};
}

Result<std::shared_ptr<DistributedGroup>> DistributedGroup::join(const DistributedOptions& options) {
  if (options.worldSize < 1 || options.rank < 0 || options.rank >= options.worldSize) {
    return Error{"the rank must be from 0 to world size - 1 (rank " + std::to_string(options.rank) +
                 ", world size " + std::to_string(options.worldSize) + ")"};
  }
  std::shared_ptr<DistributedGroup> g(new DistributedGroup);
  g->rank_ = options.rank;
  g->size_ = options.worldSize;
  try {
    c10d::TCPStoreOptions storeOptions;
    storeOptions.port = static_cast<std::uint16_t>(options.masterPort);
    storeOptions.isServer = options.rank == 0;
    storeOptions.numWorkers = options.worldSize;
    storeOptions.waitWorkers = true;
    storeOptions.timeout = options.timeout;
    g->store_ = c10::make_intrusive<c10d::TCPStore>(options.masterAddress, storeOptions);
#ifdef USE_C10D_NCCL
    if (options.cuda) {
      auto nccl = c10d::ProcessGroupNCCL::Options::create();
      nccl->timeout = options.timeout;
      g->group_ = c10::make_intrusive<c10d::ProcessGroupNCCL>(g->store_, options.rank, options.worldSize, nccl);
      g->device_ = torch::Device(torch::kCUDA, 0);
      return g;
    }
#endif
    if (options.cuda) g->device_ = torch::Device(torch::kCUDA, 0);  // Gloo reduces CUDA tensors too
    auto gloo = c10d::ProcessGroupGloo::Options::create(options.timeout);
    // The loopback device for a run on one machine; otherwise the interface
    // GLOO_SOCKET_IFNAME names, or the one this host's name resolves to.
    const bool local = options.masterAddress == "127.0.0.1" || options.masterAddress == "localhost";
    if (const char* interface = std::getenv("GLOO_SOCKET_IFNAME")) {
      gloo->devices.push_back(c10d::ProcessGroupGloo::createDeviceForInterface(interface));
    } else if (local) {
      gloo->devices.push_back(c10d::ProcessGroupGloo::createDeviceForHostname("127.0.0.1"));
    } else {
      gloo->devices.push_back(c10d::ProcessGroupGloo::createDefaultDevice());
    }
    g->group_ = c10::make_intrusive<c10d::ProcessGroupGloo>(g->store_, options.rank, options.worldSize, gloo);
  } catch (const std::exception& e) {
    return Error{"cannot join the distributed run at " + options.masterAddress + ":" +
                 std::to_string(options.masterPort) + " as rank " + std::to_string(options.rank) + " of " +
                 std::to_string(options.worldSize) + ": " + e.what()};
  }
  return g;
}

DistributedGroup::~DistributedGroup() = default;

void DistributedGroup::broadcast(std::vector<torch::Tensor> tensors) {
  for (auto& t : tensors) {
    std::vector<at::Tensor> one{t.detach()};
    group_->broadcast(one)->wait();
  }
}

std::vector<double> DistributedGroup::sum(const std::vector<double>& values) {
  std::vector<at::Tensor> one{torch::tensor(values, torch::kFloat64).to(device_)};
  group_->allreduce(one)->wait();
  const auto host = one[0].cpu();
  const auto* data = host.data_ptr<double>();
  return std::vector<double>(data, data + values.size());
}

std::string DistributedGroup::share(const std::string& key, const std::string& bytes) {
  const std::string name = "productlens/" + key;
  if (rank_ == 0) {
    store_->set(name, std::vector<uint8_t>(bytes.begin(), bytes.end()));
    return bytes;
  }
  auto value = store_->get(name);  // waits for rank 0
  return std::string(value.begin(), value.end());
}

struct GradientSync::State {
  std::shared_ptr<DistributedGroup> group;
  std::vector<torch::Tensor> params;
  struct Bucket {
    std::vector<size_t> members;
    std::vector<int64_t> offsets;
    torch::Tensor flat;
    size_t pending = 0;
    c10::intrusive_ptr<c10d::Work> work;
  };
  std::vector<Bucket> buckets;
  std::vector<size_t> bucketOf, offsetOf;
  std::vector<char> ready;
  size_t nextLaunch = 0;
  std::mutex mutex;  // hooks may run on autograd's threads

  void launchReadyLocked() {
    while (nextLaunch < buckets.size() && buckets[nextLaunch].pending == 0) {
      std::vector<at::Tensor> one{buckets[nextLaunch].flat};
      buckets[nextLaunch].work = group->group().allreduce(one);
      ++nextLaunch;
    }
  }

  void gradientArrived(size_t i, const torch::Tensor& grad) {
    std::lock_guard<std::mutex> lock(mutex);
    Bucket& b = buckets[bucketOf[i]];
    b.flat.narrow(0, static_cast<int64_t>(offsetOf[i]), grad.numel()).copy_(grad.reshape(-1));
    if (!ready[i]) {
      ready[i] = 1;
      --b.pending;
    }
    launchReadyLocked();
  }
};

GradientSync::GradientSync(std::shared_ptr<DistributedGroup> group, std::vector<torch::Tensor> parameters,
                           int64_t bucketBytes)
    : state_(std::make_shared<State>()) {
  State& s = *state_;
  s.group = std::move(group);
  s.params = std::move(parameters);
  s.bucketOf.resize(s.params.size());
  s.offsetOf.resize(s.params.size());
  s.ready.assign(s.params.size(), 0);
  int64_t filled = bucketBytes;
  for (size_t k = s.params.size(); k-- > 0;) {
    const auto& p = s.params[k];
    const int64_t bytes = p.numel() * static_cast<int64_t>(p.element_size());
    if (filled + bytes > bucketBytes && filled > 0) {
      s.buckets.emplace_back();
      filled = 0;
    }
    auto& b = s.buckets.back();
    s.bucketOf[k] = s.buckets.size() - 1;
    s.offsetOf[k] = b.offsets.empty() ? 0 : static_cast<size_t>(b.offsets.back() + s.params[b.members.back()].numel());
    b.members.push_back(k);
    b.offsets.push_back(static_cast<int64_t>(s.offsetOf[k]));
    filled += bytes;
  }
  for (auto& b : s.buckets) {
    const int64_t numel = b.offsets.back() + s.params[b.members.back()].numel();
    b.flat = torch::zeros({numel}, s.params[b.members.front()].options().requires_grad(false));
    b.pending = b.members.size();
  }
  for (size_t k = 0; k < s.params.size(); ++k) {
    std::weak_ptr<State> weak = state_;
    s.params[k].register_hook([weak, k](const torch::Tensor& grad) {
      if (auto state = weak.lock()) state->gradientArrived(k, grad);
    });
  }
}

int64_t GradientSync::buckets() const { return static_cast<int64_t>(state_->buckets.size()); }

void GradientSync::finish() {
  State& s = *state_;
  std::unique_lock<std::mutex> lock(s.mutex);
  // Parameters this rank did not use send zeros; which ones any rank used
  // travels in one more small all-reduce.
  std::vector<double> used(s.params.size());
  for (size_t k = 0; k < s.params.size(); ++k) {
    used[k] = s.ready[k];
    if (s.ready[k]) continue;
    State::Bucket& b = s.buckets[s.bucketOf[k]];
    b.flat.narrow(0, static_cast<int64_t>(s.offsetOf[k]), s.params[k].numel()).zero_();
    --b.pending;
    s.ready[k] = 1;
  }
  s.launchReadyLocked();
  lock.unlock();
  const std::vector<double> usedAnywhere = s.group->sum(used);
  const double scale = 1.0 / s.group->size();
  for (auto& b : s.buckets) {
    b.work->wait();
    for (size_t m = 0; m < b.members.size(); ++m) {
      auto& p = s.params[b.members[m]];
      if (usedAnywhere[b.members[m]] == 0) continue;
      p.mutable_grad() = b.flat.narrow(0, b.offsets[m], p.numel()).view(p.sizes()).mul(scale);
    }
    b.pending = b.members.size();
    b.work.reset();
  }
  std::fill(s.ready.begin(), s.ready.end(), 0);
  s.nextLaunch = 0;
}

}  // namespace pl
