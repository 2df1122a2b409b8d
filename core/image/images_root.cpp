#include "image/images_root.h"

#include <filesystem>
#include <system_error>

#include "image/image_file.h"

namespace pl {

namespace fs = std::filesystem;

namespace {

// Links resolved in the part of the path that exists, `.` and `..` folded
// in the rest; empty when the path cannot be resolved (a loop of links, a
// folder that cannot be searched).
std::string realLocation(const std::string& path) {
  std::error_code error;
  fs::path absolute = fs::absolute(path.empty() ? fs::path(".") : fs::path(path), error);
  if (error) return {};
  fs::path real = fs::weakly_canonical(absolute, error);
  if (error) return {};
  std::string out = real.lexically_normal().string();
  while (out.size() > 1 && out.back() == '/') out.pop_back();
  return out;
}

bool isUnder(const std::string& path, const std::string& root) {
  if (root == "/") return !path.empty() && path[0] == '/';
  return path.size() > root.size() && path.compare(0, root.size(), root) == 0 && path[root.size()] == '/';
}

}  // namespace

ImagesRoot::ImagesRoot(std::string root, bool allowOutside)
    : root_(std::move(root)), allowOutside_(allowOutside) {
  if (!allowOutside_) canonicalRoot_ = realLocation(root_);
}

ImageReference ImagesRoot::resolve(const std::string& image) const {
  if (image.empty()) return {};
  const std::string path = resolveImagePath(root_, image);
  if (allowOutside_ || image.find("://") != std::string::npos) return {path, {}};
  const std::string real = realLocation(path);
  if (!canonicalRoot_.empty() && !real.empty() && isUnder(real, canonicalRoot_)) return {path, {}};
  const std::string shownRoot = root_.empty() ? std::string(".") : root_;
  return {{}, "picture '" + image + "' is outside the images root " + shownRoot +
                  " and was not read (counted as missing; --allow-outside-images-root allows it)"};
}

}  // namespace pl
