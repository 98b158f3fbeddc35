#include "server/jobs/job_types.h"

#include <QRandomGenerator>

#include <algorithm>
#include <cmath>

namespace atende::server::jobs {

std::chrono::milliseconds RetryPolicy::delay(int attempt, std::optional<double> random01) const
{
    const int n = std::max(1, attempt);
    // 2^(n-1) overflows nothing: the exponent is clamped long before the cap would be exceeded anyway.
    const double exponential = double(base.count()) * std::ldexp(1.0, std::min(n - 1, 40));
    const double capped = std::min(exponential, double(cap.count()));
    const double r = random01.value_or(QRandomGenerator::global()->generateDouble());
    const double factor = 1.0 + jitter * (2.0 * r - 1.0);
    return std::chrono::milliseconds(std::llround(std::max(0.0, capped * factor)));
}

bool isRetryable(const atende::core::Error &error)
{
    namespace errc = atende::core::errc;
    for (const char *permanent : {errc::kInvalidArgument, errc::kMalformedJson, errc::kUnknownField,
                                  errc::kMalformedRequest, errc::kNotFound, errc::kPermissionDenied})
        if (error.code == QLatin1String(permanent))
            return false;
    return true;
}

} // namespace atende::server::jobs
