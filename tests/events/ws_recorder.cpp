#include "ws_recorder.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QTest>

namespace atende::test {

quint64 seqOf(const QJsonObject &event)
{
    return event.value(QStringLiteral("seq")).toString().toULongLong();
}

bool WsRecorder::open(quint16 port)
{
    QObject::connect(&socket, &QWebSocket::textMessageReceived, [this](const QString &t) {
        const QJsonObject o = QJsonDocument::fromJson(t.toUtf8()).object();
        if (o.contains(QStringLiteral("event")))
            m_frames.append({true, o.value(QStringLiteral("event")).toObject()});
        else
            m_frames.append({false, o});
    });
    bool hello = false;
    QObject::connect(&socket, &QWebSocket::binaryMessageReceived, [&hello](const QByteArray &) { hello = true; });
    socket.open(QUrl(QStringLiteral("ws://127.0.0.1:%1/api/v1/ws").arg(port)));
    const bool ok = QTest::qWaitFor([&] { return hello; }, 5000); // the binary Hello frame
    QObject::disconnect(&socket, &QWebSocket::binaryMessageReceived, nullptr, nullptr);
    return ok;
}

QString WsRecorder::send(const QString &op, const QJsonObject &body, const QString &accessToken)
{
    const QString id = QString::number(m_next++);
    QJsonObject f{{QStringLiteral("id"), id}, {QStringLiteral("op"), op}, {QStringLiteral("body"), body}};
    if (!accessToken.isEmpty())
        f.insert(QStringLiteral("access_token"), accessToken);
    socket.sendTextMessage(QString::fromUtf8(QJsonDocument(f).toJson(QJsonDocument::Compact)));
    return id;
}

QJsonObject WsRecorder::reply(const QString &id, int ms)
{
    QJsonObject found;
    (void)QTest::qWaitFor(
        [&] {
            for (const Frame &f : std::as_const(m_frames))
                if (!f.event && f.body.value(QStringLiteral("id")).toString() == id) {
                    found = f.body;
                    return true;
                }
            return false;
        },
        ms);
    return found;
}

QJsonObject WsRecorder::authenticate(const QString &accessToken)
{
    const QString id = QString::number(m_next++);
    const QJsonObject f{{QStringLiteral("id"), id}, {QStringLiteral("access_token"), accessToken}};
    const qsizetype before = m_frames.size();
    socket.sendTextMessage(QString::fromUtf8(QJsonDocument(f).toJson(QJsonDocument::Compact)));
    QJsonObject found;
    (void)QTest::qWaitFor(
        [&] {
            for (qsizetype i = before; i < m_frames.size(); ++i) {
                const Frame &fr = m_frames[i];
                if (!fr.event && (fr.body.contains(QStringLiteral("session")) ||
                                  fr.body.value(QStringLiteral("id")).toString() == id)) {
                    found = fr.body;
                    return true;
                }
            }
            return false;
        },
        10000);
    return found;
}

QList<QJsonObject> WsRecorder::events() const
{
    QList<QJsonObject> out;
    for (const Frame &f : m_frames)
        if (f.event)
            out.append(f.body);
    return out;
}

QList<QJsonObject> WsRecorder::notices(const QString &kind) const
{
    QList<QJsonObject> out;
    for (const QJsonObject &e : events())
        if (e.value(QStringLiteral("notice")).toObject().value(QStringLiteral("kind")).toString() == kind)
            out.append(e);
    return out;
}

QList<quint64> WsRecorder::seqStream() const
{
    QList<quint64> out;
    for (const Frame &f : m_frames) {
        if (f.event) {
            if (const quint64 s = seqOf(f.body))
                out.append(s);
            continue;
        }
        const QJsonArray events =
            f.body.value(QStringLiteral("body")).toObject().value(QStringLiteral("events")).toArray();
        for (const QJsonValue &e : events)
            out.append(seqOf(e.toObject()));
    }
    return out;
}

bool WsRecorder::waitUntil(const std::function<bool()> &condition, int ms)
{
    return QTest::qWaitFor(condition, ms);
}

} // namespace atende::test
