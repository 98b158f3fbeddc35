#include "tests/bench/desk_load.h"

#include "tests/bench/bench_support.h"

#include "atende/api/v1/sync.pb.h"

#include <QCryptographicHash>
#include <QElapsedTimer>
#include <QJsonDocument>
#include <QRandomGenerator>
#include <QTcpSocket>
#include <QTimer>
#include <QWebSocket>

#include <memory>

namespace atende::bench {

namespace {

constexpr int kWarmup = 0, kMeasuring = 1, kStopped = 2;

struct LoopStats {
    std::vector<qint64> latenciesNs;
    qint64 errors = 0;
};

// One keep-alive HTTP connection running requests back to back (or on demand when `onDemand`).
class HttpClient : public QObject {
public:
    using Done = std::function<void(int status, const QByteArray &body, qint64 ns)>;

    HttpClient(quint16 port, QByteArray token, Done done)
        : m_token(std::move(token))
        , m_done(std::move(done))
    {
        connect(&m_socket, &QTcpSocket::readyRead, this, [this] { onRead(); });
        connect(&m_socket, &QTcpSocket::errorOccurred, this, [this] {
            if (m_busy)
                m_done(0, {}, 0);
            m_busy = false;
        });
        m_socket.connectToHost(QStringLiteral("127.0.0.1"), port);
        m_socket.waitForConnected(5000);
    }
    bool busy() const { return m_busy; }
    void send(const BenchRequest &r)
    {
        QByteArray req = r.method + ' ' + r.path.toUtf8() + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " +
                         m_token + "\r\n";
        if (!r.body.isEmpty())
            req += "Content-Type: application/json\r\nContent-Length: " + QByteArray::number(r.body.size()) + "\r\n";
        req += "\r\n" + r.body;
        m_busy = true;
        m_timer.start();
        m_socket.write(req);
    }

private:
    void onRead()
    {
        m_buf += m_socket.readAll();
        const qsizetype end = m_buf.indexOf("\r\n\r\n");
        if (end < 0)
            return;
        const qsizetype cl = m_buf.indexOf("Content-Length: ");
        const qsizetype lineEnd = m_buf.indexOf("\r\n", cl);
        const qsizetype len = cl >= 0 && cl < end ? m_buf.mid(cl + 16, lineEnd - cl - 16).toLongLong() : 0;
        if (m_buf.size() < end + 4 + len)
            return;
        const int status = m_buf.mid(9, 3).toInt();
        const QByteArray body = m_buf.mid(end + 4, len);
        m_buf.remove(0, end + 4 + len);
        m_busy = false;
        m_done(status, body, m_timer.nsecsElapsed());
    }

    QTcpSocket m_socket;
    QByteArray m_token;
    Done m_done;
    QByteArray m_buf;
    QElapsedTimer m_timer;
    bool m_busy = false;
};

QJsonObject summary(const QString &name, int clients, double elapsed, LoopStats &stats)
{
    const qint64 n = qint64(stats.latenciesNs.size());
    return QJsonObject{{QStringLiteral("scenario"), name},
                       {QStringLiteral("clients"), clients},
                       {QStringLiteral("seconds"), elapsed},
                       {QStringLiteral("requests"), n},
                       {QStringLiteral("errors"), stats.errors},
                       {QStringLiteral("rps"), double(n) / elapsed},
                       {QStringLiteral("p50_ms"), percentileMs(stats.latenciesNs, 0.50)},
                       {QStringLiteral("p95_ms"), percentileMs(stats.latenciesNs, 0.95)},
                       {QStringLiteral("p99_ms"), percentileMs(stats.latenciesNs, 0.99)}};
}

QString query(const QByteArray &previous, const char *field)
{
    return QJsonDocument::fromJson(previous).object().value(QLatin1String(field)).toString();
}

} // namespace

QString seededTicketId(int i)
{
    const QByteArray h = QCryptographicHash::hash("t" + QByteArray::number(i), QCryptographicHash::Md5).toHex();
    return QString::fromLatin1(h.left(8) + '-' + h.mid(8, 4) + '-' + h.mid(12, 4) + '-' + h.mid(16, 4) + '-' + h.mid(20));
}

std::vector<DeskScenario> deskScenarios(const DeskSeed &seed, const QHash<QString, QByteArray> &tokens)
{
    const QByteArray agent = tokens.value(QStringLiteral("agent"));
    const QByteArray supervisor = tokens.value(QStringLiteral("supervisor"));
    const int tickets = seed.tickets;
    const QString longTicket = seed.longTicketId.toString(QUuid::WithoutBraces);
    auto get = [](QString path) { return BenchRequest{"GET", std::move(path), {}}; };
    std::vector<DeskScenario> out;
    out.push_back({QStringLiteral("tickets.list waiting (agent)"), agent,
                   [get](const QByteArray &, int &) { return get(QStringLiteral("/api/v1/tickets?view=waiting&limit=50")); }});
    out.push_back({QStringLiteral("tickets.list mine (agent)"), agent,
                   [get](const QByteArray &, int &) { return get(QStringLiteral("/api/v1/tickets?view=mine&limit=50")); }});
    // Supervisors paging through closed tickets: follow next_cursor, back to the first page after 20.
    out.push_back({QStringLiteral("tickets.list closed, paging (sup.)"), supervisor, [get](const QByteArray &prev, int &depth) {
                       const QString next = query(prev, "nextCursor");
                       if (next.isEmpty() || ++depth > 20) {
                           depth = 0;
                           return get(QStringLiteral("/api/v1/tickets?view=closed&limit=50"));
                       }
                       return get(QStringLiteral("/api/v1/tickets?view=closed&limit=50&after=") +
                                  QString::fromLatin1(QUrl::toPercentEncoding(next)));
                   }});
    out.push_back({QStringLiteral("tickets.counts (agent)"), agent,
                   [get](const QByteArray &, int &) { return get(QStringLiteral("/api/v1/tickets/counts")); }});
    out.push_back({QStringLiteral("messages.list latest (random)"), supervisor, [get, tickets](const QByteArray &, int &) {
                       const int i = 2 + int(QRandomGenerator::global()->bounded(std::max(1, tickets - 1)));
                       return get(QStringLiteral("/api/v1/tickets/%1/messages?limit=50").arg(seededTicketId(i)));
                   }});
    // Scrolling up a long conversation: older pages by cursor, from the newest again after 40 pages.
    out.push_back({QStringLiteral("messages.list scroll (long conv.)"), supervisor, [get, longTicket](const QByteArray &prev, int &depth) {
                       const QString older = query(prev, "olderCursor");
                       if (older.isEmpty() || ++depth > 40) {
                           depth = 0;
                           return get(QStringLiteral("/api/v1/tickets/%1/messages?limit=50").arg(longTicket));
                       }
                       return get(QStringLiteral("/api/v1/tickets/%1/messages?limit=50&before=%2")
                                      .arg(longTicket, QString::fromLatin1(QUrl::toPercentEncoding(older))));
                   }});
    out.push_back({QStringLiteral("search.query (supervisor)"), supervisor, [get](const QByteArray &, int &) {
                       static const char *words[] = {"entrega", "pedido 4711", "confirmada amanha", "cliente"};
                       const char *w = words[QRandomGenerator::global()->bounded(4)];
                       return get(QStringLiteral("/api/v1/search?query=%1&limit=20")
                                      .arg(QString::fromLatin1(QUrl::toPercentEncoding(QString::fromUtf8(w)))));
                   }});
    return out;
}

QJsonObject runRequestLoop(quint16 port, const DeskScenario &scenario, int clients, int seconds)
{
    LoopStats stats;
    int phase = kWarmup;
    std::vector<std::unique_ptr<HttpClient>> pool;
    std::vector<int> depth(size_t(clients), 0);
    pool.reserve(size_t(clients));
    for (int i = 0; i < clients; ++i)
        pool.emplace_back(std::make_unique<HttpClient>(
            port, scenario.token,
            [&stats, &phase, &scenario, &pool, &depth, i](int status, const QByteArray &body, qint64 ns) {
                if (phase == kMeasuring) {
                    if (status == 200)
                        stats.latenciesNs.push_back(ns);
                    else
                        ++stats.errors;
                }
                if (phase != kStopped)
                    pool[size_t(i)]->send(scenario.next(status == 200 ? body : QByteArray(), depth[size_t(i)]));
            }));
    for (size_t i = 0; i < pool.size(); ++i)
        pool[i]->send(scenario.next({}, depth[i]));
    waitMs(1000);
    phase = kMeasuring;
    QElapsedTimer t;
    t.start();
    waitMs(seconds * 1000);
    phase = kStopped;
    const double elapsed = double(t.nsecsElapsed()) / 1e9;
    waitMs(300);
    pool.clear();
    return summary(scenario.name, clients, elapsed, stats);
}

} // namespace atende::bench
