#include "deploy/resources.h"

#include <cstddef>

#include "core/error.h"

namespace kiln::embedded {
struct File {
  const char* path;
  const char* text;
  std::size_t size;
};
extern const File kiln_sdk_files[];
extern const std::size_t kiln_sdk_files_count;
extern const File kiln_deploy_templates[];
extern const std::size_t kiln_deploy_templates_count;
}  // namespace kiln::embedded

namespace kiln::deploy {

namespace {

std::vector<Resource> tree(const embedded::File* files, std::size_t count) {
  std::vector<Resource> out;
  for (std::size_t i = 0; i < count; ++i) out.push_back({files[i].path, {files[i].text, files[i].size}});
  return out;
}

}  // namespace

std::vector<Resource> sdk_sources() {
  return tree(embedded::kiln_sdk_files, embedded::kiln_sdk_files_count);
}

std::vector<Resource> library_templates() {
  return tree(embedded::kiln_deploy_templates, embedded::kiln_deploy_templates_count);
}

std::string_view resource_text(const std::vector<Resource>& tree, std::string_view path) {
  for (const auto& r : tree) {
    if (r.path == path) return r.text;
  }
  throw Error("kiln was built without the embedded file " + std::string(path) + " (rebuild kiln)");
}

}  // namespace kiln::deploy
