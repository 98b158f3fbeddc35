#include "server/security/monotonic_clock.h"

#include <chrono>

namespace atende::server::security {

MonotonicClock steadyClock()
{
    return [] {
        using namespace std::chrono;
        return qint64(duration_cast<milliseconds>(steady_clock::now().time_since_epoch()).count());
    };
}

} // namespace atende::server::security
