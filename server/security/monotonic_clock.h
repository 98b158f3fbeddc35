#pragma once
// The time source of the limiters: monotonic milliseconds, injectable so tests drive time by hand
// instead of sleeping.

#include <QtGlobal>

#include <functional>

namespace atende::server::security {

using MonotonicClock = std::function<qint64()>;

// std::chrono::steady_clock in milliseconds (stateless, so limiters stay movable).
MonotonicClock steadyClock();

} // namespace atende::server::security
