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
#include <string_view>

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

// What SentencePiece 0.1.9x trusts in a model file, checked before it sees
// one (fuzz_model_import found both):
//  - the normalisation tables (NormalizerSpec.precompiled_charsmap: a
//    darts-clone trie over input prefixes whose leaves are offsets into a
//    block of replacement strings): a damaged one makes encoding read
//    wherever its offsets point (a SEGV in Normalizer::NormalizePrefix).
//    Newer releases check the trie themselves (DoubleArray::validate);
//  - the pieces: the unigram model builds a trie of them as C strings, and a
//    piece that starts with a NUL byte is an empty key, for which darts-clone
//    throws from inside SentencePiece (std::terminate: no frame of ours can
//    catch it when SentencePiece has a link-map namespace of its own).
class ModelProtoCheck {
 public:
  explicit ModelProtoCheck(std::string_view bytes) : bytes_(bytes) {}

  /// Whether the bytes are well-formed protobuf whose pieces (field 1) have
  /// no NUL byte and whose normalizer_spec (3) and denormalizer_spec (5)
  /// tables are safe to hand to SentencePiece. Every occurrence is checked:
  /// protobuf merges repeated message fields, the last value winning.
  bool safe() {
    size_t p = 0;
    while (p < bytes_.size()) {
      uint64_t field = 0, wire = 0;
      std::string_view value;
      if (!next(bytes_, p, field, wire, value, 0)) return false;
      if (wire != 2) continue;
      if (field == 1 && !pieceSafe(value)) return false;
      if ((field == 3 || field == 5) && !specSafe(value)) return false;
    }
    return true;
  }

 private:
  static bool varint(std::string_view s, size_t& p, uint64_t& v) {
    v = 0;
    for (int shift = 0; shift < 64 && p < s.size(); shift += 7) {  // at most 10 bytes
      const auto b = static_cast<uint8_t>(s[p++]);
      v |= static_cast<uint64_t>(b & 0x7F) << shift;
      if (!(b & 0x80)) return true;
    }
    return false;
  }

  // One field at `p`: its number, wire type and (length-delimited) bytes.
  // Groups (wire types 3 and 4, unknown fields only) are skipped whole.
  static bool next(std::string_view s, size_t& p, uint64_t& field, uint64_t& wire, std::string_view& value,
                   int depth) {
    uint64_t key = 0, n = 0;
    if (!varint(s, p, key)) return false;
    field = key >> 3;
    wire = key & 7;
    if (field == 0) return false;
    switch (wire) {
      case 0:
        return varint(s, p, n);
      case 1:
      case 5: {
        const size_t width = wire == 1 ? 8 : 4;
        if (s.size() - p < width) return false;
        p += width;
        return true;
      }
      case 2:
        if (!varint(s, p, n) || n > s.size() - p) return false;
        value = s.substr(p, n);
        p += n;
        return true;
      case 3:
        if (depth >= 32) return false;
        for (;;) {
          uint64_t innerField = 0, innerWire = 0;
          std::string_view ignored;
          if (p >= s.size() || !next(s, p, innerField, innerWire, ignored, depth + 1)) return false;
          if (innerWire == 4) return innerField == field;
        }
      case 4:
        return depth > 0;  // ends the group being skipped
      default:
        return false;
    }
  }

  // ModelProto.SentencePiece: its piece (field 1) is a non-empty string
  // without NUL (a legitimate piece is normalised text, which never has one).
  static bool pieceSafe(std::string_view piece) {
    size_t p = 0;
    while (p < piece.size()) {
      uint64_t field = 0, wire = 0;
      std::string_view value;
      if (!next(piece, p, field, wire, value, 0)) return false;
      if (field == 1 && wire == 2 && (value.empty() || value.find('\0') != std::string_view::npos)) {
        return false;
      }
    }
    return true;
  }

  static bool specSafe(std::string_view spec) {
    size_t p = 0;
    while (p < spec.size()) {
      uint64_t field = 0, wire = 0;
      std::string_view value;
      if (!next(spec, p, field, wire, value, 0)) return false;
      if (field == 2 && wire == 2 && !charsmapSafe(value)) return false;
    }
    return true;
  }

  // A precompiled_charsmap: the trie's size in bytes (uint32, little-endian
  // like the hosts SentencePiece runs on here), the trie's 32-bit units, then
  // the NUL-terminated replacement strings. Matching walks from the root,
  // unit[0]: a node's children are the 256 units at base ^ byte, where base
  // = its index ^ its offset, and a node with a leaf keeps the value (an
  // offset into the strings) at unit[base]. Every unit that a byte could
  // match (label <= 0xFF; value units have the top bit set) must therefore
  // have its whole child block inside the trie, and its value inside the
  // strings with a NUL after it.
  static bool charsmapSafe(std::string_view blob) {
    if (blob.empty()) return true;  // no table: no normalisation
    if (blob.size() <= 4) return false;
    uint32_t trieBytes = 0;
    std::memcpy(&trieBytes, blob.data(), sizeof trieBytes);
    if (trieBytes > blob.size() - 4) return false;
    const size_t units = trieBytes / 4;
    const std::string_view strings = blob.substr(4 + size_t{trieBytes});
    auto unit = [&](size_t i) {
      uint32_t u = 0;
      std::memcpy(&u, blob.data() + 4 + 4 * i, sizeof u);
      return u;
    };
    auto offset = [](uint32_t u) -> size_t { return size_t{u >> 10} << ((u & (1u << 9)) >> 6); };
    auto blockInside = [&](size_t base) { return (base | 0xFF) < units; };
    if (units == 0 || !blockInside(offset(unit(0)))) return false;
    for (size_t i = 0; i < units; ++i) {
      const uint32_t u = unit(i);
      if ((u & ((1u << 31) | 0xFFu)) > 0xFF) continue;  // a value unit: no byte matches it
      const size_t base = i ^ offset(u);
      if (!blockInside(base)) return false;
      if ((u >> 8) & 1) {
        const size_t value = unit(base) & ((1u << 31) - 1);
        if (value >= strings.size() || strings.find('\0', value) == std::string_view::npos) return false;
      }
    }
    return true;
  }

  std::string_view bytes_;
};

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
  if (!ModelProtoCheck(bytes).safe()) {
    return Error{"The tokenizer model " + modelPath +
                 " is unreadable: it is not a SentencePiece model, or its pieces or normalisation table "
                 "are damaged."};
  }
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
