#pragma once
// Value types of the job queue (server/jobs/job_queue.h): a claimed Job, enqueue options, a dead job as the
// admin pane lists it, and the retry policy (exponential back-off with jitter).

#include "common/core/error.h"

#include <QDateTime>
#include <QJsonObject>
#include <QString>
#include <QUuid>

#include <chrono>
#include <optional>

namespace atende::server::jobs {

// A job as a worker holds it after jobs_claim(). (workerId, attempts) is the claim's token: complete(),
// fail() and renew() only touch the row while it is still this claim (a lease that expired and was claimed
// again by another worker, or by this worker anew, makes them report kConflict).
struct Job {
    QUuid tenantId;
    QUuid id;
    QString kind;
    QJsonObject payload;
    int attempts = 0; // including this one
    int maxAttempts = 0;
    QString workerId;
    QDateTime lockedUntil;
};

struct EnqueueOptions {
    std::optional<QDateTime> runAt; // not before; default now
    int maxAttempts = 8;
    QString idempotencyKey; // non-empty: a second enqueue of (tenant, kind, key) returns the first job
};

// A job that ran out of attempts or failed permanently (state 'dead').
struct DeadJob {
    QUuid id;
    QString kind;
    QJsonObject payload;
    int attempts = 0;
    int maxAttempts = 0;
    QString lastError;
    QString idempotencyKey;
    QDateTime createdAt;
    QDateTime finishedAt;
};

// Delay before attempt n+1 after attempt n failed: base * 2^(n-1), capped, then scaled by a uniform factor in
// [1 - jitter, 1 + jitter] so that jobs failing together (a WhatsApp outage) do not retry in lock step.
struct RetryPolicy {
    std::chrono::milliseconds base{2000};
    std::chrono::milliseconds cap{15 * 60 * 1000};
    double jitter = 0.2;

    // attempt >= 1 (the attempt that just failed). random01 in [0, 1); the default draws from
    // QRandomGenerator::global().
    std::chrono::milliseconds delay(int attempt, std::optional<double> random01 = std::nullopt) const;
};

// Handler errors that retrying cannot fix (bad payload, object gone, not allowed): the job goes dead at once.
// Everything else (unavailable, internal, rate limited, ...) is retried.
bool isRetryable(const atende::core::Error &error);

} // namespace atende::server::jobs
