// runIngest: customer messages through the test connection's inbound operation at a fixed rate, with
// WebSocket subscribers timing the moment each message's event reaches them.

#include "tests/bench/bench_support.h"
#include "tests/bench/desk_load.h"

#include "atende/api/v1/sync.pb.h"

#include <QElapsedTimer>
#include <QJsonDocument>
#include <QRandomGenerator>
#include <QTcpSocket>
#include <QTimer>
#include <QWebSocket>

#include <memory>

namespace atende::bench {

namespace {

struct IngestClock {
    QElapsedTimer clock;
    QHash<QString, qint64> sentAtNs; // external id -> when its ingest call was written
    std::vector<qint64> latenciesNs;
    qint64 received = 0;
};

// A signed-in WebSocket session counting the message events of injected messages.
class Subscriber : public QObject {
public:
    Subscriber(quint16 port, const QByteArray &token, IngestClock &clock)
        : m_clock(clock)
    {
        connect(&m_ws, &QWebSocket::connected, this, [this, token] {
            atende::api::v1::ClientFrame f;
            f.set_id(1);
            f.set_access_token(token.toStdString());
            const std::string s = f.SerializeAsString();
            m_ws.sendBinaryMessage(QByteArray(s.data(), qsizetype(s.size())));
        });
        connect(&m_ws, &QWebSocket::binaryMessageReceived, this, [this](const QByteArray &b) { onFrame(b); });
        m_ws.open(QUrl(QStringLiteral("ws://127.0.0.1:%1/api/v1/ws").arg(port)));
    }
    bool ready() const { return m_ready; }

private:
    void onFrame(const QByteArray &b)
    {
        atende::api::v1::ServerFrame f;
        if (!f.ParseFromArray(b.constData(), int(b.size())))
            return;
        if (f.has_session())
            m_ready = f.session().authenticated();
        if (!f.has_event() || !f.event().has_message_changed() || !f.event().message_changed().created())
            return;
        const QString id = QString::fromStdString(f.event().message_changed().message().external_id());
        const auto it = m_clock.sentAtNs.constFind(id);
        if (it == m_clock.sentAtNs.constEnd())
            return;
        m_clock.latenciesNs.push_back(m_clock.clock.nsecsElapsed() - it.value());
        ++m_clock.received;
    }

    QWebSocket m_ws;
    IngestClock &m_clock;
    bool m_ready = false;
};

// One keep-alive connection posting inbound messages.
class Injector : public QObject {
public:
    Injector(quint16 port, const QByteArray &token, qint64 &accepted, qint64 &errors)
        : m_token(token)
        , m_accepted(accepted)
        , m_errors(errors)
    {
        connect(&m_socket, &QTcpSocket::readyRead, this, [this] { onRead(); });
        m_socket.connectToHost(QStringLiteral("127.0.0.1"), port);
        m_socket.waitForConnected(5000);
    }
    bool busy() const { return m_busy; }
    void post(const QString &path, const QByteArray &json)
    {
        m_busy = true;
        m_socket.write("POST " + path.toUtf8() + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + m_token +
                       "\r\nContent-Type: application/json\r\nContent-Length: " + QByteArray::number(json.size()) +
                       "\r\n\r\n" + json);
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
        if (m_buf.startsWith("HTTP/1.1 200"))
            ++m_accepted;
        else
            ++m_errors;
        m_buf.remove(0, end + 4 + len);
        m_busy = false;
    }

    QTcpSocket m_socket;
    QByteArray m_token;
    QByteArray m_buf;
    qint64 &m_accepted;
    qint64 &m_errors;
    bool m_busy = false;
};

} // namespace

QJsonObject runIngest(quint16 port, const DeskSeed &seed, const QHash<QString, QByteArray> &tokens, int subscribers,
                      int rate, int seconds)
{
    IngestClock clock;
    clock.clock.start();
    std::vector<std::unique_ptr<Subscriber>> subs;
    for (int i = 0; i < subscribers; ++i)
        subs.push_back(std::make_unique<Subscriber>(port, tokens.value(QStringLiteral("supervisor")), clock));
    QElapsedTimer wait;
    wait.start();
    auto allReady = [&subs] {
        for (const auto &s : subs)
            if (!s->ready())
                return false;
        return true;
    };
    while (!allReady() && wait.elapsed() < 30000)
        waitMs(50);
    qint64 accepted = 0, errors = 0, injected = 0, skipped = 0;
    std::vector<std::unique_ptr<Injector>> injectors;
    for (int i = 0; i < 32; ++i)
        injectors.push_back(std::make_unique<Injector>(port, tokens.value(QStringLiteral("admin")), accepted, errors));
    const QString path =
        QStringLiteral("/api/v1/connections/%1/inbound").arg(seed.connectionId.toString(QUuid::WithoutBraces));
    QElapsedTimer run;
    run.start();
    QTimer tick;
    QObject::connect(&tick, &QTimer::timeout, [&] {
        const qint64 due = qint64(double(rate) * double(run.nsecsElapsed()) / 1e9);
        while (injected + skipped < due) {
            Injector *free = nullptr;
            for (auto &inj : injectors)
                if (!inj->busy()) {
                    free = inj.get();
                    break;
                }
            if (!free) { // every connection waits for an answer: the server is not keeping up
                ++skipped;
                continue;
            }
            const qint64 n = injected++;
            // Half from customers with an earlier (mostly closed) ticket, half from new numbers.
            const qint64 phone = n % 2 == 0 ? 5511900000000 + 1 + QRandomGenerator::global()->bounded(seed.tickets)
                                            : 5511800000000 + n;
            const QString id = QStringLiteral("bench-%1").arg(n);
            const QJsonObject body{{QStringLiteral("senderPhone"), QString::number(phone)},
                                   {QStringLiteral("senderName"), QStringLiteral("Cliente %1").arg(phone)},
                                   {QStringLiteral("externalId"), id},
                                   {QStringLiteral("body"), QStringLiteral("Olá, meu pedido %1 ainda não chegou").arg(n)}};
            clock.sentAtNs.insert(id, clock.clock.nsecsElapsed());
            free->post(path, QJsonDocument(body).toJson(QJsonDocument::Compact));
        }
    });
    tick.start(2);
    waitMs(seconds * 1000);
    tick.stop();
    const double elapsed = double(run.nsecsElapsed()) / 1e9;
    // Let answers and events drain.
    const qint64 expectedAtLeast = injected; // every injected message should be accepted
    QElapsedTimer drain;
    drain.start();
    while (drain.elapsed() < 10000 && (accepted + errors < injected || clock.received < accepted * subscribers))
        waitMs(50);
    QJsonObject r{{QStringLiteral("scenario"), QStringLiteral("ingest %1/s -> %2 WS subscribers").arg(rate).arg(subscribers)},
                  {QStringLiteral("clients"), subscribers},
                  {QStringLiteral("seconds"), elapsed},
                  {QStringLiteral("requests"), accepted},
                  {QStringLiteral("injected"), injected},
                  {QStringLiteral("skipped"), skipped},
                  {QStringLiteral("accepted"), accepted},
                  {QStringLiteral("errors"), errors + (expectedAtLeast - accepted - errors)},
                  {QStringLiteral("rps"), double(accepted) / elapsed},
                  {QStringLiteral("expected_events"), double(accepted * subscribers)},
                  {QStringLiteral("received_events"), double(clock.received)},
                  {QStringLiteral("missing_events"), double(accepted * subscribers - clock.received)},
                  {QStringLiteral("p50_ms"), percentileMs(clock.latenciesNs, 0.50)},
                  {QStringLiteral("p95_ms"), percentileMs(clock.latenciesNs, 0.95)},
                  {QStringLiteral("p99_ms"), percentileMs(clock.latenciesNs, 0.99)}};
    injectors.clear();
    subs.clear();
    return r;
}

} // namespace atende::bench
