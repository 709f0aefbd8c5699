// What every import command shares about reading an official's file: the
// `--encoding` option (the text encoding of a CSV file or a Shapefile's .dbf, when
// detection is not wanted) and the import.* limits from the settings.
#pragma once

#include <string>

#include <CLI/CLI.hpp>

#include "app/config.hpp"
#include "core/result.hpp"
#include "geo/vector_io.hpp"
#include "modules/support/support_import.hpp"

namespace nongsan::cli {

// Adds `--encoding` to an import command. One process runs one command, so the
// commands share one value.
void add_encoding_option(CLI::App& command);

// The read options of an import: the limits of `config`, the encoding of --encoding
// (an error naming the option when it is not one of the known names).
Result<geo::ReadOptions> import_read_options(const app::Config& config);

// "text read as TCVN3 (ABC) and converted to UTF-8" for a file that was not UTF-8; "" otherwise.
std::string encoding_note(const geo::FeatureSet& features);

// A table an official keeps (CSV or XLSX, a header row) read as rows of named cells, the
// line of each row as the file counts it (the header is line 1); the encoding note goes
// to standard error. Shared by the support and OCOP imports.
Result<support::ImportTable> read_import_table(const std::string& path, const app::Config& config);

// The file's name and the SHA-256 of its bytes, for the audit trail.
std::string import_source(const std::string& path, const std::string& bytes);

}  // namespace nongsan::cli
