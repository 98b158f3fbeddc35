#pragma once
#include <cstdint>

namespace atende::core {
// Resident set size of this process in bytes (from /proc/self/statm), 0 if unknown.
std::int64_t residentBytes();
// CPU time (user + system) of this process in seconds.
double cpuSeconds();
} // namespace atende::core
