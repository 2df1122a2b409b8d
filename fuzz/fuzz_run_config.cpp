// A run's configuration JSON (the CLI's --config file, a run stored in a
// project, an imported model's config.json) on arbitrary bytes: fromJson
// refuses with a message or returns a config, and a config that validates
// must survive the JSON round trip a stored run takes (saved with the run,
// read back to resume, fine-tune or embed).
#include <cstdint>
#include <cstdlib>
#include <string>

#include "fuzz_support.h"
#include "train/run_config.h"

// Seeds: every setting, as a stored run has them (more in fuzz/seeds/run_config).
extern "C" int LLVMFuzzerInitialize(int*, char***) {
  if (!pl::fuzz::seedFolder()) return 0;
  pl::fuzz::writeSeed("default.json", pl::RunConfig().toJson());
  std::exit(0);
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string text(reinterpret_cast<const char*>(data), size);
  auto config = pl::RunConfig::fromJson(text, "fuzz.json");
  if (!config) return 0;
  (void)config->textInputs();
  (void)config->attributeInputs();
  (void)config->effectiveAttrTargets();
  if (!config->validate(false, "") || !config->validate(true, "category")) return 0;
  const std::string stored = config->toJson();
  auto again = pl::RunConfig::fromJson(stored, "stored");
  if (!again || again->toJson() != stored) __builtin_trap();
  return 0;
}
