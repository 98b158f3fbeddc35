// WhatsApp session benchmark (issue 5): N Sessions paired with the simulated WhatsApp (the atende-wasim
// executable, a separate process so its memory is not counted), left idle, then restarted from their stored
// credentials. Prints resident memory per idle connected session and the time to bring all of them online
// again.
//
//   atende_wa_sessions_bench --wasim-binary path/to/atende-wasim [--sessions 200] [--idle-seconds 5]

#include "server/whatsapp/credentials.h"
#include "server/whatsapp/session.h"
#include "server/whatsapp/session_store.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QProcess>
#include <QTimer>

#include <algorithm>
#include <cstdio>
#include <malloc.h>
#include <memory>
#include <sys/resource.h>
#include <vector>

using namespace atende;
using namespace atende::server::whatsapp;
using namespace std::chrono_literals;

namespace {

// Keeps only what a restart needs; prekeys are counted, not kept (the product stores them in PostgreSQL).
class BenchStore : public SessionStore {
public:
    QCoro::Task<core::Status> saveCredentials(const Credentials &credentials) override
    {
        bytes = credentials.serialize();
        co_return core::Status{};
    }
    QCoro::Task<core::Status> savePreKeys(const QList<PreKeyRecord> &preKeys) override
    {
        preKeyCount += int(preKeys.size());
        co_return core::Status{};
    }
    QCoro::Task<core::Status> clear() override
    {
        bytes.clear();
        co_return core::Status{};
    }
    QByteArray bytes;
    int preKeyCount = 0;
};

// Bytes the allocator hands out right now (all arenas, mmapped chunks included): unlike RSS it drops when
// sessions are freed, so before/after deltas are exact.
qint64 heapInUseKiB()
{
    const struct mallinfo2 info = mallinfo2();
    return qint64(info.uordblks + info.hblkhd) / 1024;
}

qint64 residentKiB()
{
    malloc_trim(0); // give freed pages back so RSS shows what is live

    QFile status(QStringLiteral("/proc/self/status"));
    if (!status.open(QIODevice::ReadOnly))
        return -1;
    for (const QByteArray &line : status.readAll().split('\n')) {
        if (line.startsWith("VmRSS:"))
            return line.mid(6).trimmed().split(' ').first().toLongLong();
    }
    return -1;
}

bool waitUntil(const std::function<bool()> &done, int timeoutMs)
{
    QElapsedTimer timer;
    timer.start();
    while (!done()) {
        if (timer.elapsed() > timeoutMs)
            return false;
        QCoreApplication::processEvents(QEventLoop::AllEvents, 20);
    }
    return true;
}

// User + system CPU seconds of this process so far.
double cpuSeconds()
{
    struct rusage usage {};
    getrusage(RUSAGE_SELF, &usage);
    return double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) +
           double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6;
}

// Runs the Baileys side (tests/conformance/baileys/sessions_bench.mjs, beside its node_modules) against the
// same simulator and returns its JSON result (empty when it failed); its report goes to stdout as it is.
QJsonObject runBaileys(const QString &node, const QString &script, const QHash<QString, QString> &ready, int count,
                       int idleSeconds)
{
    QProcess p;
    p.setProcessChannelMode(QProcess::ForwardedErrorChannel);
    p.start(node, {QStringLiteral("--expose-gc"), script, ready.value(QStringLiteral("ws")),
                   ready.value(QStringLiteral("admin")), ready.value(QStringLiteral("trust_root")),
                   QString::number(count), QString::number(idleSeconds)});
    // Blocks without spinning: Node, the simulator and this process share the machine's cores.
    if (!p.waitForStarted(10000) || !p.waitForFinished(1800000)) {
        p.kill();
        return {};
    }
    QJsonObject result;
    for (const QByteArray &line : p.readAllStandardOutput().split('\n')) {
        if (line.startsWith('{'))
            result = QJsonDocument::fromJson(line).object();
        else if (!line.isEmpty())
            std::printf("%s\n", line.constData());
    }
    return result;
}

void idle(int ms)
{
    QEventLoop loop;
    QTimer::singleShot(ms, &loop, &QEventLoop::quit);
    loop.exec();
}

int connectedCount(const std::vector<std::unique_ptr<Session>> &sessions)
{
    int n = 0;
    for (const auto &s : sessions)
        n += s && s->state() == SessionState::Connected ? 1 : 0;
    return n;
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QCommandLineParser parser;
    parser.addHelpOption();
    const QCommandLineOption wasimOption(QStringLiteral("wasim-binary"), QStringLiteral("atende-wasim executable"),
                                         QStringLiteral("path"));
    const QCommandLineOption sessionsOption(QStringLiteral("sessions"), QStringLiteral("sessions (200)"),
                                            QStringLiteral("n"), QStringLiteral("200"));
    const QCommandLineOption idleOption(QStringLiteral("idle-seconds"), QStringLiteral("idle time (5)"),
                                        QStringLiteral("s"), QStringLiteral("5"));
    const QCommandLineOption nodeOption(QStringLiteral("node"), QStringLiteral("node executable for the Baileys side"),
                                        QStringLiteral("path"), QStringLiteral("node"));
    const QCommandLineOption baileysOption(
        QStringLiteral("baileys-script"),
        QStringLiteral("sessions_bench.mjs beside Baileys' node_modules: run the same with Baileys, side by side"),
        QStringLiteral("path"));
    parser.addOptions({wasimOption, sessionsOption, idleOption, nodeOption, baileysOption});
    parser.process(app);
    const int count = parser.value(sessionsOption).toInt();
    const int idleMs = parser.value(idleOption).toInt() * 1000;
    if (!parser.isSet(wasimOption) || count < 1 || idleMs < 0) {
        std::fprintf(
            stderr,
            "usage: %s --wasim-binary path [--sessions n] [--idle-seconds s] [--baileys-script mjs [--node path]]\n",
            argv[0]);
        return 2;
    }

    // The simulator runs in its own process: only the sessions are in this process's RSS.
    QProcess wasim;
    wasim.setProcessChannelMode(QProcess::ForwardedErrorChannel);
    wasim.start(parser.value(wasimOption),
                {QStringLiteral("--port"), QStringLiteral("0"), QStringLiteral("--admin-port"), QStringLiteral("0")});
    if (!wasim.waitForStarted(10000) || !waitUntil([&] { return wasim.canReadLine(); }, 20000)) {
        std::fprintf(stderr, "atende-wasim did not start\n");
        return 1;
    }
    // "wasim ready ws=<url> admin=<url> trust_root=<hex> trust_root_serial=<n>"
    QHash<QString, QString> ready;
    for (const QString &part : QString::fromUtf8(wasim.readLine()).trimmed().split(u' ')) {
        const qsizetype eq = part.indexOf(u'=');
        if (eq > 0)
            ready.insert(part.left(eq), part.mid(eq + 1));
    }
    SessionConfig config;
    config.url = QUrl(ready.value(QStringLiteral("ws")));
    config.trustRootPublicKey = QByteArray::fromHex(ready.value(QStringLiteral("trust_root")).toLatin1());
    config.trustRootSerial = ready.value(QStringLiteral("trust_root_serial")).toUInt();
    const QUrl admin(ready.value(QStringLiteral("admin")));
    QNetworkAccessManager http; // one for the benchmark driver, none per session

    auto post = [&](const QString &path, const QJsonObject &body) {
        QNetworkRequest request(admin.resolved(QUrl(path)));
        request.setHeader(QNetworkRequest::ContentTypeHeader, QStringLiteral("application/json"));
        QNetworkReply *reply = http.post(request, QJsonDocument(body).toJson(QJsonDocument::Compact));
        QObject::connect(reply, &QNetworkReply::finished, reply, &QObject::deleteLater);
    };

    std::vector<std::unique_ptr<BenchStore>> stores;
    std::vector<std::unique_ptr<Session>> sessions;
    for (int i = 0; i < count; ++i)
        post(QStringLiteral("/admin/users"),
             {{QStringLiteral("phone"), QStringLiteral("1555%1").arg(i, 7, 10, QLatin1Char('0'))},
              {QStringLiteral("push_name"), QStringLiteral("Bench %1").arg(i)}});
    idle(500);

    const qint64 baseline = residentKiB();
    const qint64 baselineHeap = heapInUseKiB();
    QElapsedTimer timer;
    timer.start();
    for (int i = 0; i < count; ++i) {
        stores.push_back(std::make_unique<BenchStore>());
        sessions.push_back(std::make_unique<Session>(config, Credentials::generate(), *stores.back()));
        const QString phone = QStringLiteral("1555%1").arg(i, 7, 10, QLatin1Char('0'));
        QObject::connect(
            sessions.back().get(), &Session::qrCodeChanged, sessions.back().get(), [&, phone](const QString &qr) {
                post(QStringLiteral("/admin/scan"), {{QStringLiteral("qr"), qr}, {QStringLiteral("phone"), phone}});
            });
        sessions.back()->start();
        // Pair in waves so that 812 prekeys per device do not pile up at once.
        if ((i + 1) % 25 == 0)
            waitUntil([&] { return connectedCount(sessions) >= i + 1 - 5; }, 120000);
    }
    if (!waitUntil([&] { return connectedCount(sessions) == count; }, 300000)) {
        std::fprintf(stderr, "only %d of %d sessions paired\n", connectedCount(sessions), count);
        return 1;
    }
    const double pairSeconds = double(timer.elapsed()) / 1000.0;
    const double cpuBefore = cpuSeconds();
    QElapsedTimer idleTimer;
    idleTimer.start();
    idle(idleMs);
    const double idleCpuPercent = 100.0 * (cpuSeconds() - cpuBefore) / std::max(0.001, idleTimer.elapsed() / 1000.0);
    const qint64 pairedRss = residentKiB();
    const qint64 pairedHeap = heapInUseKiB();
    const int stillConnected = connectedCount(sessions);

    // Restart: new Session objects from the stored credentials, as the server does after a restart.
    sessions.clear();
    idle(500);
    const qint64 afterClose = residentKiB();
    const qint64 afterCloseHeap = heapInUseKiB();
    timer.restart();
    for (int i = 0; i < count; ++i) {
        auto parsed = Credentials::parse(stores[size_t(i)]->bytes);
        if (!parsed) {
            std::fprintf(stderr, "stored credentials %d do not parse\n", i);
            return 1;
        }
        sessions.push_back(std::make_unique<Session>(config, *parsed, *stores[size_t(i)]));
        sessions.back()->start();
    }
    const bool allBack = waitUntil([&] { return connectedCount(sessions) == count; }, 120000);
    const double restartSeconds = double(timer.elapsed()) / 1000.0;
    idle(idleMs);
    const qint64 restartedRss = residentKiB();
    const qint64 restartedHeap = heapInUseKiB();

    std::printf("wa_sessions_bench sessions=%d idle_s=%d\n", count, idleMs / 1000);
    std::printf("  paired %d sessions in %.1f s; %d connected after idling\n", count, pairSeconds, stillConnected);
    std::printf("  idle paired:    rss %lld -> %lld KiB = %.1f KiB/session; heap in use %.1f KiB/session\n",
                static_cast<long long>(baseline), static_cast<long long>(pairedRss),
                double(pairedRss - baseline) / count, double(pairedHeap - baselineHeap) / count);
    std::printf("  idle CPU while connected: %.2f %% of one core\n", idleCpuPercent);
    std::printf("  restart from stored credentials: %s %d sessions online in %.2f s\n", allBack ? "all" : "NOT all",
                connectedCount(sessions), restartSeconds);
    std::printf("  idle restarted: rss %lld -> %lld KiB = %.1f KiB/session; heap in use %.1f KiB/session\n",
                static_cast<long long>(afterClose), static_cast<long long>(restartedRss),
                double(restartedRss - afterClose) / count, double(restartedHeap - afterCloseHeap) / count);
    std::fflush(stdout);
    sessions.clear();
    if (parser.isSet(baileysOption)) {
        const QJsonObject b =
            runBaileys(parser.value(nodeOption), parser.value(baileysOption), ready, count, idleMs / 1000);
        const double ours = double(pairedRss - baseline) / count;
        const double theirs = b.value(QStringLiteral("rss_kib_per_session")).toDouble();
        std::printf("side by side, %d sessions against one atende-wasim:\n", count);
        std::printf("  %-22s %8s %16s %14s\n", "client", "online", "RSS KiB/session", "idle CPU %");
        std::printf("  %-22s %8d %16.1f %14.2f\n", "atende (C++)", stillConnected, ours, idleCpuPercent);
        std::printf("  %-22s %8d %16.1f %14.2f\n", "baileys@7.0.0-rc14", b.value(QStringLiteral("open")).toInt(),
                    theirs, b.value(QStringLiteral("idle_cpu_percent")).toDouble());
        if (ours > 0 && theirs > 0)
            std::printf("  Baileys needs %.1fx the memory per session\n", theirs / ours);
        std::fflush(stdout);
    }
    wasim.terminate();
    wasim.waitForFinished(5000);
    return allBack && stillConnected == count ? 0 : 1;
}
