#include "cli/import_options.hpp"

#include <iostream>

#include "modules/targets/review.hpp"

namespace nongsan::cli {

namespace {
std::string& encoding_option() {
  static std::string value;
  return value;
}
}  // namespace

void add_encoding_option(CLI::App& command) {
  command.add_option("--encoding", encoding_option(),
                     "Text encoding of a CSV file or a Shapefile's .dbf: " + std::string(text_encoding_names()) +
                         " (default: UTF-8, or the legacy encoding the text reads as)");
}

Result<geo::ReadOptions> import_read_options(const app::Config& config) {
  geo::ReadOptions ro;
  ro.limits.max_file_bytes = static_cast<std::uint64_t>(config.import_max_file_mb) << 20;
  ro.limits.max_column_name_bytes = static_cast<std::size_t>(config.import_max_column_name_bytes);
  ro.limits.max_cell_bytes = static_cast<std::size_t>(config.import_max_cell_kb) << 10;
  if (const auto& name = encoding_option(); !name.empty()) {
    ro.encoding = parse_text_encoding(name);
    if (!ro.encoding)
      return Error::invalid("bad option",
                            {{"--encoding", "must be one of " + std::string(text_encoding_names()) + ", not '" + name + "'"}});
  }
  return ro;
}

std::string encoding_note(const geo::FeatureSet& features) {
  if (features.text_encoding == TextEncoding::utf8) return "";
  return "text read as " + std::string(describe(features.text_encoding)) + " and converted to UTF-8";
}

Result<support::ImportTable> read_import_table(const std::string& path, const app::Config& config) {
  auto options = import_read_options(config);
  if (!options) return options.error();
  auto fs = geo::read_features(path, *options);
  if (!fs) return fs.error();
  if (auto note = encoding_note(*fs); !note.empty()) std::cerr << path << ": " << note << "\n";
  support::ImportTable t;
  t.headers = fs->field_names;
  for (const auto& f : fs->features) {
    support::ImportRow row;
    row.line = static_cast<int>(f.number) + 1;  // the header is line 1
    for (const auto& [k, v] : f.attributes) row.cells[std::string(k)] = std::string(v);
    t.rows.push_back(std::move(row));
  }
  return t;
}

std::string import_source(const std::string& path, const std::string& bytes) {
  return path + " (sha256 " + targets::sha256_hex(bytes) + ")";
}

}  // namespace nongsan::cli
