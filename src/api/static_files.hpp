// The web UI's files: embedded in the binary, or from a folder during
// development (`serve --web-root web-ui/dist`). Paths that are not files fall
// back to index.html so the UI's own routes work on reload.
#pragma once

#include <string>

#include "api/http.hpp"

namespace nongsan::api {

class StaticFiles {
 public:
  explicit StaticFiles(std::string web_root) : root_(std::move(web_root)) {}
  Response serve(const std::string& path) const;

 private:
  std::string root_;
};

std::string content_type_for(const std::string& path);

}  // namespace nongsan::api
