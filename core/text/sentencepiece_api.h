#pragma once
// SentencePiece, loaded at run time in its own symbol scope.
//
// Why: Debian's libsentencepiece bundles protobuf-lite 3.14 and exports its
// symbols, while LibTorch loads the system libprotobuf 3.21. Linked into one
// process, whichever loads first captures the other's protobuf calls, and the
// process dies before main() (a crash in libprotobuf's static init, or a
// protobuf version check abort). So plcore never links SentencePiece: it
// dlopen()s it with RTLD_LOCAL | RTLD_DEEPBIND, which keeps each library's
// protobuf to itself, and calls the few functions it needs through dlsym().
// Sanitized builds, where ASan refuses RTLD_DEEPBIND, load it with dlmopen()
// into a link-map namespace of its own instead (see sentencepiece_api.cpp).

#include <string>
#include <string_view>
#include <vector>

namespace pl::spm {

/// Loads libsentencepiece once; false (with a message) when it is missing.
bool available(std::string* error);

/// SentencePieceTrainer::Train with command-line style `args`; on success
/// fills `model` with the serialized ModelProto and returns an empty string,
/// otherwise returns SentencePiece's message.
std::string train(const std::string& args, std::string* model);

/// Seeds SentencePiece's (global) random generator.
void setRandomSeed(unsigned seed);

/// Minimum log level of SentencePiece (0 INFO .. 3 FATAL).
void setMinLogLevel(int level);

/// A SentencePieceProcessor created and used through the loaded library.
class Processor {
 public:
  Processor();  ///< requires available()
  ~Processor();
  Processor(const Processor&) = delete;
  Processor& operator=(const Processor&) = delete;

  /// Empty string on success, else SentencePiece's message.
  std::string loadFromSerializedProto(std::string_view bytes);
  std::vector<int> encode(std::string_view text) const;
  std::string decode(const std::vector<int>& ids) const;
  int pieceSize() const;
  const std::string& idToPiece(int id) const;
  int pieceToId(std::string_view piece) const;
  bool isControl(int id) const;
  int padId() const;
  int unkId() const;
  int bosId() const;
  int eosId() const;
  std::string serializedModelProto() const;

 private:
  void* self_;  // a sentencepiece::SentencePieceProcessor
};

}  // namespace pl::spm
