// The one GDAL error adapter of src/geo: while a GdalErrors lives, GDAL's error
// messages on this thread are collected instead of printed (modules never print),
// and take() hands them out as plain sentences (library_messages.hpp), the
// library's own words going to the log. Also gdal_register(), GDAL's one-time
// driver registration. PRIVATE to src/geo: it includes GDAL headers.
//
// Threads: GDAL keeps its error handler stack per thread, so each thread collects
// only its own messages.
#pragma once

#include <cpl_error.h>

#include <string>
#include <vector>

namespace nongsan::geo {

// Registers GDAL's drivers once per process.
void gdal_register();

class GdalErrors {
 public:
  GdalErrors();
  ~GdalErrors();
  GdalErrors(const GdalErrors&) = delete;
  GdalErrors& operator=(const GdalErrors&) = delete;

  // Failures (not warnings) reported since the last take.
  bool any() const { return !messages_.empty(); }
  // The failures since the last take as plain sentences; `fallback` if there were
  // none (or none that a user can act on). Clears them.
  std::string take(const std::string& fallback = "no further detail");

 private:
  static void CPL_STDCALL handle(CPLErr level, CPLErrorNum, const char* message);
  std::vector<std::string> messages_;
};

}  // namespace nongsan::geo
