#include "tests/api/server_process.h"

#include "tests/api/http_test_client.h"

#include <QDir>
#include <QTest>

namespace atende::test {

QString testTmp()
{
    const QString t = qEnvironmentVariable("ATENDE_TEST_TMP");
    return t.isEmpty() ? QDir::tempPath() : t;
}

ServerProcess::ServerProcess(const QString &binary, const QString &dataDir, quint16 port, const QStringList &extra,
                             Output output)
    : m_port(port)
{
    QStringList args{QStringLiteral("--data-dir=") + dataDir, QStringLiteral("--port=%1").arg(port)};
    args += extra;
    if (output == Output::CaptureStderr) {
        m_proc.setProcessChannelMode(QProcess::ForwardedOutputChannel);
        m_proc.setReadChannel(QProcess::StandardError);
    } else {
        m_proc.setProcessChannelMode(QProcess::ForwardedChannels);
    }
    m_proc.start(binary, args);
}

ServerProcess::~ServerProcess()
{
    if (m_proc.state() != QProcess::NotRunning) {
        m_proc.kill();
        m_proc.waitForFinished(5000);
    }
}

bool ServerProcess::waitReady(int ms)
{
    return QTest::qWaitFor(
               [&] { return m_proc.state() == QProcess::NotRunning || httpGet(m_port, "/readyz").status == 200; }, ms) &&
           m_proc.state() == QProcess::Running;
}

QByteArray ServerProcess::log()
{
    return m_log += m_proc.readAllStandardError();
}

} // namespace atende::test
