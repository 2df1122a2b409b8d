#include "text/tokenizer.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <mutex>
#include <numeric>
#include <random>
#include <sstream>

#include "text/sentencepiece_api.h"

namespace pl {
namespace {

// SentencePiece writes progress to stderr at INFO level; the CLI draws its own
// progress bar, so keep only errors that would otherwise be lost.
constexpr int kQuietLogLevel = 2;

/// SentencePiece's messages, ended with exactly one full stop.
std::string sentence(std::string message) {
  while (!message.empty() && (message.back() == '.' || message.back() == ' ')) message.pop_back();
  return message + ".";
}

Status loadSentencePiece() {
  std::string error;
  if (!spm::available(&error)) return Error{sentence(error)};
  static std::once_flag once;
  std::call_once(once, [] { spm::setMinLogLevel(kQuietLogLevel); });
  return Status::success();
}

/// A temporary corpus file, one text per line, removed when done. (The
/// trainer's in-memory SentenceIterator would need SentencePiece's Status
/// type in our code, which the isolated loading rules out.)
class CorpusFile {
 public:
  CorpusFile(const std::string& besides) : path_(besides + ".corpus-XXXXXX") {
    fd_ = ::mkstemp(path_.data());
  }
  ~CorpusFile() {
    if (fd_ >= 0) ::close(fd_);
    if (fd_ >= 0 || written_) ::unlink(path_.c_str());
  }
  /// Writes the non-blank texts of `order`; returns how many.
  Result<size_t> write(const std::vector<std::string>& texts, const std::vector<size_t>& order) {
    if (fd_ < 0) return Error{"Cannot write a temporary corpus beside " + path_ + "."};
    std::string buffer;
    size_t lines = 0;
    for (size_t i : order) {
      std::string line = texts[i];
      // One sentence per line: embedded newlines/tabs would become spaces in
      // normalisation anyway.
      std::replace_if(line.begin(), line.end(),
                      [](char c) { return c == '\n' || c == '\r' || c == '\t'; }, ' ');
      if (line.find_first_not_of(' ') == std::string::npos) continue;
      buffer += line;
      buffer += '\n';
      ++lines;
    }
    written_ = true;
    size_t done = 0;
    while (done < buffer.size()) {
      const ssize_t n = ::write(fd_, buffer.data() + done, buffer.size() - done);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) return Error{"Cannot write the temporary corpus " + path_ + "."};
      done += static_cast<size_t>(n);
    }
    ::close(fd_);
    fd_ = -1;
    return lines;
  }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
  int fd_ = -1;
  bool written_ = false;
};

/// Indices of the sentences to train on: all of them, or a seeded sample of
/// `cap` (deterministic, unlike the trainer's own reservoir sampling, whose
/// generator is thread-local global state).
std::vector<size_t> sampleOrder(size_t n, size_t cap, int seed) {
  std::vector<size_t> order(n);
  std::iota(order.begin(), order.end(), size_t{0});
  if (n <= cap) return order;
  std::mt19937_64 rng(static_cast<uint64_t>(seed));
  for (size_t i = 0; i < cap; ++i) {
    std::uniform_int_distribution<size_t> pick(i, n - 1);
    std::swap(order[i], order[pick(rng)]);
  }
  order.resize(cap);
  std::sort(order.begin(), order.end());
  return order;
}

std::string trainerArgs(const TokenizerOptions& o, int vocabSize, const std::string& input) {
  std::ostringstream a;
  a << "--input=" << input << " --input_format=text ";
  // One thread: multi-threaded EM may sum in a different order run to run,
  // and a run must be reproducible from its seed.
  const unsigned threads = 1;
  a << "--model_type=unigram --vocab_size=" << vocabSize
    << " --character_coverage=" << o.characterCoverage
    << " --input_sentence_size=" << o.maxSentences << " --shuffle_input_sentence=true"
    << " --max_sentence_length=16384"
    // Fixed special ids; [CLS]/[SEP] reuse SentencePiece's bos/eos slots and
    // [MASK] is a control symbol, so it never matches literal text "[MASK]".
    << " --pad_id=0 --unk_id=1 --bos_id=2 --eos_id=3"
    << " --pad_piece=[PAD] --unk_piece=[UNK] --bos_piece=[CLS] --eos_piece=[SEP]"
    << " --control_symbols=[MASK] --byte_fallback=false"
    // A soft limit: small catalogs get the largest vocabulary they support
    // instead of an error.
    << " --hard_vocab_limit=false"
    << " --normalization_rule_name=" << (o.caseFold ? "nmt_nfkc_cf" : "nmt_nfkc")
    << " --num_threads=" << threads << " --minloglevel=" << kQuietLogLevel;
  return a.str();
}

Status checkSpecialIds(const spm::Processor& sp, const std::string& what) {
  const bool ok = sp.pieceSize() > Tokenizer::kMask && sp.padId() == Tokenizer::kPad &&
                  sp.unkId() == Tokenizer::kUnk && sp.bosId() == Tokenizer::kCls &&
                  sp.eosId() == Tokenizer::kSep && sp.pieceToId("[MASK]") == Tokenizer::kMask &&
                  sp.isControl(Tokenizer::kMask);
  if (ok) return Status::success();
  return Error{what +
               " is not a ProductLens tokenizer: its special ids are not pad=0, unk=1, "
               "cls=2, sep=3, mask=4."};
}

/// Writes `bytes` to `path` so that a reader sees the old file or the new
/// one, never a torn one: temp file in the same folder, fsync, rename.
Status writeFileAtomically(const std::string& path, const std::string& bytes) {
  std::string tmp = path + ".tmp-XXXXXX";
  const int fd = ::mkstemp(tmp.data());
  if (fd < 0) {
    return Error{"Cannot write the tokenizer model " + path + ": " + std::strerror(errno) + "."};
  }
  size_t done = 0;
  bool ok = true;
  while (ok && done < bytes.size()) {
    const ssize_t n = ::write(fd, bytes.data() + done, bytes.size() - done);
    if (n < 0 && errno == EINTR) continue;
    ok = n > 0;
    if (ok) done += static_cast<size_t>(n);
  }
  ok = ok && ::fsync(fd) == 0;
  const int err = errno;
  ok = (::close(fd) == 0) && ok;
  if (ok && ::rename(tmp.c_str(), path.c_str()) == 0) return Status::success();
  const std::string reason = std::strerror(ok ? errno : err);
  ::unlink(tmp.c_str());
  return Error{"Cannot write the tokenizer model " + path + ": " + reason + "."};
}

bool isCjk(char32_t c) {
  return (c >= 0x2E80 && c <= 0x9FFF) ||    // radicals, kana, CJK unified ideographs
         (c >= 0xAC00 && c <= 0xD7AF) ||    // Hangul syllables
         (c >= 0xF900 && c <= 0xFAFF) ||    // compatibility ideographs
         (c >= 0xFF00 && c <= 0xFFEF) ||    // full-width forms
         (c >= 0x20000 && c <= 0x2FFFF);    // extension B and beyond
}

/// First and last code points of a UTF-8 piece (after an optional U+2581).
void pieceEnds(const std::string& s, char32_t& first, char32_t& last) {
  first = last = 0;
  bool haveFirst = false;
  for (size_t i = 0; i < s.size();) {
    const auto b = static_cast<unsigned char>(s[i]);
    const int len = b < 0x80 ? 1 : b < 0xE0 ? 2 : b < 0xF0 ? 3 : 4;
    char32_t c = len == 1 ? b : b & (0x7F >> len);
    for (int k = 1; k < len && i + k < s.size(); ++k) {
      c = (c << 6) | (static_cast<unsigned char>(s[i + k]) & 0x3F);
    }
    i += len;
    if (c == 0x2581 && !haveFirst) continue;
    if (!haveFirst) first = c;
    haveFirst = true;
    last = c;
  }
}

}  // namespace

// Private: only train() and load() make one, after loadSentencePiece().
Tokenizer::Tokenizer() : sp_(std::make_unique<spm::Processor>()) {}
Tokenizer::Tokenizer(Tokenizer&&) noexcept = default;
Tokenizer& Tokenizer::operator=(Tokenizer&&) noexcept = default;
Tokenizer::~Tokenizer() = default;

Result<Tokenizer> Tokenizer::train(const std::vector<std::string>& texts,
                                   const TokenizerOptions& options, const std::string& modelPath) {
  if (auto st = loadSentencePiece(); !st) return st.error();
  if (options.vocabSize <= kMask + 1) {
    return Error{"The tokenizer vocabulary size must be above " + std::to_string(kMask + 1) +
                 " (the special tokens); got " + std::to_string(options.vocabSize) + "."};
  }
  const auto order = sampleOrder(texts.size(), static_cast<size_t>(std::max(1, options.maxSentences)),
                                 options.seed);
  CorpusFile corpus(modelPath);
  auto lines = corpus.write(texts, order);
  if (!lines) return lines.error();
  if (*lines == 0) return Error{"Cannot train a tokenizer: the catalog has no text."};
  spm::setRandomSeed(static_cast<unsigned>(options.seed));

  // hard_vocab_limit=false covers most small corpora, but the unigram seed
  // stage can still refuse a size far beyond what the text holds: shrink and retry.
  std::string model;
  std::string lastError;
  for (int vocab = options.vocabSize; vocab > kMask + 1; vocab = vocab * 2 / 3) {
    model.clear();
    lastError = spm::train(trainerArgs(options, vocab, corpus.path()), &model);
    if (lastError.empty()) break;
    model.clear();
    // Too few characters covered is not cured by a smaller vocabulary.
    if (lastError.find("required_chars") != std::string::npos) break;
  }
  if (model.empty()) return Error{"Tokenizer training failed: " + sentence(lastError)};

  Tokenizer tok;
  if (auto why = tok.sp_->loadFromSerializedProto(model); !why.empty()) {
    return Error{"The trained tokenizer does not load: " + sentence(why)};
  }
  if (auto st = checkSpecialIds(*tok.sp_, "The trained model"); !st) return st.error();
  if (auto st = writeFileAtomically(modelPath, model); !st) return st.error();
  return tok;
}

Result<Tokenizer> Tokenizer::load(const std::string& modelPath) {
  if (auto st = loadSentencePiece(); !st) return st.error();
  std::ifstream in(modelPath, std::ios::binary);
  if (!in) return Error{"Cannot open the tokenizer model " + modelPath + "."};
  std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  Tokenizer tok;
  if (auto why = tok.sp_->loadFromSerializedProto(bytes); !why.empty()) {
    return Error{"The tokenizer model " + modelPath + " is unreadable: " + sentence(why)};
  }
  if (auto st = checkSpecialIds(*tok.sp_, "The tokenizer model " + modelPath); !st) {
    return st.error();
  }
  return tok;
}

std::vector<int> Tokenizer::encode(const std::string& text, int maxTokens) const {
  auto ids = sp_->encode(text);
  if (maxTokens > 0 && ids.size() > static_cast<size_t>(maxTokens)) ids.resize(maxTokens);
  return ids;
}

// Word starts: a piece starts a word when it begins with U+2581 (the text had
// a space there), or when CJK script begins or ends at its boundary. Chinese
// titles have no spaces, so the first rule alone would make a whole title one
// "word"; unigram pieces over Han text are mostly whole words or characters,
// so each CJK piece counts as a word of its own. Latin continuations ("ing"
// after "▁work") and digits glued to letters stay inside their word.
std::vector<int> Tokenizer::encode(const std::string& text, std::vector<bool>& wordStarts,
                                   int maxTokens) const {
  auto ids = encode(text, maxTokens);
  wordStarts.assign(ids.size(), false);
  bool prevStandalone = false;  // previous piece ends in CJK or is unknown
  bool prevBareSpace = false;
  for (size_t i = 0; i < ids.size(); ++i) {
    const std::string& piece = sp_->idToPiece(ids[i]);
    char32_t first = 0, last = 0;
    pieceEnds(piece, first, last);
    const bool spaced = piece.rfind("\xE2\x96\x81", 0) == 0;  // U+2581
    const bool cjk = first != 0 && isCjk(first);
    // An unknown piece hides its text, so it stands alone.
    const bool unknown = ids[i] == kUnk;
    // A bare "▁" (SentencePiece's space before a piece it has no ▁-form of)
    // opens the word that the next piece carries on.
    wordStarts[i] = i == 0 || ((spaced || cjk || prevStandalone || unknown) && !prevBareSpace);
    prevStandalone = unknown || (last != 0 && isCjk(last));
    prevBareSpace = spaced && first == 0;
  }
  return ids;
}

std::string Tokenizer::decode(const std::vector<int>& ids) const { return sp_->decode(ids); }

int Tokenizer::vocabSize() const { return sp_->pieceSize(); }

std::string Tokenizer::serialized() const { return sp_->serializedModelProto(); }

}  // namespace pl
