// The demo programme NQ05 (Resolution 05-NQ/TU, 2021–2025, orientation 2030) and its
// illustrative 2026–2030 successor, loaded through the same import as
// `nongsan import programmes|indicators|targets|observations` from the files in
// data/demo/nq05/ (written by scripts/make-nq05-demo.py; every figure illustrative
// and marked so, see data/README.md). Running the demo again changes nothing: the
// import matches rows by their keys.
#include <atomic>
#include <filesystem>
#include <fstream>
#include <unistd.h>

#include "app/demo/demo.hpp"
#include "app/embedded_data.hpp"
#include "modules/targets/targets_service.hpp"

namespace nongsan::app {

namespace {

// The import reads files (CSV through GDAL, like the CLI); the embedded copy is
// written to a private temporary file for the time of the import.
class EmbeddedFile {
 public:
  explicit EmbeddedFile(const std::string& name) {
    auto text = embedded_file("demo/nq05/" + name);
    if (!text) throw std::runtime_error("demo data demo/nq05/" + name + " is not in this build");
    static std::atomic<int> counter{0};
    path_ = std::filesystem::temp_directory_path() /
            ("nongsan-demo-" + std::to_string(::getpid()) + "-" + std::to_string(counter++) + "-" + name);
    std::ofstream out(path_, std::ios::binary);
    out << *text;
  }
  ~EmbeddedFile() {
    std::error_code ec;
    std::filesystem::remove(path_, ec);
  }
  std::string path() const { return path_.string(); }

 private:
  std::filesystem::path path_;
};

}  // namespace

int demo_targets(App& app, const identity::Actor& actor, DemoReport& report) {
  using K = targets::ImportKind;
  int created = 0;
  const std::pair<K, const char*> files[] = {{K::programmes, "programmes.csv"},
                                             {K::indicators, "indicators.csv"},
                                             {K::targets, "targets.csv"},
                                             {K::observations, "observations.csv"}};
  for (const auto& [kind, name] : files) {
    EmbeddedFile file(name);
    auto r = app.targets().import_file(actor, kind, file.path(), std::string("demo/nq05/") + name);
    if (!r) {
      std::string detail;
      for (const auto& e : r.error().fields) detail += "; " + e.field + ": " + e.message;
      throw std::runtime_error("demo targets: " + std::string(name) + ": " + r.error().message + detail);
    }
    if (kind == K::observations) created = r->created;
  }
  if (created > 0)
    report.notes.push_back("Programme NQ05 (2021–2025, orientation 2030) with 17 indicators, targets by district "
                           "with two revisions, and " + std::to_string(created) +
                           " observations — illustrative figures shaped like the mid-term picture of Notice "
                           "752-TB/TU; try the dashboard at 30/06/2023.");
  return created;
}

}  // namespace nongsan::app
