#pragma once
// Exponential back-off with jitter for reconnect loops.
//
// The n-th delay (n = 0, 1, ...) is drawn from [ceiling * (1 - jitter), ceiling] where
// ceiling = min(maxMs, initialMs * multiplier^n). The random part keeps a room full of desktops that
// lost the server at the same moment from hammering it in lock-step when it comes back.

#include <QRandomGenerator>

namespace atende::app::core {

class Backoff {
public:
    struct Options {
        int initialMs = 500;
        int maxMs = 30'000;
        double multiplier = 2.0;
        double jitter = 0.5; // 0 = none, 1 = "full jitter"
    };

    explicit Backoff(Options options);
    Backoff(Options options, quint32 seed);

    // The delay to wait before the next attempt; advances the attempt counter.
    int nextDelayMs();
    // The upper bound nextDelayMs() will draw from now, without advancing.
    int currentCeilingMs() const;
    void reset() { m_attempt = 0; }
    int attempts() const { return m_attempt; }
    const Options &options() const { return m_options; }

private:
    Options m_options;
    QRandomGenerator m_random;
    int m_attempt = 0;
};

} // namespace atende::app::core
