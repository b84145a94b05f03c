#include "deploy/resources.h"

#include <cstddef>
#include <map>

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

// The sdk files `roots` need: every `#include "..."` that names an sdk file, and for each header X.h the
// matching X.cpp, transitively. Paths as in sdk_sources() ("dsp/mfe.h", "include/kiln/nn.h").
std::set<std::string> sdk_closure(std::vector<std::string> roots) {
  const std::vector<Resource> sdk = sdk_sources();
  std::map<std::string, std::string_view> by_path;
  for (const auto& r : sdk) by_path[std::string(r.path)] = r.text;
  auto sdk_path = [&](const std::string& include) -> std::string {
    if (by_path.count(include)) return include;
    if (by_path.count("include/" + include)) return "include/" + include;
    return "";
  };
  std::set<std::string> done;
  while (!roots.empty()) {
    std::string p = roots.back();
    roots.pop_back();
    if (!done.insert(p).second) continue;
    const std::string_view text = resource_text(sdk, p);
    for (std::size_t at = text.find("#include \""); at != std::string_view::npos;
         at = text.find("#include \"", at + 1)) {
      const std::size_t begin = at + 10, end = text.find('"', begin);
      if (end == std::string_view::npos) break;
      const std::string found = sdk_path(std::string(text.substr(begin, end - begin)));
      if (!found.empty()) roots.push_back(found);
    }
    if (p.size() > 2 && p.compare(p.size() - 2, 2, ".h") == 0) {
      const std::string cpp = p.substr(0, p.size() - 2) + ".cpp";
      if (by_path.count(cpp)) roots.push_back(cpp);
    }
  }
  return done;
}

}  // namespace kiln::deploy
