// Shared by the CSV and XLSX harnesses: the fuzz input written to a file in a
// private folder (read_features takes a path, as the import commands do).
#pragma once

#include <unistd.h>

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <string>

inline std::filesystem::path fuzz_file(const char* name, const std::uint8_t* data, std::size_t size) {
  // One folder per process, in memory when /dev/shm exists, removed at exit.
  static const struct Folder {
    Folder() {
      const char* shm = "/dev/shm";
      std::filesystem::path base = std::filesystem::exists(shm) ? shm : std::filesystem::temp_directory_path();
      path = base / ("nongsan-fuzz-" + std::to_string(::getpid()));
      std::filesystem::create_directories(path);
    }
    ~Folder() {
      std::error_code ec;
      std::filesystem::remove_all(path, ec);
    }
    std::filesystem::path path;
  } dir;
  const auto path = dir.path / name;
  std::ofstream(path, std::ios::binary | std::ios::trunc).write(reinterpret_cast<const char*>(data),
                                                                 static_cast<std::streamsize>(size));
  return path;
}
