#pragma once
// The folder a catalog's pictures must stay in. A catalog from elsewhere is
// untrusted input: "../../home/me/.ssh/id_rsa.png", "/etc/shadow" or a
// symbolic link inside the folder could otherwise make an import probe, and
// training read, any file the user can. References that leave the root are
// refused unless the user allows it (import --allow-outside-images-root).

#include <string>

namespace pl {

/// A catalog's picture reference after resolution.
struct ImageReference {
  std::string path;     ///< the file (or URL) to read; empty when none or refused
  std::string refused;  ///< why the reference was refused; empty when it was not
};

class ImagesRoot {
 public:
  /// `root` as given (relative to the working folder, or absolute). With
  /// `allowOutside`, references are resolved as they are and never refused.
  explicit ImagesRoot(std::string root, bool allowOutside = false);

  /// Resolves `image` (relative to the root, or absolute; URLs unchanged).
  /// Unless outside references are allowed, one whose real location is not
  /// under the root's real location is refused: an absolute path elsewhere,
  /// `..` that climbs out, or a symbolic link on the way that points out.
  /// Compared on canonical paths (links resolved), so a root that is itself
  /// a link still holds its own pictures.
  ImageReference resolve(const std::string& image) const;

  const std::string& root() const { return root_; }

 private:
  std::string root_;
  std::string canonicalRoot_;  ///< no trailing slash, except "/" itself
  bool allowOutside_ = false;
};

}  // namespace pl
