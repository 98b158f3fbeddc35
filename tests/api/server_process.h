#pragma once
// An atende-server child process for tests that need the real executable (restarts, kills, two instances on
// one database). Killed on destruction if still running. Logs go to the test's own output unless captured.

#include <QByteArray>
#include <QProcess>
#include <QString>
#include <QStringList>

namespace atende::test {

// The test's scratch directory: ATENDE_TEST_TMP when set (as root the cluster runs as postgres, which must
// be able to traverse it), else the system temp dir.
QString testTmp();

class ServerProcess {
public:
    enum class Output { Forwarded, CaptureStderr };

    // Starts `binary --data-dir=DIR --port=PORT <extra...>`.
    ServerProcess(const QString &binary, const QString &dataDir, quint16 port, const QStringList &extra = {},
                  Output output = Output::Forwarded);
    ~ServerProcess();
    ServerProcess(const ServerProcess &) = delete;
    ServerProcess &operator=(const ServerProcess &) = delete;

    // True once /readyz answers 200 within `ms`; false if it exited or never became ready.
    bool waitReady(int ms);
    QProcess &proc() { return m_proc; }
    quint16 port() const { return m_port; }
    // With Output::CaptureStderr: everything the server logged so far.
    QByteArray log();

private:
    QProcess m_proc;
    quint16 m_port = 0;
    QByteArray m_log;
};

} // namespace atende::test
