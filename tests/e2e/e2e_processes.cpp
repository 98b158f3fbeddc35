#include "tests/e2e/e2e_processes.h"

#include "tests/api/http_test_client.h"

#include <QJsonDocument>
#include <QTest>

namespace atende::e2e {

WasimProcess::~WasimProcess()
{
    if (m_proc.state() != QProcess::NotRunning) {
        m_proc.kill();
        m_proc.waitForFinished(5000);
    }
}

bool WasimProcess::start(const QString &binary, const QStringList &extra)
{
    m_proc.setProcessChannelMode(QProcess::SeparateChannels);
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("QT_LOGGING_RULES"), QStringLiteral("atende.wasim.debug=false"));
    m_proc.setProcessEnvironment(env);
    m_proc.start(binary, QStringList{QStringLiteral("--port"), QStringLiteral("0"), QStringLiteral("--admin-port"),
                                     QStringLiteral("0")} +
                             extra);
    QByteArray out;
    const bool ready = QTest::qWaitFor(
        [&] {
            out += m_proc.readAllStandardOutput();
            return out.contains('\n') || m_proc.state() == QProcess::NotRunning;
        },
        20000);
    const QByteArray line = out.left(out.indexOf('\n'));
    if (!ready || !line.startsWith("wasim ready "))
        return false;
    for (const QByteArray &field : line.split(' ')) {
        const qsizetype eq = field.indexOf('=');
        const QByteArray key = field.left(eq), value = field.mid(eq + 1);
        if (key == "ws")
            m_ws = QString::fromLatin1(value);
        else if (key == "admin")
            m_adminPort = quint16(QUrl(QString::fromLatin1(value)).port());
        else if (key == "trust_root")
            m_root = QString::fromLatin1(value);
    }
    return !m_ws.isEmpty() && m_adminPort != 0 && !m_root.isEmpty();
}

AdminReply WasimProcess::adminRaw(const QByteArray &method, const QString &path, const QByteArray &body) const
{
    QByteArray raw = method + ' ' + path.toUtf8() + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n";
    raw += "Content-Type: application/json\r\nContent-Length: " + QByteArray::number(body.size()) + "\r\n\r\n" + body;
    const test::TestResponse r = test::rawRequest(m_adminPort, raw, 30000);
    AdminReply reply;
    reply.status = r.status;
    const QJsonDocument doc = QJsonDocument::fromJson(r.body);
    reply.object = doc.object();
    reply.array = doc.array();
    return reply;
}

AdminReply WasimProcess::admin(const QByteArray &method, const QString &path, const QJsonObject &body) const
{
    return adminRaw(method, path, body.isEmpty() ? QByteArray() : QJsonDocument(body).toJson(QJsonDocument::Compact));
}

QString WasimProcess::deviceOf(const QString &phone) const
{
    for (const QJsonValue v : admin("GET", QStringLiteral("/admin/devices")).array) {
        const QJsonObject d = v.toObject();
        if (d.value(QStringLiteral("phone")).toString() == phone)
            return d.value(QStringLiteral("jid")).toString();
    }
    return {};
}

BaileysCustomer::~BaileysCustomer()
{
    if (m_proc.state() == QProcess::NotRunning)
        return;
    m_proc.write("{\"cmd\":\"quit\"}\n");
    if (!m_proc.waitForFinished(3000)) {
        m_proc.kill();
        m_proc.waitForFinished(3000);
    }
}

bool BaileysCustomer::start(const QString &node, const QString &script, const WasimProcess &wasim, const QString &phone,
                            const QString &pushName, int ms)
{
    QObject::connect(&m_proc, &QProcess::readyReadStandardOutput, [this] { onOutput(); });
    QObject::connect(&m_proc, &QProcess::readyReadStandardError,
                     [this] { m_stderr = (m_stderr + m_proc.readAllStandardError()).right(8000); });
    m_proc.start(node, QStringList{script, wasim.wsUrl(), wasim.adminUrl(), wasim.trustRoot(), phone, pushName});
    (void)waitFor([this] { return !eventsOf(QStringLiteral("ready")).isEmpty(); }, ms);
    const QList<CustomerEvent> ready = eventsOf(QStringLiteral("ready"));
    if (ready.isEmpty())
        return false;
    m_jid = ready.first().json.value(QStringLiteral("jid")).toString();
    return true;
}

void BaileysCustomer::onOutput()
{
    m_buffer += m_proc.readAllStandardOutput();
    for (qsizetype nl = m_buffer.indexOf('\n'); nl >= 0; nl = m_buffer.indexOf('\n')) {
        const QJsonObject o = QJsonDocument::fromJson(m_buffer.left(nl)).object();
        m_buffer.remove(0, nl + 1);
        if (!o.isEmpty())
            m_events.append(CustomerEvent{o.value(QStringLiteral("event")).toString(), o});
    }
}

QList<CustomerEvent> BaileysCustomer::eventsOf(const QString &kind) const
{
    QList<CustomerEvent> out;
    for (const CustomerEvent &e : m_events)
        if (e.event == kind)
            out.append(e);
    return out;
}

bool BaileysCustomer::waitFor(const std::function<bool()> &condition, int ms) const
{
    return QTest::qWaitFor(condition, ms);
}

QJsonObject BaileysCustomer::command(QJsonObject c, int ms)
{
    const int ref = m_nextRef++;
    c.insert(QStringLiteral("ref"), ref);
    m_proc.write(QJsonDocument(c).toJson(QJsonDocument::Compact) + '\n');
    QJsonObject answer;
    (void)waitFor(
        [&] {
            for (const CustomerEvent &e : m_events)
                if (e.json.value(QStringLiteral("ref")).toInt() == ref) {
                    answer = e.json;
                    return true;
                }
            return false;
        },
        ms);
    return answer;
}

QString BaileysCustomer::send(const QString &to, const QString &text, int ms)
{
    const QJsonObject a = command(QJsonObject{{QStringLiteral("cmd"), QStringLiteral("send")},
                                              {QStringLiteral("to"), to},
                                              {QStringLiteral("text"), text}},
                                  ms);
    return a.value(QStringLiteral("event")).toString() == QLatin1String("sent")
               ? a.value(QStringLiteral("id")).toString()
               : QString();
}

void BaileysCustomer::sendAsync(const QString &to, const QString &text)
{
    const QJsonObject c{{QStringLiteral("cmd"), QStringLiteral("send")},
                        {QStringLiteral("ref"), m_nextRef++},
                        {QStringLiteral("to"), to},
                        {QStringLiteral("text"), text}};
    m_proc.write(QJsonDocument(c).toJson(QJsonDocument::Compact) + '\n');
}

QString BaileysCustomer::sendUnknown(const QString &to, int ms)
{
    const QJsonObject a =
        command(QJsonObject{{QStringLiteral("cmd"), QStringLiteral("unknown")}, {QStringLiteral("to"), to}}, ms);
    return a.value(QStringLiteral("event")).toString() == QLatin1String("sent")
               ? a.value(QStringLiteral("id")).toString()
               : QString();
}

bool BaileysCustomer::typing(const QString &to, bool composing, int ms)
{
    const QJsonObject a = command(
        QJsonObject{{QStringLiteral("cmd"), QStringLiteral("typing")},
                    {QStringLiteral("to"), to},
                    {QStringLiteral("state"), composing ? QStringLiteral("composing") : QStringLiteral("paused")}},
        ms);
    return a.value(QStringLiteral("event")).toString() == QLatin1String("done");
}

bool BaileysCustomer::read(const QString &to, const QStringList &ids, int ms)
{
    const QJsonObject a = command(QJsonObject{{QStringLiteral("cmd"), QStringLiteral("read")},
                                              {QStringLiteral("to"), to},
                                              {QStringLiteral("ids"), QJsonArray::fromStringList(ids)}},
                                  ms);
    return a.value(QStringLiteral("event")).toString() == QLatin1String("done");
}

QList<QJsonObject> BaileysCustomer::messagesWithPrefix(const QString &prefix) const
{
    QList<QJsonObject> out;
    for (const CustomerEvent &e : m_events)
        if (e.event == QLatin1String("message") && e.json.value(QStringLiteral("text")).toString().startsWith(prefix))
            out.append(e.json);
    return out;
}

QString BaileysCustomer::diagnostics() const
{
    QStringList lines;
    for (const CustomerEvent &e : m_events)
        if (e.event == QLatin1String("error") || e.event == QLatin1String("closed"))
            lines << QString::fromUtf8(QJsonDocument(e.json).toJson(QJsonDocument::Compact));
    return QStringLiteral("customer errors: [%1]; node stderr tail: %2")
        .arg(lines.join(QLatin1String(", ")), QString::fromUtf8(m_stderr.right(1500)));
}

} // namespace atende::e2e
