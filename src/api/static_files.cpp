#include "api/static_files.hpp"

#include <filesystem>
#include <optional>
#include <fstream>
#include <sstream>

#include "api/web_assets.hpp"

namespace nongsan::api {

std::string content_type_for(const std::string& path) {
  auto ends = [&](const char* ext) { return path.ends_with(ext); };
  if (ends(".html")) return "text/html; charset=utf-8";
  if (ends(".js") || ends(".mjs")) return "text/javascript; charset=utf-8";
  if (ends(".css")) return "text/css; charset=utf-8";
  if (ends(".json")) return "application/json; charset=utf-8";
  if (ends(".svg")) return "image/svg+xml";
  if (ends(".png")) return "image/png";
  if (ends(".ico")) return "image/x-icon";
  if (ends(".woff2")) return "font/woff2";
  if (ends(".pbf")) return "application/x-protobuf";
  return "application/octet-stream";
}

namespace {
// MapLibre builds its workers from blob: URLs; styles are inline in the bundle.
constexpr const char* kCsp =
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; "
    "worker-src 'self' blob:; child-src blob:; connect-src 'self'; font-src 'self' data:; object-src 'none'; "
    "frame-ancestors 'none'; base-uri 'self'";

Response file_response(const std::string& path, std::string body) {
  Response r;
  r.content_type = content_type_for(path);
  r.body = std::move(body);
  r.headers.emplace_back("Content-Security-Policy", kCsp);
  // Vite names bundles by content hash: cache them for good; never cache index.html.
  r.headers.emplace_back("Cache-Control", path.rfind("/assets/", 0) == 0 ? "public, max-age=31536000, immutable"
                                                                          : "no-cache");
  return r;
}

bool safe_path(const std::string& p) { return p.find("..") == std::string::npos && p.find('\0') == std::string::npos; }
}  // namespace

Response StaticFiles::serve(const std::string& req_path) const {
  std::string path = req_path == "/" ? "/index.html" : req_path;
  if (!safe_path(path)) {
    Response r;
    r.status = 400;
    r.body = "{\"code\":\"invalid_input\",\"message\":\"bad path\",\"errors\":[],\"request_id\":\"\"}";
    return r;
  }
  if (!root_.empty()) {
    auto read = [&](const std::string& p) -> std::optional<std::string> {
      std::filesystem::path fp = std::filesystem::path(root_) / p.substr(1);
      if (!std::filesystem::is_regular_file(fp)) return std::nullopt;
      std::ifstream in(fp, std::ios::binary);
      std::stringstream ss;
      ss << in.rdbuf();
      return ss.str();
    };
    if (auto body = read(path)) return file_response(path, std::move(*body));
    if (path.rfind("/assets/", 0) != 0)
      if (auto index = read("/index.html")) return file_response("/index.html", std::move(*index));
  } else {
    const auto& assets = embedded_assets();
    auto find = [&](const std::string& p) -> const EmbeddedAsset* {
      for (const auto& a : assets)
        if (a.path == p) return &a;
      return nullptr;
    };
    if (const EmbeddedAsset* a = find(path))
      return file_response(path, std::string(reinterpret_cast<const char*>(a->data), a->size));
    if (path.rfind("/assets/", 0) != 0)
      if (const EmbeddedAsset* index = find("/index.html"))
        return file_response("/index.html", std::string(reinterpret_cast<const char*>(index->data), index->size));
    if (assets.empty()) {
      Response r;
      r.status = 503;
      r.content_type = "text/plain; charset=utf-8";
      r.body = "The web UI was not built into this binary. Run `make build` (npm ci && npm run build in web-ui/, "
               "then rebuild), or serve it from disk with `nongsan serve --web-root web-ui/dist`.\n";
      return r;
    }
  }
  Response r;
  r.status = 404;
  r.content_type = "text/plain; charset=utf-8";
  r.body = "not found\n";
  return r;
}

}  // namespace nongsan::api
