#include "modules/targets/table_file.hpp"

#include "geo/vector_io.hpp"

namespace nongsan::targets {

Result<Table> read_table_file(const std::string& path) {
  auto fs = geo::read_features(path, {});
  if (!fs) return fs.error();
  Table t;
  t.headers = fs->field_names;
  for (const auto& f : fs->features) {
    TableRow r;
    r.line = static_cast<int>(f.number) + 1;  // the header is line 1
    bool blank = true;
    for (const auto& [k, v] : f.attributes) {
      r.cells[k] = v;
      if (!v.empty()) blank = false;
    }
    if (!blank) t.rows.push_back(std::move(r));
  }
  return t;
}

}  // namespace nongsan::targets
