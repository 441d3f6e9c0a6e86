// status.h: how the built-in problems keep the ABI's rules (native/include/ratchet/problem.h):
// messages written into the caller's buffer, no exception ever crossing a function of the table.
#pragma once

#include <cstring>
#include <new>
#include <stdexcept>
#include <string>

#include "ratchet/problem.h"
#include "session.h"

namespace ratchet {

// Copies `message` into an ABI message buffer, truncated to fit, always NUL-terminated.
inline void writeMessage(char* buffer, size_t size, const std::string& message) {
  if (!buffer || size == 0) return;
  const size_t length = std::min(message.size(), size - 1);
  std::memcpy(buffer, message.data(), length);
  buffer[length] = '\0';
}

// Runs `body` (which returns a status); an exception becomes RATCHET_OUT_OF_MEMORY or
// RATCHET_FAILED with its message.
template <typename Body>
ratchet_status guardedStatus(char* error, size_t size, Body&& body) {
  try {
    return body();
  } catch (const std::bad_alloc&) {
    writeMessage(error, size, "out of host memory");
    return RATCHET_OUT_OF_MEMORY;
  } catch (const std::exception& failure) {
    writeMessage(error, size, failure.what());
    return RATCHET_FAILED;
  }
}

// A Correctness of the harness's own form, written into the ABI's result struct.
inline void writeCheckResult(const Correctness& c, ratchet_check_result* result) {
  result->passed = c.passed ? 1 : 0;
  result->max_abs_error = c.maxAbsError;
  result->rel_error = c.relError;
  result->tolerance = c.tolerance;
  result->output_sum = c.outputSum;
  result->output_abs_sum = c.outputAbsSum;
  writeMessage(result->reference, sizeof result->reference, c.reference);
  writeMessage(result->detail, sizeof result->detail, c.detail);
}

}  // namespace ratchet
