#pragma once
// The device a run asks for; no LibTorch here (pretrain_job.h includes it).
// train/device.h resolves it against the LibTorch in use.

#include <string>

#include "common/result.h"

namespace pl {

enum class DeviceChoice { Cpu, Cuda, Auto };

/// "cpu", "cuda" or "auto"; an error lists them.
Result<DeviceChoice> parseDeviceChoice(const std::string& name);

}  // namespace pl
