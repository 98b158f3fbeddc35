#pragma once
// Shared by the benchmarks: an atende-server process on a throwaway embedded database, percentiles,
// resident memory, a small blocking HTTP/JSON client for setup steps, and an event-loop wait.

#include <QByteArray>
#include <QJsonObject>
#include <QProcess>
#include <QString>
#include <QStringList>
#include <QTemporaryDir>

#include <vector>

namespace atende::bench {

// Runs the event loop for ms milliseconds.
void waitMs(int ms);
// The p-th percentile (0..1) of nanosecond samples, in milliseconds. Reorders v.
double percentileMs(std::vector<qint64> &v, double p);
// VmRSS of a process in bytes (0 when unknown).
qint64 rssOfPid(qint64 pid);

class BenchServer {
public:
    BenchServer();
    ~BenchServer(); // SIGTERM and wait

    // Starts `binary` on a free port with a fresh data directory and waits for /readyz. extraArgs are added
    // to the defaults (rate limits off: a benchmark is one address making thousands of calls).
    bool start(const QString &binary, const QStringList &extraArgs = {});
    // Runs `binary admin ...` (or any subcommand) against the same data directory; returns stdout.
    QByteArray runCommand(const QStringList &args) const;
    quint16 port() const { return m_port; }
    qint64 pid() const { return m_process.processId(); }
    QString dataDir() const { return m_data.path() + QStringLiteral("/data"); }
    bool running() const { return m_process.state() == QProcess::Running; }
    void stop();

private:
    QTemporaryDir m_data;
    QProcess m_process;
    QString m_binary;
    quint16 m_port = 0;
};

struct HttpReply {
    int status = 0;
    QByteArray body;
    QJsonObject json() const;
};

// One blocking request on a fresh connection (setup steps only, not measured).
HttpReply httpRequest(quint16 port, const QByteArray &method, const QString &path, const QJsonObject &body = {},
                      const QByteArray &bearer = {});

// auth.login: returns the access token or an empty array.
QByteArray login(quint16 port, const QString &email, const QString &password);

} // namespace atende::bench
