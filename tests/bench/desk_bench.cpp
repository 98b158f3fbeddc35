// Desk benchmark (issue 4): against an atende-server process on its embedded database, seeded with
// --tickets tickets and --messages messages (default 100k / 1M):
//   1. ticket list  (tickets.list, the console's tabs) — N closed-loop REST clients: req/s, p50/p95/p99;
//   2. conversation (messages.list: latest page of random tickets, and pages deep inside a long one);
//   3. ingest       — customer messages injected through a test connection at a fixed rate while
//                     --subscribers WebSocket clients are signed in; latency from the ingest call to the
//                     event at every subscriber (p50/p95/p99), and the highest sustained rate.
// Prints a table and writes JSON (--out).
//
//   atende_desk_bench --server-binary PATH [--tickets 100000] [--messages 1000000] [--clients 50]
//                     [--subscribers 200] [--rate 200] [--seconds 10] [--out results.json]

#include "tests/bench/bench_support.h"
#include "tests/bench/desk_load.h"
#include "tests/bench/desk_seed.h"

#include "server/db/embedded_postgres.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QRegularExpression>
#include <QThread>

#include <csignal>
#include <cstdio>

using namespace atende::bench;

namespace {

// `admin demo --slug=bench` prints "  <role> <email> <password>" lines.
QHash<QString, QPair<QString, QString>> demoSignIns(const QByteArray &out)
{
    QHash<QString, QPair<QString, QString>> users;
    static const QRegularExpression line(QStringLiteral("^\\s+(admin|supervisor|agent)\\s+(\\S+@\\S+)\\s+(\\S+)\\s*$"));
    for (const QByteArray &l : out.split('\n')) {
        const QRegularExpressionMatch m = line.match(QString::fromUtf8(l));
        if (m.hasMatch())
            users.insert(m.captured(1), {m.captured(2), m.captured(3)});
    }
    return users;
}

// The server stops its embedded cluster on SIGTERM; make sure it is down before the data directory goes (the
// seeding connection and `admin demo` used it too).
void stopCluster(const QString &dataDir)
{
    atende::server::db::EmbeddedPostgresOptions o;
    o.dataDir = dataDir;
    atende::server::db::EmbeddedPostgres cluster(o);
    if (cluster.stop().ok())
        return;
    // pg_ctl may be refused the directory when the benchmark runs as root; the postmaster's pid file is
    // readable, and SIGINT is PostgreSQL's fast shutdown.
    QFile pidFile(dataDir + QStringLiteral("/pgdata/postmaster.pid"));
    if (!pidFile.open(QIODevice::ReadOnly))
        return;
    const pid_t pid = pid_t(pidFile.readLine().trimmed().toLongLong());
    if (pid <= 0 || ::kill(pid, SIGINT) != 0)
        return;
    for (int i = 0; i < 100 && ::kill(pid, 0) == 0; ++i)
        waitMs(100);
}

void printRow(const QJsonObject &r)
{
    std::printf("%-34s %8d %10.0f %9.2f %9.2f %9.2f %7lld\n", qPrintable(r.value(QStringLiteral("scenario")).toString()),
                r.value(QStringLiteral("clients")).toInt(), r.value(QStringLiteral("rps")).toDouble(),
                r.value(QStringLiteral("p50_ms")).toDouble(), r.value(QStringLiteral("p95_ms")).toDouble(),
                r.value(QStringLiteral("p99_ms")).toDouble(), qint64(r.value(QStringLiteral("errors")).toDouble()));
    std::fflush(stdout);
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QCommandLineParser p;
    p.addOption({QStringLiteral("server-binary"), QStringLiteral("atende-server to start"), QStringLiteral("path")});
    p.addOption({QStringLiteral("tickets"), QStringLiteral("tickets to seed"), QStringLiteral("n"), QStringLiteral("100000")});
    p.addOption({QStringLiteral("messages"), QStringLiteral("messages to seed"), QStringLiteral("n"), QStringLiteral("1000000")});
    p.addOption({QStringLiteral("long"), QStringLiteral("messages of the long conversation"), QStringLiteral("n"),
                 QStringLiteral("20000")});
    p.addOption({QStringLiteral("clients"), QStringLiteral("closed-loop API clients"), QStringLiteral("n"), QStringLiteral("50")});
    p.addOption({QStringLiteral("subscribers"), QStringLiteral("WebSocket clients during ingest"), QStringLiteral("n"),
                 QStringLiteral("200")});
    p.addOption({QStringLiteral("rate"), QStringLiteral("injected customer messages per second"), QStringLiteral("n"),
                 QStringLiteral("200")});
    p.addOption({QStringLiteral("seconds"), QStringLiteral("measured seconds per scenario"), QStringLiteral("n"),
                 QStringLiteral("10")});
    p.addOption({QStringLiteral("out"), QStringLiteral("JSON results file"), QStringLiteral("path")});
    p.addOption({QStringLiteral("hold"), QStringLiteral("after seeding, print the data directory and port and keep the "
                                                        "server running until standard input closes (for EXPLAIN)")});
    p.addHelpOption();
    p.process(app);
    const int seconds = p.value(QStringLiteral("seconds")).toInt();
    const int clients = p.value(QStringLiteral("clients")).toInt();

    BenchServer server;
    if (!server.start(p.value(QStringLiteral("server-binary")))) {
        std::fprintf(stderr, "server did not become ready\n");
        return 1;
    }
    const auto users = demoSignIns(server.runCommand({QStringLiteral("admin"), QStringLiteral("demo"),
                                                      QStringLiteral("--slug=bench")}));
    if (users.size() < 3) {
        std::fprintf(stderr, "admin demo did not print the sign-ins\n");
        return 1;
    }
    QString error;
    const DeskSeed seed = seedDesk(server.dataDir(), QStringLiteral("bench"), users.value(QStringLiteral("agent")).first,
                                   p.value(QStringLiteral("tickets")).toInt(), p.value(QStringLiteral("messages")).toLongLong(),
                                   p.value(QStringLiteral("long")).toInt(), &error);
    if (!seed.tenantId.isNull() && error.isEmpty())
        std::printf("seeded %d tickets, %lld messages in %.0f s\n", seed.tickets, seed.messages, seed.seconds);
    else {
        std::fprintf(stderr, "seeding failed: %s\n", qPrintable(error));
        return 1;
    }
    if (p.isSet(QStringLiteral("hold"))) {
        std::printf("holding: data %s (socket directory inside), api port %u; close stdin to stop\n",
                    qPrintable(server.dataDir()), unsigned(server.port()));
        std::fflush(stdout);
        QFile in;
        if (in.open(stdin, QIODevice::ReadOnly))
            in.readAll();
        server.stop();
        stopCluster(server.dataDir());
        return 0;
    }
    QHash<QString, QByteArray> tokens;
    for (const QString &role : {QStringLiteral("admin"), QStringLiteral("supervisor"), QStringLiteral("agent")})
        tokens.insert(role, login(server.port(), users.value(role).first, users.value(role).second));
    if (tokens.value(QStringLiteral("supervisor")).isEmpty() || tokens.value(QStringLiteral("agent")).isEmpty()) {
        std::fprintf(stderr, "sign-in failed\n");
        return 1;
    }

    std::printf("%-34s %8s %10s %9s %9s %9s %7s\n", "scenario", "clients", "req/s", "p50 ms", "p95 ms", "p99 ms",
                "errors");
    QJsonArray results;
    for (const DeskScenario &s : deskScenarios(seed, tokens)) {
        QJsonObject r = runRequestLoop(server.port(), s, clients, seconds);
        r.insert(QStringLiteral("server_rss_bytes"), double(rssOfPid(server.pid())));
        printRow(r);
        results.append(r);
    }
    QJsonObject ingest = runIngest(server.port(), seed, tokens, p.value(QStringLiteral("subscribers")).toInt(),
                                   p.value(QStringLiteral("rate")).toInt(), seconds);
    ingest.insert(QStringLiteral("server_rss_bytes"), double(rssOfPid(server.pid())));
    printRow(ingest);
    std::printf("ingest: %lld injected, %lld stored, %lld events expected, %lld received, %lld missing\n",
                qint64(ingest.value(QStringLiteral("injected")).toDouble()),
                qint64(ingest.value(QStringLiteral("accepted")).toDouble()),
                qint64(ingest.value(QStringLiteral("expected_events")).toDouble()),
                qint64(ingest.value(QStringLiteral("received_events")).toDouble()),
                qint64(ingest.value(QStringLiteral("missing_events")).toDouble()));
    std::printf("server RSS %.0f MiB\n", double(rssOfPid(server.pid())) / 1048576.0);
    results.append(ingest);

    const QJsonObject doc{{QStringLiteral("benchmark"), QStringLiteral("desk")},
                          {QStringLiteral("cores"), QThread::idealThreadCount()},
                          {QStringLiteral("tickets"), seed.tickets},
                          {QStringLiteral("messages"), double(seed.messages)},
                          {QStringLiteral("results"), results}};
    if (p.isSet(QStringLiteral("out"))) {
        QFile out(p.value(QStringLiteral("out")));
        if (out.open(QIODevice::WriteOnly))
            out.write(QJsonDocument(doc).toJson());
    }
    bool failed = false;
    for (const QJsonValue &v : std::as_const(results)) {
        const QJsonObject o = v.toObject();
        failed |= o.value(QStringLiteral("errors")).toDouble() > 0 || o.value(QStringLiteral("requests")).toDouble() == 0 ||
                  o.value(QStringLiteral("missing_events")).toDouble() > 0;
    }
    server.stop();
    stopCluster(server.dataDir());
    return failed ? 1 : 0;
}
