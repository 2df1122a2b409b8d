#include "text/sentencepiece_api.h"

#include <dlfcn.h>

#include <mutex>
#include <new>
#include <utility>

// Only for sizeof/alignof: nothing here may reference a SentencePiece symbol
// at link time, or the linker would load the library globally again.
#include <sentencepiece_processor.h>

namespace pl::spm {
namespace {

/// Stand-in for sentencepiece::util::Status (one pointer, not trivially
/// copyable, so returned through a hidden pointer exactly like the original).
class Status {
 public:
  Status() = default;
  Status(const Status&) = delete;
  Status& operator=(const Status&) = delete;
  ~Status();
  bool ok() const { return rep_ == nullptr; }
  std::string message() const;

 private:
  void* rep_ = nullptr;
};
static_assert(sizeof(Status) == sizeof(sentencepiece::util::Status));

// Member functions are called as free functions taking `this` first, which
// is the Itanium C++ ABI's convention (after the hidden return pointer).
struct Api {
  void (*statusDtor)(Status*);
  const char* (*statusMessage)(const Status*);
  void (*setRandomSeed)(unsigned);
  void (*setMinLogLevel)(int);
  Status (*train)(std::string_view, void* iterator, std::string* model);
  void (*ctor)(void*);
  void (*dtor)(void*);
  Status (*load)(void*, std::string_view);
  Status (*encode)(const void*, std::string_view, std::vector<int>*);
  Status (*decode)(const void*, const std::vector<int>&, std::string*);
  int (*pieceSize)(const void*);
  const std::string& (*idToPiece)(const void*, int);
  int (*pieceToId)(const void*, std::string_view);
  bool (*isControl)(const void*, int);
  int (*padId)(const void*);
  int (*unkId)(const void*);
  int (*bosId)(const void*);
  int (*eosId)(const void*);
  std::string (*serialized)(const void*);
  void (*free)(void*);  // SentencePiece's own operator delete
};

Api api_;
std::string loadError_;

template <typename F>
bool bind(void* lib, const char* symbol, F& slot) {
  void* p = ::dlsym(lib, symbol);
  if (p == nullptr) {
    loadError_ = std::string("SentencePiece lacks ") + symbol + " (expected version 0.1.9x)";
    return false;
  }
  slot = reinterpret_cast<F>(p);
  return true;
}

#if defined(__SANITIZE_ADDRESS__)
#define PL_SPM_OWN_NAMESPACE 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define PL_SPM_OWN_NAMESPACE 1
#endif
#endif

// Opens the two libraries so that their bundled protobuf cannot meet
// LibTorch's. Normally: RTLD_DEEPBIND, the library resolves its own symbols
// before the process's, and RTLD_LOCAL, nothing loaded later sees them.
// AddressSanitizer refuses RTLD_DEEPBIND (google/sanitizers#611), so a
// sanitized build gives SentencePiece a link-map namespace of its own
// (dlmopen): its own libstdc++ and malloc, hence the adopt() rule below.
std::pair<void*, void*> openLibraries() {
#ifdef PL_SPM_OWN_NAMESPACE
  void* core = ::dlmopen(LM_ID_NEWLM, "libsentencepiece.so.0", RTLD_NOW | RTLD_LOCAL);
  Lmid_t space = LM_ID_BASE;
  if (core == nullptr || ::dlinfo(core, RTLD_DI_LMID, &space) != 0) return {core, nullptr};
  return {core, ::dlmopen(space, "libsentencepiece_train.so.0", RTLD_NOW | RTLD_LOCAL)};
#else
  const int flags = RTLD_NOW | RTLD_LOCAL | RTLD_DEEPBIND;
  void* core = ::dlopen("libsentencepiece.so.0", flags);
  return {core, core ? ::dlopen("libsentencepiece_train.so.0", flags) : nullptr};
#endif
}

bool loadLibrary() {
  auto [core, trainer] = openLibraries();
  if (trainer == nullptr) {
    const char* why = ::dlerror();
    loadError_ = std::string("SentencePiece cannot be loaded (install libsentencepiece0): ") +
                 (why ? why : "unknown error");
    return false;
  }
  // dlsym on the library's handle searches its dependencies too, so this is
  // the operator delete of the libstdc++ SentencePiece itself uses.
  return bind(core, "_ZdlPv", api_.free) &&
         bind(core, "_ZN13sentencepiece4util6StatusD1Ev", api_.statusDtor) &&
         bind(core, "_ZNK13sentencepiece4util6Status13error_messageEv", api_.statusMessage) &&
         bind(core, "_ZN13sentencepiece22SetRandomGeneratorSeedEj", api_.setRandomSeed) &&
         bind(core, "_ZN13sentencepiece7logging14SetMinLogLevelEi", api_.setMinLogLevel) &&
         bind(trainer,
              "_ZN13sentencepiece20SentencePieceTrainer5TrainESt17basic_string_viewIcSt11char_"
              "traitsIcEEPNS_16SentenceIteratorEPNSt7__cxx1112basic_stringIcS3_SaIcEEE",
              api_.train) &&
         bind(core, "_ZN13sentencepiece22SentencePieceProcessorC1Ev", api_.ctor) &&
         bind(core, "_ZN13sentencepiece22SentencePieceProcessorD1Ev", api_.dtor) &&
         bind(core,
              "_ZN13sentencepiece22SentencePieceProcessor23LoadFromSerializedProtoESt17basic_"
              "string_viewIcSt11char_traitsIcEE",
              api_.load) &&
         bind(core,
              "_ZNK13sentencepiece22SentencePieceProcessor6EncodeESt17basic_string_viewIcSt11"
              "char_traitsIcEEPSt6vectorIiSaIiEE",
              api_.encode) &&
         bind(core,
              "_ZNK13sentencepiece22SentencePieceProcessor6DecodeERKSt6vectorIiSaIiEEPNSt7__"
              "cxx1112basic_stringIcSt11char_traitsIcESaIcEEE",
              api_.decode) &&
         bind(core, "_ZNK13sentencepiece22SentencePieceProcessor12GetPieceSizeEv",
              api_.pieceSize) &&
         bind(core, "_ZNK13sentencepiece22SentencePieceProcessor9IdToPieceB5cxx11Ei",
              api_.idToPiece) &&
         bind(core,
              "_ZNK13sentencepiece22SentencePieceProcessor9PieceToIdESt17basic_string_viewIcSt11"
              "char_traitsIcEE",
              api_.pieceToId) &&
         bind(core, "_ZNK13sentencepiece22SentencePieceProcessor9IsControlEi", api_.isControl) &&
         bind(core, "_ZNK13sentencepiece22SentencePieceProcessor6pad_idEv", api_.padId) &&
         bind(core, "_ZNK13sentencepiece22SentencePieceProcessor6unk_idEv", api_.unkId) &&
         bind(core, "_ZNK13sentencepiece22SentencePieceProcessor6bos_idEv", api_.bosId) &&
         bind(core, "_ZNK13sentencepiece22SentencePieceProcessor6eos_idEv", api_.eosId) &&
         bind(core, "_ZNK13sentencepiece22SentencePieceProcessor22serialized_model_protoB5cxx11Ev",
              api_.serialized);
}

Status::~Status() {
  if (rep_ != nullptr) api_.statusDtor(this);
}

std::string Status::message() const {
  const char* m = ok() ? nullptr : api_.statusMessage(this);
  return m ? m : "";
}

// The rule for everything SentencePiece fills in: hand it empty containers
// (no heap buffer of ours it could free) and adopt what comes back, copying
// the contents and returning the buffer to SentencePiece's allocator, which
// under the sanitizers is not ours. Otherwise the two allocators are the same
// and this costs one small copy.
std::string adopt(std::string& filled) {
  std::string copy(filled.data(), filled.size());
  if (filled.capacity() > std::string().capacity()) {  // not the inline buffer
    api_.free(filled.data());
    new (&filled) std::string();  // forget the freed buffer without freeing it again
  }
  return copy;
}

std::vector<int> adopt(std::vector<int>& filled) {
  std::vector<int> copy(filled.begin(), filled.end());
  if (filled.data() != nullptr) {
    api_.free(filled.data());
    new (&filled) std::vector<int>();
  }
  return copy;
}

constexpr size_t kProcessorSize = sizeof(sentencepiece::SentencePieceProcessor);
constexpr std::align_val_t kProcessorAlign{alignof(sentencepiece::SentencePieceProcessor)};

}  // namespace

bool available(std::string* error) {
  static std::once_flag once;
  static bool ok = false;
  std::call_once(once, [] { ok = loadLibrary(); });
  if (!ok && error != nullptr) *error = loadError_;
  return ok;
}

std::string train(const std::string& args, std::string* model) {
  std::string error;
  if (!available(&error)) return error;
  std::string filled;
  const Status st = api_.train(args, nullptr, &filled);
  *model = adopt(filled);
  return st.ok() ? std::string() : st.message();
}

void setRandomSeed(unsigned seed) {
  if (available(nullptr)) api_.setRandomSeed(seed);
}

void setMinLogLevel(int level) {
  if (available(nullptr)) api_.setMinLogLevel(level);
}

Processor::Processor() : self_(::operator new(kProcessorSize, kProcessorAlign)) {
  api_.ctor(self_);
}

Processor::~Processor() {
  api_.dtor(self_);
  ::operator delete(self_, kProcessorAlign);
}

std::string Processor::loadFromSerializedProto(std::string_view bytes) {
  const Status st = api_.load(self_, bytes);
  return st.ok() ? std::string() : st.message();
}

std::vector<int> Processor::encode(std::string_view text) const {
  std::vector<int> filled;
  const Status st = api_.encode(self_, text, &filled);
  std::vector<int> ids = adopt(filled);
  if (!st.ok()) ids.clear();  // only on an unloaded model, which load() prevents
  return ids;
}

std::string Processor::decode(const std::vector<int>& ids) const {
  std::string filled;
  const Status st = api_.decode(self_, ids, &filled);
  std::string text = adopt(filled);
  return st.ok() ? text : std::string();
}

int Processor::pieceSize() const { return api_.pieceSize(self_); }
const std::string& Processor::idToPiece(int id) const { return api_.idToPiece(self_, id); }
int Processor::pieceToId(std::string_view piece) const { return api_.pieceToId(self_, piece); }
bool Processor::isControl(int id) const { return api_.isControl(self_, id); }
int Processor::padId() const { return api_.padId(self_); }
int Processor::unkId() const { return api_.unkId(self_); }
int Processor::bosId() const { return api_.bosId(self_); }
int Processor::eosId() const { return api_.eosId(self_); }
std::string Processor::serializedModelProto() const {
  std::string filled = api_.serialized(self_);
  return adopt(filled);
}

}  // namespace pl::spm
