#include "api/static_files.hpp"

#include <algorithm>
#include <optional>

#include "core/number_input.hpp"
#include "core/text.hpp"

namespace nongsan::api {

namespace fs = std::filesystem;

std::string content_type_for(const std::string& path) {
  auto ends = [&](const char* ext) { return path.ends_with(ext); };
  if (ends(".html")) return "text/html; charset=utf-8";
  if (ends(".js") || ends(".mjs")) return "text/javascript; charset=utf-8";
  if (ends(".css")) return "text/css; charset=utf-8";
  if (ends(".json")) return "application/json; charset=utf-8";
  if (ends(".webmanifest")) return "application/manifest+json; charset=utf-8";
  if (ends(".svg")) return "image/svg+xml";
  if (ends(".png")) return "image/png";
  if (ends(".ico")) return "image/x-icon";
  if (ends(".woff2")) return "font/woff2";
  if (ends(".pbf")) return "application/x-protobuf";
  return "application/octet-stream";
}

std::optional<std::vector<std::string>> safe_segments(const std::string& url_path) {
  std::vector<std::string> out;
  std::size_t pos = 0;
  while (pos <= url_path.size()) {
    auto slash = url_path.find('/', pos);
    std::string seg = url_path.substr(pos, slash == std::string::npos ? std::string::npos : slash - pos);
    if (!seg.empty()) {
      // ".." and "." would climb or stay; dot-files (.env, .git) are never the UI's.
      if (seg.front() == '.') return std::nullopt;
      if (seg.find('\0') != std::string::npos || seg.find('\\') != std::string::npos) return std::nullopt;
      out.push_back(std::move(seg));
    }
    if (slash == std::string::npos) break;
    pos = slash + 1;
  }
  return out;
}

bool is_database_file(const fs::path& p) {
  std::string name = p.filename().string();
  std::transform(name.begin(), name.end(), name.begin(), [](unsigned char c) { return std::tolower(c); });
  for (const char* suffix : {"-wal", "-shm", "-journal"})
    if (name.ends_with(suffix)) name.resize(name.size() - std::string_view(suffix).size());
  for (const char* ext : {".gpkg", ".sqlite", ".sqlite3", ".db", ".db3"})
    if (name.ends_with(ext)) return true;
  return false;
}

namespace {

// Vite names bundles by content hash: cache them for good; index.html is revalidated.
std::string cache_control(const std::string& path) {
  return path.rfind("/assets/", 0) == 0 ? "public, max-age=31536000, immutable" : "no-cache";
}

// A file of --web-root: the server sends it from disk with sendfile, not through a copy.
Response file_response(const std::string& path, const fs::path& file) {
  Response r;
  r.content_type = content_type_for(path);
  r.file = file.string();
  r.headers.emplace_back("Cache-Control", cache_control(path));
  return r;
}

// True when If-None-Match names `etag` (or is "*"); weak tags compare by their value.
bool etag_matches(std::string_view if_none_match, const std::string& etag) {
  std::size_t pos = 0;
  while (pos < if_none_match.size()) {
    auto comma = if_none_match.find(',', pos);
    std::string_view tag = if_none_match.substr(pos, comma == std::string_view::npos ? std::string_view::npos : comma - pos);
    while (!tag.empty() && tag.front() == ' ') tag.remove_prefix(1);
    while (!tag.empty() && tag.back() == ' ') tag.remove_suffix(1);
    if (tag.starts_with("W/")) tag.remove_prefix(2);
    if (tag == "*" || tag == etag) return true;
    if (comma == std::string_view::npos) break;
    pos = comma + 1;
  }
  return false;
}

// An embedded file in the encoding the client prefers, or 304 when it has it.
Response asset_response(const std::string& path, const EmbeddedAsset& a, const Request& req) {
  AcceptedEncodings accept = parse_accept_encoding(req.header("accept-encoding"));
  struct Variant {
    const unsigned char* data;
    std::size_t size;
    const char* encoding;  // nullptr: identity
    double q;
  };
  // In order of preference when the client wants them equally: the smallest first.
  const Variant variants[] = {{a.brotli, a.brotli_size, "br", accept.br},
                              {a.gzip, a.gzip_size, "gzip", accept.gzip},
                              {a.data, a.size, nullptr, accept.identity}};
  const Variant* chosen = nullptr;
  for (const auto& v : variants)
    if (v.data && v.q > 0 && (!chosen || v.q > chosen->q)) chosen = &v;
  if (!chosen) chosen = &variants[2];  // "identity;q=0" with nothing else on offer: send it anyway
  const bool negotiated = a.brotli || a.gzip;
  std::string etag = "\"" + std::string(a.md5) +
                     (chosen->encoding ? std::string("-") + (chosen->encoding[0] == 'b' ? "br" : "gz") : "") + "\"";
  Response r;
  r.content_type = content_type_for(path);
  r.headers.emplace_back("Cache-Control", cache_control(path));
  r.headers.emplace_back("ETag", etag);
  if (negotiated) r.headers.emplace_back("Vary", "Accept-Encoding");
  if (etag_matches(req.header("if-none-match"), etag)) {
    r.status = 304;
    r.content_type.clear();
    return r;
  }
  if (chosen->encoding) r.headers.emplace_back("Content-Encoding", chosen->encoding);
  // The embedded bytes live as long as the program: the server writes them from there.
  r.static_body = std::string_view(reinterpret_cast<const char*>(chosen->data), chosen->size);
  return r;
}

// The pages a client route falls back to, nearest first: an app of its own in the
// route's first folder (the field app's /field/index.html), then the main UI's.
std::vector<std::string> index_candidates(const std::vector<std::string>& segments) {
  std::vector<std::string> out;
  if (!segments.empty()) out.push_back("/" + segments.front() + "/index.html");
  out.emplace_back("/index.html");
  return out;
}

Response not_found() {
  Response r;
  r.status = 404;
  r.content_type = "text/plain; charset=utf-8";
  r.body = "not found\n";
  return r;
}

// True when `p` (canonical) is `root` (canonical) or lies below it.
bool inside(const fs::path& root, const fs::path& p) {
  auto [r, q] = std::mismatch(root.begin(), root.end(), p.begin(), p.end());
  return r == root.end();
}

}  // namespace

AcceptedEncodings parse_accept_encoding(std::string_view header) {
  AcceptedEncodings out;
  if (header.empty()) return out;  // no header: send it as it is
  std::optional<double> br, gzip, identity, any;
  std::size_t pos = 0;
  while (pos <= header.size()) {
    auto comma = header.find(',', pos);
    std::string item(header.substr(pos, comma == std::string_view::npos ? std::string_view::npos : comma - pos));
    double q = 1;
    if (auto semi = item.find(';'); semi != std::string::npos) {
      auto qpos = item.find("q=", semi);
      if (qpos != std::string::npos) {
        std::string v = trim(item.substr(qpos + 2));
        auto n = parse_real(v, NumberRange::real(0, 1), "q");
        q = n ? *n : 0;
      }
      item.resize(semi);
    }
    std::string name;
    for (char c : item)
      if (c != ' ' && c != '\t') name += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (name == "br") br = q;
    else if (name == "gzip" || name == "x-gzip") gzip = q;
    else if (name == "identity") identity = q;
    else if (name == "*") any = q;
    if (comma == std::string_view::npos) break;
    pos = comma + 1;
  }
  out.br = br.value_or(any.value_or(0));
  out.gzip = gzip.value_or(any.value_or(0));
  // Unlisted, identity stays acceptable (RFC 9110 §12.5.3) but is the last choice.
  out.identity = identity.value_or(any ? *any : 0.001);
  return out;
}

StaticFiles::StaticFiles(std::string web_root, std::vector<std::string> refused,
                         const std::vector<EmbeddedAsset>* assets)
    : root_(std::move(web_root)), assets_(assets ? assets : &embedded_assets()) {
  std::error_code ec;
  if (!root_.empty()) {
    canonical_root_ = fs::canonical(root_, ec);
    if (ec) canonical_root_.clear();
  }
  for (const auto& f : refused) {
    if (f.empty()) continue;
    auto c = fs::weakly_canonical(f, ec);
    refused_.push_back(ec ? fs::path(f) : c);
  }
}

StaticFiles::Resolved StaticFiles::resolve(const std::string& url_path) const {
  Resolved out;
  auto segments = safe_segments(url_path);
  if (!segments) {
    out.refused = true;
    return out;
  }
  if (canonical_root_.empty() || segments->empty()) return out;
  fs::path candidate = canonical_root_;
  for (const auto& s : *segments) candidate /= s;
  std::error_code ec;
  fs::path real = fs::canonical(candidate, ec);  // follows every symbolic link
  if (ec) return out;  // nothing there
  if (!inside(canonical_root_, real)) {
    out.refused = true;
    return out;
  }
  // A link inside the root may still lead to a dot-file or a database inside it.
  for (auto it = std::next(real.begin(), std::distance(canonical_root_.begin(), canonical_root_.end()));
       it != real.end(); ++it)
    if (!it->empty() && it->string().front() == '.') out.refused = true;
  if (is_database_file(real) || is_database_file(candidate) ||
      std::find(refused_.begin(), refused_.end(), real) != refused_.end())
    out.refused = true;
  if (!out.refused && fs::is_regular_file(real, ec)) out.file = real;
  return out;
}

Response StaticFiles::serve(const Request& req) const {
  const std::string path = req.path == "/" ? "/index.html" : req.path;
  auto segments = safe_segments(path);
  if (!segments) return not_found();
  if (!segments->empty() && is_database_file(segments->back())) return not_found();
  std::string clean;
  for (const auto& s : *segments) clean += "/" + s;
  if (clean.empty()) clean = "/index.html";
  const bool asset = clean.rfind("/assets/", 0) == 0;

  if (!root_.empty()) {
    auto found = resolve(clean);
    if (found.refused) return not_found();
    if (found.file) return file_response(clean, *found.file);
    if (!asset)
      for (const auto& name : index_candidates(*segments))
        if (auto index = resolve(name); index.file) return file_response(name, *index.file);
    return not_found();
  }
  const auto& assets = *assets_;
  auto find = [&](const std::string& p) -> const EmbeddedAsset* {
    for (const auto& a : assets)
      if (a.path == p) return &a;
    return nullptr;
  };
  if (const EmbeddedAsset* a = find(clean)) return asset_response(clean, *a, req);
  if (!asset)
    for (const auto& name : index_candidates(*segments))
      if (const EmbeddedAsset* index = find(name)) return asset_response(name, *index, req);
  if (assets.empty()) {
    Response r;
    r.status = 503;
    r.content_type = "text/plain; charset=utf-8";
    r.body = "The web UI was not built into this binary. Run `make build` (npm ci && npm run build in web-ui/, "
             "then rebuild), or serve it from disk with `nongsan serve --web-root web-ui/dist`.\n";
    return r;
  }
  return not_found();
}

}  // namespace nongsan::api
