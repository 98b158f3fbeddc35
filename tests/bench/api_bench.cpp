// API benchmark: requests/s and latency percentiles of one cheap operation (system.ping) over REST
// (HTTP/1.1 keep-alive) and over the WebSocket RPC channel, with N concurrent clients each running one
// request at a time, against an atende-server process on its embedded database (started here unless
// --url is given). Prints a table and writes JSON.
//
//   atende_api_bench [--server-binary PATH] [--url http://127.0.0.1:8080] [--clients 100,500]
//                    [--seconds 10] [--out results.json]

#include "common/core/json_log.h"
#include "tests/bench/bench_support.h"

#include "atende/api/v1/sync.pb.h"
#include "atende/api/v1/system.pb.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QThread>
#include <QTimer>
#include <QWebSocket>

#include <algorithm>
#include <csignal>
#include <cstdio>
#include <memory>
#include <vector>

using namespace atende::bench;

namespace {

// Clients send during warm-up too, record only while measuring, and stop sending after.
constexpr int kWarmup = 0, kMeasuring = 1, kStopped = 2;

struct Stats {
    std::vector<qint64> latenciesNs;
    qint64 errors = 0;
};

// One keep-alive HTTP client: GET, wait for the full response, repeat.
class RestClient : public QObject {
public:
    RestClient(quint16 port, Stats &stats, const int &phase)
        : m_stats(stats)
        , m_phase(phase)
    {
        m_request = QByteArrayLiteral("GET /api/v1/system/ping HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
        connect(&m_socket, &QTcpSocket::connected, this, [this] { send(); });
        connect(&m_socket, &QTcpSocket::readyRead, this, [this] { onRead(); });
        connect(&m_socket, &QTcpSocket::errorOccurred, this, [this] { ++m_stats.errors; });
        m_socket.connectToHost(QStringLiteral("127.0.0.1"), port);
    }

private:
    void send()
    {
        if (m_phase == kStopped)
            return;
        m_timer.start();
        m_socket.write(m_request);
    }
    void onRead()
    {
        m_buf += m_socket.readAll();
        const qsizetype end = m_buf.indexOf("\r\n\r\n");
        if (end < 0)
            return;
        const qsizetype cl = m_buf.indexOf("Content-Length: ");
        const qsizetype lineEnd = m_buf.indexOf("\r\n", cl);
        const qsizetype len = cl >= 0 ? m_buf.mid(cl + 16, lineEnd - cl - 16).toLongLong() : 0;
        if (m_buf.size() < end + 4 + len)
            return;
        if (m_phase == kMeasuring) {
            if (m_buf.startsWith("HTTP/1.1 200"))
                m_stats.latenciesNs.push_back(m_timer.nsecsElapsed());
            else
                ++m_stats.errors;
        }
        m_buf.remove(0, end + 4 + len);
        send();
    }

    QTcpSocket m_socket;
    QByteArray m_request;
    QByteArray m_buf;
    QElapsedTimer m_timer;
    Stats &m_stats;
    const int &m_phase;
};

class WsClient : public QObject {
public:
    WsClient(quint16 port, Stats &stats, const int &phase)
        : m_stats(stats)
        , m_phase(phase)
    {
        connect(&m_ws, &QWebSocket::binaryMessageReceived, this, [this](const QByteArray &b) { onMessage(b); });
        connect(&m_ws, qOverload<QAbstractSocket::SocketError>(&QWebSocket::error), this, [this] { ++m_stats.errors; });
        m_ws.open(QUrl(QStringLiteral("ws://127.0.0.1:%1/api/v1/ws").arg(port)));
    }

private:
    void send()
    {
        if (m_phase == kStopped)
            return;
        atende::api::v1::ClientFrame f;
        f.set_id(++m_id);
        f.set_op("system.ping");
        const std::string s = f.SerializeAsString();
        m_timer.start();
        m_ws.sendBinaryMessage(QByteArray(s.data(), qsizetype(s.size())));
    }
    void onMessage(const QByteArray &b)
    {
        atende::api::v1::ServerFrame f;
        if (!f.ParseFromArray(b.constData(), int(b.size()))) {
            ++m_stats.errors;
            return;
        }
        if (f.has_hello()) {
            send();
            return;
        }
        if (m_phase == kMeasuring) {
            if (f.has_reply() && f.reply().ok() && f.reply().id() == m_id)
                m_stats.latenciesNs.push_back(m_timer.nsecsElapsed());
            else
                ++m_stats.errors;
        }
        send();
    }

    QWebSocket m_ws;
    QElapsedTimer m_timer;
    quint64 m_id = 0;
    Stats &m_stats;
    const int &m_phase;
};

QJsonObject runScenario(const QString &transport, quint16 port, int clients, int seconds)
{
    Stats stats;
    int phase = kWarmup;
    std::vector<std::unique_ptr<QObject>> pool;
    for (int i = 0; i < clients; ++i) {
        if (transport == QLatin1String("rest"))
            pool.push_back(std::make_unique<RestClient>(port, stats, phase));
        else
            pool.push_back(std::make_unique<WsClient>(port, stats, phase));
    }
    waitMs(1500); // connect and warm up outside the measured window
    stats.latenciesNs.clear();
    stats.errors = 0;
    phase = kMeasuring;
    QElapsedTimer t;
    t.start();
    waitMs(seconds * 1000);
    phase = kStopped;
    const double elapsed = double(t.nsecsElapsed()) / 1e9;
    const qint64 n = qint64(stats.latenciesNs.size());
    QJsonObject r{{QStringLiteral("transport"), transport},
                  {QStringLiteral("clients"), clients},
                  {QStringLiteral("seconds"), elapsed},
                  {QStringLiteral("requests"), n},
                  {QStringLiteral("errors"), stats.errors},
                  {QStringLiteral("rps"), double(n) / elapsed},
                  {QStringLiteral("p50_ms"), percentileMs(stats.latenciesNs, 0.50)},
                  {QStringLiteral("p95_ms"), percentileMs(stats.latenciesNs, 0.95)},
                  {QStringLiteral("p99_ms"), percentileMs(stats.latenciesNs, 0.99)}};
    pool.clear();
    waitMs(500);
    return r;
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QCommandLineParser p;
    p.addOption({QStringLiteral("server-binary"), QStringLiteral("atende-server to start"), QStringLiteral("path")});
    p.addOption({QStringLiteral("port"), QStringLiteral("port of a running server (skip starting one)"),
                 QStringLiteral("port")});
    p.addOption({QStringLiteral("clients"), QStringLiteral("comma-separated client counts"), QStringLiteral("list"),
                 QStringLiteral("100,500")});
    p.addOption({QStringLiteral("seconds"), QStringLiteral("measured seconds per scenario"), QStringLiteral("n"),
                 QStringLiteral("10")});
    p.addOption({QStringLiteral("out"), QStringLiteral("JSON results file"), QStringLiteral("path")});
    p.addHelpOption();
    p.process(app);

    BenchServer server;
    quint16 port = quint16(p.value(QStringLiteral("port")).toUInt());
    if (port == 0) {
        if (!server.start(p.value(QStringLiteral("server-binary")))) {
            std::fprintf(stderr, "server did not become ready\n");
            return 1;
        }
        port = server.port();
    }

    QJsonArray results;
    const int seconds = p.value(QStringLiteral("seconds")).toInt();
    std::printf("%-10s %8s %10s %10s %9s %9s %9s %7s\n", "transport", "clients", "requests", "req/s", "p50 ms",
                "p95 ms", "p99 ms", "errors");
    for (const QString &c : p.value(QStringLiteral("clients")).split(QLatin1Char(','))) {
        for (const char *name : {"rest", "ws"}) {
            const QString transport = QLatin1String(name);
            QJsonObject r = runScenario(transport, port, c.toInt(), seconds);
            if (server.running())
                r.insert(QStringLiteral("server_rss_bytes"), double(rssOfPid(server.pid())));
            std::printf("%-10s %8d %10lld %10.0f %9.2f %9.2f %9.2f %7lld\n", qPrintable(transport), c.toInt(),
                        qint64(r.value(QStringLiteral("requests")).toDouble()),
                        r.value(QStringLiteral("rps")).toDouble(), r.value(QStringLiteral("p50_ms")).toDouble(),
                        r.value(QStringLiteral("p95_ms")).toDouble(), r.value(QStringLiteral("p99_ms")).toDouble(),
                        qint64(r.value(QStringLiteral("errors")).toDouble()));
            std::fflush(stdout);
            results.append(r);
        }
    }
    const QJsonObject doc{{QStringLiteral("benchmark"), QStringLiteral("api_ping")},
                          {QStringLiteral("cores"), QThread::idealThreadCount()},
                          {QStringLiteral("results"), results}};
    if (p.isSet(QStringLiteral("out"))) {
        QFile out(p.value(QStringLiteral("out")));
        if (out.open(QIODevice::WriteOnly))
            out.write(QJsonDocument(doc).toJson());
    }
    server.stop();
    bool anyErrors = false;
    for (const QJsonValue &v : results)
        anyErrors |= v.toObject().value(QStringLiteral("errors")).toDouble() > 0 ||
                     v.toObject().value(QStringLiteral("requests")).toDouble() == 0;
    return anyErrors ? 1 : 0;
}
