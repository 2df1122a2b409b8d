#include "train/run_config.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <nlohmann/json.hpp>
#include <set>
#include <type_traits>

namespace pl {

namespace {

using nlohmann::json;

const std::set<std::string> kObjectives = {"mlm",        "attr", "contrastive", "neighbours",
                                           "copurchase", "mim",  "clip"};
bool isText(const std::string& field) { return field == "title" || field == "description"; }
constexpr const char* kImageInput = "image";

bool within(double v, double lo, double hi) { return v >= lo && v <= hi; }

// A number its setting cannot hold ("layers": 1e22 or 2.5, "seed": -1).
struct OutOfRange {
  const char* why;
};
constexpr OutOfRange kNotWhole{"must be a whole number in range"};
constexpr OutOfRange kNotFinite{"must be a finite number"};

// nlohmann's get<int>() casts floats and wide integers unchecked, which is
// undefined behaviour for 1e22 (found by fuzz_run_config). Whole numbers in
// T's range are read, whatever their JSON spelling; anything else refused.
template <typename T>
T integer(const json& v) {
  if (v.is_number_unsigned()) {
    const auto u = v.get<uint64_t>();
    if (u > static_cast<uint64_t>(std::numeric_limits<T>::max())) throw kNotWhole;
    return static_cast<T>(u);
  }
  if (v.is_number_integer()) {
    const auto i = v.get<int64_t>();
    if (i < 0 && std::is_unsigned<T>::value) throw kNotWhole;
    if (!std::is_unsigned<T>::value &&
        (i < static_cast<int64_t>(std::numeric_limits<T>::min()) ||
         i > static_cast<int64_t>(std::numeric_limits<T>::max()))) {
      throw kNotWhole;
    }
    return static_cast<T>(i);
  }
  if (v.is_number_float()) {
    const double d = v.get<double>();
    // 2^63 and 2^64 are exact doubles: the bounds below are strict.
    const double hi = std::is_same<T, int64_t>::value    ? 9223372036854775808.0
                      : std::is_same<T, uint64_t>::value ? 18446744073709551616.0
                                                         : static_cast<double>(std::numeric_limits<T>::max()) + 1;
    const double lo = std::is_unsigned<T>::value ? 0.0 : static_cast<double>(std::numeric_limits<T>::min());
    if (!(d >= lo && d < hi) || d != std::trunc(d)) throw kNotWhole;
    return static_cast<T>(d);
  }
  return v.get<T>();  // not a number: nlohmann's type error
}

// A finite number (the parser reads 1e999 as infinity, which a stored run
// would write back as null).
double real(const json& v) {
  const double d = v.get<double>();
  if (!std::isfinite(d)) throw kNotFinite;
  return d;
}

Status validateImages(const RunConfig& c) {
  if (c.imageEncoder != "image-cnn" && c.imageEncoder != "image-vit") {
    return Error{"image encoder '" + c.imageEncoder + "' is not available (image-cnn, image-vit)"};
  }
  const int size = c.image.size;
  if (size < 16 || size > 256 || size % 8 != 0) {
    return Error{"image size must be a multiple of 8 from 16 to 256 pixels"};
  }
  if (c.image.channels != 1 && c.image.channels != 3) return Error{"image channels must be 1 or 3"};
  if (c.patchSize < 2 || c.patchSize > 32 || size % c.patchSize != 0) {
    return Error{"patch size (" + std::to_string(c.patchSize) + ") must be 2 to 32 and divide the image size (" +
                 std::to_string(size) + ")"};
  }
  if (c.imageEncoder == "image-vit" && c.dim % c.heads != 0) {
    return Error{"heads (" + std::to_string(c.heads) + ") must divide dim (" + std::to_string(c.dim) + ")"};
  }
  if (!within(c.imageMaskRate, 0.05, 0.95)) return Error{"image masking rate must be between 0.05 and 0.95"};
  const ImageAugment& a = c.augment;
  if (!within(a.cropScaleMin, 0.05, 1)) return Error{"crop scale must be between 0.05 and 1"};
  if (!within(a.flip, 0, 1) || !within(a.grayscale, 0, 1) || !within(a.blur, 0, 1)) {
    return Error{"flip, grayscale and blur are probabilities between 0 and 1"};
  }
  if (!within(a.colourJitter, 0, 0.9)) return Error{"colour jitter must be between 0 and 0.9"};
  if (!within(c.modalityDropout, 0, 0.9)) return Error{"modality dropout must be between 0 and 0.9"};
  return Status::success();
}

std::string joined(const std::vector<std::string>& v) {
  std::string out;
  for (const auto& s : v) out += (out.empty() ? "" : ",") + s;
  return out;
}

}  // namespace

double RunConfig::weight(const std::string& objective) const {
  auto it = objectives.find(objective);
  return it == objectives.end() ? 0.0 : it->second;
}

std::vector<std::string> RunConfig::textInputs() const {
  std::vector<std::string> out;
  for (const char* f : {"title", "description"}) {
    if (std::find(inputs.begin(), inputs.end(), f) != inputs.end()) out.push_back(f);
  }
  return out;
}

bool RunConfig::usesImages() const {
  return std::find(inputs.begin(), inputs.end(), kImageInput) != inputs.end();
}

std::vector<std::string> RunConfig::attributeInputs() const {
  std::vector<std::string> out;
  for (const auto& f : inputs) {
    if (!isText(f) && f != kImageInput) out.push_back(f);
  }
  return out;
}

std::vector<std::string> RunConfig::effectiveAttrTargets() const {
  if (!attrTargets.empty()) return attrTargets;
  std::vector<std::string> out;
  for (const auto& f : attributeInputs()) {
    if (f != "price") out.push_back(f);
  }
  return out;
}

std::string RunConfig::toJson() const {
  json j;
  j["encoder"] = encoder;
  j["layers"] = layers;
  j["dim"] = dim;
  j["heads"] = heads;
  j["max_length"] = maxLength;
  j["pooling"] = pooling;
  j["dropout"] = dropout;
  j["embedding_dim"] = embeddingDim;
  j["whiten"] = whiten;
  j["vocab_size"] = vocabSize;
  j["inputs"] = inputs;
  j["image_encoder"] = imageEncoder;
  j["image_size"] = image.size;
  j["image_channels"] = image.channels;
  j["image_fit"] = image.pad ? "pad" : "crop";
  j["patch_size"] = patchSize;
  j["image_mask_rate"] = imageMaskRate;
  j["crop_scale_min"] = augment.cropScaleMin;
  j["flip"] = augment.flip;
  j["colour_jitter"] = augment.colourJitter;
  j["grayscale"] = augment.grayscale;
  j["blur"] = augment.blur;
  j["modality_dropout"] = modalityDropout;
  j["validation_fraction"] = validationFraction;
  j["objectives"] = objectives;
  j["mask_rate"] = maskRate;
  j["whole_word_mask"] = wholeWordMask;
  j["temperature"] = temperature;
  j["view_word_drop"] = viewWordDrop;
  j["first_view_word_drop"] = firstViewWordDrop;
  j["negative_queue"] = negativeQueue;
  j["lexical_views"] = lexicalViews;
  j["attr_targets"] = attrTargets;
  j["epochs"] = epochs;
  j["max_steps"] = maxSteps;
  j["time_limit_minutes"] = timeLimitMinutes;
  j["batch"] = batch;
  j["lr"] = lr;
  j["weight_decay"] = weightDecay;
  j["warmup_fraction"] = warmupFraction;
  j["schedule"] = schedule;
  j["clip_norm"] = clipNorm;
  j["seed"] = seed;
  j["threads"] = threads;
  j["checkpoint_every"] = checkpointEvery;
  return j.dump(2);
}

Result<RunConfig> RunConfig::fromJson(const std::string& text, const std::string& source) {
  json j = json::parse(text, nullptr, false);
  if (!j.is_object()) return Error{source + " is not a JSON object"};
  RunConfig c;
  std::string key;
  try {
    for (auto it = j.begin(); it != j.end(); ++it) {
      key = it.key();
      const json& v = it.value();
      if (key == "encoder") c.encoder = v.get<std::string>();
      else if (key == "layers") c.layers = integer<int>(v);
      else if (key == "dim") c.dim = integer<int>(v);
      else if (key == "heads") c.heads = integer<int>(v);
      else if (key == "max_length") c.maxLength = integer<int>(v);
      else if (key == "pooling") c.pooling = v.get<std::string>();
      else if (key == "dropout") c.dropout = real(v);
      else if (key == "embedding_dim") c.embeddingDim = integer<int>(v);
      else if (key == "vocab_size") c.vocabSize = integer<int>(v);
      else if (key == "inputs") c.inputs = v.get<std::vector<std::string>>();
      else if (key == "image_encoder") c.imageEncoder = v.get<std::string>();
      else if (key == "image_size") c.image.size = integer<int>(v);
      else if (key == "image_channels") c.image.channels = integer<int>(v);
      else if (key == "image_fit") {
        const auto fit = v.get<std::string>();
        if (fit != "pad" && fit != "crop") return Error{source + ": image_fit must be pad or crop"};
        c.image.pad = fit == "pad";
      } else if (key == "patch_size") c.patchSize = integer<int>(v);
      else if (key == "image_mask_rate") c.imageMaskRate = real(v);
      else if (key == "crop_scale_min") c.augment.cropScaleMin = real(v);
      else if (key == "flip") c.augment.flip = real(v);
      else if (key == "colour_jitter") c.augment.colourJitter = real(v);
      else if (key == "grayscale") c.augment.grayscale = real(v);
      else if (key == "blur") c.augment.blur = real(v);
      else if (key == "modality_dropout") c.modalityDropout = real(v);
      else if (key == "validation_fraction") c.validationFraction = real(v);
      else if (key == "objectives") {
        c.objectives.clear();
        if (v.is_array()) {
          for (const auto& o : v) c.objectives[o.get<std::string>()] = 1.0;
        } else {
          for (const auto& [name, w] : v.get<std::map<std::string, json>>()) c.objectives[name] = real(w);
        }
      } else if (key == "mask_rate") c.maskRate = real(v);
      else if (key == "whole_word_mask") c.wholeWordMask = v.get<bool>();
      else if (key == "temperature") c.temperature = real(v);
      else if (key == "whiten") c.whiten = v.get<bool>();
      else if (key == "view_word_drop") c.viewWordDrop = real(v);
      else if (key == "first_view_word_drop") c.firstViewWordDrop = real(v);
      else if (key == "negative_queue") c.negativeQueue = integer<int>(v);
      else if (key == "lexical_views") c.lexicalViews = real(v);
      else if (key == "attr_targets") c.attrTargets = v.get<std::vector<std::string>>();
      else if (key == "epochs") c.epochs = integer<int>(v);
      else if (key == "max_steps") c.maxSteps = integer<int64_t>(v);
      else if (key == "time_limit_minutes") c.timeLimitMinutes = real(v);
      else if (key == "batch") c.batch = integer<int>(v);
      else if (key == "lr") c.lr = real(v);
      else if (key == "weight_decay") c.weightDecay = real(v);
      else if (key == "warmup_fraction") c.warmupFraction = real(v);
      else if (key == "schedule") c.schedule = v.get<std::string>();
      else if (key == "clip_norm") c.clipNorm = real(v);
      else if (key == "seed") c.seed = integer<uint64_t>(v);
      else if (key == "threads") c.threads = integer<int>(v);
      else if (key == "checkpoint_every") c.checkpointEvery = integer<int>(v);
      else return Error{source + ": unknown setting '" + key + "'"};
    }
  } catch (const json::exception&) {
    return Error{source + ": setting '" + key + "' has the wrong type"};
  } catch (const OutOfRange& e) {
    return Error{source + ": setting '" + key + "' " + e.why};
  }
  return c;
}

Status RunConfig::validate(bool hasBaskets, const std::string& evaluationLabel) const {
  // NaN passes every range test written as "x < lo || x > hi"; refuse it,
  // and infinities, by name first.
  const std::pair<const char*, double> reals[] = {
      {"learning rate", lr},           {"masking rate", maskRate},
      {"temperature", temperature},    {"dropout", dropout},
      {"weight decay", weightDecay},   {"warm-up fraction", warmupFraction},
      {"clip norm", clipNorm},         {"view word drop", viewWordDrop},
      {"first view word drop", firstViewWordDrop}, {"lexical views", lexicalViews},
      {"validation fraction", validationFraction}, {"time limit", timeLimitMinutes},
      {"image mask rate", imageMaskRate},          {"modality dropout", modalityDropout},
      {"crop scale", augment.cropScaleMin},        {"flip", augment.flip},
      {"colour jitter", augment.colourJitter},     {"grayscale", augment.grayscale},
      {"blur", augment.blur}};
  for (const auto& [name, value] : reals) {
    if (!std::isfinite(value)) return Error{std::string(name) + " must be a finite number"};
  }
  for (const auto& [name, w] : objectives) {
    if (!std::isfinite(w)) return Error{"the weight of objective '" + name + "' must be a finite number"};
  }
  if (temperature < 0.001 || temperature > 10) return Error{"temperature must be between 0.001 and 10"};
  if (dropout < 0 || dropout > 0.9) return Error{"dropout must be between 0 and 0.9"};
  if (weightDecay < 0 || weightDecay > 1) return Error{"weight decay must be between 0 and 1"};
  if (warmupFraction < 0 || warmupFraction > 0.5) return Error{"warm-up fraction must be between 0 and 0.5"};
  if (clipNorm < 0) return Error{"clip norm must not be negative (0: no clipping)"};
  if (validationFraction < 0 || validationFraction > 0.5) {
    return Error{"validation fraction must be between 0 and 0.5"};
  }
  if (timeLimitMinutes < 0) return Error{"time limit must not be negative"};
  if (embeddingDim <= 0 || embeddingDim > 4096) return Error{"embedding dim must be between 1 and 4096"};
  if (dim > 4096 || layers > 48 || heads > 64) return Error{"dim (<= 4096), layers (<= 48) and heads (<= 64) are too large"};
  if (encoder != "text-transformer" && encoder != "text-bow") {
    return Error{"encoder '" + encoder + "' is not available (text-transformer, text-bow)"};
  }
  if (dim <= 0 || layers <= 0 || heads <= 0) return Error{"layers, dim and heads must be positive"};
  if (encoder == "text-transformer" && dim % heads != 0) {
    return Error{"heads (" + std::to_string(heads) + ") must divide dim (" + std::to_string(dim) + ")"};
  }
  if (maxLength < 4 || maxLength > 1024) return Error{"max length must be between 4 and 1024"};
  if (pooling != "mean" && pooling != "cls") return Error{"pooling must be mean or cls"};
  if (vocabSize < 16) return Error{"vocabulary size must be at least 16"};
  if (maskRate < 0.01 || maskRate > 0.9) return Error{"masking rate must be between 0.01 and 0.9"};
  if (viewWordDrop < 0 || viewWordDrop > 0.8)
    return Error{"view word drop must be between 0 and 0.8"};
  if (firstViewWordDrop < 0 || firstViewWordDrop > 0.8)
    return Error{"first view word drop must be between 0 and 0.8"};
  if (negativeQueue < 0 || negativeQueue > 65536)
    return Error{"negative queue must be between 0 and 65536 embeddings"};
  if (lexicalViews < 0 || lexicalViews > 1)
    return Error{"lexical views must be a share between 0 and 1"};
  if (batch < 2) return Error{"batch must be at least 2 (contrastive needs negatives)"};
  if (lr <= 0) return Error{"learning rate must be positive"};
  if (schedule != "cosine" && schedule != "linear" && schedule != "constant") {
    return Error{"schedule must be cosine, linear or constant"};
  }
  if (epochs <= 0 && maxSteps <= 0 && timeLimitMinutes <= 0) {
    return Error{"give epochs, max steps or a time limit"};
  }
  if (objectives.empty()) return Error{"choose at least one objective"};
  for (const auto& [name, w] : objectives) {
    if (!kObjectives.count(name)) {
      return Error{"unknown objective '" + name +
                   "' (mlm, attr, contrastive, neighbours, copurchase, mim, clip)"};
    }
    if (w < 0) return Error{"objective weights must not be negative"};
  }
  if (inputs.empty()) return Error{"choose at least one input field"};
  if (uses("mlm") && textInputs().empty()) {
    return Error{"mlm needs a text input (title or description)"};
  }
  if (usesImages()) {
    if (Status images = validateImages(*this); !images) return images;
  }
  if (uses("mim") && !usesImages()) return Error{"mim needs the image input"};
  if (uses("clip") && (!usesImages() || textInputs().empty())) {
    return Error{"clip pairs text with pictures; it needs the image input and a text input"};
  }
  if (uses("neighbours") && !uses("contrastive")) {
    return Error{"neighbours pairs contrastive's views with their nearest neighbours; enable contrastive too"};
  }
  if (uses("copurchase") && !hasBaskets) {
    return Error{"copurchase needs baskets; import a baskets file first"};
  }
  auto targets = effectiveAttrTargets();
  if (uses("attr") && targets.empty()) {
    return Error{"attr needs a non-text input to hide and predict (brand, category, ...)"};
  }
  for (const auto& t : targets) {
    if (std::find(inputs.begin(), inputs.end(), t) == inputs.end()) {
      return Error{"attr target '" + t + "' must also be an input (inputs: " + joined(inputs) + ")"};
    }
  }
  if (!evaluationLabel.empty()) {
    if (std::find(inputs.begin(), inputs.end(), evaluationLabel) != inputs.end()) {
      return Error{"'" + evaluationLabel +
                   "' is a model input, so it cannot be the evaluation label (that would be "
                   "supervision, not self-supervision)"};
    }
  }
  return Status::success();
}

}  // namespace pl
