// Precompiled header for the LibTorch-using part of plcore.
#pragma once
#include <torch/torch.h>
