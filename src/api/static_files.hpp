// The web UI's files: embedded in the binary, or from a folder during
// development (`serve --web-root web-ui/dist`). Paths that are not files fall
// back to index.html so the UI's own routes work on reload: the index.html of the
// path's first folder when there is one (the field app under /field/), else the
// main UI's.
//
// A request path is untrusted: it is decoded (%2f is a '/', %2e%2e is ".."), so
// it is split into segments, and a segment that is empty is skipped while one that
// starts with '.' ("..", ".env", ".git") is refused. A file from --web-root is then
// resolved with its symbolic links and must still lie inside the root; database
// files (.gpkg, .sqlite, .db and their -wal/-shm/-journal companions) and the
// files named in `refused` are never served, wherever they are.
//
// The embedded files are sent precompressed (brotli, else gzip) when the client's
// Accept-Encoding takes it, with Vary: Accept-Encoding, an ETag per encoding (a
// matching If-None-Match answers 304), and a year's immutable cache for the files
// Vite names by content hash (/assets/…). --web-root files are sent as they are.
// Neither is copied per request: an embedded file's response points at the bytes in
// the binary (Response::static_body), a --web-root file's names the file, which the
// server sends with sendfile (Response::file).
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "api/http.hpp"
#include "api/web_assets.hpp"

namespace nongsan::api {

class StaticFiles {
 public:
  // `refused`: files never to serve even inside the root (the database in use).
  // `assets`: the embedded files (default: embedded_assets()); tests give their own.
  explicit StaticFiles(std::string web_root, std::vector<std::string> refused = {},
                       const std::vector<EmbeddedAsset>* assets = nullptr);
  Response serve(const Request& request) const;

 private:
  // The file under the root that a URL path names; `refused` when the path or the
  // file it leads to may not be served (then the answer is 404, never index.html).
  struct Resolved {
    std::optional<std::filesystem::path> file;
    bool refused = false;
  };
  Resolved resolve(const std::string& url_path) const;

  std::string root_;
  std::filesystem::path canonical_root_;  // empty when root_ is empty or unreadable
  std::vector<std::filesystem::path> refused_;
  const std::vector<EmbeddedAsset>* assets_;
};

// How much a client wants each encoding (RFC 9110 §12.5.3), 0 when it refuses it.
struct AcceptedEncodings {
  double br = 0;
  double gzip = 0;
  double identity = 1;
};
AcceptedEncodings parse_accept_encoding(std::string_view header);

std::string content_type_for(const std::string& path);

// The segments of a decoded URL path ("/a//b/c.js" -> a, b, c.js), or nullopt when
// a segment starts with '.' or holds a NUL or a backslash.
std::optional<std::vector<std::string>> safe_segments(const std::string& url_path);

// True for the files of a database (the GeoPackage, SQLite files, their journals).
bool is_database_file(const std::filesystem::path& p);

}  // namespace nongsan::api
