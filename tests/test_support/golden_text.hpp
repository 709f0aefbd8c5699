// Reading the golden files of tests/golden/ (tests/golden/README.md): blocks separated
// by blank lines, each a directive line and the lines under it; `#` comment lines;
// tables drawn with `|` whose first row names the columns. Shared by the runners of
// the targets and support golden files.
#pragma once

#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "core/text.hpp"

namespace nongsan::test_support {

// A block: a directive line and the lines under it, up to a blank line.
struct Block {
  int line = 0;  // of the directive
  std::string directive;
  std::vector<std::pair<int, std::string>> lines;
};

inline std::vector<Block> read_blocks(const std::filesystem::path& file) {
  std::ifstream in(file);
  std::vector<Block> out;
  std::string text;
  int n = 0;
  bool open = false;
  while (std::getline(in, text)) {
    ++n;
    std::string t = trim(text);
    if (!t.empty() && t[0] == '#') continue;  // a comment, anywhere
    if (t.empty()) {
      open = false;
      continue;
    }
    if (!open) {
      out.push_back({n, t, {}});
      open = true;
    } else {
      out.back().lines.push_back({n, t});
    }
  }
  return out;
}

// A table drawn with bars: the first row names the columns.
struct TextTable {
  std::vector<std::string> columns;
  std::vector<std::pair<int, std::map<std::string, std::string>>> rows;  // line, cells by column
};

inline std::vector<std::string> split_bars(const std::string& line) {
  std::vector<std::string> cells;
  std::string t = trim(line);
  if (!t.empty() && t.front() == '|') t.erase(0, 1);
  if (!t.empty() && t.back() == '|') t.pop_back();
  std::stringstream ss(t);
  std::string cell;
  while (std::getline(ss, cell, '|')) cells.push_back(trim(cell));
  return cells;
}

inline TextTable read_table(const Block& b) {
  TextTable t;
  for (std::size_t i = 0; i < b.lines.size(); ++i) {
    auto cells = split_bars(b.lines[i].second);
    if (i == 0) {
      t.columns = cells;
      continue;
    }
    std::map<std::string, std::string> row;
    for (std::size_t k = 0; k < t.columns.size(); ++k) row[t.columns[k]] = k < cells.size() ? cells[k] : "";
    t.rows.push_back({b.lines[i].first, row});
  }
  return t;
}

}  // namespace nongsan::test_support
