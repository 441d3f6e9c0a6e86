// failure.h: how the native layer reports errors. Backend code throws a Failure (a stable
// ERR_RATCHET_* code and a one-line message); the N-API layer turns it into an instance of the
// JS RatchetError class. Nothing here prints, exits or aborts.
#pragma once

#include <stdexcept>
#include <string>

namespace ratchet {

struct Failure : std::runtime_error {
  std::string code;
  Failure(std::string code, const std::string& message) : std::runtime_error(message), code(std::move(code)) {}
};

[[noreturn]] inline void fail(const char* code, const std::string& message) { throw Failure(code, message); }

}  // namespace ratchet
