#include "catalog/record_reader.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "catalog/csv_parser.h"
#include "catalog/jsonl_parser.h"

namespace pl {

namespace {

/// Owns a read-only memory map of a whole file; the parsers see a string_view.
class MappedFile {
 public:
  ~MappedFile() {
    if (data_ && size_) munmap(data_, size_);
  }
  static Result<std::shared_ptr<MappedFile>> open(const std::string& path) {
    int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) return Error{"cannot open " + path + ": " + std::strerror(errno)};
    struct stat st {};
    if (fstat(fd, &st) != 0 || S_ISDIR(st.st_mode)) {
      ::close(fd);
      return Error{path + " is not a readable file"};
    }
    auto file = std::shared_ptr<MappedFile>(new MappedFile());
    file->size_ = static_cast<size_t>(st.st_size);
    if (file->size_ > 0) {
      void* p = mmap(nullptr, file->size_, PROT_READ, MAP_PRIVATE, fd, 0);
      if (p == MAP_FAILED) {
        ::close(fd);
        return Error{"cannot read " + path + ": " + std::strerror(errno)};
      }
      madvise(p, file->size_, MADV_SEQUENTIAL);
      file->data_ = p;
    }
    ::close(fd);
    return file;
  }
  std::string_view view() const {
    return data_ ? std::string_view(static_cast<const char*>(data_), size_) : std::string_view();
  }

 private:
  MappedFile() = default;
  void* data_ = nullptr;
  size_t size_ = 0;
};

/// Keeps the mapping alive as long as the parser that reads it.
template <typename Parser>
class MappedReader : public Parser {
 public:
  template <typename... Args>
  MappedReader(std::shared_ptr<MappedFile> file, Args... args)
      : Parser(file->view(), args...), file_(std::move(file)) {}

 private:
  std::shared_ptr<MappedFile> file_;
};

std::string lowerExtension(const std::string& path) {
  auto dot = path.rfind('.');
  if (dot == std::string::npos) return {};
  std::string ext = path.substr(dot + 1);
  std::transform(ext.begin(), ext.end(), ext.begin(), ::tolower);
  return ext;
}

}  // namespace

CatalogFormat formatFromPath(const std::string& path) {
  std::string ext = lowerExtension(path);
  if (ext == "tsv" || ext == "tab") return CatalogFormat::Tsv;
  if (ext == "jsonl" || ext == "ndjson" || ext == "json") return CatalogFormat::Jsonl;
  return CatalogFormat::Csv;
}

const char* formatName(CatalogFormat format) {
  switch (format) {
    case CatalogFormat::Tsv: return "tsv";
    case CatalogFormat::Jsonl: return "jsonl";
    case CatalogFormat::Csv: return "csv";
    case CatalogFormat::Auto: break;
  }
  return "auto";
}

Result<std::unique_ptr<RecordReader>> openCatalogReader(const std::string& path,
                                                        CatalogFormat format) {
  auto file = MappedFile::open(path);
  if (!file) return file.error();
  if (format == CatalogFormat::Auto) format = formatFromPath(path);
  std::unique_ptr<RecordReader> reader;
  switch (format) {
    case CatalogFormat::Jsonl:
      reader = std::make_unique<MappedReader<JsonlParser>>(*file);
      break;
    case CatalogFormat::Tsv:
      reader = std::make_unique<MappedReader<CsvParser>>(*file, '\t');
      break;
    default:
      reader = std::make_unique<MappedReader<CsvParser>>(*file, '\0');
  }
  if (reader->header().empty()) return Error{path + " has no header line (the file is empty)"};
  return reader;
}

}  // namespace pl
