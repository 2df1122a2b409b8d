#include "cli/stop_on_signal.h"

#include <csignal>

namespace pl::cli {

namespace {
JobContext* g_context = nullptr;

extern "C" void onSignal(int sig) {
  if (g_context) g_context->requestStop();  // an atomic store: signal-safe
  std::signal(sig, SIG_DFL);
}
}  // namespace

StopOnSignal::StopOnSignal(JobContext& context) {
  g_context = &context;
  std::signal(SIGINT, onSignal);
  std::signal(SIGTERM, onSignal);
}

StopOnSignal::~StopOnSignal() {
  std::signal(SIGINT, SIG_DFL);
  std::signal(SIGTERM, SIG_DFL);
  g_context = nullptr;
}

}  // namespace pl::cli
