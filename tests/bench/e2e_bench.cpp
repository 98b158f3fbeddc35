// End-to-end WhatsApp benchmark (issue 6): --connections WhatsApp connections on one atende-server, each
// paired against atende-wasim, one simulated customer per connection (wasim's admin API: our own client
// library, no Node). Measures, at --rate messages/s in total:
//   1. customer → agent: the customer's send (admin API call issued) to the agent's WebSocket
//      messageChanged event for that message;
//   2. agent → customer: the agent's reply (messages.send issued) to the customer's inbox received_at_ms,
//      and to the delivered receipt arriving back at the server (messageChanged status "delivered");
//   3. the throughput ceiling: customer → agent at doubling rates until messages go missing, the achieved
//      rate falls under 90 % of the target or p95 exceeds 1 s; the highest sustained rate is reported.
// Prints a table and writes JSON (--out).
//
//   atende_e2e_bench --server-binary PATH --wasim-binary PATH [--connections 20] [--rate 50] [--seconds 20]
//                    [--ceiling-seconds 10] [--max-rate 1600] [--out results.json]

#include "tests/bench/e2e_bench_world.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QTimer>

#include <cstdio>
#include <memory>

using namespace atende::bench;

namespace {

QString str(const QJsonObject &o, const char *key)
{
    return o.value(QLatin1String(key)).toString();
}

struct Run {
    QString scenario;
    int rate = 0;
    qint64 sent = 0, received = 0, missing = 0, duplicates = 0, errors = 0;
    double achievedRate = 0;
    std::vector<qint64> latenciesNs;
};

QJsonObject report(Run &r)
{
    QJsonObject o{{QStringLiteral("scenario"), r.scenario},
                  {QStringLiteral("rate"), r.rate},
                  {QStringLiteral("achieved_rate"), r.achievedRate},
                  {QStringLiteral("sent"), r.sent},
                  {QStringLiteral("received"), r.received},
                  {QStringLiteral("missing"), r.missing},
                  {QStringLiteral("duplicates"), r.duplicates},
                  {QStringLiteral("errors"), r.errors},
                  {QStringLiteral("p50_ms"), percentileMs(r.latenciesNs, 0.50)},
                  {QStringLiteral("p95_ms"), percentileMs(r.latenciesNs, 0.95)},
                  {QStringLiteral("p99_ms"), percentileMs(r.latenciesNs, 0.99)}};
    std::printf("%-30s %6d %8.1f %7lld %8lld %7lld %5lld %6lld %9.1f %9.1f %9.1f\n", qPrintable(r.scenario), r.rate,
                r.achievedRate, r.sent, r.received, r.missing, r.duplicates, r.errors,
                o.value(QStringLiteral("p50_ms")).toDouble(), o.value(QStringLiteral("p95_ms")).toDouble(),
                o.value(QStringLiteral("p99_ms")).toDouble());
    std::fflush(stdout);
    return o;
}

// Paces `total` calls of send(n) at `rate` per second; returns the achieved rate.
double pace(int rate, int seconds, const std::function<void(qint64)> &send)
{
    const qint64 total = qint64(rate) * seconds;
    qint64 issued = 0;
    QElapsedTimer t;
    t.start();
    waitUntil(
        [&] {
            const qint64 due = std::min(total, t.elapsed() * rate / 1000);
            while (issued < due)
                send(issued++);
            return issued >= total;
        },
        seconds * 1000 + 60000);
    return t.elapsed() > 0 ? double(issued) * 1000.0 / double(t.elapsed()) : 0;
}

Run inbound(E2eWorld &w, const QString &tag, int rate, int seconds, int settleMs)
{
    Run r;
    r.scenario = QStringLiteral("customer → agent event");
    r.rate = rate;
    QHash<qint64, qint64> sentAt;
    // Shared with the callbacks: a reply may come after this function returned.
    auto errors = std::make_shared<qint64>(0);
    const qsizetype firstEvent = w.events.size();
    r.achievedRate = pace(rate, seconds, [&](qint64 n) {
        const Line &l = w.lines.at(int(n % w.lines.size()));
        sentAt.insert(n, nowMs());
        w.adminAsync("POST", QStringLiteral("/admin/customers/%1/send").arg(l.customerPhone),
                     QJsonObject{{QStringLiteral("to"), l.businessPhone},
                                 {QStringLiteral("text"), QStringLiteral("in %1 %2").arg(tag).arg(n)}},
                     [errors](int status, const QJsonObject &) {
                         if (status != 200 && status != 201)
                             ++*errors;
                     });
    });
    r.sent = sentAt.size();
    const QString prefix = QStringLiteral("in %1 ").arg(tag);
    QSet<qint64> seen;
    const auto collect = [&] {
        for (qsizetype i = firstEvent; i < w.events.size(); ++i) {
            const QJsonObject mc = w.events[i].event.value(QStringLiteral("messageChanged")).toObject();
            const QJsonObject m = mc.value(QStringLiteral("message")).toObject();
            if (!mc.value(QStringLiteral("created")).toBool() || str(m, "kind") != QLatin1String("inbound") ||
                !str(m, "body").startsWith(prefix))
                continue;
            const qint64 n = str(m, "body").mid(prefix.size()).toLongLong();
            if (seen.contains(n)) {
                ++r.duplicates;
                continue;
            }
            seen.insert(n);
            r.latenciesNs.push_back((w.events[i].atMs - sentAt.value(n)) * 1000000);
        }
    };
    waitUntil(
        [&] {
            return w.inFlight() == 0 && w.events.size() > firstEvent && [&] {
                qsizetype created = 0;
                for (qsizetype i = firstEvent; i < w.events.size(); ++i)
                    created += w.events[i]
                                   .event.value(QStringLiteral("messageChanged"))
                                   .toObject()
                                   .value(QStringLiteral("created"))
                                   .toBool();
                return created >= r.sent;
            }();
        },
        settleMs);
    collect();
    r.errors = *errors;
    r.received = seen.size();
    r.missing = r.sent - r.received;
    if (r.missing > 0) {
        // Lost on the way, or stored without reaching the agent's WebSocket? Count what the tickets hold.
        qint64 stored = 0;
        for (const Line &l : w.lines) {
            QString before;
            for (int page = 0; page < 50; ++page) {
                QString path = QStringLiteral("/api/v1/tickets/%1/messages?limit=200").arg(l.ticketId);
                if (!before.isEmpty())
                    path += QStringLiteral("&before=") + QString::fromLatin1(QUrl::toPercentEncoding(before));
                const QJsonObject o = w.api(path).json();
                for (const QJsonValue v : o.value(QStringLiteral("messages")).toArray())
                    stored += str(v.toObject(), "body").startsWith(prefix);
                before = str(o, "olderCursor");
                if (!o.value(QStringLiteral("hasOlder")).toBool() || before.isEmpty())
                    break;
            }
        }
        std::printf("  %lld of %lld not seen as events: %lld stored in the tickets\n",
                    static_cast<long long>(r.missing), static_cast<long long>(r.sent), static_cast<long long>(stored));
    }
    return r;
}

// The texts in a customer's inbox with their received_at_ms (array, or an object with "messages").
QHash<QString, qint64> inbox(E2eWorld &w, const Line &l)
{
    QHash<QString, qint64> out;
    const atende::e2e::AdminReply r =
        w.admin("GET", QStringLiteral("/admin/customers/%1/inbox?after=0").arg(l.customerPhone));
    const QJsonArray items = r.array.isEmpty() ? r.object.value(QStringLiteral("messages")).toArray() : r.array;
    for (const QJsonValue v : items) {
        const QJsonObject m = v.toObject();
        const QString text = m.contains(QStringLiteral("text")) ? str(m, "text") : str(m, "body");
        if (!out.contains(text))
            out.insert(text, qint64(m.value(QStringLiteral("received_at_ms")).toDouble()));
        else
            out.insert(text + QStringLiteral("\x01dup"), 1);
    }
    return out;
}

QPair<Run, Run> outbound(E2eWorld &w, const QString &tag, int rate, int seconds, int settleMs)
{
    Run toCustomer, receipt;
    toCustomer.scenario = QStringLiteral("agent → customer inbox");
    receipt.scenario = QStringLiteral("agent → delivered receipt");
    toCustomer.rate = receipt.rate = rate;
    QHash<qint64, qint64> sentAt;
    auto byMessageId = std::make_shared<QHash<QString, qint64>>();
    auto errors = std::make_shared<qint64>(0);
    const qsizetype firstEvent = w.events.size();
    toCustomer.achievedRate = receipt.achievedRate = pace(rate, seconds, [&](qint64 n) {
        const Line &l = w.lines.at(int(n % w.lines.size()));
        sentAt.insert(n, nowMs());
        w.apiAsync("POST", QStringLiteral("/api/v1/tickets/%1/messages").arg(l.ticketId),
                   QJsonObject{{QStringLiteral("body"), QStringLiteral("out %1 %2").arg(tag).arg(n)}},
                   [byMessageId, errors, n](int status, const QJsonObject &m) {
                       if (status != 200)
                           ++*errors;
                       else
                           byMessageId->insert(str(m, "id"), n);
                   });
    });
    toCustomer.sent = receipt.sent = sentAt.size();
    QSet<QString> delivered;
    const auto scan = [&] {
        for (qsizetype i = firstEvent; i < w.events.size(); ++i) {
            const QJsonObject m = w.events[i]
                                      .event.value(QStringLiteral("messageChanged"))
                                      .toObject()
                                      .value(QStringLiteral("message"))
                                      .toObject();
            const QString id = str(m, "id");
            if (str(m, "status") != QLatin1String("delivered") || delivered.contains(id) || !byMessageId->contains(id))
                continue;
            delivered.insert(id);
            receipt.latenciesNs.push_back((w.events[i].atMs - sentAt.value(byMessageId->value(id))) * 1000000);
        }
    };
    waitUntil(
        [&] {
            scan();
            return w.inFlight() == 0 && delivered.size() >= byMessageId->size();
        },
        settleMs);
    toCustomer.errors = receipt.errors = *errors;
    receipt.received = delivered.size();
    receipt.missing = receipt.sent - receipt.received;
    // The stored statuses: a delivered receipt that never shows up as an event is visible here too.
    QHash<QString, int> statuses;
    const QString outPrefix = QStringLiteral("out %1 ").arg(tag);
    for (const Line &l : w.lines) {
        const QJsonArray page = w.api(QStringLiteral("/api/v1/tickets/%1/messages?limit=200").arg(l.ticketId))
                                    .json()
                                    .value(QStringLiteral("messages"))
                                    .toArray();
        for (const QJsonValue v : page)
            if (str(v.toObject(), "body").startsWith(outPrefix))
                ++statuses[str(v.toObject(), "status")];
    }
    QStringList parts;
    for (auto it = statuses.begin(); it != statuses.end(); ++it)
        parts << QStringLiteral("%1 %2").arg(it.key()).arg(it.value());
    std::printf("stored status of the newest replies (≤ 200 per ticket): %s\n",
                qPrintable(parts.join(QStringLiteral(", "))));

    const QString prefix = QStringLiteral("out %1 ").arg(tag);
    for (const Line &l : w.lines) {
        const QHash<QString, qint64> got = inbox(w, l);
        for (auto it = got.begin(); it != got.end(); ++it) {
            if (it.key().endsWith(QStringLiteral("\x01dup")) && it.key().startsWith(prefix)) {
                ++toCustomer.duplicates;
                continue;
            }
            if (!it.key().startsWith(prefix))
                continue;
            ++toCustomer.received;
            toCustomer.latenciesNs.push_back((it.value() - sentAt.value(it.key().mid(prefix.size()).toLongLong())) *
                                             1000000);
        }
    }
    toCustomer.missing = toCustomer.sent - toCustomer.received;
    return {toCustomer, receipt};
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QCommandLineParser p;
    p.addHelpOption();
    const QCommandLineOption serverOpt(QStringLiteral("server-binary"), QStringLiteral("atende-server"),
                                       QStringLiteral("path"));
    const QCommandLineOption wasimOpt(QStringLiteral("wasim-binary"), QStringLiteral("atende-wasim"),
                                      QStringLiteral("path"));
    const QCommandLineOption connOpt(QStringLiteral("connections"), QStringLiteral("connections"), QStringLiteral("n"),
                                     QStringLiteral("20"));
    const QCommandLineOption rateOpt(QStringLiteral("rate"), QStringLiteral("messages/s in total"), QStringLiteral("n"),
                                     QStringLiteral("50"));
    const QCommandLineOption secOpt(QStringLiteral("seconds"), QStringLiteral("per latency phase"), QStringLiteral("n"),
                                    QStringLiteral("20"));
    const QCommandLineOption ceilSecOpt(QStringLiteral("ceiling-seconds"), QStringLiteral("per ceiling step"),
                                        QStringLiteral("n"), QStringLiteral("10"));
    const QCommandLineOption maxRateOpt(QStringLiteral("max-rate"), QStringLiteral("last ceiling step"),
                                        QStringLiteral("n"), QStringLiteral("1600"));
    const QCommandLineOption outOpt(QStringLiteral("out"), QStringLiteral("JSON results"), QStringLiteral("file"));
    p.addOptions({serverOpt, wasimOpt, connOpt, rateOpt, secOpt, ceilSecOpt, maxRateOpt, outOpt});
    p.process(app);
    const int rate = p.value(rateOpt).toInt();
    const int seconds = p.value(secOpt).toInt();

    E2eWorld world;
    QElapsedTimer setup;
    setup.start();
    if (!world.start(p.value(serverOpt), p.value(wasimOpt), p.value(connOpt).toInt())) {
        std::fprintf(stderr, "setup failed: %s\n", qPrintable(world.error()));
        return 1;
    }
    std::printf("%d connections paired, %d customers, tickets accepted in %.1f s\n", int(world.lines.size()),
                int(world.lines.size()), double(setup.elapsed()) / 1000.0);
    std::printf("%-30s %6s %8s %7s %8s %7s %5s %6s %9s %9s %9s\n", "scenario", "rate", "achieved", "sent", "received",
                "missing", "dup", "errors", "p50 ms", "p95 ms", "p99 ms");
    QJsonArray results;
    Run in = inbound(world, QStringLiteral("a"), rate, seconds, 30000);
    results.append(report(in));
    auto [toCustomer, receipt] = outbound(world, QStringLiteral("b"), rate, seconds, 30000);
    results.append(report(toCustomer));
    results.append(report(receipt));

    int highest = 0;
    for (int r = rate * 2; r <= p.value(maxRateOpt).toInt(); r *= 2) {
        Run step = inbound(world, QStringLiteral("c%1").arg(r), r, p.value(ceilSecOpt).toInt(), 20000);
        step.scenario = QStringLiteral("ceiling: customer → agent");
        QJsonObject o = report(step);
        const bool sustained = step.missing == 0 && step.errors == 0 && step.achievedRate >= 0.9 * r &&
                               o.value(QStringLiteral("p95_ms")).toDouble() < 1000.0;
        o.insert(QStringLiteral("sustained"), sustained);
        results.append(o);
        if (!sustained)
            break;
        highest = r;
    }
    if (in.missing == 0 && highest < rate)
        highest = rate;
    std::printf("highest sustained customer → agent rate: %d messages/s across %d connections; server RSS %.0f MiB\n",
                highest, int(world.lines.size()), double(rssOfPid(world.serverPid())) / 1048576.0);
    if (p.isSet(outOpt)) {
        QFile out(p.value(outOpt));
        if (out.open(QIODevice::WriteOnly))
            out.write(QJsonDocument(QJsonObject{{QStringLiteral("connections"), int(world.lines.size())},
                                                {QStringLiteral("results"), results},
                                                {QStringLiteral("highest_sustained_rate"), highest}})
                          .toJson());
    }
    return in.missing == 0 && toCustomer.missing == 0 ? 0 : 2;
}
