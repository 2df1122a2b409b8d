#pragma once
// Seed tokenizers for the targets that read a SentencePiece model
// (fuzz_model_import, fuzz_blobs): one trained by Tokenizer::train on a few
// dozen product titles, as a run or an export stores it, and the same model
// without the normaliser's NFKC table, a few KB instead of about 250 KB.
#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "fuzz_support.h"
#include "text/tokenizer.h"

namespace pl::fuzz {

namespace detail {

// A protobuf varint at `p`; false past the end.
inline bool varint(const std::string& s, size_t& p, uint64_t& v) {
  v = 0;
  for (int shift = 0; shift < 64 && p < s.size(); shift += 7) {
    const auto b = static_cast<uint8_t>(s[p++]);
    v |= static_cast<uint64_t>(b & 0x7F) << shift;
    if (!(b & 0x80)) return true;
  }
  return false;
}

inline void putVarint(std::string& out, uint64_t v) {
  do {
    out += static_cast<char>((v & 0x7F) | (v >= 0x80 ? 0x80 : 0));
    v >>= 7;
  } while (v);
}

}  // namespace detail

/// `model` (a serialized ModelProto) with the normaliser's precompiled
/// character map dropped and its rule named "identity": the same pieces and
/// special ids, much smaller, so mutations are cheap. Only the top-level
/// field 3 (NormalizerSpec) is rewritten; the rest is copied as it is.
inline std::string withoutCharsmap(const std::string& model) {
  using detail::putVarint;
  using detail::varint;
  std::string out;
  size_t p = 0;
  while (p < model.size()) {
    const size_t start = p;
    uint64_t key = 0, length = 0;
    if (!varint(model, p, key) || (key & 7) != 2 || !varint(model, p, length) || length > model.size() - p) {
      std::abort();  // the trainer writes only length-delimited top-level fields
    }
    if ((key >> 3) != 3) {
      out.append(model, start, p + length - start);
      p += length;
      continue;
    }
    const std::string spec = model.substr(p, length);
    p += length;
    std::string kept;
    putVarint(kept, (1 << 3) | 2);  // name
    putVarint(kept, 8);
    kept += "identity";
    for (size_t q = 0; q < spec.size();) {
      const size_t fieldStart = q;
      uint64_t fieldKey = 0, value = 0;
      if (!varint(spec, q, fieldKey)) std::abort();
      if ((fieldKey & 7) == 2) {
        if (!varint(spec, q, value) || value > spec.size() - q) std::abort();
        q += value;
      } else if ((fieldKey & 7) == 0) {
        if (!varint(spec, q, value)) std::abort();
      } else {
        std::abort();
      }
      const uint64_t field = fieldKey >> 3;  // 1: name, 2: precompiled_charsmap
      if (field != 1 && field != 2) kept.append(spec, fieldStart, q - fieldStart);
    }
    putVarint(out, (3 << 3) | 2);
    putVarint(out, kept.size());
    out += kept;
  }
  return out;
}

/// `model` with a second normalizer_spec appended (protobuf merges it, its
/// table replacing the first) whose table sends "e" to a replacement string
/// 2 GB past the end of its strings: SentencePiece 0.1.97 followed it when
/// encoding (a SEGV, found by fuzz_model_import); Tokenizer::load refuses it.
inline std::string withDamagedCharsmap(const std::string& model) {
  using detail::putVarint;
  std::string units(256 * 4, '\0');  // one block; unit 0, the root, has offset 0
  auto put = [&](size_t i, uint32_t u) { std::memcpy(&units[4 * i], &u, sizeof u); };
  put(0x65, 0x65u | (1u << 8) | ((0x65u ^ 0x80u) << 10));  // "e", with a leaf at unit 0x80
  put(0x80, (1u << 31) | 0x7FFFFFF0u);                     // the leaf's value
  std::string table(4, '\0');
  const auto trieBytes = static_cast<uint32_t>(units.size());
  std::memcpy(table.data(), &trieBytes, sizeof trieBytes);
  table += units;
  table += std::string("E\0", 2);
  std::string spec;
  putVarint(spec, (2 << 3) | 2);  // precompiled_charsmap
  putVarint(spec, table.size());
  spec += table;
  std::string out = model;
  putVarint(out, (3 << 3) | 2);  // normalizer_spec
  putVarint(out, spec.size());
  return out + spec;
}

/// `model` with one more piece, "\0x": the unigram model's trie takes its
/// pieces as C strings, so SentencePiece 0.1.97 met an empty key and
/// darts-clone threw through it (std::terminate, found by
/// fuzz_model_import); Tokenizer::load refuses it.
inline std::string withNulPiece(const std::string& model) {
  using detail::putVarint;
  const std::string piece("\x0a\x02\0x", 4);  // SentencePiece { piece: "\0x" }
  std::string out = model;
  putVarint(out, (1 << 3) | 2);  // pieces
  putVarint(out, piece.size());
  return out + piece;
}

/// The trained tokenizer (first) and its small form (second); `path` is a
/// scratch file name to train to and load from, removed afterwards. Aborts
/// when either does not load through Tokenizer::load: the seeds must be good
/// ones.
inline std::pair<std::string, std::string> seedTokenizers(const std::string& path) {
  std::vector<std::string> texts;
  const char* colours[] = {"red", "blue", "green", "black", "white", "navy"};
  const char* things[] = {"cotton shirt", "running shoe", "wool scarf", "denim jacket", "leather belt",
                          "\xE7\xBA\xA2\xE8\x89\xB2 T\xE6\x81\xA4"};
  for (int i = 0; i < 48; ++i) {
    texts.push_back(std::string(colours[i % 6]) + " " + things[(i / 6) % 6] + " size " + std::to_string(36 + i));
  }
  pl::TokenizerOptions options;
  options.vocabSize = 64;
  auto trained = pl::Tokenizer::train(texts, options, path);
  if (!trained) {
    std::fprintf(stderr, "cannot train the seed tokenizer: %s\n", trained.error().message.c_str());
    std::abort();
  }
  std::string model;
  {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream bytes;
    bytes << in.rdbuf();
    model = bytes.str();
  }
  std::string small = withoutCharsmap(model);
  for (const std::string* bytes : {&model, &small}) {
    writeBytes(path, reinterpret_cast<const uint8_t*>(bytes->data()), bytes->size());
    auto loaded = pl::Tokenizer::load(path);
    unlink(path.c_str());
    if (!loaded) {
      std::fprintf(stderr, "a seed tokenizer does not load: %s\n", loaded.error().message.c_str());
      std::abort();
    }
  }
  return {model, small};
}

}  // namespace pl::fuzz
