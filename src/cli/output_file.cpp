#include "cli/output_file.hpp"

#include <filesystem>
#include <fstream>

namespace nongsan::cli {

Status write_output_file(const std::string& path, std::string_view bytes, const std::string& option) {
  const std::string tmp = path + ".part";
  {
    std::ofstream f(tmp, std::ios::binary | std::ios::trunc);
    if (!f) return Error::invalid("cannot write " + path, {{option, "cannot open " + path + " for writing"}});
    f.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    f.flush();
    if (!f) {
      std::error_code ec;
      std::filesystem::remove(tmp, ec);
      return Error::invalid("cannot write " + path, {{option, "writing " + path + " failed"}});
    }
  }
  std::error_code ec;
  std::filesystem::rename(tmp, path, ec);
  if (ec) {
    std::error_code ignored;
    std::filesystem::remove(tmp, ignored);
    return Error::invalid("cannot write " + path, {{option, "cannot move the file into " + path + ": " + ec.message()}});
  }
  return {};
}

}  // namespace nongsan::cli
