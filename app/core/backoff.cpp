#include "app/core/backoff.h"

#include <algorithm>
#include <cmath>

namespace atende::app::core {

namespace {
Backoff::Options sanitized(Backoff::Options o)
{
    o.initialMs = std::max(1, o.initialMs);
    o.maxMs = std::max(o.initialMs, o.maxMs);
    o.multiplier = std::max(1.0, o.multiplier);
    o.jitter = std::clamp(o.jitter, 0.0, 1.0);
    return o;
}
} // namespace

Backoff::Backoff(Options options)
    : Backoff(options, QRandomGenerator::global()->generate())
{}

Backoff::Backoff(Options options, quint32 seed)
    : m_options(sanitized(options))
    , m_random(seed)
{}

int Backoff::currentCeilingMs() const
{
    // pow() overflows gracefully to inf, and min() brings it back to maxMs.
    const double ceiling = m_options.initialMs * std::pow(m_options.multiplier, m_attempt);
    return static_cast<int>(std::min<double>(ceiling, m_options.maxMs));
}

int Backoff::nextDelayMs()
{
    const int ceiling = currentCeilingMs();
    if (m_attempt < 1'000) // no need to count further: the ceiling is long capped by then
        ++m_attempt;
    const double factor = 1.0 - m_options.jitter * m_random.generateDouble();
    return std::max(1, static_cast<int>(std::lround(ceiling * factor)));
}

} // namespace atende::app::core
