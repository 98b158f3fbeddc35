#pragma once
// The two outside processes of the end-to-end tests: atende-wasim (the simulated WhatsApp network, started
// on free ports, its admin API called over HTTP) and the Baileys customer (tests/e2e/baileys_customer.mjs,
// driven by JSON lines). Both are killed on destruction.

#include <QJsonArray>
#include <QJsonObject>
#include <QList>
#include <QProcess>
#include <QString>
#include <QUrl>

#include <functional>

namespace atende::e2e {

struct AdminReply {
    int status = 0;
    QJsonObject object;
    QJsonArray array;
};

class WasimProcess {
public:
    ~WasimProcess();
    // Starts `binary --port 0 --admin-port 0` and waits for its ready line.
    bool start(const QString &binary, const QStringList &extra = {});
    QString wsUrl() const { return m_ws; }
    QString trustRoot() const { return m_root; }
    QString adminUrl() const { return QStringLiteral("http://127.0.0.1:%1").arg(m_adminPort); }
    AdminReply admin(const QByteArray &method, const QString &path, const QJsonObject &body = {}) const;
    AdminReply adminRaw(const QByteArray &method, const QString &path, const QByteArray &body) const;
    // The JID ("PHONE:N@s.whatsapp.net") of the phone's first linked device; empty when none.
    QString deviceOf(const QString &phone) const;
    QByteArray log() { return m_err += m_proc.readAllStandardError(); }

private:
    QProcess m_proc;
    QString m_ws;
    QString m_root;
    quint16 m_adminPort = 0;
    QByteArray m_err;
};

// One line the customer reported.
struct CustomerEvent {
    QString event; // ready | sent | done | message | receipt | chatstate | closed | error
    QJsonObject json;
};

class BaileysCustomer {
public:
    ~BaileysCustomer();
    // Starts node on the script and waits until the customer is linked (its ready line).
    bool start(const QString &node, const QString &script, const WasimProcess &wasim, const QString &phone,
               const QString &pushName, int ms = 40000);
    QString jid() const { return m_jid; }

    // Sends a text and waits for the "sent" answer; returns the message id (empty on error/timeout).
    QString send(const QString &to, const QString &text, int ms = 20000);
    // Queues a text without waiting (a burst); the ids arrive as "sent" events in order.
    void sendAsync(const QString &to, const QString &text);
    QString sendUnknown(const QString &to, int ms = 20000);
    bool typing(const QString &to, bool composing, int ms = 10000);
    bool read(const QString &to, const QStringList &ids, int ms = 10000);

    QList<CustomerEvent> events() const { return m_events; }
    QList<CustomerEvent> eventsOf(const QString &kind) const;
    bool waitFor(const std::function<bool()> &condition, int ms) const;
    // Received messages (event "message") whose text starts with prefix, in arrival order.
    QList<QJsonObject> messagesWithPrefix(const QString &prefix) const;
    QString diagnostics() const;

private:
    QJsonObject command(QJsonObject c, int ms);
    void onOutput();

    QProcess m_proc;
    QByteArray m_buffer;
    QList<CustomerEvent> m_events;
    QString m_jid;
    int m_nextRef = 1;
    QByteArray m_stderr;
};

} // namespace atende::e2e
