// A run's checkpoint on arbitrary bytes, loaded the way resuming a run does
// after the SHA-256 check against the project's record (loadCheckpointBytes
// into a model and its optimizer; a hostile project can carry a matching
// record, so the check is no defence here). Loading must fail with a message or leave every
// parameter with the shape, type and layout the model was built with: the
// fused optimizer and the encoders index parameters by raw pointer, so a
// parameter resized by a checkpoint would be a heap overflow at the next step.
//
// Input: byte 0 even: the rest is the checkpoint file (the zip container).
// Odd: the rest is the archive's pickle (data.pkl), written into an
// otherwise valid checkpoint with correct checksums, so mutations reach
// LibTorch's unpickler instead of stopping at a CRC mismatch.
#include <caffe2/serialize/inline_container.h>
#include <unistd.h>

#include <cstdint>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "fuzz_support.h"
#include "model/product_model.h"
#include "train/checkpoint.h"
#include "train/fused_adamw.h"

namespace {

struct Fixture {
  pl::ProductModel model{nullptr};
  std::unique_ptr<pl::FusedAdamW> optimizer;
  std::vector<torch::Tensor> parameters;
  std::vector<std::vector<int64_t>> shapes;
  std::string archive;  ///< a valid checkpoint of this model
};

std::string checkpointPath() { return pl::fuzz::scratchDir() + "/step-00000001.pt"; }

std::string readAll(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream bytes;
  bytes << in.rdbuf();
  return bytes.str();
}

std::string saveFixture(Fixture& f, bool banks) {
  pl::TrainingPosition position;
  position.step = 3;
  position.epoch = 1;
  position.batchInEpoch = 2;
  position.elapsedSeconds = 1.5;
  position.globalRngState = at::detail::getDefaultCPUGenerator().get_state();
  position.maskRngState = at::detail::createCPUGenerator(2).get_state();
  if (banks) {
    position.negativeQueue = torch::randn({2, 4});
    position.neighbourBank = torch::randn({2, 4});
  }
  const std::string path = checkpointPath();
  if (!pl::saveCheckpoint(path, *f.model, *f.optimizer, position)) std::abort();
  std::string bytes = readAll(path);
  unlink(path.c_str());
  return bytes;
}

// The smallest model of the default recipe (bag of subwords, a fusion head):
// its checkpoint is still a real one, with every record kind, and small
// enough to mutate quickly.
void buildModel(Fixture& out) {
  torch::manual_seed(1);
  pl::RunConfig c;
  c.encoder = "text-bow";
  c.dim = 4;
  c.embeddingDim = 4;
  c.inputs = {"title"};
  out.model = pl::ProductModel(c, std::vector<int64_t>{}, 16);
  out.optimizer = std::make_unique<pl::FusedAdamW>(out.model->parameters(), pl::FusedAdamWOptions{});
  out.parameters.clear();
  out.shapes.clear();
  for (const auto& p : out.model->parameters()) {
    out.parameters.push_back(p);
    out.shapes.push_back(p.sizes().vec());
  }
}

bool keptShapes(const Fixture& f) {
  for (size_t i = 0; i < f.parameters.size(); ++i) {
    const torch::Tensor& p = f.parameters[i];
    if (p.sizes().vec() != f.shapes[i] || p.scalar_type() != torch::kFloat || !p.is_contiguous()) {
      std::fprintf(stderr, "parameter %zu changed: %s %s contiguous %d\n", i, toString(p.scalar_type()),
                   c10::str(p.sizes()).c_str(), int(p.is_contiguous()));
      return false;
    }
  }
  return true;
}

Fixture& fixture() {
  static Fixture f = [] {
    Fixture out;
    buildModel(out);
    out.archive = saveFixture(out, false);
    // The harness is only worth running if a good checkpoint loads.
    pl::TrainingPosition position;
    pl::Status loaded = pl::loadCheckpointBytes(out.archive, "fixture", *out.model, out.optimizer.get(), position);
    if (!loaded) {
      std::fprintf(stderr, "the fixture's own checkpoint does not load: %s\n", loaded.error().message.c_str());
      std::abort();
    }
    return out;
  }();
  return f;
}

// The fixture's archive with its data.pkl replaced by `pickle`.
std::string withPickle(const std::string& archive, const uint8_t* pickle, size_t size) {
  std::istringstream in(archive);
  caffe2::serialize::PyTorchStreamReader reader(&in);
  std::string out;
  {
    caffe2::serialize::PyTorchStreamWriter writer([&out](const void* data, size_t n) {
      out.append(static_cast<const char*>(data), n);
      return n;
    });
    for (const auto& name : reader.getAllRecords()) {
      if (name == "data.pkl") {
        writer.writeRecord(name, pickle, size);
      } else {
        auto [data, n] = reader.getRecord(name);
        writer.writeRecord(name, data.get(), n);
      }
    }
    writer.writeEndOfFile();
  }
  return out;
}

std::string dataPickle(const std::string& archive) {
  std::istringstream in(archive);
  caffe2::serialize::PyTorchStreamReader reader(&in);
  auto [data, n] = reader.getRecord("data.pkl");
  return std::string(static_cast<const char*>(data.get()), n);
}

void writeSeeds() {
  Fixture& f = fixture();
  const std::string banks = saveFixture(f, true);
  pl::fuzz::writeSeed("tiny.pt", '\0' + f.archive);
  pl::fuzz::writeSeed("tiny-banks.pt", '\0' + banks);
  pl::fuzz::writeSeed("tiny.pkl", '\1' + dataPickle(f.archive));
  pl::fuzz::writeSeed("tiny-banks.pkl", '\1' + dataPickle(banks));
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  torch::set_num_threads(1);
  if (!pl::fuzz::seedFolder()) return 0;
  writeSeeds();
  std::exit(0);
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 1) return 0;
  Fixture& f = fixture();
  const std::string archive = (data[0] & 1) ? withPickle(f.archive, data + 1, size - 1)
                                             : std::string(reinterpret_cast<const char*>(data + 1), size - 1);
  pl::TrainingPosition position;
  pl::loadCheckpointBytes(archive, "input", *f.model, f.optimizer.get(), position);
  // Loaded or refused, every parameter keeps its shape and type: a refused
  // load puts the model's tensors back (an older checkpoint is tried next).
  if (!keptShapes(f)) __builtin_trap();
  return 0;
}
