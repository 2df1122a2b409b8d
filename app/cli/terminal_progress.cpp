#include "cli/terminal_progress.h"

#include <unistd.h>

#include <cstdio>

namespace pl::cli {

TerminalProgress::TerminalProgress(bool quiet) : quiet_(quiet), tty_(isatty(STDERR_FILENO)) {}

TerminalProgress::~TerminalProgress() { finish(); }

void TerminalProgress::attach(JobContext& context) {
  context.setProgressSink(
      [this](int64_t done, int64_t total, const std::string& phase) { draw(done, total, phase); });
  context.setLogSink([this](LogLevel level, const std::string& message) {
    finish();
    std::fprintf(stderr, "%s%s\n", level == LogLevel::Info ? "" : "warning: ", message.c_str());
  });
}

void TerminalProgress::finish() {
  if (drawn_ && tty_) std::fputc('\n', stderr);
  drawn_ = false;
}

void TerminalProgress::draw(int64_t done, int64_t total, const std::string& phase) {
  if (quiet_) return;
  auto now = std::chrono::steady_clock::now();
  if (phase != phase_) {
    finish();
    phase_ = phase;
    phaseStart_ = now;
    lastDecile_ = -1;
  }
  double fraction = total > 0 ? static_cast<double>(done) / total : 0.0;
  if (!tty_) {
    int decile = static_cast<int>(fraction * 10);
    if (decile == lastDecile_) return;
    lastDecile_ = decile;
    std::fprintf(stderr, "%s: %3.0f%% %s\n", phase.c_str(), fraction * 100, detail_.c_str());
    return;
  }
  double elapsed = std::chrono::duration<double>(now - phaseStart_).count();
  double eta = fraction > 0.01 ? elapsed * (1 - fraction) / fraction : 0;
  const int width = 30;
  int filled = static_cast<int>(fraction * width);
  std::string bar(filled, '#');
  bar.resize(width, '.');
  std::fprintf(stderr, "\r%-20s [%s] %5.1f%% %6.0fs, ~%.0fs left %s\033[K", phase.c_str(),
               bar.c_str(), fraction * 100, elapsed, eta, detail_.c_str());
  drawn_ = true;
}

}  // namespace pl::cli
