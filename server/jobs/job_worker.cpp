#include "server/jobs/job_worker.h"

#include "server/db/finished.h"
#include "server/jobs/job_listener.h"
#include "server/jobs/job_queue.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QLoggingCategory>
#include <QPointer>
#include <QRandomGenerator>
#include <QSysInfo>

#include <utility>

#include <qcoro/qcorotimer.h>

Q_LOGGING_CATEGORY(lcJobs, "atende.server.jobs")

namespace atende::server::jobs {

using atende::core::Error;
using atende::core::Result;
using atende::core::Status;
namespace errc = atende::core::errc;

namespace {

QString defaultWorkerId()
{
    return QStringLiteral("%1:%2:%3")
        .arg(QSysInfo::machineHostName())
        .arg(QCoreApplication::applicationPid())
        .arg(QRandomGenerator::global()->generate() & 0xffffff, 6, 16, QLatin1Char('0'));
}

} // namespace

JobWorker::JobWorker(db::DbExecutor &db, Options options, QObject *parent)
    : QObject(parent)
    , m_db(db)
    , m_options(std::move(options))
{
    if (m_options.workerId.isEmpty())
        m_options.workerId = defaultWorkerId();
    m_options.concurrency = qMax(1, m_options.concurrency);
    m_options.leaseSeconds = qMax(1, m_options.leaseSeconds);
    m_releasePending = m_options.releaseOwnOnStart;
    m_poll.setInterval(qMax(10, m_options.pollIntervalMs));
    connect(&m_poll, &QTimer::timeout, this, &JobWorker::wake);
    // Renew well before expiry: a third of the lease leaves two renewals' worth of slack for a busy database.
    m_renew.setInterval(qMax(200, m_options.leaseSeconds * 1000 / 3));
    connect(&m_renew, &QTimer::timeout, this, &JobWorker::renewAll);
}

JobWorker::~JobWorker()
{
    // Running coroutines guard `this` with a QPointer; their jobs are reclaimed after the lease expires.
    m_stopping = true;
    if (m_listener)
        m_listener->stop();
}

void JobWorker::registerHandler(const QString &kind, Handler handler)
{
    m_handlers.insert(kind, std::move(handler));
}

bool JobWorker::isListening() const
{
    return m_listener && m_listener->isListening();
}

Status JobWorker::start()
{
    if (m_started)
        return {};
    if (m_handlers.isEmpty())
        return Error::make(errc::kInvalidArgument, QStringLiteral("a job worker needs at least one handler"));
    if (m_options.listen) {
        m_listener = std::make_unique<JobListener>(m_db.config(), QStringLiteral("atende_jobs"));
        connect(m_listener.get(), &JobListener::notified, this, [this](const QString &kind) {
            ++m_stats.notifications;
            if (kind.isEmpty() || m_handlers.contains(kind))
                wake();
        });
        if (!m_listener->start())
            qCWarning(lcJobs) << "job worker" << m_options.workerId << "is not listening; it polls every"
                              << m_poll.interval() << "ms";
    }
    m_started = true;
    m_poll.start();
    m_renew.start();
    wake();
    return {};
}

void JobWorker::wake()
{
    if (!m_started || m_stopping)
        return;
    if (m_claiming) {
        m_wakeAgain = true; // its snapshot may predate the job that woke us
        return;
    }
    claimLoop(); // runs on by itself; guards `this`
}

QCoro::Task<> JobWorker::claimLoop()
{
    QPointer<JobWorker> self(this);
    m_claiming = true;
    do {
        m_wakeAgain = false;
        const int free = m_options.concurrency - int(m_running.size());
        if (m_stopping)
            break;
        if (free <= 0) {
            m_moreLikely = true; // someone woke us while every slot was busy: claim when one frees
            break;
        }
        const QString worker = m_options.workerId;
        const QStringList kinds = m_handlers.keys();
        const int lease = m_options.leaseSeconds;
        const QString instance = m_options.instanceId;
        const bool release = std::exchange(m_releasePending, false);
        QFuture<Result<QList<Job>>> f = m_db.run([worker, kinds, free, lease, instance, release](QSqlDatabase &db) {
            if (release) {
                Result<int> released = JobQueue::releaseWorker(db, worker);
                if (!released.ok())
                    qCWarning(lcJobs) << "job worker" << worker
                                      << "could not take back its jobs:" << released.error().code;
                else if (released.value() > 0)
                    qCInfo(lcJobs) << "job worker" << worker << "took back" << released.value()
                                   << "jobs its previous process held";
            }
            return JobQueue::claim(db, worker, kinds, free, lease, instance);
        });
        co_await db::Finished(f);
        if (!self)
            co_return;
        Result<QList<Job>> r = f.result();
        ++m_stats.claims;
        if (!r.ok()) {
            qCWarning(lcJobs) << "claim failed:" << r.error().code << r.error().message;
            break;
        }
        m_stats.claimed += r->size();
        m_moreLikely = r->size() == free;
        for (const Job &job : r.value()) {
            m_running.insert(job.id, job);
            runJob(job);
        }
    } while (m_wakeAgain || (m_moreLikely && !m_stopping && int(m_running.size()) < m_options.concurrency));
    m_claiming = false;
}

QCoro::Task<> JobWorker::runJob(Job job)
{
    QPointer<JobWorker> self(this);
    Status outcome;
    const auto it = m_handlers.constFind(job.kind);
    if (it == m_handlers.constEnd()) {
        outcome = Error::make(errc::kInternal, QStringLiteral("no handler for this kind"));
    } else {
        const Handler handler = it.value();
        auto task = handler(job);
        outcome = co_await task;
    }
    if (!self)
        co_return;
    bool ok = false;
    if (outcome.ok()) {
        QFuture<Status> f =
            m_db.runTenant(job.tenantId, [job](QSqlDatabase &db) { return JobQueue::complete(db, job); });
        co_await db::Finished(f);
        if (!self)
            co_return;
        const Status s = f.result();
        ok = s.ok();
        if (ok)
            ++m_stats.completed;
        else if (s.error().code == QLatin1String(errc::kConflict))
            ++m_stats.lostLeases;
        else
            qCWarning(lcJobs) << "completing job" << job.id << "failed:" << s.error().message;
    } else {
        const QString error = outcome.error().code + QStringLiteral(": ") + outcome.error().message;
        const bool retryable = isRetryable(outcome.error());
        const std::chrono::milliseconds delay = m_options.retry.delay(job.attempts);
        QFuture<Result<FailOutcome>> f = m_db.runTenant(job.tenantId, [job, error, retryable, delay](QSqlDatabase &db) {
            return JobQueue::fail(db, job, error, retryable, delay);
        });
        co_await db::Finished(f);
        if (!self)
            co_return;
        const Result<FailOutcome> r = f.result();
        if (r.ok()) {
            ++(r->dead ? m_stats.dead : m_stats.retried);
            qCInfo(lcJobs) << "job" << job.id << job.kind << "attempt" << job.attempts << "failed with"
                           << outcome.error().code << (r->dead ? "-> dead" : "-> retry");
        } else if (r.error().code == QLatin1String(errc::kConflict)) {
            ++m_stats.lostLeases;
        } else {
            qCWarning(lcJobs) << "failing job" << job.id << "failed:" << r.error().message;
        }
    }
    m_running.remove(job.id);
    Q_EMIT jobFinished(job.id, ok);
    // Claim again at once: a free slot, and a finished job may be what the next one of its serial key (the
    // ticket's next reply, migration 0019) waited for — without this it waited for the next poll.
    if (self)
        wake();
}

void JobWorker::renewAll()
{
    for (const Job &job : std::as_const(m_running))
        renew(job);
}

QCoro::Task<> JobWorker::renew(Job job)
{
    QPointer<JobWorker> self(this);
    const int lease = m_options.leaseSeconds;
    QFuture<Result<QDateTime>> f =
        m_db.runTenant(job.tenantId, [job, lease](QSqlDatabase &db) { return JobQueue::renew(db, job, lease); });
    co_await db::Finished(f);
    if (!self)
        co_return;
    const Result<QDateTime> r = f.result();
    if (r.ok()) {
        if (auto it = m_running.find(job.id); it != m_running.end())
            it->lockedUntil = r.value();
    } else if (r.error().code == QLatin1String(errc::kConflict)) {
        if (!m_running.contains(job.id))
            co_return; // it finished while the renewal was on its way: nothing was lost
        qCWarning(lcJobs) << "job" << job.id << "lost its lease; its result will be refused";
    }
}

QCoro::Task<Status> JobWorker::stop(int timeoutMs)
{
    QPointer<JobWorker> self(this);
    m_stopping = true;
    m_poll.stop();
    if (m_listener)
        m_listener->stop();
    QElapsedTimer clock;
    clock.start();
    while (busy() && clock.elapsed() < timeoutMs) {
        co_await QCoro::sleepFor(std::chrono::milliseconds(20));
        if (!self)
            co_return Status();
    }
    m_renew.stop();
    if (busy())
        co_return Error::make(errc::kUnavailable, QStringLiteral("%1 jobs still running").arg(m_running.size()));
    co_return Status();
}

} // namespace atende::server::jobs
