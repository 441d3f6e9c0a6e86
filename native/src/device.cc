#include "device.h"

#include <cctype>

namespace ratchet {

std::string sanitizeKey(const std::string& text) {
  std::string key;
  for (char c : text) {
    const bool keep = std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '_' || c == '-';
    if (keep) key += c;
    else if (!key.empty() && key.back() != '-') key += '-';
  }
  while (!key.empty() && key.back() == '-') key.pop_back();
  return key;
}

}  // namespace ratchet
