#include "geo/gdal_errors.hpp"

#include <gdal.h>

#include <mutex>

#include "geo/library_messages.hpp"

namespace nongsan::geo {

void gdal_register() {
  static std::once_flag once;
  std::call_once(once, [] { GDALAllRegister(); });
}

GdalErrors::GdalErrors() { CPLPushErrorHandlerEx(&GdalErrors::handle, this); }
GdalErrors::~GdalErrors() { CPLPopErrorHandler(); }

void CPL_STDCALL GdalErrors::handle(CPLErr level, CPLErrorNum, const char* message) {
  if (level < CE_Failure) return;  // warnings (e.g. laundered field names) are not failures
  if (auto* self = static_cast<GdalErrors*>(CPLGetErrorHandlerUserData()))
    self->messages_.emplace_back(message ? message : "");
}

std::string GdalErrors::take(const std::string& fallback) {
  if (messages_.empty()) return fallback;
  std::string joined;
  for (const auto& m : messages_) joined += (joined.empty() ? "" : "; ") + m;
  messages_.clear();
  return plain_gdal_message(joined, fallback);
}

}  // namespace nongsan::geo
